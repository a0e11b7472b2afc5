"""The small form behind every placement step: a date or a reason where the step needs one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from marketplace.forms import BaseForm
from marketplace.placements.workflow import REASON_LENGTH


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
