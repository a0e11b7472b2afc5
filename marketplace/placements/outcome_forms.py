"""The forms for the outcome of a placement and for a follow-up, and their answers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField
from wtforms.validators import InputRequired

from marketplace.forms import BaseForm, WholeNumberField, choices, text_area
from marketplace.labels import choices_for
from marketplace.placements.models import ContractKind, FollowUp, Outcome, OutcomeResult
from marketplace.placements.outcomes import (
    MAX_HOURS,
    FollowUpAnswers,
    OutcomeAnswers,
)
from marketplace.plans.path import RUNGS

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
NO_CONTRACT = ("", _l("No contract, or not known"))


def _hours(label):
    return WholeNumberField(label, 0, MAX_HOURS, required=False)


def _contract(label):
    return RadioField(
        label, choices=[*choices([NO_CONTRACT]), *choices_for(ContractKind)], default=""
    )


def _yes_no(label):
    return RadioField(
        label, choices=YES_NO, validators=[InputRequired(message=_l("Choose yes or no."))]
    )


class OutcomeForm(BaseForm):
    """How a placement ended, as the consultant records it."""

    #: the outcome this form was made from; empty when there was none yet
    outcome_id = HiddenField()
    result = RadioField(
        _l("How did the placement end?"),
        choices=choices_for(OutcomeResult),
        validators=[InputRequired(message=_l("Choose one."))],
    )
    explanation = text_area(
        _l("Explanation"),
        _l(
            "Needed when the newcomer stopped: say why. It is not shown on the newcomer's "
            "pages, but it is in the data they can download."
        ),
    )
    hours_per_week = _hours(_l("Hours a week (only for paid work)"))
    contract = _contract(_l("Contract (only for paid work)"))

    def seen(self) -> int | None:
        value = self.outcome_id.data or ""
        return int(value) if value.isdecimal() else None


class FollowUpForm(BaseForm):
    """The newcomer's situation some months after a placement ended."""

    in_paid_work = _yes_no(_l("Does the newcomer have paid work?"))
    hours_per_week = _hours(_l("Hours of paid work a week"))
    contract = _contract(_l("Contract (only for paid work)"))
    in_education = _yes_no(_l("Does the newcomer follow an education?"))
    ladder_rung = RadioField(
        _l("Step on the participation ladder now"),
        choices=choices(
            [("", _l("Not asked this time")), *((str(r), n) for r, n in RUNGS.items())]
        ),
        default="",
    )
    notes = text_area(_l("Notes"), _l("If you choose a step, these notes are the reason for it."))


def _number(value) -> int | None:
    return int(value) if value not in (None, "") else None


def outcome_answers(form: OutcomeForm) -> OutcomeAnswers:
    return OutcomeAnswers(
        result=OutcomeResult(form.result.data),
        explanation=form.explanation.data,
        hours_per_week=form.hours_per_week.data,
        contract=ContractKind(form.contract.data) if form.contract.data else None,
    )


def follow_up_answers(form: FollowUpForm) -> FollowUpAnswers:
    return FollowUpAnswers(
        in_paid_work=form.in_paid_work.data == "yes",
        in_education=form.in_education.data == "yes",
        hours_per_week=form.hours_per_week.data,
        contract=ContractKind(form.contract.data) if form.contract.data else None,
        ladder_rung=_number(form.ladder_rung.data),
        notes=form.notes.data,
    )


def _word(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def outcome_data(outcome: Outcome | None) -> dict:
    """What the outcome form shows at first: the saved outcome, for a correction."""
    if outcome is None:
        return {}
    first = outcome.follow_ups[0] if outcome.follow_ups else None
    return {
        "outcome_id": str(outcome.id),
        "result": outcome.result.value,
        "explanation": outcome.explanation,
        "hours_per_week": first.hours_per_week if first else None,
        "contract": first.contract.value if first and first.contract else "",
    }


def follow_up_data(follow_up: FollowUp) -> dict:
    """What the follow-up form shows at first: the saved answers, or what is known already."""
    return {
        "in_paid_work": _word(follow_up.in_paid_work),
        "hours_per_week": follow_up.hours_per_week,
        "contract": follow_up.contract.value if follow_up.contract else "",
        "in_education": _word(follow_up.in_education),
        "ladder_rung": str(follow_up.ladder_rung) if follow_up.ladder_rung else "",
        "notes": follow_up.notes,
    }
