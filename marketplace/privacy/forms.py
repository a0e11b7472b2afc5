"""Forms for the newcomer's data: asking to erase it, and the buttons that confirm a step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from marketplace.forms import BaseForm
from marketplace.privacy.erasure import REASON_LENGTH


class ErasureRequestForm(BaseForm):
    """The newcomer asks to erase their data, with a reason if they want to give one."""

    reason = TextAreaField(
        _l("Why do you ask this? (if you want to say)"),
        description=_l("Your consultant reads this. You do not have to give a reason."),
        validators=[
            Optional(),
            Length(max=REASON_LENGTH, message=_l("Keep your reason under %(max)d characters.")),
        ],
    )


class ConfirmForm(BaseForm):
    """A button that takes one step (cancel, carry out): only the CSRF token."""
