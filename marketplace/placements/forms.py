"""The placement forms: a step (a date or a reason where it needs one), a check-in, a view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.forms import BaseForm, WholeNumberField, choices
from marketplace.labels import choices_for
from marketplace.placements.checkins import TEXT_LENGTH
from marketplace.placements.models import Attendance
from marketplace.placements.workflow import REASON_LENGTH
from marketplace.plans.path import RUNGS


class StepForm(BaseForm):
    on = DateField(_l("Date"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            Optional(),
            Length(max=REASON_LENGTH, message=_l("Keep it under %(max)d characters.")),
        ],
    )


class ProposeForm(BaseForm):
    #: the newcomer's ref (a select on the place page, hidden on the newcomer's page)
    newcomer = HiddenField()


def _text(label, description=None):
    return TextAreaField(
        label,
        description=description,
        validators=[
            Optional(),
            Length(max=TEXT_LENGTH, message=_l("Keep it under %(max)d characters.")),
        ],
    )


class CheckInForm(BaseForm):
    """The consultant's record of a talk about how a placement goes."""

    held_on = DateField(
        _l("Date of the talk"), validators=[InputRequired(message=_l("Fill in a date."))]
    )
    ladder_rung = RadioField(
        _l("Step on the participation ladder now"),
        choices=choices((str(rung), name) for rung, name in RUNGS.items()),
        validators=[InputRequired(message=_l("Choose a step."))],
    )
    rung_reason = _text(_l("Why this step"))
    attendance = RadioField(
        _l("Attendance"),
        choices=choices_for(Attendance),
        validators=[InputRequired(message=_l("Choose one."))],
    )
    hours_worked = WholeNumberField(_l("Hours worked since the last talk"), 0, 500)
    counts_for_map = BooleanField(_l("These hours count as MAP practice hours"))
    skills_gained = _text(_l("Skills gained"))
    dutch_progress = _text(_l("Progress in Dutch"))
    newcomer_words = _text(
        _l("The newcomer's own words"), _l("What the newcomer says, as they say it.")
    )
    next_steps = _text(_l("Next steps"))
    next_check_in_on = DateField(_l("Date of the next talk"), validators=[Optional()])


class HostViewForm(BaseForm):
    view = _text(_l("How you see it"))
