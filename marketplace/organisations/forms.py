"""Organisation forms: the profile an employer keeps, and inviting a colleague."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, Optional, Regexp

from marketplace.accounts.forms import (
    ORGANISATION_KIND_CHOICES,
    kvk_field,
    language_choices,
    name_field,
    organisation_name_field,
)
from marketplace.forms import BaseForm, email_field, postcode_field


class OrganisationForm(BaseForm):
    name = organisation_name_field()
    kind = SelectField(
        _l("Kind of organisation"), choices=ORGANISATION_KIND_CHOICES, validators=[InputRequired()]
    )
    kvk = kvk_field()
    address = StringField(
        _l("Street and number"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "street-address"},
    )
    postcode = postcode_field()
    city = StringField(
        _l("Town"),
        validators=[Optional(), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )
    website = StringField(
        _l("Website (optional)"),
        validators=[
            Optional(),
            Length(max=300),
            URL(require_tld=True, message=_l("Fill in a web address like https://example.nl.")),
        ],
        render_kw={"inputmode": "url", "autocomplete": "url"},
    )
    description = TextAreaField(
        _l("About your organisation"),
        description=_l(
            "What do you do, and what kind of place is it to work? Newcomers read this."
        ),
        validators=[Optional(), Length(max=3000, message=_l("Use at most 3000 characters."))],
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    contact_email = StringField(
        _l("E-mail address of the contact person"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Fill in an e-mail address like name@example.nl."),
            ),
        ],
        render_kw={"inputmode": "email", "autocomplete": "email"},
    )
    contact_phone = StringField(
        _l("Phone number of the contact person"),
        validators=[
            Optional(),
            Length(max=30),
            Regexp(r"^[0-9 +()-]{6,30}$", message=_l("Fill in a phone number like 030 123 45 67.")),
        ],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )


class InviteColleagueForm(BaseForm):
    name = name_field(_l("Name of your colleague"))
    email = email_field()
    language = SelectField(_l("Language"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
