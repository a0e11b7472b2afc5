"""Newcomer forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from marketplace.accounts.forms import language_choices, name_field
from marketplace.forms import BaseForm, choices, email_field, postcode_field
from marketplace.placements.services import MESSAGE_LENGTH
from marketplace.vocab import DutchLevel, LearningRoute

DUTCH_LEVEL_CHOICES = choices(
    [
        (DutchLevel.NONE.value, _l("No Dutch yet")),
        (DutchLevel.A1.value, _l("A1: a few words and short sentences")),
        (DutchLevel.A2.value, _l("A2: simple everyday conversations")),
        (DutchLevel.B1.value, _l("B1: most everyday situations and simple work talk")),
        (DutchLevel.B2.value, _l("B2: work and study in Dutch")),
        (DutchLevel.C1.value, _l("C1: almost everything, also complex texts")),
    ]
)

LEARNING_ROUTE_CHOICES = choices(
    [
        ("", _l("Not decided yet")),
        (LearningRoute.B1.value, _l("B1 route")),
        (LearningRoute.EDUCATION.value, _l("Education route")),
        (LearningRoute.Z.value, _l("Z route (self-reliance)")),
    ]
)


class NewNewcomerForm(BaseForm):
    """The consultant adds a newcomer to their caseload."""

    name = name_field(_l("Name"))
    email = email_field()
    language = SelectField(_l("Language for e-mails and the site"), validators=[InputRequired()])
    postcode = postcode_field(required=True)
    dutch_level = SelectField(
        _l("Dutch level now"), choices=DUTCH_LEVEL_CHOICES, validators=[InputRequired()]
    )
    learning_route = SelectField(
        _l("Learning route"), choices=LEARNING_ROUTE_CHOICES, validators=[Optional()]
    )
    municipality = StringField(
        _l("Municipality"),
        description=_l("Where the newcomer lives. Filled in: where most of your newcomers live."),
        validators=[
            Optional(),
            Length(max=100, message=_l("Keep this under %(max)d characters.")),
        ],
        render_kw={"autocomplete": "off", "list": "municipality-list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


def _message(label, description) -> TextAreaField:
    """What a newcomer may write with a step of a placement; as long as the service allows."""
    return TextAreaField(
        label,
        description=description,
        validators=[
            Optional(),
            Length(max=MESSAGE_LENGTH, message=_l("Keep your message under %(max)d characters.")),
        ],
    )


class InterestForm(BaseForm):
    """Showing interest in a place, with a short message if the newcomer wants."""

    message = _message(
        _l("A short message (if you want)"),
        _l("For example: why you like this place, or when you can start."),
    )


class AnswerForm(BaseForm):
    """The newcomer's yes or no to a place their consultant proposed."""

    answer = RadioField(
        _l("Do you want this place?"),
        choices=choices([("yes", _l("Yes, I want this place")), ("no", _l("No, thank you"))]),
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )
    reason = _message(
        _l("Do you want to say why? (if you want)"),
        _l("Your consultant reads this. The place does not."),
    )
