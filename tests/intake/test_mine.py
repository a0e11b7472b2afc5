"""The newcomer reads what was written about their first conversation; nobody else does."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.newcomers.profile_parts import SHAREABLE
from marketplace.placements.models import Placement, PlacementStatus
from tests.factories import make_organisation, make_place, make_user
from tests.intake.conftest import TALK

SECRET = "CANARY-INTAKE-7f3a"


def _record(client, auth, consultant, ref, **changed):
    auth.login(consultant.email)
    assert client.post(f"/caseload/{ref}/intake", data={**TALK, **changed}).status_code == 302
    auth.logout()


def test_before_the_conversation_the_page_says_so_kindly(client, auth, consultant, newcomer):
    user, _profile, _ref = newcomer
    auth.login(user.email)

    response = client.get("/me/intake")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your consultant has not written down your first conversation yet." in page
    assert f"Tell {consultant.name}, your consultant, or change your profile." in page


def test_the_newcomer_reads_their_conversation_rung_and_how_to_correct_it(
    db_session, client, auth, consultant, newcomer
):
    user, profile, ref = newcomer
    _record(client, auth, consultant, ref)
    auth.login(user.email)
    assert 'href="/me/intake"' in client.get("/me").get_data(as_text=True)

    page = client.get("/me/intake").get_data(as_text=True)

    assert f"You talked with {consultant.name} on November 20, 2026." in page
    for name in ("what_matters", "motivation", "capabilities", "learning_wishes", "agreements"):
        assert TALK[name] in page, name
    assert "Only during school hours" in page and "No evening or night work" in page
    assert "2. Contacts outside the home" in page and TALK["rung_reason"] in page
    assert f"Tell {consultant.name}, your consultant, or change your profile." in page
    assert 'href="/me/profile"' in page
    reads = sa.select(AuditEvent).where(AuditEvent.action == "newcomer_profile_read")
    assert len(list(db_session.scalars(reads))) == 1  # only the consultant's opening


def test_a_newcomer_never_sees_someone_elses_conversation(client, auth, consultant, newcomer):
    _user, _profile, ref = newcomer
    _record(client, auth, consultant, ref, what_matters=SECRET)
    other = make_user(Role.NEWCOMER, language="en")
    auth.login(other.email)

    page = client.get("/me/intake").get_data(as_text=True)

    assert SECRET not in page and "has not written down your first conversation yet" in page
    assert client.get(f"/caseload/{ref}/intake").status_code == 403


def test_employers_never_see_the_conversation(db_session, client, auth, consultant, newcomer):
    user, profile, ref = newcomer
    profile.shares_with_employers = list(SHAREABLE)  # even when the newcomer shares everything
    organisation = make_organisation()
    employer = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    place = make_place(organisation)
    db_session.add(
        Placement(profile_id=profile.id, place_id=place.id, status=PlacementStatus.ACTIVE)
    )
    db_session.flush()
    texts = {name: f"{SECRET}-{name}" for name in ("what_matters", "capabilities", "agreements")}
    _record(client, auth, consultant, ref, rung_reason=f"{SECRET}-reason", **texts)
    auth.login(employer.email)

    assert client.get(f"/caseload/{ref}/intake").status_code == 403
    assert client.get("/me/intake").status_code == 403
    for path in ("/organisation", "/organisation/candidates"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert SECRET not in text and "Only during school hours" not in text, path
    assert user.name in text  # the candidates page does show what the newcomer shared
