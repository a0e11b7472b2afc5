"""Every step of a placement is in the audit log: who, which placement, the result and the
origin, in words the newcomer can read on their data page (security.md R41)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import ip_pseudonym
from marketplace.db import utcnow
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.placements.workflow import Step
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import cooking_newcomer

S = PlacementStatus
TODAY = "2026-11-29"
#: step, the status it starts from, who takes it, and what the form sends
STEPS = [
    (Step.INTRODUCE, S.PROPOSED, "consultant", {"on": "2026-12-10"}),
    (Step.HOST_ACCEPT, S.INTRODUCED, "host", {}),
    (Step.HOST_DECLINE, S.INTRODUCED, "host", {"reason": "Geen begeleider vrij"}),
    (Step.APPROVE, S.ACCEPTED_BY_HOST, "consultant", {}),
    (Step.DECLINE, S.ACCEPTED_BY_HOST, "consultant", {"reason": "Past niet bij het plan"}),
    (Step.START, S.APPROVED, "consultant", {"on": "2026-12-14"}),
    (Step.COMPLETE, S.ACTIVE, "consultant", {"on": "2027-03-14"}),
    (Step.END_EARLY, S.ACTIVE, "consultant", {"on": "2027-01-14", "reason": "Verhuisd"}),
]


@pytest.fixture
def people(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", TODAY)
    consultant = make_user(Role.CONSULTANT, language="en")
    organisation = make_organisation("Buurtkeuken")
    host = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    newcomer, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    place = make_place(organisation, spots=2)
    db_session.flush()
    return {
        "consultant": consultant,
        "host": host,
        "newcomer": newcomer,
        "profile": profile,
        "place": place,
    }


def _events(db_session, action: str) -> list[AuditEvent]:
    return list(db_session.scalars(sa.select(AuditEvent).filter_by(action=action)))


@pytest.mark.parametrize(("step", "source", "who", "form"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_through_the_pages_is_audited(
    db_session, client, auth, people, step, source, who, form
):
    placement = Placement(
        profile_id=people["profile"].id, place_id=people["place"].id, status=source
    )
    if source is S.PROPOSED:
        placement.newcomer_agreed_at = utcnow()  # the newcomer said yes to the proposal
    db_session.add(placement)
    if source in (S.APPROVED, S.ACTIVE):
        people["place"].spots_taken = 1
    db_session.flush()
    auth.login(people[who].email)
    prefix = "/organisation" if who == "host" else "/caseload"

    response = client.post(f"{prefix}/placements/{placement.id}/{step.value}", data=form)

    assert response.status_code == 302
    (event,) = _events(db_session, f"placement_{step.value}")
    assert (event.actor_id, event.actor_role) == (people[who].id, people[who].role.value)
    assert (event.object_type, event.object_id) == ("placement", placement.id)
    assert event.subject_user_id == people["newcomer"].id
    assert event.result == "success"
    assert event.ip == ip_pseudonym("127.0.0.1")
    db_session.expire_all()
    assert event.detail == {"source": source.value, "target": placement.status.value}


def test_a_proposal_is_audited_and_the_newcomer_reads_the_steps_in_words(
    db_session, client, auth, people
):
    auth.login(people["consultant"].email)
    client.post(f"/places/{people['place'].id}/propose", data={"newcomer": "nc-001"})
    placement = db_session.scalars(sa.select(Placement)).one()
    client.post(f"/caseload/placements/{placement.id}/decline", data={"reason": "Te ver"})
    auth.logout()

    (proposed,) = _events(db_session, "placement_propose")
    assert (proposed.object_id, proposed.actor_id) == (placement.id, people["consultant"].id)
    assert proposed.ip == ip_pseudonym("127.0.0.1")
    auth.login(people["newcomer"].email)
    page = client.get("/me/data").get_data(as_text=True)
    assert "Your consultant proposed a place to you" in page
    assert "Your consultant stopped a place before it was approved" in page
    assert "placement_" not in page


def test_the_newcomers_own_steps_are_audited_with_their_origin(db_session, client, auth, people):
    """Interest, an answer to a proposal and withdrawing: the newcomer's decisions are in the
    log as much as the consultant's, and the newcomer reads them in words."""
    newcomer, place = people["newcomer"], people["place"]
    auth.login(newcomer.email)
    assert client.post(f"/me/places/{place.id}/interest", data={}).status_code == 302
    interest = db_session.scalars(sa.select(Placement)).one()
    assert client.post(f"/me/placements/{interest.id}/withdraw").status_code == 302
    proposed = Placement(profile_id=people["profile"].id, place_id=place.id, status=S.PROPOSED)
    db_session.add(proposed)
    db_session.flush()
    client.post(f"/me/placements/{proposed.id}/answer", data={"answer": "yes"})
    proposed.status = S.WITHDRAWN  # one open placement per newcomer and place at a time
    refused = Placement(profile_id=people["profile"].id, place_id=place.id, status=S.PROPOSED)
    db_session.add(refused)
    db_session.flush()
    client.post(f"/me/placements/{refused.id}/answer", data={"answer": "no", "reason": "Te ver"})

    expected = {
        "placement_interest": (interest.id, {"target": "interested"}),
        "placement_withdraw": (interest.id, {"source": "interested", "target": "withdrawn"}),
        "placement_accept_proposal": (proposed.id, {"source": "proposed"}),
        "placement_refuse_proposal": (refused.id, {"source": "proposed"}),
    }
    for action, (placement_id, detail) in expected.items():
        (event,) = _events(db_session, action)
        assert (event.actor_id, event.object_id) == (newcomer.id, placement_id), action
        assert event.subject_user_id == newcomer.id and event.detail == detail
        assert event.ip == ip_pseudonym("127.0.0.1")
    page = client.get("/me/data").get_data(as_text=True)
    for words in (
        "You said you would like a place",
        "You withdrew from a place",
        "You said yes to a place your consultant proposed",
        "You said no to a place your consultant proposed",
    ):
        assert words in page
