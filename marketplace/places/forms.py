"""The place forms: five short steps a small employer can fill on a phone, then the check.

Every field but the title may stay empty in a draft; what is filled in must be valid. What a
place needs before review is checked when it is sent (``rules.missing_for_submission``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.forms import BaseForm, MultiCheckboxField, TagsField, choices, postcode_field
from marketplace.labels import (
    DUTCH_LEVEL_EXAMPLES,
    LANGUAGE_LABELS,
    PAID_WORK_PROSPECT_LABELS,
    PHYSICAL_DEMAND_LABELS,
    PLACE_KIND_LABELS,
    SCHEDULE_LABELS,
    SECTOR_LABELS,
    WORKS_COUNCIL_LABELS,
)
from marketplace.places.models import WorksCouncil
from marketplace.places.rules import DISPLACEMENT_FIELDS, EDITABLE_FIELDS, from_json

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
CHOOSE = SelectChoice("", _l("Choose…"))


def _optional_int(label, low, high, message, **kwargs):
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(low, high, message=message)],
        render_kw={"inputmode": "numeric"},
        **kwargs,
    )


class StepForm(BaseForm):
    """A step of the place form; it carries the version of the place it was filled in for."""

    version = HiddenField()


class WorkStep(StepForm):
    """Step 1: what the newcomer will do and learn."""

    title = StringField(
        _l("Title of the place"),
        description=_l(
            "Short and clear, e.g. 'Helping in the kitchen of our neighbourhood restaurant'."
        ),
        validators=[
            DataRequired(message=_l("Give the place a title.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    kind = SelectField(
        _l("Kind of place"),
        choices=[CHOOSE, *PLACE_KIND_LABELS],
        validators=[Optional()],
    )
    sector = SelectField(_l("Sector"), choices=[CHOOSE, *SECTOR_LABELS], validators=[Optional()])
    description = TextAreaField(
        _l("What will the newcomer do?"),
        description=_l("Describe a normal day in simple words. What tasks, with whom, where?"),
        validators=[Optional(), Length(max=5000, message=_l("Use at most 5000 characters."))],
    )
    skills_wanted = TagsField(
        _l("Skills that help (optional)"),
        description=_l("Separate them with commas, e.g. cooking, customer contact."),
    )
    skills_learned = TagsField(
        _l("What the newcomer learns"),
        description=_l("Separate them with commas, e.g. working safely, Dutch at work."),
    )
    education_offered = TagsField(
        _l("Certificate or course that comes with it (optional)"),
        description=_l("For example VCA, BHV, MBO-2 Logistiek."),
    )
    learning_goals = TextAreaField(
        _l("Learning goals"),
        description=_l(
            "What should the newcomer be able to do at the end? The municipality "
            "asks this to make sure the place is about learning."
        ),
        validators=[Optional(), Length(max=2000, message=_l("Use at most 2000 characters."))],
    )


class LanguageStep(StepForm):
    """Step 2: the Dutch needed and other languages spoken."""

    dutch_level = RadioField(
        _l("How much Dutch is needed?"), choices=DUTCH_LEVEL_EXAMPLES, validators=[Optional()]
    )
    languages = MultiCheckboxField(
        _l("Other languages spoken at the place (optional)"),
        choices=LANGUAGE_LABELS,
        validators=[Optional()],
    )


class TimeStep(StepForm):
    """Step 3: hours, times, period and spots."""

    hours_min = _optional_int(
        _l("Hours per week, at least"), 1, 40, _l("Fill in a number from 1 to 40.")
    )
    hours_max = _optional_int(
        _l("Hours per week, at most"), 1, 40, _l("Fill in a number from 1 to 40.")
    )
    schedule = MultiCheckboxField(
        _l("When does the work happen?"), choices=SCHEDULE_LABELS, validators=[Optional()]
    )
    start_date = DateField(_l("Start date (optional)"), validators=[Optional()])
    duration_weeks = _optional_int(
        _l("How many weeks?"),
        1,
        104,
        _l("Fill in a number of weeks from 1 to 104."),
        description=_l("Or fill in an end date below."),
    )
    end_date = DateField(
        _l("End date"),
        validators=[Optional()],
        description=_l("A participation place is always for a limited time."),
    )
    spots = _optional_int(
        _l("How many newcomers at the same time?"), 1, 50, _l("Fill in a number from 1 to 50.")
    )

    def validate_hours_max(self, field):
        if field.data and self.hours_min.data and field.data < self.hours_min.data:
            raise ValidationError(
                _l("The maximum number of hours cannot be lower than the minimum.")
            )

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be after the start date."))


class LocationStep(StepForm):
    """Step 4: where, and how physical the work is."""

    remote = BooleanField(_l("The work can be done from home"))
    postcode = postcode_field(_l("Postcode of the place"))
    city = StringField(_l("Town"), validators=[Optional(), Length(max=100)])
    physical_demand = RadioField(
        _l("How physical is the work?"), choices=PHYSICAL_DEMAND_LABELS, validators=[Optional()]
    )
    accessibility = TextAreaField(
        _l("Accessibility (optional)"),
        description=_l("For example: step-free entrance, lift, quiet room, near a bus stop."),
        validators=[Optional(), Length(max=1000, message=_l("Use at most 1000 characters."))],
    )


class SupportStep(StepForm):
    """Step 5: guidance at the place and the prospect of paid work."""

    mentor = RadioField(
        _l("Is there a mentor or buddy who helps the newcomer?"),
        choices=YES_NO,
        validators=[Optional()],
    )
    supervisor_name = StringField(
        _l("Name of the supervisor"),
        description=_l("The person who guides the newcomer at work."),
        validators=[Optional(), Length(max=120)],
    )
    paid_work_prospect = RadioField(
        _l("Can this lead to paid work?"),
        choices=PAID_WORK_PROSPECT_LABELS,
        validators=[Optional()],
    )


STEPS = {
    "work": (WorkStep, _l("What the newcomer does")),
    "language": (LanguageStep, _l("Language")),
    "time": (TimeStep, _l("Hours and period")),
    "location": (LocationStep, _l("Location")),
    "support": (SupportStep, _l("Guidance")),
}


def outline() -> list[tuple[str, object, list[tuple[str, str]]]]:
    """Each step with its title and its fields' (name, label), for the check page."""
    result = []
    for name, (form_class, title) in STEPS.items():
        form = form_class(formdata=None, meta={"csrf": False})
        fields = [(f.name, f.label.text) for f in form if f.type != "HiddenField"]
        result.append((name, title, fields))
    return result


def _yes_no(label, description=None):
    return RadioField(
        label,
        choices=YES_NO,
        description=description,
        validators=[InputRequired(message=_l("Answer this question."))],
    )


class DisplacementForm(BaseForm):
    """The displacement check, answered when the place is sent for review."""

    would_be_paid_vacancy = _yes_no(_l("Would you otherwise hire someone for this work, with pay?"))
    replaces_absent_worker = _yes_no(
        _l("Does the newcomer take over the work of an employee who is away (sick, on leave)?")
    )
    replaces_dismissed_worker = _yes_no(
        _l("Does the newcomer do work of someone who was dismissed in the last year?")
    )
    structural_work = _yes_no(
        _l("Is this work that must be done every week, whoever does it?"),
        _l("For example: the organisation cannot run without it."),
    )
    works_council = RadioField(
        _l("Has the works council agreed?"),
        choices=WORKS_COUNCIL_LABELS,
        validators=[InputRequired(message=_l("Answer this question."))],
    )

    @staticmethod
    def answer_fields() -> tuple[str, ...]:
        return DISPLACEMENT_FIELDS

    def answers(self) -> dict:
        """The answers as the place stores them."""
        values = values_from(self)
        values["works_council"] = WorksCouncil(values["works_council"])
        return values


class ReviewForm(BaseForm):
    """A consultant's decision on a place or on a change to it."""

    decision = RadioField(
        _l("Decision"), validators=[InputRequired(message=_l("Choose a decision."))]
    )
    comment = TextAreaField(
        _l("Explanation for the employer"),
        description=_l("Needed when you reject or ask for a change. The employer reads this."),
        validators=[Optional(), Length(max=2000)],
    )


def values_from(form: BaseForm) -> dict:
    """The step's fields as model values: empty text is None, yes/no is a boolean."""
    values = {}
    for name, field in form._fields.items():
        if name in ("csrf_token", "version"):
            continue
        data = field.data
        if isinstance(field, RadioField) and field.choices == YES_NO:
            data = {"yes": True, "no": False}.get(data)
        elif isinstance(data, str):
            data = data.strip() or None
        if isinstance(data, str) and name in EDITABLE_FIELDS:
            data = from_json(name, data)
        values[name] = data
    return values


def form_data(values: dict) -> dict:
    """Model values as form data (the reverse of ``values_from``)."""
    data = {}
    for name, value in values.items():
        if isinstance(value, bool) and name == "mentor":
            value = "yes" if value else "no"
        elif hasattr(value, "value"):
            value = value.value
        data[name] = value
    return data
