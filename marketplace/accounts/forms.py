"""Account forms: sign in, passwords, invitations, employer sign-up, creating users."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from marketplace.accounts.models import Role
from marketplace.forms import BaseForm, choices, email_field, new_password_field, postcode_field
from marketplace.i18n import LANGUAGE_NAMES
from marketplace.organisations.models import OrganisationKind


def language_choices() -> list[SelectChoice]:
    """The interface languages, each named in its own language (and marked with its lang)."""
    return [
        SelectChoice(code, LANGUAGE_NAMES.get(code, code), render_kw={"lang": code})
        for code in current_app.config["LANGUAGES"]
    ]


def name_field(label=None) -> StringField:
    return StringField(
        label or _l("Your name"),
        validators=[
            DataRequired(message=_l("Fill in a name.")),
            Length(max=120, message=_l("Use at most 120 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )


ORGANISATION_KIND_CHOICES = choices(
    [
        (OrganisationKind.EMPLOYER.value, _l("Company")),
        (OrganisationKind.NONPROFIT.value, _l("Nonprofit or volunteer organisation")),
        (OrganisationKind.EDUCATION.value, _l("School or training centre")),
        (OrganisationKind.MUNICIPALITY.value, _l("Municipal department")),
    ]
)


def organisation_name_field() -> StringField:
    return StringField(
        _l("Name of your organisation"),
        validators=[
            DataRequired(message=_l("Fill in the name of your organisation.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
        render_kw={"autocomplete": "organization"},
    )


def kvk_field() -> StringField:
    return StringField(
        _l("KvK number (optional)"),
        description=_l("The 8 digits of your registration at the Chamber of Commerce."),
        validators=[Optional(), Regexp(r"^\d{8}$", message=_l("A KvK number has 8 digits."))],
        render_kw={"inputmode": "numeric"},
    )


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Fill in your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password = new_password_field()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Fill in your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = new_password_field()


class AcceptInvitationForm(BaseForm):
    language = RadioField(
        _l("Language"), validators=[InputRequired(message=_l("Choose a language."))]
    )
    password = new_password_field(_l("Choose a password"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class LanguageForm(BaseForm):
    language = SelectField(_l("Language"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class EmployerRegistrationForm(BaseForm):
    name = name_field()
    email = email_field()
    password = new_password_field(_l("Choose a password"), email_field_name="email")
    organisation_name = organisation_name_field()
    organisation_kind = SelectField(
        _l("Kind of organisation"), choices=ORGANISATION_KIND_CHOICES, validators=[InputRequired()]
    )
    kvk = kvk_field()
    postcode = postcode_field(_l("Postcode (optional)"))
    city = StringField(
        _l("Town (optional)"),
        validators=[Optional(), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )


class CreateStaffForm(BaseForm):
    """An admin creates a consultant or admin account; they get an invitation link."""

    name = name_field(_l("Name"))
    email = email_field()
    role = SelectField(
        _l("Role"),
        choices=choices(
            [(Role.CONSULTANT.value, _l("Consultant")), (Role.ADMIN.value, _l("Administrator"))]
        ),
        validators=[InputRequired()],
    )
    language = SelectField(_l("Language"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class ConfirmForm(BaseForm):
    """A form with only the CSRF token, for buttons that change something."""
