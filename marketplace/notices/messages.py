"""The words of each kind of notice, made from its params in the reader's language.

``render`` is the one place a notice becomes text: the messages page and the e-mail both use
it, so what a newcomer reads can be tested. Dates are written the reader's way
(``format_date`` in the current locale). The days left are counted from ``today``, so an old
reminder on the page does not still say "in 3 days". A consultant's notice names the
newcomer only when asked (``named``: the signed-in messages page); an e-mail never does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace import clock
from marketplace.notices.models import Notice, NoticeKind
from marketplace.plans.models import ActivityKind

#: what must be finished by the date, per kind of activity in the plan
ACTIVITY_DEADLINES = {
    ActivityKind.MAP: _l(
        "Your MAP (the module about work and taking part) must be finished by %(date)s."
    ),
    ActivityKind.PVT: _l("Your PVT (the participation statement) must be finished by %(date)s."),
    ActivityKind.KNM: _l("Your KNM course must be finished by %(date)s."),
    ActivityKind.LANGUAGE: _l("Your language course must be finished by %(date)s."),
    ActivityKind.PARTICIPATION: _l("Your participation activity must be finished by %(date)s."),
    ActivityKind.EDUCATION: _l("Your course or study must be finished by %(date)s."),
    ActivityKind.OTHER: _l("This part of your plan must be finished by %(date)s."),
}

Lines = list[str]


def render(notice: Notice, today: date | None = None, *, named: bool = False) -> tuple[str, str]:
    """The title and the body of a notice, in the current language; lines end with newlines.

    Without ``named`` (an e-mail) a consultant's notice leaves out the newcomer's name.
    """
    write = WRITERS[NoticeKind(notice.kind)]
    params = dict(notice.params or {})
    if not named:
        params.pop("newcomer", None)
    title, lines = write(params, notice.due_on, today or clock.today())
    return title, "\n".join(line for line in lines if line)


def _day(value: date) -> str:
    return format_date(value, "long")


def _days_left(due_on: date, today: date) -> str:
    left = (due_on - today).days
    if left < 0:
        return _("That day has passed.")
    if left == 0:
        return _("That is today.")
    if left == 1:
        return _("That is tomorrow.")
    return ngettext("That is in %(num)d day.", "That is in %(num)d days.", left)


def _deadline(params: dict, due_on: date, today: date) -> tuple[str, Lines]:
    if params.get("term"):
        return _term(due_on, today)
    kind = ActivityKind(params.get("activity_kind", ActivityKind.OTHER))
    lines = [str(ACTIVITY_DEADLINES[kind]) % {"date": _day(due_on)}]
    if params.get("description"):
        lines.append(_("In your plan: %(description)s", description=params["description"]))
    lines.append(_days_left(due_on, today))
    if due_on >= today:
        lines.append(
            _(
                "Can you not make it? Tell your consultant before that day. "
                "Together you look for a solution."
            )
        )
    return _("Reminder: a deadline on %(date)s", date=_day(due_on)), lines


def _term(due_on: date, today: date) -> tuple[str, Lines]:
    lines = [
        _("Your integration term ends on %(date)s.", date=_day(due_on)),
        _days_left(due_on, today),
        _("On that day the municipality checks if you did what you agreed in your plan."),
        _("Is something hard for you? Your consultant can help you. Talk to them soon."),
    ]
    return _("Reminder: the end of your integration term"), lines


def _appointment(params: dict, due_on: date, today: date) -> tuple[str, Lines]:
    at = params.get("time")
    when = (
        _("When: %(date)s at %(time)s", date=_day(due_on), time=_clock_time(at))
        if at
        else _("When: %(date)s", date=_day(due_on))
    )
    lines = [
        _("You have an appointment: %(what)s", what=params.get("what", "")),
        when,
        _("Where: %(place)s", place=params["location"]) if params.get("location") else "",
        _("With: %(person)s", person=params["with_whom"]) if params.get("with_whom") else "",
        _days_left(due_on, today),
    ]
    if due_on >= today:
        lines.append(_("Can you not come? Tell your consultant before that day."))
    return _("Reminder: an appointment on %(date)s", date=_day(due_on)), lines


def _clock_time(value: str) -> str:
    return format_time(time.fromisoformat(value), "short", rebase=False)


def _plan_to_agree(params: dict, due_on: date | None, today: date) -> tuple[str, Lines]:
    lines = [
        _("Your consultant wrote a new version of your plan."),
        _("Read it and say if you agree. Do you have a question? Ask your consultant."),
        _("Please answer before %(date)s.", date=_day(due_on)) if due_on else "",
    ]
    return _("Your new plan is waiting for you"), lines


def _proposal(params: dict, due_on: date | None, today: date) -> tuple[str, Lines]:
    lines = [
        _(
            "Your consultant thinks this place suits you: %(place)s.",
            place=params.get("place_title", ""),
        ),
        _("Look at the place and say yes or no. You decide."),
        _("Please answer before %(date)s.", date=_day(due_on)) if due_on else "",
    ]
    return _("Your consultant proposes a place"), lines


# --- for consultants: what is due, and the newcomer's name only on the page (not mailed)


def _not_named() -> str:
    """Said in an e-mail instead of the newcomer's name (the mail links to the site)."""
    return _("For privacy, this e-mail does not say who it is about.")


def _check_in_due(params: dict, due_on: date, today: date) -> tuple[str, Lines]:
    name = params.get("newcomer")
    if not name:
        when = _("When: %(date)s", date=_day(due_on))
        place = _("Check-in: %(place)s", place=params.get("place", ""))
        return _("A check-in is due"), [place, when, _days_left(due_on, today), _not_named()]
    lines = [
        _(
            "A check-in with %(name)s about %(place)s is due on %(date)s.",
            name=name,
            place=params.get("place", ""),
            date=_day(due_on),
        ),
        _days_left(due_on, today),
        _("You find the check-in under the newcomer's placements in your caseload."),
    ]
    return _("Check-in due: %(name)s", name=name), lines


def _follow_up_due(params: dict, due_on: date, today: date) -> tuple[str, Lines]:
    name = params.get("newcomer")
    todo = _("Ask about work, hours, contract and education, and write it down.")
    if not name:
        what = _(
            "Follow-up after %(months)d months: %(place)s",
            months=params.get("months", 0),
            place=params.get("place", ""),
        )
        when = _("When: %(date)s", date=_day(due_on))
        return _("A follow-up is due"), [what, when, todo, _not_named()]
    lines = [
        _(
            "The follow-up of %(name)s, %(months)d months after %(place)s, is due on %(date)s.",
            name=name,
            months=params.get("months", 0),
            place=params.get("place", ""),
            date=_day(due_on),
        ),
        todo,
    ]
    return _("Follow-up due: %(name)s", name=name), lines


def _overdue_overview(params: dict, due_on: date | None, today: date) -> tuple[str, Lines]:
    check_ins, follow_ups = params.get("check_ins", 0), params.get("follow_ups", 0)
    deadlines = params.get("deadlines", 0)
    lines = [
        _("This is overdue in your caseload:"),
        ngettext("%(num)d check-in", "%(num)d check-ins", check_ins) if check_ins else "",
        ngettext("%(num)d follow-up", "%(num)d follow-ups", follow_ups) if follow_ups else "",
        ngettext("%(num)d deadline in a plan", "%(num)d deadlines in plans", deadlines)
        if deadlines
        else "",
        _("Your caseload shows who it is about, most urgent first."),
    ]
    return _("Your week: what is overdue"), lines


WRITERS: dict[NoticeKind, Callable[[dict, date | None, date], tuple[str, Lines]]] = {
    NoticeKind.DEADLINE: _deadline,
    NoticeKind.APPOINTMENT: _appointment,
    NoticeKind.PLAN_TO_AGREE: _plan_to_agree,
    NoticeKind.PROPOSAL: _proposal,
    NoticeKind.CHECK_IN_DUE: _check_in_due,
    NoticeKind.FOLLOW_UP_DUE: _follow_up_due,
    NoticeKind.OVERDUE_OVERVIEW: _overdue_overview,
}
