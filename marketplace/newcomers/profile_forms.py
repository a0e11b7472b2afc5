"""The profile forms, one short form per part of the profile (see ``profile_parts.PARTS``)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from marketplace.forms import (
    BaseForm,
    MultiCheckboxField,
    TagsField,
    WholeNumberField,
    choices,
    postcode_field,
)
from marketplace.labels import LANGUAGE_LABELS, SCHEDULE_LABELS, choices_for
from marketplace.newcomers.forms import DUTCH_LEVEL_CHOICES
from marketplace.newcomers.models import (
    EducationLevel,
    NewcomerProfile,
    PracticalLimit,
    TravelMode,
)
from marketplace.newcomers.profile_parts import ENUM_FIELDS, PARTS, SHAREABLE
from marketplace.vocab import DutchLevel, PhysicalDemand

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
YES_NO_UNKNOWN = choices(
    [("yes", _l("Yes")), ("no", _l("No")), ("unknown", _l("I do not know (yet)"))]
)
#: a Dutch skill that is not known yet may stay empty
SKILL_LEVELS = choices([("", _l("Not known")), *((lv.value, lv.value) for lv in DutchLevel)])
MAX_EXPERIENCE = 10
_YEARS_AT_END = re.compile(r"^(?P<job>.*?)[\s,;:\-–،፣]+(?P<years>\d{1,2}(?:[.,]\d)?)\s*\D{0,8}$")


class ExperienceField(TextAreaField):
    """Work experience typed one job per line, with the years if known: "Cook, 5"."""

    def _value(self):
        lines = []
        for item in self.data or []:
            years = item.get("years")
            lines.append(f"{item['occupation']}, {years:g}" if years else item["occupation"])
        return "\n".join(lines)

    def process_formdata(self, valuelist):
        self.data = []
        self._bad_line = None
        for line in (valuelist[0] if valuelist else "").splitlines():
            line = " ".join(line.split())
            if not line:
                continue
            found = _YEARS_AT_END.match(line)
            if found and found["job"]:
                years = float(found["years"].replace(",", "."))
                self.data.append({"occupation": found["job"], "years": years})
            else:
                self.data.append({"occupation": line})

    def pre_validate(self, form):
        if len(self.data or []) > MAX_EXPERIENCE:
            raise ValidationError(_l("Fill in at most %(n)d jobs.", n=MAX_EXPERIENCE))
        for item in self.data or []:
            if len(item["occupation"]) > 100:
                raise ValidationError(_l("Keep each job under %(n)d characters.", n=100))
            if item.get("years", 0) > 60:
                raise ValidationError(_l("Fill in the years as a number from 0 to 60."))


class PartForm(BaseForm):
    """A part of the profile; it carries the newest change the editor saw, so that two people
    saving at once do not silently overwrite each other."""

    seen = HiddenField()


def _tags(label, description=None):
    return TagsField(label, description=description, validators=[Optional()])


class WorkPart(PartForm):
    skills = _tags(
        _l("What can you do?"),
        _l("Separate with commas. For example: cooking, driving, sewing, Excel."),
    )
    experience = ExperienceField(
        _l("Where have you worked?"),
        description=_l("One job per line, with the years if you know them. For example: Cook, 5"),
    )
    work_goals = _tags(
        _l("What work would you like to do?"), _l("For example: chef, bus driver, nurse.")
    )
    interests = _tags(_l("What do you like to do?"), _l("For example: football, gardening."))
    motivation = TextAreaField(
        _l("What matters to you in work or a place? (if you want)"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Keep this under %(max)d characters.")),
        ],
    )


class EducationPart(PartForm):
    education_level = RadioField(
        _l("What is your highest education?"),
        choices=choices_for(EducationLevel),
        validators=[Optional()],
    )
    education_field = StringField(
        _l("What did you study or train for?"),
        description=_l("For example: nursing, electrician, law."),
        validators=[Optional(), Length(max=200, message=_l("Keep this under %(max)d characters."))],
    )
    diploma_recognised = RadioField(
        _l("Is your diploma recognised in the Netherlands?"),
        description=_l("Your consultant can help you ask for this (for example at IDW or DUO)."),
        choices=YES_NO_UNKNOWN,
        validators=[Optional()],
    )
    education_goals = _tags(
        _l("What would you like to learn?"),
        _l("For example: MBO-2 cook certificate, driving licence, Dutch B1."),
    )


class LanguagesPart(PartForm):
    dutch_level = SelectField(
        _l("How well do you speak Dutch now?"),
        choices=DUTCH_LEVEL_CHOICES,
        validators=[InputRequired(message=_l("Choose your Dutch level."))],
    )
    dutch_reading = SelectField(_l("Dutch reading"), choices=SKILL_LEVELS)
    dutch_listening = SelectField(_l("Dutch listening"), choices=SKILL_LEVELS)
    dutch_speaking = SelectField(_l("Dutch speaking"), choices=SKILL_LEVELS)
    dutch_writing = SelectField(_l("Dutch writing"), choices=SKILL_LEVELS)
    languages = MultiCheckboxField(
        _l("Which other languages do you speak?"), choices=LANGUAGE_LABELS, validators=[Optional()]
    )


class AvailabilityPart(PartForm):
    schedule = MultiCheckboxField(
        _l("When are you free?"),
        description=_l("Choose all times that are possible for you."),
        choices=SCHEDULE_LABELS,
        validators=[Optional()],
    )
    hours_available = WholeNumberField(_l("How many hours per week can you do?"), 0, 40)
    postcode = postcode_field(_l("Your postcode"), required=True)
    max_travel_km = WholeNumberField(_l("How far can you travel, in kilometres?"), 0, 100)
    travel_mode = RadioField(
        _l("How do you travel?"), choices=choices_for(TravelMode), validators=[Optional()]
    )


class LimitsPart(PartForm):
    limits = MultiCheckboxField(
        _l("Is one of these true for you now?"),
        description=_l("Choose only what is true. You do not have to say why."),
        choices=choices_for(PracticalLimit),
        validators=[Optional()],
    )
    physical_capacity = RadioField(
        _l("How heavy may the work be?"),
        choices=choices_for(PhysicalDemand),
        validators=[InputRequired(message=_l("Choose how heavy the work may be."))],
    )


class SharingPart(PartForm):
    shares_with_employers = MultiCheckboxField(
        _l("What may an employer see when you show interest in their place?"),
        description=_l(
            "They never see your address, your week, your limits or your plan. "
            "You can change this at any time."
        ),
        choices=choices(list(SHAREABLE.items())),
        validators=[Optional()],
    )
    allows_matching = RadioField(
        _l("May your consultant suggest you for places?"),
        description=_l("You always decide yourself if you say yes to a place."),
        choices=YES_NO,
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )


FORMS: dict[str, type[PartForm]] = {
    "work": WorkPart,
    "education": EducationPart,
    "languages": LanguagesPart,
    "availability": AvailabilityPart,
    "limits": LimitsPart,
    "sharing": SharingPart,
}

_BOOLEANS = {"diploma_recognised": YES_NO_UNKNOWN, "allows_matching": YES_NO}


def form_for(part: str, profile: NewcomerProfile, seen: int, formdata=None) -> PartForm:
    """The part's form, filled from the request when posted, else from the profile.

    ``seen`` is the newest change of the profile now (0 for none).
    """
    form_class = FORMS[part]
    if formdata is not None:
        return form_class(formdata=formdata)
    data = {"seen": str(seen)}
    for name in PARTS[part].fields:
        value = getattr(profile, name)
        if name == "limits":
            value = [limit.kind.value for limit in value]
        elif name in _BOOLEANS:
            value = {True: "yes", False: "no"}.get(value, "unknown")
        elif name == "max_travel_km":
            value = round(value)
        else:
            value = getattr(value, "value", value)
        data[name] = value
    return form_class(formdata=None, data=data)


def values_from(part: str, form: PartForm) -> dict[str, object]:
    """The form's answers as the profile stores them."""
    values = {}
    for name in PARTS[part].fields:
        data = form[name].data
        if name in _BOOLEANS:
            data = {"yes": True, "no": False}.get(data)
        elif name in ENUM_FIELDS:
            data = ENUM_FIELDS[name](data) if data else None
        elif name == "limits":
            data = [PracticalLimit(kind) for kind in data]
        elif name == "max_travel_km":
            data = float(data)
        values[name] = data
    return values
