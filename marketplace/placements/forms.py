"""The placement forms: a step (a date or a reason where it needs one), a check-in, a view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.validators import InputRequired

from marketplace.forms import BaseForm, WholeNumberField, choices, date_field, text_area
from marketplace.labels import choices_for
from marketplace.placements.models import Attendance
from marketplace.placements.workflow import REASON_LENGTH
from marketplace.plans.path import RUNGS


class StepForm(BaseForm):
    on = date_field(_l("Date"))
    reason = text_area(_l("Reason"), length=REASON_LENGTH)


class ProposeForm(BaseForm):
    #: the newcomer's ref (a select on the place page, hidden on the newcomer's page)
    newcomer = HiddenField()


class CheckInForm(BaseForm):
    """The consultant's record of a talk about how a placement goes."""

    held_on = date_field(_l("Date of the talk"), required=_l("Fill in a date."))
    ladder_rung = RadioField(
        _l("Step on the participation ladder now"),
        choices=choices((str(rung), name) for rung, name in RUNGS.items()),
        validators=[InputRequired(message=_l("Choose a step."))],
    )
    rung_reason = text_area(_l("Why this step"))
    attendance = RadioField(
        _l("Attendance"),
        choices=choices_for(Attendance),
        validators=[InputRequired(message=_l("Choose one."))],
    )
    hours_worked = WholeNumberField(_l("Hours worked since the last talk"), 0, 500)
    counts_for_map = BooleanField(_l("These hours count as MAP practice hours"))
    skills_gained = text_area(_l("Skills gained"))
    dutch_progress = text_area(_l("Progress in Dutch"))
    newcomer_words = text_area(
        _l("The newcomer's own words"), _l("What the newcomer says, as they say it.")
    )
    next_steps = text_area(_l("Next steps"))
    next_check_in_on = date_field(_l("Date of the next talk"))


class HostViewForm(BaseForm):
    view = text_area(_l("How you see it"))
