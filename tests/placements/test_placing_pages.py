"""Placing through the pages: propose, the newcomer's yes, introduction, the host, approval."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.notices.models import Notice, NoticeKind
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.places.slugs import slugify
from marketplace.search.output import newcomer_ref
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import NEAR_AREAS, add_postcode_areas, cooking_newcomer

S = PlacementStatus


def test_a_place_goes_from_proposal_to_a_finished_placement(app, db_session, client, auth):
    add_postcode_areas(db_session, NEAR_AREAS)
    consultant = make_user(Role.CONSULTANT, language="en")
    newcomer, profile = cooking_newcomer(db_session, shares_with_employers=["skills"])
    profile.consultant_id = consultant.id
    profile.motivation = "Mijn gezin"
    organisation = make_organisation("Buurtkeuken")
    host = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    place = make_place(organisation, title="Kok in de buurtkeuken", spots=1, postcode="3531 AB")
    db_session.flush()
    ref = newcomer_ref(profile)

    auth.login(consultant.email)
    propose_here = f'action="/places/{place.id}/propose"'
    assert propose_here in client.get(f"/caseload/{ref}/placements").get_data(as_text=True)
    page = client.get(f"/places/{place.id}/{slugify(place.title)}").get_data(as_text=True)
    assert f'<option value="{ref}">{newcomer.name}</option>' in page
    client.post(f"/places/{place.id}/propose", data={"newcomer": ref})
    placement = db_session.scalars(sa.select(Placement)).one()
    assert placement.status is S.PROPOSED and placement.proposed_by_id == consultant.id
    notice = db_session.scalars(sa.select(Notice).filter_by(user_id=newcomer.id)).one()
    assert notice.kind is NoticeKind.PROPOSAL
    auth.logout()

    auth.login(newcomer.email)
    client.post(f"/me/placements/{placement.id}/answer", data={"answer": "yes"})
    auth.logout()

    auth.login(consultant.email)
    file = client.get(f"/caseload/{ref}/placements").get_data(as_text=True)
    assert "Plan the introduction" in file
    assert propose_here not in file  # the place is in their list already: not offered again
    client.post(f"/caseload/placements/{placement.id}/introduce", data={"on": "2026-12-10"})
    db_session.expire_all()
    assert placement.status is S.INTRODUCED and str(placement.introduction_on) == "2026-12-10"
    auth.logout()

    auth.login(host.email)
    candidates = client.get("/organisation/candidates").get_data(as_text=True)
    assert "koken" in candidates  # the skills they chose to share
    assert newcomer.name not in candidates and "Mijn gezin" not in candidates
    client.post(f"/organisation/placements/{placement.id}/host_accept", data={})
    auth.logout()

    auth.login(consultant.email)
    client.post(f"/caseload/placements/{placement.id}/approve", data={})
    db_session.expire_all()
    assert placement.status is S.APPROVED and place.spots_taken == 1
    client.post(f"/caseload/placements/{placement.id}/start", data={"on": "2026-12-14"})
    client.post(f"/caseload/placements/{placement.id}/complete", data={"on": "2027-03-14"})
    db_session.expire_all()
    assert placement.status is S.COMPLETED and place.spots_taken == 0
    steps = [(e.from_status, e.to_status) for e in placement.events]
    assert steps == [
        (None, S.PROPOSED),
        (S.PROPOSED, S.PROPOSED),
        (S.PROPOSED, S.INTRODUCED),
        (S.INTRODUCED, S.ACCEPTED_BY_HOST),
        (S.ACCEPTED_BY_HOST, S.APPROVED),
        (S.APPROVED, S.ACTIVE),
        (S.ACTIVE, S.COMPLETED),
    ]
    reads = db_session.scalars(sa.select(AuditEvent).filter_by(action="newcomer_profile_read"))
    assert "placements" in [event.detail["page"] for event in reads]


def test_a_second_approval_for_a_full_place_is_refused_with_a_message(db_session, client, auth):
    consultant = make_user(Role.CONSULTANT, language="en")
    place = make_place(make_organisation(), spots=1)
    placements = []
    for ref in ("nc-1", "nc-2"):
        _user, profile = cooking_newcomer(db_session, ref=ref)
        profile.consultant_id = consultant.id
        placement = Placement(profile_id=profile.id, place_id=place.id, status=S.ACCEPTED_BY_HOST)
        db_session.add(placement)
        placements.append(placement)
    db_session.flush()
    auth.login(consultant.email)
    client.post(f"/caseload/placements/{placements[0].id}/approve", data={})
    refused = client.post(
        f"/caseload/placements/{placements[1].id}/approve", data={}, follow_redirects=True
    )
    assert "This place is full. There is no free spot left." in refused.get_data(as_text=True)
    db_session.expire_all()
    assert [p.status for p in placements] == [S.APPROVED, S.ACCEPTED_BY_HOST]


def test_others_get_404_and_nothing_changes(app, db_session, client, auth):
    consultant = make_user(Role.CONSULTANT)
    _user, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    place = make_place(make_organisation(), spots=2)
    placement = Placement(profile_id=profile.id, place_id=place.id, status=S.INTRODUCED)
    db_session.add(placement)
    db_session.flush()
    auth.login(make_user(Role.CONSULTANT).email)
    assert client.get(f"/caseload/{newcomer_ref(profile)}/placements").status_code == 404
    assert client.post(f"/caseload/placements/{placement.id}/decline").status_code == 404
    auth.logout()
    auth.login(make_user(Role.EMPLOYER).email)  # an employer of another organisation
    assert client.post(f"/organisation/placements/{placement.id}/host_accept").status_code == 404
    assert client.post(f"/organisation/placements/{placement.id}/nonsense").status_code == 404
    db_session.expire_all()
    assert placement.status is S.INTRODUCED and placement.events == []


def test_proposing_to_someone_elses_newcomer_says_choose_and_writes_nothing(
    db_session, client, auth
):
    _user, profile = cooking_newcomer(db_session)
    place = make_place(make_organisation())
    auth.login(make_user(Role.CONSULTANT, language="en").email)
    response = client.post(
        f"/places/{place.id}/propose",
        data={"newcomer": f"newcomer-{profile.id}"},
        follow_redirects=True,
    )
    assert "Choose a newcomer of your caseload." in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0


def test_a_date_years_away_is_refused_and_nothing_changes(app, db_session, client, auth):
    """A typo such as 9999 would break every later date sum (reminders, follow-ups)."""
    app.config["FIXED_TODAY"] = "2026-11-29"
    consultant = make_user(Role.CONSULTANT, language="en")
    _user, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    placement = Placement(
        profile_id=profile.id, place_id=make_place(make_organisation()).id, status=S.APPROVED
    )
    db_session.add(placement)
    db_session.flush()
    auth.login(consultant.email)
    page = client.post(
        f"/caseload/placements/{placement.id}/start",
        data={"on": "9999-12-20"},
        follow_redirects=True,
    ).get_data(as_text=True)
    app.config["FIXED_TODAY"] = None
    assert "Fill in a date between November 29, 2021 and November 29, 2031." in page
    db_session.expire_all()
    assert (placement.status, placement.started_on) == (S.APPROVED, None)
