"""The base form (CSRF on every form) and fields and validators shared by several areas."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import (
    DateField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from marketplace import clock
from marketplace.accounts.passwords import password_problem
from marketplace.domain import TEXT_LENGTH

csrf = CSRFProtect()


class BaseForm(FlaskForm):
    """Every form: CSRF-protected, and stripped of surrounding spaces."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class in (StringField, EmailField, TextAreaField):
                filters = [_strip, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)


def show_at_field(form, error) -> bool:
    """Show a service's error at the field it names; False when it names no field of this form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        return False
    field.errors = [*field.errors, error.message]
    return True


def show_error(form, error) -> None:
    """Show a service's error at the field it names, else above the form in its summary."""
    if not show_at_field(form, error):
        form.form_errors.append(error.message)


def choices(pairs) -> list[SelectChoice]:
    """Options for a select or radio field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EmailField(StringField):
    """An e-mail address, stored in lower case."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data:
            self.data = self.data.strip().lower()


def email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[
            InputRequired(message=_l("Fill in your e-mail address.")),
            Length(max=254, message=_l("This e-mail address is too long.")),
            Email(
                message=_l("Fill in an e-mail address like name@example.nl."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"},
    )


class GoodPassword:
    """A new password that follows the rules: long enough, not common, not your e-mail."""

    def __init__(self, email_field_name: str | None = None):
        self.email_field_name = email_field_name

    def __call__(self, form, field):
        email = None
        if self.email_field_name and self.email_field_name in form:
            email = form[self.email_field_name].data
        email = email or getattr(form, "account_email", None)
        problem = password_problem(field.data or "", email=email)
        if problem:
            raise ValidationError(problem)


def new_password_field(label=None, email_field_name: str | None = None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        validators=[
            InputRequired(message=_l("Choose a password.")),
            GoodPassword(email_field_name),
        ],
        description=_l(
            "At least 15 characters. A short sentence of a few words is strong and easy to "
            "remember. You may paste it from a password manager."
        ),
        render_kw={"autocomplete": "new-password"},
    )


def init_app(app: Flask) -> None:
    csrf.init_app(app)


class Postcode:
    """A Dutch postcode such as 3511 AB; stored in that form."""

    def __call__(self, form, field):
        from marketplace.geo.services import parse_postcode

        if not field.data:
            return
        parsed = parse_postcode(field.data)
        if parsed is None:
            raise ValidationError(_l("Fill in a Dutch postcode, like 3511 AB."))
        field.data = parsed


def postcode_field(label=None, required: bool = False) -> StringField:
    first = InputRequired(message=_l("Fill in a postcode.")) if required else Optional()
    return StringField(
        label or _l("Postcode"),
        validators=[
            first,
            Length(max=7, message=_l("Fill in a Dutch postcode, like 3511 AB.")),
            Postcode(),
        ],
        render_kw={"autocomplete": "postal-code"},
    )


class TagsField(StringField):
    """Free tags typed as a list separated by commas; stored as a list without duplicates."""

    MAX_TAGS = 20
    MAX_LENGTH = 40

    def _value(self):
        return ", ".join(self.data or [])

    def process_formdata(self, valuelist):
        self.data = []
        seen = set()
        # also the Arabic/Persian comma (،) and the Ethiopic comma (፣) newcomers type
        for part in re.split(r"[,;\n،፣]", valuelist[0] if valuelist else ""):
            tag = " ".join(part.split())
            if tag and tag.lower() not in seen:
                seen.add(tag.lower())
                self.data.append(tag)

    def pre_validate(self, form):
        if len(self.data or []) > self.MAX_TAGS:
            raise ValidationError(_l("Use at most %(n)d items.", n=self.MAX_TAGS))
        if any(len(tag) > self.MAX_LENGTH for tag in self.data or []):
            raise ValidationError(_l("Keep each item under %(n)d characters.", n=self.MAX_LENGTH))


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (no JavaScript needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        # A ticked box always has a value. Without this, a crafted empty first value makes
        # Optional() stop the checks and clear the "not a valid choice" error, and the
        # unchecked values reach the service (a 500).
        self.raw_data = [value for value in valuelist if value.strip()]
        super().process_formdata(self.raw_data)


class WholeNumberField(IntegerField):
    """A whole number between two bounds, with one plain message for anything else typed."""

    def __init__(self, label, low: int, high: int, required: bool = True, **kwargs):
        self.message = _l("Fill in a number from %(low)d to %(high)d.", low=low, high=high)
        first = InputRequired(message=self.message) if required else Optional()
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(
            label, validators=[first, NumberRange(low, high, message=self.message)], **kwargs
        )

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.message)) from None


def text_area(label, description=None, length: int = TEXT_LENGTH) -> TextAreaField:
    """An optional note of at most ``length`` characters, without surrounding spaces."""
    return TextAreaField(
        label,
        description=description,
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=length, message=_l("Keep it under %(max)d characters.")),
        ],
    )


#: how many years before or after today a typed date may lie: a typo such as 9999 is refused
DATE_YEARS = 5
NOT_A_DATE = _l("Fill in a date, like 2027-06-30.")


class NearToday:
    """A date at most ``DATE_YEARS`` years from today."""

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        today = clock.today()
        first, last = (clock.add_months(today, sign * 12 * DATE_YEARS) for sign in (-1, 1))
        if not first <= field.data <= last:
            raise ValidationError(
                _(
                    "Fill in a date between %(first)s and %(last)s.",
                    first=format_date(first, "long"),
                    last=format_date(last, "long"),
                )
            )


def date_field(label, required: str | None = None, description=None) -> DateField:
    """A date near today; ``required`` is the message when it is left empty."""
    first = InputRequired(message=required) if required else Optional()
    return DateField(
        label,
        description=description,
        validators=[first, NearToday()],
        invalid_value_message=NOT_A_DATE,
    )
