"""Newcomers' feedback on a placement's place (during and after it) and on the service.

The host never sees a newcomer's name, answers or comment. Consultants and later dashboards
get figures per place or organisation from ``place_summary`` / ``organisation_summary``, and
only when enough different newcomers answered that no answer can be traced to a person.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.domain import DomainError, NotAllowed
from marketplace.feedback.models import Feedback, FeedbackAbout, FeedbackStage
from marketplace.newcomers.models import NewcomerProfile
from marketplace.permissions import can_act_for_newcomer
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.places.models import Place

ALREADY_AFTER = _l("Thank you, you already gave feedback after this placement.")

#: fewest different newcomers behind a figure: with fewer, a figure could point to a person
MIN_RESPONDENTS = 3
#: days between two "during" answers on one placement, and between two on the service
REPEAT_DAYS = 28
COMMENT_LENGTH = 2000
SCORES = ("meaningful", "learned", "dutch_practice", "respect")
LOWEST, HIGHEST = 1, 5

#: the placement states in which the newcomer can rate the place, and the stage they rate
STAGE_OF = {
    PlacementStatus.ACTIVE: FeedbackStage.DURING,
    PlacementStatus.COMPLETED: FeedbackStage.AFTER,
    PlacementStatus.ENDED_EARLY: FeedbackStage.AFTER,
}


@dataclass(frozen=True)
class Answers:
    """What the newcomer filled in; None is "no answer" (for a recommendation also "not sure")."""

    meaningful: int | None = None
    learned: int | None = None
    dutch_practice: int | None = None
    respect: int | None = None
    would_recommend: bool | None = None
    comment: str | None = None

    @property
    def is_empty(self) -> bool:
        scores = [getattr(self, name) for name in SCORES]
        return all(s is None for s in scores) and self.would_recommend is None and not self.comment


@dataclass(frozen=True)
class Summary:
    """Figures about a place or an organisation from enough different newcomers.

    ``averages`` maps each score to its average (1-5), or to None when fewer than
    ``MIN_RESPONDENTS`` newcomers gave that score; ``recommend_share`` (0-1) is the share of
    yes among the yes/no answers, None under the same rule. ``answers`` counts feedback
    records, ``newcomers`` the different newcomers behind them.
    """

    answers: int
    newcomers: int
    averages: dict[str, float | None]
    recommend_share: float | None


def _check(answers: Answers) -> Answers:
    """The answers as stored; a DomainError (at the field) when they cannot be."""
    for name in SCORES:
        score = getattr(answers, name)
        if score is not None and not LOWEST <= score <= HIGHEST:
            raise DomainError(_l("Choose a number from 1 to 5."), name)
    comment = (answers.comment or "").strip() or None
    if comment and len(comment) > COMMENT_LENGTH:
        raise DomainError(
            _l("Keep your text under %(max)d characters.", max=COMMENT_LENGTH), "comment"
        )
    answers = replace(answers, comment=comment)
    if answers.is_empty:
        raise DomainError(
            _l("Answer at least one question (with a number, yes or no), or write something.")
        )
    return answers


def _next_day(last: Feedback | None, today: date) -> date | None:
    """The first day a new answer is welcome again, or None when it is welcome today."""
    if last is None:
        return None
    next_day = last.created_at.date() + timedelta(days=REPEAT_DAYS)
    return next_day if next_day > today else None


def _again_from(next_day: date):
    return _l(
        "Thank you, you gave feedback a short time ago. You can give feedback again from %(day)s.",
        day=format_date(next_day, "long"),
    )


def feedback_on_placement(dbs: Session, placement: Placement) -> list[Feedback]:
    """The feedback on one placement, newest first (for the newcomer who gave it)."""
    return list(
        dbs.scalars(
            sa.select(Feedback)
            .where(Feedback.placement_id == placement.id, Feedback.about == FeedbackAbout.PLACE)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        )
    )


def service_feedback_of(dbs: Session, profile: NewcomerProfile) -> list[Feedback]:
    """A newcomer's feedback on the service, newest first."""
    return list(
        dbs.scalars(
            sa.select(Feedback)
            .where(Feedback.profile_id == profile.id, Feedback.about == FeedbackAbout.SERVICE)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        )
    )


def why_no_place_feedback(dbs: Session, placement: Placement, today: date):
    """Why the newcomer cannot rate this placement now (a message), or None when they can."""
    stage = STAGE_OF.get(placement.status)
    if stage is None:
        return _l(
            "You can give feedback on a place when your placement has started, and after it "
            "has ended."
        )
    earlier = [f for f in feedback_on_placement(dbs, placement) if f.stage == stage]
    if stage is FeedbackStage.AFTER and earlier:
        return ALREADY_AFTER
    next_day = _next_day(earlier[0] if earlier else None, today)
    return _again_from(next_day) if next_day else None


def give_place_feedback(
    dbs: Session, actor: User, placement: Placement, answers: Answers, today: date
) -> Feedback:
    """The newcomer rates the place of their placement, while it runs or after it ended."""
    if not can_act_for_newcomer(actor, placement.profile):
        raise NotAllowed(_l("You cannot do this for this person."))
    refusal = why_no_place_feedback(dbs, placement, today)
    if refusal is not None:
        raise DomainError(refusal)
    feedback = Feedback(
        about=FeedbackAbout.PLACE,
        profile_id=placement.profile_id,
        placement_id=placement.id,
        place_id=placement.place_id,
        stage=STAGE_OF[placement.status],
        **asdict(_check(answers)),
    )
    dbs.add(feedback)
    try:
        with dbs.begin_nested():
            dbs.flush()
    except IntegrityError:  # the form sent twice at once: the database lets one through
        raise DomainError(ALREADY_AFTER) from None
    return feedback


def why_no_service_feedback(dbs: Session, profile: NewcomerProfile, today: date):
    """Why the newcomer cannot rate the service now (a message), or None when they can."""
    earlier = service_feedback_of(dbs, profile)
    next_day = _next_day(earlier[0] if earlier else None, today)
    return _again_from(next_day) if next_day else None


def give_service_feedback(
    dbs: Session, actor: User, profile: NewcomerProfile, answers: Answers, today: date
) -> Feedback:
    """The newcomer rates the municipality's help and this website (once per REPEAT_DAYS)."""
    if not can_act_for_newcomer(actor, profile):
        raise NotAllowed(_l("You cannot do this for this person."))
    refusal = why_no_service_feedback(dbs, profile, today)
    if refusal is not None:
        raise DomainError(refusal)
    feedback = Feedback(
        about=FeedbackAbout.SERVICE, profile_id=profile.id, **asdict(_check(answers))
    )
    dbs.add(feedback)
    dbs.flush()
    return feedback


# --- figures for consultants: never from fewer than MIN_RESPONDENTS newcomers --------------

_RECOMMEND = sa.case(
    (Feedback.would_recommend.is_(True), 1.0),
    (Feedback.would_recommend.is_(False), 0.0),
    else_=None,
)


def _who_answered(column) -> sa.ColumnElement:
    """How many different newcomers gave an answer in this column."""
    return sa.func.count(sa.distinct(sa.case((column.is_not(None), Feedback.profile_id))))


def _figure_columns() -> list:
    columns = [sa.func.count(Feedback.id), sa.func.count(sa.distinct(Feedback.profile_id))]
    for name in SCORES:
        column = getattr(Feedback, name)
        columns += [_who_answered(column), sa.func.avg(column)]
    return [*columns, _who_answered(_RECOMMEND), sa.func.avg(_RECOMMEND)]


def _summary(row) -> Summary | None:
    answers, newcomers, *figures = row
    if newcomers < MIN_RESPONDENTS:
        return None

    def shown(respondents, value):
        return float(value) if respondents >= MIN_RESPONDENTS and value is not None else None

    *scores, recommend = zip(figures[::2], figures[1::2], strict=True)
    averages = {name: shown(*pair) for name, pair in zip(SCORES, scores, strict=True)}
    return Summary(answers, newcomers, averages, shown(*recommend))


def place_summary(dbs: Session, place_ids) -> dict[int, Summary]:
    """Figures per place from newcomers' feedback (during and after), for consultants.

    Only places with feedback from at least ``MIN_RESPONDENTS`` different newcomers are in
    the result; a figure (an average or the share who would recommend) needs as many
    newcomers who answered that very question, else it is None. Comments are never part of
    it. An erased newcomer's answers count in the figures but not as a respondent.
    """
    ids = list(place_ids)
    if not ids:
        return {}
    query = (
        sa.select(Feedback.place_id, *_figure_columns())
        .where(Feedback.about == FeedbackAbout.PLACE, Feedback.place_id.in_(ids))
        .group_by(Feedback.place_id)
    )
    found = {row[0]: _summary(row[1:]) for row in dbs.execute(query)}
    return {place_id: summary for place_id, summary in found.items() if summary is not None}


def organisation_summaries(dbs: Session, organisation_ids) -> dict[int, Summary]:
    """Figures over all of each organisation's places, by the rules of ``place_summary``.

    ``organisation_ids`` may be a list or a SELECT of ids. Organisations with feedback from
    fewer than ``MIN_RESPONDENTS`` different newcomers on their places are left out.
    """
    query = (
        sa.select(Place.organisation_id, *_figure_columns())
        .join(Place, Place.id == Feedback.place_id)
        .where(Feedback.about == FeedbackAbout.PLACE, Place.organisation_id.in_(organisation_ids))
        .group_by(Place.organisation_id)
    )
    found = {row[0]: _summary(row[1:]) for row in dbs.execute(query)}
    return {key: summary for key, summary in found.items() if summary is not None}


def organisation_summary(dbs: Session, organisation_id: int) -> Summary | None:
    """Figures over all of one organisation's places; None with too few respondents."""
    return organisation_summaries(dbs, [organisation_id]).get(organisation_id)
