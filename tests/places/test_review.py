"""The consultants' review: the queue, the warning flags, and decisions on the review page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.labels import REVIEW_FLAGS
from marketplace.places import services
from marketplace.places.models import (
    PaidWorkProspect,
    PlaceKind,
    PlaceReview,
    PlaceStatus,
    ReviewDecision,
    WorksCouncil,
)
from marketplace.places.rules import review_flags
from marketplace.vocab import DutchLevel
from tests.factories import make_organisation, make_place
from tests.places.helpers import assert_marked_invalid, place_row, signed_in

S = PlaceStatus


def days_ago(days: int):
    return utcnow() - timedelta(days=days)


def test_the_queue_is_oldest_first_and_includes_changes_to_live_places(db_session, client, auth):
    organisation = make_organisation()
    newer = make_place(organisation, S.SUBMITTED, title="Nieuw 1 dag", submitted_at=days_ago(1))
    older = make_place(organisation, S.SUBMITTED, title="Nieuw 3 dagen", submitted_at=days_ago(3))
    change = make_place(
        organisation,
        S.PAUSED,
        title="Wijziging 5 dagen",
        submitted_at=days_ago(90),
        pending_changes={"hours_max": 20},
        changes_submitted_at=days_ago(5),
    )
    # not waiting: published as is, a change not sent yet, a draft, a rejected place
    make_place(organisation, title="Gepubliceerd")
    make_place(organisation, title="Niet verstuurd", pending_changes={"spots": 4})
    make_place(organisation, S.DRAFT, title="Concept")
    make_place(organisation, S.REJECTED, title="Afgewezen")

    assert services.review_queue(db_session) == [change, older, newer]

    signed_in(auth, Role.CONSULTANT)
    page = client.get("/review/").get_data(as_text=True)
    positions = [page.index(p.title) for p in (change, older, newer)]
    assert positions == sorted(positions)
    for title in ("Gepubliceerd", "Niet verstuurd", "Concept", "Afgewezen"):
        assert title not in page


#: (flag, changes that raise it); the default place of ``make_place`` raises none
FLAG_CAUSES = [
    ("paid_vacancy", {"would_be_paid_vacancy": True}),
    ("replaces_dismissed_worker", {"replaces_dismissed_worker": True}),
    ("replaces_absent_worker", {"replaces_absent_worker": True}),
    ("structural_work", {"structural_work": True}),
    ("works_council_not_consulted", {"works_council": WorksCouncil.NOT_CONSULTED}),
    ("long_hours", {"hours_max": 36}),
    ("long_hours", {"hours_min": 40, "hours_max": 40}),
    ("b1_without_mentor", {"dutch_level": DutchLevel.B1, "mentor": False}),
    ("b1_without_mentor", {"dutch_level": DutchLevel.C1, "mentor": False}),
    ("no_supervisor", {"supervisor_name": None}),
    ("no_supervisor", {"supervisor_name": "   "}),
    ("no_learning_goals", {"learning_goals": None}),
    ("no_learning_goals", {"learning_goals": " "}),
    ("long_duration", {"duration_weeks": 53}),
    (
        "trial_without_prospect",
        {"kind": PlaceKind.TRIAL_PLACEMENT, "paid_work_prospect": PaidWorkProspect.NO},
    ),
    (
        "trial_without_prospect",
        {"kind": PlaceKind.WORK_EXPERIENCE, "paid_work_prospect": PaidWorkProspect.NO},
    ),
    ("organisation_unverified", {"organisation": "unverified"}),
    ("change_to_published_place", {"pending_changes": {"city": "Zeist"}}),
]

#: near misses: each is right next to a flag's condition and must raise nothing
NO_FLAG = [
    {"hours_max": 35},
    {"dutch_level": DutchLevel.A2, "mentor": False},
    {"dutch_level": DutchLevel.B1, "mentor": True},
    {"duration_weeks": 52},
    {"kind": PlaceKind.TRIAL_PLACEMENT, "paid_work_prospect": PaidWorkProspect.POSSIBLE},
    {"kind": PlaceKind.VOLUNTEER, "paid_work_prospect": PaidWorkProspect.NO},
    {"kind": PlaceKind.INTERNSHIP, "paid_work_prospect": PaidWorkProspect.NO},
    {"works_council": WorksCouncil.CONSULTED},
    {"works_council": WorksCouncil.NONE},
    {"would_be_paid_vacancy": None, "structural_work": None},  # not answered yet
    {"pending_changes": {}},
]


def place_with(changes: dict):
    changes = dict(changes)
    verified = changes.pop("organisation", None) != "unverified"
    return make_place(make_organisation(verified=verified), S.SUBMITTED, **changes)


def test_every_flag_has_a_cause_and_words():
    assert {flag for flag, _ in FLAG_CAUSES} == set(REVIEW_FLAGS)


@pytest.mark.parametrize(("flag", "changes"), FLAG_CAUSES, ids=lambda v: str(v)[:40])
def test_each_flag_is_raised_by_its_condition_alone(db_session, flag, changes):
    assert review_flags(place_with(changes)) == [flag]


@pytest.mark.parametrize("changes", NO_FLAG, ids=lambda v: str(v)[:40])
def test_no_flag_without_its_condition(db_session, changes):
    assert review_flags(place_with(changes)) == []


def test_a_waiting_change_is_judged_as_it_would_be_published(db_session):
    place = make_place(make_organisation(), pending_changes={"hours_max": 38, "mentor": False})
    place.dutch_level = DutchLevel.B1
    assert review_flags(place) == ["long_hours", "b1_without_mentor", "change_to_published_place"]


def test_the_queue_and_the_review_page_show_the_warnings(db_session, client, auth):
    place = place_with({"replaces_dismissed_worker": True, "hours_max": 38})
    signed_in(auth, Role.CONSULTANT)
    for url in ("/review/", f"/review/{place.id}"):
        page = client.get(url).get_data(as_text=True)
        with force_locale(_page_language(page)):
            assert str(REVIEW_FLAGS["replaces_dismissed_worker"]) in page
            assert str(REVIEW_FLAGS["long_hours"]) in page
            assert str(REVIEW_FLAGS["no_supervisor"]) not in page


def _page_language(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', html).group(1)


# --- decisions on the review page ------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "comment", "status"),
    [
        ("published", "", S.PUBLISHED),
        ("rejected", "Dit is een betaalde baan.", S.REJECTED),
        ("changes_requested", "Noem een begeleider.", S.DRAFT),
    ],
    ids=str,
)
def test_a_consultant_decides_on_the_review_page(
    db_session, client, auth, decision, comment, status
):
    place = make_place(make_organisation(), S.SUBMITTED)
    consultant = signed_in(auth, Role.CONSULTANT)
    response = client.post(f"/review/{place.id}", data={"decision": decision, "comment": comment})
    assert response.status_code == 302 and response.location == "/review/"
    row = place_row(db_session, place.id)
    assert row["status"] == status and row["reviewed_by_id"] == consultant.id
    reviews = sa.select(PlaceReview).where(PlaceReview.place_id == place.id)
    review = db_session.scalars(reviews).one()
    assert review.decision == ReviewDecision(decision) and review.reviewer_id == consultant.id
    assert (review.comment or None) == (comment or None)
    assert place not in services.review_queue(db_session)


@pytest.mark.parametrize("decision", ["rejected", "changes_requested"])
def test_a_rejection_without_a_reason_is_refused(db_session, client, auth, decision):
    place = make_place(make_organisation(), S.SUBMITTED)
    before = place_row(db_session, place.id)
    signed_in(auth, Role.CONSULTANT)
    response = client.post(f"/review/{place.id}", data={"decision": decision, "comment": "  "})
    assert_marked_invalid(response, "comment")
    assert place_row(db_session, place.id) == before


def test_an_unverified_organisation_is_not_published(db_session, client, auth):
    place = make_place(make_organisation(verified=False), S.SUBMITTED)
    before = place_row(db_session, place.id)
    signed_in(auth, Role.CONSULTANT)
    response = client.post(f"/review/{place.id}", data={"decision": "published"})
    assert response.status_code == 200
    assert "has not been checked yet" in response.get_data(as_text=True)
    assert place_row(db_session, place.id) == before


@pytest.mark.parametrize(
    ("status", "wrong"),
    [(S.SUBMITTED, "change_approved"), (S.PUBLISHED, "published"), (S.SUBMITTED, "closed")],
    ids=str,
)
def test_a_decision_that_does_not_fit_is_refused(db_session, client, auth, status, wrong):
    place = make_place(
        make_organisation(),
        status,
        pending_changes={"spots": 4} if status == S.PUBLISHED else None,
        changes_submitted_at=utcnow() if status == S.PUBLISHED else None,
    )
    before = place_row(db_session, place.id)
    signed_in(auth, Role.CONSULTANT)
    response = client.post(f"/review/{place.id}", data={"decision": wrong})
    # (aria-invalid on groups of radios is checked in test_validation)
    assert response.status_code == 200
    assert 'id="decision-error"' in response.get_data(as_text=True)
    assert place_row(db_session, place.id) == before


def test_the_review_page_shows_the_change_next_to_the_published_value(db_session, client, auth):
    place = make_place(
        make_organisation(),
        hours_max=16,
        pending_changes={"hours_max": 32},
        changes_submitted_at=utcnow(),
    )
    signed_in(auth, Role.CONSULTANT)
    page = client.get(f"/review/{place.id}").get_data(as_text=True)
    assert "<td>16</td><td>32</td>" in page.replace("\n", "")


@pytest.mark.parametrize("status", [S.DRAFT, S.PUBLISHED, S.CLOSED, S.REJECTED], ids=str)
def test_there_is_no_review_page_for_a_place_with_nothing_to_review(
    db_session, client, auth, status
):
    place = make_place(make_organisation(), status)
    signed_in(auth, Role.CONSULTANT)
    assert client.get(f"/review/{place.id}").status_code == 404
    assert client.post(f"/review/{place.id}", data={"decision": "published"}).status_code == 404


def test_a_get_request_decides_nothing(db_session, client, auth):
    place = make_place(make_organisation(), S.SUBMITTED)
    before = place_row(db_session, place.id)
    signed_in(auth, Role.CONSULTANT)
    response = client.get(f"/review/{place.id}?decision=published&comment=ok")
    assert response.status_code == 200
    assert place_row(db_session, place.id) == before


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.NEWCOMER, Role.ADMIN], ids=str)
def test_only_consultants_reach_the_review(db_session, client, auth, role):
    place = make_place(make_organisation(), S.SUBMITTED)
    user = signed_in(auth, role)
    if role == Role.EMPLOYER:  # not even for their own place
        place.organisation_id = user.organisation_id
    before = place_row(db_session, place.id)
    assert client.get("/review/").status_code == 403
    assert client.get(f"/review/{place.id}").status_code == 403
    assert client.post(f"/review/{place.id}", data={"decision": "published"}).status_code == 403
    assert place_row(db_session, place.id) == before
