"""The form of the first conversation, filled from what was written before, and its answers."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.forms import (
    BaseForm,
    MultiCheckboxField,
    WholeNumberField,
    choices,
    date_field,
    text_area,
)
from marketplace.labels import choices_for
from marketplace.newcomers.intake import (
    MAX_HOURS,
    REASON_LENGTH,
    TEXTS,
    IntakeAnswers,
)
from marketplace.newcomers.models import Intake, LadderStep, NewcomerProfile, PracticalLimit
from marketplace.plans.path import RUNGS


class IntakeForm(BaseForm):
    """The consultant writes down the first conversation with a newcomer."""

    #: the profile's newest change when the form was opened, so no change is overwritten unseen
    seen = HiddenField()
    held_on = date_field(_l("Date of the conversation"), required=_l("Fill in a date."))
    what_matters = text_area(
        _l("What matters to them"), _l("In their own words, as much as you can.")
    )
    motivation = text_area(_l("Their motivation"), _l("What makes them want to work or learn?"))
    capabilities = text_area(
        _l("What they can do"),
        _l("Skills and experience, also from home, school or volunteering."),
    )
    learning_wishes = text_area(_l("What they want to learn"))
    limits = MultiCheckboxField(
        _l("Practical limits"),
        description=_l(
            "Only what it means in practice. Never write a diagnosis or a story about health "
            "or family."
        ),
        choices=choices_for(PracticalLimit),
        validators=[Optional()],
    )
    hours_available = WholeNumberField(_l("Hours available per week"), 0, MAX_HOURS)
    agreements = text_area(_l("What you agreed to do next"))
    rung = RadioField(
        _l("Starting step on the participation ladder"),
        choices=choices((str(rung), name) for rung, name in RUNGS.items()),
        validators=[InputRequired(message=_l("Choose a step."))],
    )
    rung_reason = TextAreaField(
        _l("Why this step"),
        validators=[
            InputRequired(message=_l("Write why you chose this step.")),
            Length(max=REASON_LENGTH, message=_l("Keep it under %(max)d characters.")),
        ],
    )


def intake_form(
    profile: NewcomerProfile,
    intake: Intake | None,
    step: LadderStep | None,
    seen: int,
    today: date,
) -> IntakeForm:
    """The form as it opens: what was written before, or today's date for a new one."""
    data = {
        "seen": str(seen),
        "held_on": intake.held_on if intake else today,
        "limits": [limit.kind.value for limit in profile.limits],
        "hours_available": profile.hours_available,
    }
    if intake is not None:
        data.update({name: getattr(intake, name) for name in TEXTS})
    if step is not None:
        data.update({"rung": str(step.rung), "rung_reason": step.reason})
    return IntakeForm(formdata=None, data=data)


def answers_from(form: IntakeForm) -> IntakeAnswers:
    """The posted form as the service takes it."""
    return IntakeAnswers(
        held_on=form.held_on.data,
        rung=int(form.rung.data),
        rung_reason=form.rung_reason.data,
        limits=[PracticalLimit(kind) for kind in form.limits.data or []],
        hours_available=form.hours_available.data,
        **{name: form[name].data for name in TEXTS},
    )


def seen_from(form: IntakeForm) -> int | None:
    """The version of the profile the form was made from, when it came back readable."""
    value = form.seen.data or ""
    return int(value) if value.isdecimal() else None
