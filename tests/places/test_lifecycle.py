"""The lifecycle table: every (from, to) pair for every kind of actor, and its preconditions."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.domain import DomainError, NotAllowed
from marketplace.places import lifecycle, services
from marketplace.places.lifecycle import TRANSITIONS, IllegalTransition, change_status
from marketplace.places.models import REQUIRED_FIELDS, PlaceReview, PlaceStatus, ReviewDecision
from marketplace.places.rules import review_flags
from tests.factories import make_organisation, make_place, make_user
from tests.places.helpers import place_row

S = PlaceStatus
REASON = "Graag de taken concreter beschrijven."

#: each kind of actor, and the role the table knows them by (None: the system itself)
ACTORS = {
    "own employer": Role.EMPLOYER,
    "employer of another organisation": Role.EMPLOYER,
    "consultant": Role.CONSULTANT,
    "admin": Role.ADMIN,
    "newcomer": Role.NEWCOMER,
    "system": None,
}


def make_actor(name: str, place):
    if name == "system":
        return None
    if name == "own employer":
        return make_user(Role.EMPLOYER, organisation=place.organisation)
    return make_user(ACTORS[name])


def may(name: str, source: PlaceStatus, target: PlaceStatus) -> bool:
    """What the table says, with the rule that an employer acts only for their own places."""
    roles = TRANSITIONS.get((source, target))
    foreign = name == "employer of another organisation"
    return roles is not None and ACTORS[name] in roles and not foreign


def audit_events(dbs, place_id: int) -> list[AuditEvent]:
    return list(
        dbs.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == "place", AuditEvent.object_id == place_id)
            .order_by(AuditEvent.id)
        )
    )


def only_review(dbs, place_id: int) -> PlaceReview:
    return dbs.scalars(sa.select(PlaceReview).where(PlaceReview.place_id == place_id)).one()


CASES = [
    pytest.param(source, target, name, id=f"{source.value}->{target.value} by {name}")
    for source in S
    for target in S
    for name in ACTORS
]


EMPLOYER, CONSULTANT, SYSTEM = Role.EMPLOYER, Role.CONSULTANT, None

#: design.md: draft -> submitted -> published <-> paused -> closed, submitted -> rejected ->
#: draft; an employer may withdraw or throw away a draft; the nightly job closes live places
DESIGNED_TABLE = {
    (S.DRAFT, S.SUBMITTED): {EMPLOYER},
    (S.DRAFT, S.CLOSED): {EMPLOYER},
    (S.SUBMITTED, S.DRAFT): {EMPLOYER, CONSULTANT},
    (S.SUBMITTED, S.PUBLISHED): {CONSULTANT},
    (S.SUBMITTED, S.REJECTED): {CONSULTANT},
    (S.REJECTED, S.DRAFT): {EMPLOYER},
    (S.PUBLISHED, S.PAUSED): {EMPLOYER},
    (S.PAUSED, S.PUBLISHED): {EMPLOYER},
    (S.PUBLISHED, S.CLOSED): {EMPLOYER, SYSTEM},
    (S.PAUSED, S.CLOSED): {EMPLOYER, SYSTEM},
}


def test_the_table_is_the_designed_one():
    """A change to the table is a decision: make it here too, on purpose."""
    assert {pair: set(roles) for pair, roles in TRANSITIONS.items()} == DESIGNED_TABLE
    assert not any(source == S.CLOSED for source, _ in TRANSITIONS), "closed is final"


@pytest.mark.parametrize(("source", "target", "name"), CASES)
def test_every_transition_for_every_actor(db_session, source, target, name):
    place = make_place(make_organisation(), source)
    actor = make_actor(name, place)
    before = place_row(db_session, place.id)
    events_before = len(audit_events(db_session, place.id))

    if may(name, source, target):
        change_status(db_session, actor, place, target, comment=REASON)
        db_session.flush()  # the database's own checks accept the new state
        after = place_row(db_session, place.id)
        assert after["status"] == target
        events = audit_events(db_session, place.id)
        assert len(events) == events_before + 1
        assert events[-1].action == f"place_{target.value}"
        assert events[-1].actor_id == (actor.id if actor is not None else None)
        assert events[-1].detail["source"] == source.value
        if target == S.SUBMITTED:
            assert after["submitted_at"] is not None
        if target == S.CLOSED:
            assert after["closed_at"] is not None
        decision = ACTORS[name] == Role.CONSULTANT
        assert after["reviews"] == before["reviews"] + (1 if decision else 0)
        return

    expected = IllegalTransition if (source, target) not in TRANSITIONS else NotAllowed
    with pytest.raises(expected):
        change_status(db_session, actor, place, target, comment=REASON)
    assert place.status == source, "the place in memory changed"
    assert place_row(db_session, place.id) == before
    assert len(audit_events(db_session, place.id)) == events_before


@pytest.mark.parametrize("source", list(S), ids=str)
@pytest.mark.parametrize("name", list(ACTORS))
def test_allowed_targets_follow_the_table(db_session, source, name):
    """The buttons a page offers are exactly the moves the table allows this actor."""
    place = make_place(make_organisation(), source)
    actor = make_actor(name, place)
    expected = {target for target in S if may(name, source, target)}
    assert set(lifecycle.allowed_targets(place, actor)) == expected


def test_an_illegal_transition_says_which_move_is_impossible(app, db_session):
    place = make_place(make_organisation(), S.CLOSED)
    with force_locale("en"), pytest.raises(IllegalTransition) as raised:
        change_status(db_session, None, place, S.PUBLISHED)
    assert str(raised.value) == "A place that is closed cannot become published."


# --- preconditions ---------------------------------------------------------------------------


def test_publishing_needs_a_verified_organisation(db_session):
    place = make_place(make_organisation(verified=False), S.SUBMITTED)
    before = place_row(db_session, place.id)
    with pytest.raises(DomainError) as refused:
        change_status(db_session, make_user(Role.CONSULTANT), place, S.PUBLISHED)
    assert not isinstance(refused.value, NotAllowed | IllegalTransition)
    assert place_row(db_session, place.id) == before


def test_a_paused_place_of_an_unverified_organisation_cannot_go_live_again(db_session):
    organisation = make_organisation(verified=False)
    place = make_place(organisation, S.PAUSED)
    employer = make_user(Role.EMPLOYER, organisation=organisation)
    with pytest.raises(DomainError):
        change_status(db_session, employer, place, S.PUBLISHED)
    assert place_row(db_session, place.id)["status"] == S.PAUSED


@pytest.mark.parametrize("target", [S.REJECTED, S.DRAFT], ids=str)
@pytest.mark.parametrize("comment", [None, "", "   "], ids=["none", "empty", "spaces"])
def test_rejecting_and_asking_for_changes_need_a_reason(db_session, target, comment):
    place = make_place(make_organisation(), S.SUBMITTED)
    before = place_row(db_session, place.id)
    with pytest.raises(DomainError) as refused:
        change_status(db_session, make_user(Role.CONSULTANT), place, target, comment=comment)
    assert refused.value.field == "comment"
    assert place_row(db_session, place.id) == before


def test_an_employer_takes_a_place_back_from_review_without_a_reason(db_session):
    place = make_place(make_organisation(), S.SUBMITTED)
    employer = make_user(Role.EMPLOYER, organisation=place.organisation)
    change_status(db_session, employer, place, S.DRAFT)
    row = place_row(db_session, place.id)
    assert row["status"] == S.DRAFT and row["reviews"] == 0


INCOMPLETE = [
    *[pytest.param({field: None}, id=field) for field in REQUIRED_FIELDS],
    pytest.param({"title": ""}, id="empty title"),
    pytest.param({"schedule": []}, id="schedule"),
    pytest.param({"postcode": None, "remote": False}, id="postcode unless remote"),
    pytest.param({"end_date": None, "duration_weeks": None}, id="end date or duration"),
]


@pytest.mark.parametrize("missing", INCOMPLETE)
def test_submission_needs_a_complete_place(db_session, missing):
    place = make_place(make_organisation(), S.DRAFT, **missing)
    employer = make_user(Role.EMPLOYER, organisation=place.organisation)
    before = place_row(db_session, place.id)
    with pytest.raises(DomainError):
        change_status(db_session, employer, place, S.SUBMITTED)
    assert place_row(db_session, place.id) == before


@pytest.mark.parametrize(
    "fields",
    [{"postcode": None, "remote": True}, {"duration_weeks": None, "end_date": date(2030, 6, 30)}],
    ids=["remote without postcode", "end date instead of duration"],
)
def test_a_complete_place_can_be_submitted(db_session, fields):
    place = make_place(make_organisation(), S.DRAFT, **fields)
    employer = make_user(Role.EMPLOYER, organisation=place.organisation)
    change_status(db_session, employer, place, S.SUBMITTED)
    assert place_row(db_session, place.id)["status"] == S.SUBMITTED


# --- decisions are recorded ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "target"),
    [
        (ReviewDecision.PUBLISHED, S.PUBLISHED),
        (ReviewDecision.REJECTED, S.REJECTED),
        (ReviewDecision.CHANGES_REQUESTED, S.DRAFT),
    ],
    ids=str,
)
def test_every_decision_on_a_new_place_is_recorded(db_session, decision, target):
    # a warning-raising place, so that the recorded flags are worth checking
    place = make_place(make_organisation(), S.SUBMITTED, hours_max=38, supervisor_name=None)
    consultant = make_user(Role.CONSULTANT)
    flags = review_flags(place)
    assert flags == ["long_hours", "no_supervisor"]

    services.decide(db_session, consultant, place, decision, REASON)

    row = place_row(db_session, place.id)
    assert row["status"] == target
    assert row["reviewed_by_id"] == consultant.id and row["reviewed_at"] is not None
    assert row["review_comment"] == REASON
    review = only_review(db_session, place.id)
    assert review.decision == decision
    assert review.reviewer_id == consultant.id
    assert review.decided_at is not None and review.comment == REASON
    assert review.flags == flags
    assert audit_events(db_session, place.id)[-1].actor_id == consultant.id


@pytest.mark.parametrize(
    "decision", [ReviewDecision.CHANGE_APPROVED, ReviewDecision.CHANGE_REJECTED], ids=str
)
def test_every_decision_on_a_change_is_recorded(db_session, decision):
    place = make_place(make_organisation())
    employer = make_user(Role.EMPLOYER, organisation=place.organisation)
    services.update_place(db_session, employer, place, {"hours_max": 20})
    services.submit_place(
        db_session,
        employer,
        place,
        {
            "would_be_paid_vacancy": False,
            "replaces_absent_worker": False,
            "replaces_dismissed_worker": False,
            "structural_work": False,
            "works_council": place.works_council,
        },
    )
    consultant = make_user(Role.CONSULTANT)

    services.decide(db_session, consultant, place, decision, REASON)

    review = only_review(db_session, place.id)
    assert review.decision == decision and review.comment == REASON
    assert review.reviewer_id == consultant.id
    assert review.decided_at is not None
    assert review.flags == ["change_to_published_place"]
    assert audit_events(db_session, place.id)[-1].action == f"place_{decision.value}"


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.ADMIN, Role.NEWCOMER], ids=str)
def test_only_a_consultant_decides(db_session, role):
    place = make_place(make_organisation(), S.SUBMITTED)
    before = place_row(db_session, place.id)
    actor = make_user(role, organisation=place.organisation if role == Role.EMPLOYER else None)
    with pytest.raises(NotAllowed):
        services.decide(db_session, actor, place, ReviewDecision.PUBLISHED, None)
    assert place_row(db_session, place.id) == before
