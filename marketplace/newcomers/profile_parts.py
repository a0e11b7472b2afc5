"""The parts of a newcomer's profile, what each holds, and who can see it.

One table drives the profile page, the edit pages, the change history and what an employer
may ever see, so "who can see this" is said once and is true everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import lazy_gettext as _l

from marketplace.labels import label, show_value
from marketplace.newcomers.models import (
    EducationLevel,
    NewcomerProfile,
    PracticalLimit,
    TravelMode,
)
from marketplace.vocab import DutchLevel, PhysicalDemand

#: what the newcomer may choose to show an employer when they show interest; nothing else ever
SHAREABLE = {
    "name": _l("Your name"),
    "dutch_level": _l("Your Dutch level"),
    "languages": _l("The languages you speak"),
    "skills": _l("Your skills"),
    "experience": _l("Your work experience"),
    "education": _l("Your education"),
    "work_goals": _l("The work you want"),
    "interests": _l("Your interests"),
    "motivation": _l("What matters to you"),
}

#: the fields an employer's view of a newcomer can be made of (``education`` is three fields)
SHARED_FIELDS = {
    "education": ("education_level", "education_field", "diploma_recognised"),
}


@dataclass(frozen=True)
class Part:
    name: str
    title: object
    #: the profile's attributes in this part, in the order the pages show them
    fields: tuple[str, ...]
    who_sees: object
    #: the newcomer's own consent: their consultant cannot change it for them
    newcomer_only: bool = False


SHARED_ON_REQUEST = _l(
    "You and your consultant. An employer sees this only if you choose so under "
    "'What employers see', and only when you show interest in their place."
)

PARTS: dict[str, Part] = {
    part.name: part
    for part in (
        Part(
            "work",
            _l("Work, skills and goals"),
            ("skills", "experience", "work_goals", "interests", "motivation"),
            SHARED_ON_REQUEST,
        ),
        Part(
            "education",
            _l("Education"),
            ("education_level", "education_field", "diploma_recognised", "education_goals"),
            SHARED_ON_REQUEST,
        ),
        Part(
            "languages",
            _l("Languages"),
            (
                "dutch_level",
                "dutch_reading",
                "dutch_listening",
                "dutch_speaking",
                "dutch_writing",
                "languages",
            ),
            SHARED_ON_REQUEST,
        ),
        Part(
            "availability",
            _l("When and where"),
            ("schedule", "hours_available", "postcode", "max_travel_km", "travel_mode"),
            _l(
                "Only you and your consultant. Employers never see your address or your week; "
                "we use it to find places that fit."
            ),
        ),
        Part(
            "limits",
            _l("What you can and cannot do for now"),
            ("limits", "physical_capacity"),
            _l(
                "Only you and your consultant. Employers never see this. We never ask why; "
                "we only use it to leave out places that do not fit."
            ),
        ),
        Part(
            "sharing",
            _l("What employers see"),
            ("shares_with_employers", "allows_matching"),
            _l("You and your consultant. Only you can change it."),
            newcomer_only=True,
        ),
    )
}

#: every field's name as the newcomer reads it (pages and change history)
FIELD_LABELS = {
    "skills": _l("Skills"),
    "experience": _l("Work experience"),
    "work_goals": _l("Work you want"),
    "interests": _l("Interests"),
    "motivation": _l("What matters to you"),
    "education_level": _l("Highest education"),
    "education_field": _l("Subject of your education"),
    "diploma_recognised": _l("Diploma recognised in the Netherlands"),
    "education_goals": _l("What you want to learn"),
    "dutch_level": _l("Dutch level"),
    "dutch_reading": _l("Dutch reading"),
    "dutch_listening": _l("Dutch listening"),
    "dutch_speaking": _l("Dutch speaking"),
    "dutch_writing": _l("Dutch writing"),
    "languages": _l("Other languages"),
    "schedule": _l("When you are free"),
    "hours_available": _l("Hours per week"),
    "postcode": _l("Postcode"),
    "max_travel_km": _l("How far you can travel (km)"),
    "travel_mode": _l("How you travel"),
    "limits": _l("Practical limits"),
    "physical_capacity": _l("How heavy the work may be"),
    "shares_with_employers": _l("What employers see"),
    "allows_matching": _l("Your consultant may suggest you for places"),
}


def stored_value(profile: NewcomerProfile, field: str) -> object:
    """A field's value as it is kept in the change history (JSON: enums as their values)."""
    if field == "limits":
        return sorted(limit.kind.value for limit in profile.limits)
    value = getattr(profile, field)
    if isinstance(value, list):
        return list(value)
    return getattr(value, "value", value)


#: the fields that hold one value of a closed list, and the list
ENUM_FIELDS = {
    "education_level": EducationLevel,
    "travel_mode": TravelMode,
    "physical_capacity": PhysicalDemand,
    "dutch_level": DutchLevel,
    "dutch_reading": DutchLevel,
    "dutch_listening": DutchLevel,
    "dutch_speaking": DutchLevel,
    "dutch_writing": DutchLevel,
}


def _shares_text(keys: list[str]) -> str:
    return ", ".join(str(SHAREABLE[key]) for key in keys if key in SHAREABLE) or str(_l("Nothing"))


def experience_text(items: list[dict]) -> str:
    """Work experience as one line, e.g. "Cook (5 years), Driver"."""
    parts = []
    for item in items or []:
        years = item.get("years")
        if years:
            parts.append(
                ngettext(
                    "%(job)s (%(years)s year)",
                    "%(job)s (%(years)s years)",
                    math.ceil(years),
                    job=item["occupation"],
                    years=format_decimal(years),
                )
            )
        else:
            parts.append(item["occupation"])
    return ", ".join(parts)


def field_text(profile: NewcomerProfile, field: str) -> str:
    """A field as the reader sees it: words for lists, yes/no, or "(not filled in)"."""
    if field == "experience" and profile.experience:
        return experience_text(profile.experience)
    if field == "limits":
        return show_value([limit.kind for limit in profile.limits])
    if field == "shares_with_employers":
        return _shares_text(profile.shares_with_employers)
    return show_value(getattr(profile, field), field)


def history_text(value: object, field: str) -> str:
    """A value as the change history keeps it (plain JSON) in the reader's words."""
    if value is None or value == "" or value == []:
        return show_value(None)
    if field in ENUM_FIELDS:
        return label(ENUM_FIELDS[field](value))
    if field == "limits":
        return ", ".join(label(PracticalLimit(kind)) for kind in value)
    if field == "experience":
        return experience_text(value)
    if field == "shares_with_employers":
        return _shares_text(value)
    return show_value(value, field)


def shared_view(profile: NewcomerProfile) -> list[tuple[str, str]]:
    """What an employer may see of this newcomer, as (label, text): only what they chose.

    Schedule, hours, address, limits and physical capacity are never among it.
    """
    shown = []
    for key in SHAREABLE:
        if key not in (profile.shares_with_employers or []):
            continue
        if key == "name":
            text = profile.user.name
        elif key in SHARED_FIELDS:
            texts = [field_text(profile, name) for name in SHARED_FIELDS[key]]
            text = ", ".join(t for t in texts if t != show_value(None))
        else:
            text = field_text(profile, key)
        shown.append((str(SHAREABLE[key]), text))
    return shown
