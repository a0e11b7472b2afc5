"""Forms of the second login step."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from marketplace.forms import BaseForm


class CodeForm(BaseForm):
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("6 digits. A new code appears every 30 seconds."),
        validators=[
            InputRequired(message=_l("Fill in the 6 digits from your app.")),
            Length(max=12, message=_l("A code has 6 digits.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class RecoveryCodeForm(BaseForm):
    code = StringField(
        _l("Recovery code"),
        description=_l("One of the codes you saved when you set up the app, like abcd-efgh-jkmn."),
        validators=[
            InputRequired(message=_l("Fill in one of your recovery codes.")),
            Length(max=40, message=_l("A recovery code has 12 letters and digits.")),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "spellcheck": "false",
            "autocapitalize": "none",
        },
    )


class PasswordCheckForm(BaseForm):
    """Giving the password again before a change that matters (R19)."""

    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(message=_l("Fill in your password."))],
        render_kw={"autocomplete": "current-password"},
    )
