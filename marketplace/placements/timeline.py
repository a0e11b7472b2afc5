"""A placement as the newcomer follows it: the steps so far, and the next step with who takes it.

The steps come from the placement's events (every status change) and its check-ins; the
next step follows from the status alone, so it is said the same on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from marketplace import clock
from marketplace.accounts.models import Role
from marketplace.placements.models import Placement, PlacementStatus

S = PlacementStatus


@dataclass(frozen=True)
class Step:
    when: date | datetime
    what: object
    #: who took the step, in the reader's words ("you", "your consultant", "the place")
    who: object | None = None
    note: str | None = None


@dataclass(frozen=True)
class NextStep:
    what: object
    who: object


YOU = _l("You")
CONSULTANT = _l("Your consultant")
HOST = _l("The place")
MUNICIPALITY = _l("The municipality")

#: what a status means as a step in the newcomer's timeline
STEP_WORDS = {
    S.INTERESTED: _l("You showed interest"),
    S.PROPOSED: _l("Your consultant proposed this place"),
    S.INTRODUCED: _l("Introduction planned"),
    S.ACCEPTED_BY_HOST: _l("The place said yes"),
    S.APPROVED: _l("The municipality approved it"),
    S.ACTIVE: _l("You started"),
    S.COMPLETED: _l("Finished"),
    S.ENDED_EARLY: _l("Stopped early"),
    S.DECLINED: _l("Not going ahead"),
    S.WITHDRAWN: _l("You withdrew"),
}


def _step_words(event) -> object:
    if event.from_status is S.PROPOSED and event.to_status is S.PROPOSED:
        return _l("You said yes to the proposal")  # the newcomer's answer keeps the status
    return STEP_WORDS[event.to_status]


def _who(placement: Placement, event) -> object | None:
    """Who took a step, by their role: the newcomer, a consultant, the place, the municipality."""
    actor = event.actor
    if actor is None:
        return None
    if actor.id == placement.profile.user_id:
        return YOU
    return {
        Role.CONSULTANT: CONSULTANT,
        Role.EMPLOYER: HOST,
        Role.ADMIN: MUNICIPALITY,
    }.get(actor.role)


def steps(placement: Placement) -> list[Step]:
    """What happened so far, oldest first: status changes, the newcomer's yes, check-ins."""
    found = [
        Step(event.at, _step_words(event), _who(placement, event), event.note)
        for event in placement.events
    ]
    found += [
        Step(check_in.held_on, _l("Talk about how it goes"), CONSULTANT)
        for check_in in placement.check_ins
    ]
    return sorted(found, key=lambda step: _as_datetime(step.when))


def _as_datetime(when: date | datetime) -> datetime:
    """For sorting: a date counts as its start, in UTC, like the events' moments."""
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def next_step(placement: Placement, today: date | None = None) -> NextStep | None:
    """What happens next and who does it; None when the placement is over."""
    status = placement.status
    if placement.awaits_newcomer:
        return NextStep(_l("You decide: do you want this place? Say yes or no."), YOU)
    if status in (S.INTERESTED, S.PROPOSED):
        return NextStep(
            _l("Your consultant talks with you and plans a first meeting with the place."),
            CONSULTANT,
        )
    if status is S.INTRODUCED:
        when = placement.introduction_on
        return NextStep(
            _l(
                "You meet the place on %(date)s. Then the place says if they want to go on.",
                date=_long(when),
            )
            if when
            else _l("You meet the place. Then the place says if they want to go on."),
            HOST,
        )
    if status is S.ACCEPTED_BY_HOST:
        return NextStep(_l("Your consultant checks everything and approves the place."), CONSULTANT)
    if status is S.APPROVED:
        return NextStep(_l("Your consultant tells you the day you start."), CONSULTANT)
    if status is S.ACTIVE:
        newest = placement.check_ins[-1] if placement.check_ins else None
        planned = newest.next_check_in_on if newest else None
        if planned and planned >= (today or clock.today()):
            return NextStep(
                _l("Your next talk about how it goes is on %(date)s.", date=_long(planned)),
                CONSULTANT,
            )
        return NextStep(_l("Your consultant plans a talk about how it goes."), CONSULTANT)
    if status in (S.COMPLETED, S.ENDED_EARLY):
        return NextStep(
            _l("Your consultant asks how you are doing after 3, 6 and 12 months."), CONSULTANT
        )
    return None


def _long(day: date) -> str:
    return format_date(day, "long")
