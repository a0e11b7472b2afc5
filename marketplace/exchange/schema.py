"""Reading and checking a whole exchange document (exchange-format.md) before anything is written.

Every record is checked and every problem collected, so the sender can fix the whole file in one
go. A checked record is a dict with every key of the spec, defaults filled in and values in the
form the models store (enum members, canonical postcodes, dates, floats).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from marketplace.accounts.models import User
from marketplace.exchange.fields import (
    NOTHING,
    Invalid,
    boolean,
    choice,
    experience_item,
    integer,
    iso_date,
    key_name,
    kind_of,
    kvk,
    language,
    list_of,
    number,
    postcode,
    ref,
    schedule_slot,
    text,
    url,
)
from marketplace.newcomers.models import EducationLevel, NewcomerProfile
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.places.models import PaidWorkProspect, Place, PlaceKind, PlaceStatus, Sector
from marketplace.vocab import DutchLevel, LearningRoute, PhysicalDemand

FORMAT = "participation-marketplace/v1"
SECTIONS = ("organisations", "places", "newcomers")
#: the statuses a document may give a place (PlaceStatus also has submitted and rejected)
PLACE_STATUSES = ("draft", "published", "paused", "closed")
#: sections whose values are personal data: problems name the field but never echo the value
PERSONAL_SECTIONS = frozenset({"newcomers"})


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field of one record, or with the document as a whole."""

    section: str | None
    index: int | None
    ref: str | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.section is None:
            return f"document, field {self.field}: {self.message}"
        who = f"ref {self.ref}" if self.ref else "no valid ref"
        return f"{self.section}[{self.index}] ({who}), field {self.field}: {self.message}"


class DocumentRejected(Exception):
    """The document has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the document")
        self.problems = problems


@dataclass
class Document:
    """A checked document: its records cleaned and complete, in document order."""

    organisations: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    newcomers: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.organisations) + len(self.places) + len(self.newcomers)


# --- the spec's tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One key of a record: its check, whether it must be given, and its value when absent."""

    check: Callable[[Any], Any]
    required: bool = False
    default: Callable[[], Any] = lambda: None


def _req(check: Callable[[Any], Any]) -> Spec:
    return Spec(check, required=True)


def _length(model: type, column: str) -> int:
    """The length of a string column, so that what passes here fits the database too."""
    return model.__table__.c[column].type.length


_TAGS = list_of(text())
_LANGUAGES = Spec(list_of(language, unique=True), default=list)
_SCHEDULE = _req(list_of(schedule_slot, unique=True))

ORGANISATION: dict[str, Spec] = {
    "ref": _req(ref),
    "name": _req(text(_length(Organisation, "name"))),
    "kind": _req(choice(OrganisationKind)),
    "kvk": Spec(kvk),
    "postcode": Spec(postcode),
    "city": Spec(text(_length(Organisation, "city"))),
    "website": Spec(url(_length(Organisation, "website"))),
    "description": Spec(text()),
    "verified": Spec(boolean, default=lambda: True),
}

PLACE: dict[str, Spec] = {
    "ref": _req(ref),
    "organisation": _req(ref),
    "title": _req(text(_length(Place, "title"))),
    "description": _req(text()),
    "kind": _req(choice(PlaceKind)),
    "sector": _req(choice(Sector)),
    "skills_wanted": Spec(_TAGS, default=list),
    "skills_learned": Spec(_TAGS, default=list),
    "education_offered": Spec(_TAGS, default=list),
    "dutch_level": _req(choice(DutchLevel)),
    "languages": _LANGUAGES,
    "hours_min": _req(integer(1, 40)),
    "hours_max": _req(integer(1, 40)),
    "schedule": _SCHEDULE,
    "postcode": Spec(postcode),  # required unless remote: checked with the whole record
    "city": Spec(text(_length(Place, "city"))),
    "remote": Spec(boolean, default=lambda: False),
    "physical_demand": _req(choice(PhysicalDemand)),
    "spots": _req(integer(1)),
    "duration_weeks": Spec(integer(1)),
    "start_date": Spec(iso_date),
    "mentor": Spec(boolean, default=lambda: False),
    "paid_work_prospect": _req(choice(PaidWorkProspect)),
    "status": Spec(choice(PlaceStatus, PLACE_STATUSES), default=lambda: PlaceStatus.PUBLISHED),
}

NEWCOMER: dict[str, Spec] = {
    "ref": _req(ref),
    "name": _req(text(_length(User, "name"))),
    "postcode": _req(postcode),
    "city": Spec(text(_length(NewcomerProfile, "city"))),
    "dutch_level": _req(choice(DutchLevel)),
    "languages": _LANGUAGES,
    "learning_route": Spec(choice(LearningRoute)),
    "education_level": Spec(choice(EducationLevel)),
    "education_field": Spec(text(_length(NewcomerProfile, "education_field"))),
    "experience": Spec(list_of(experience_item), default=list),
    "skills": Spec(_TAGS, default=list),
    "interests": Spec(_TAGS, default=list),
    "education_goals": Spec(_TAGS, default=list),
    "work_goals": Spec(_TAGS, default=list),
    "hours_available": _req(integer(0, 40)),
    "schedule": _SCHEDULE,
    "max_travel_km": _req(number),
    "physical_capacity": Spec(choice(PhysicalDemand), default=lambda: PhysicalDemand.HEAVY),
}

SPECS: dict[str, dict[str, Spec]] = {
    "organisations": ORGANISATION,
    "places": PLACE,
    "newcomers": NEWCOMER,
}


# --- reading JSON -----------------------------------------------------------------------------


class _Object(dict):
    """A JSON object that remembers keys given twice (json keeps only the last, silently)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        keys = [key for key, _ in pairs]
        obj.duplicates = tuple(sorted({k for k in keys if keys.count(k) > 1}))
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text_: str) -> float:
    value = float(text_)
    if not math.isfinite(value):  # 1e999 parses as infinity, which JSON cannot write back
        raise ValueError(f"{text_} is too large a number")
    return value


def load_json(raw: bytes) -> Any:
    """Parse a document's bytes as strict JSON: UTF-8, no NaN or Infinity, keys given once."""
    try:
        text_ = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentRejected([_document("json", f"not UTF-8 text ({exc.reason})")]) from None
    try:
        return json.loads(
            text_, object_pairs_hook=_object, parse_constant=_no_constant, parse_float=_finite
        )
    except json.JSONDecodeError as exc:
        message = f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise DocumentRejected([_document("json", message)]) from None
    except ValueError as exc:
        raise DocumentRejected([_document("json", f"not JSON: {exc}")]) from None
    except RecursionError:
        raise DocumentRejected([_document("json", "not JSON: nested too deeply")]) from None


def _document(field_name: str, message: str) -> Problem:
    return Problem(None, None, None, field_name, message)


# --- checking ---------------------------------------------------------------------------------


def validate_document(data: Any) -> Document:
    """The checked document, or DocumentRejected listing every problem in every record."""
    if not isinstance(data, dict):
        raise DocumentRejected([_document("document", f"must be an object, got {kind_of(data)}")])
    problems = [_document(key_name(key), "key is given twice") for key in _duplicates(data)]
    for key in data:
        if key != "format" and key not in SECTIONS:
            hint = _did_you_mean(key, ("format", *SECTIONS))
            problems.append(_document(key_name(key), f"unknown key{hint}"))
    if data.get("format", NOTHING) != FORMAT:
        got = "missing" if "format" not in data else f"got {_show(data['format'])}"
        problems.append(_document("format", f"must be {FORMAT!r}, {got}"))
    document = Document()
    for section in SECTIONS:
        records = data.get(section, [])
        if not isinstance(records, list):
            problems.append(_document(section, f"must be a list, got {kind_of(records)}"))
            continue
        cleaned = getattr(document, section)
        for index, record in enumerate(records):
            result, found = check_record(section, index, record)
            problems += found
            if result is not None:
                cleaned.append(result)
        problems += _duplicate_refs(section, records)
    if problems:
        raise DocumentRejected(problems)
    return document


def check_references(document: Document, known_organisations: Iterable[str]) -> list[Problem]:
    """Problems for places whose organisation is neither in the document nor in the database."""
    known = {org["ref"] for org in document.organisations} | set(known_organisations)
    return [
        Problem(
            "places",
            index,
            place["ref"],
            "organisation",
            f"no organisation with ref {place['organisation']} in the document or the database",
        )
        for index, place in enumerate(document.places)
        if place["organisation"] not in known
    ]


def check_record(section: str, index: int, record: Any) -> tuple[dict | None, list[Problem]]:
    """One record of a section, cleaned, and its problems (the cleaned record is None if any)."""
    specs = SPECS[section]
    if not isinstance(record, dict):
        message = f"a record must be an object, got {kind_of(record)}"
        return None, [Problem(section, index, None, "record", message)]
    record_ref = record.get("ref") if _valid(ref, record.get("ref")) else None

    def problem(field_name: str, message: str) -> Problem:
        return Problem(section, index, record_ref, field_name, message)

    problems = [problem(key_name(key), "key is given twice") for key in _duplicates(record)]
    for key in record:
        if key not in specs:
            hint = _did_you_mean(key, specs)
            problems.append(problem(key_name(key), f"unknown key in {section}{hint}"))
    cleaned: dict[str, Any] = {}
    for key, spec in specs.items():
        value = record.get(key)
        if value is None and not spec.required:
            cleaned[key] = spec.default()
        elif key not in record:
            problems.append(problem(key, "required key is missing"))
        else:
            try:
                cleaned[key] = spec.check(value)
            except Invalid as exc:
                problems.append(problem(key + exc.path, _message(section, exc)))
    if section == "places":
        problems += [problem(name, message) for name, message in _place_rules(cleaned)]
    return (None if problems else cleaned), problems


def _place_rules(place: dict[str, Any]) -> list[tuple[str, str]]:
    """The rules that span two keys of a place, where both keys passed their own checks."""
    found = []
    low, high = place.get("hours_min"), place.get("hours_max")
    if low is not None and high is not None and low > high:
        found.append(("hours_min", f"must not exceed hours_max ({low} > {high})"))
    if "postcode" in place and place["postcode"] is None and place.get("remote") is False:
        found.append(("postcode", "required unless remote is true"))
    return found


def _duplicate_refs(section: str, records: list[Any]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, record in enumerate(records):
        value = record.get("ref") if isinstance(record, dict) else None
        if not _valid(ref, value):
            continue
        if value in first:
            message = f"ref {value} is used more than once in {section} (first at [{first[value]}])"
            problems.append(Problem(section, index, value, "ref", message))
        else:
            first[value] = index
    return problems


def _duplicates(obj: dict) -> tuple[str, ...]:
    return getattr(obj, "duplicates", ())


def _valid(check: Callable[[Any], Any], value: Any) -> bool:
    try:
        check(value)
    except Invalid:
        return False
    return True


def _message(section: str, exc: Invalid) -> str:
    if exc.got is NOTHING or section in PERSONAL_SECTIONS:
        return exc.message
    return f"{exc.message}, got {_show(exc.got)}"


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
