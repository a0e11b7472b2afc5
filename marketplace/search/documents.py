"""The index schema for places, and the one function that turns a place into its document.

Only public fields of a place go into the index (security.md R30): every field declares the
database columns it is made from in ``FIELD_SOURCES``, and a test checks that each of them is
classified ``pii="none"``. Nothing about newcomers, and no personal field of a place (its
supervisor's name) or of its organisation (the contact person), is ever indexed.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from sqlalchemy.orm import Session
from whoosh import columns, fields

from marketplace.geo.services import locate, municipality_for, parse_pc4
from marketplace.places.models import Place
from marketplace.places.services import is_public
from marketplace.search.analysis import tag_analyzer, text_analyzer

#: the geohash prefix lengths indexed for a place (§2.3 of search-engine.md): 3 is about
#: 156 x 156 km, 6 about 1.2 x 0.6 km; a distance filter ORs the prefixes covering a circle
GEOHASH_LENGTHS = (3, 4, 5, 6)
#: what a place without an end date stores in ``end_date``, so "still running" is one range
NO_END_DATE = 99991231
#: session.info key of the locations already looked up in this session
LOCATION_MEMO = "search_locations"


def _schema() -> fields.Schema:
    # phrase=False: no positions, as no query asks for a phrase (search-engine.md §2.3: a
    # smaller index and a faster build); snippets analyse the text again anyway.
    def text(**kwargs: Any) -> fields.TEXT:
        return fields.TEXT(analyzer=text_analyzer(), phrase=False, **kwargs)

    def tags() -> fields.TEXT:
        return fields.TEXT(analyzer=tag_analyzer(), phrase=False)

    def rank() -> fields.NUMERIC:
        # signed: with signed=False, Whoosh 2.7.5 ranges with an upper bound match everything
        return fields.NUMERIC(int, bits=8)

    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=text(stored=True, field_boost=2.0),
        description=text(),
        skills_wanted=tags(),
        skills_learned=tags(),
        education_offered=tags(),
        organisation=text(),
        kind=fields.ID(sortable=True),
        sector=fields.ID(sortable=True),
        paid_work_prospect=fields.ID(sortable=True),
        dutch_level=rank(),
        physical_demand=rank(),
        hours_min=rank(),
        hours_max=rank(),
        spots_free=fields.NUMERIC(int, bits=32),
        schedule=fields.KEYWORD(lowercase=True),
        languages=fields.KEYWORD(lowercase=True),
        remote=fields.BOOLEAN(),
        mentor=fields.BOOLEAN(),
        city=fields.ID(sortable=True),
        municipality=fields.ID(sortable=True),
        geohash=fields.KEYWORD(),
        # columns only (not searchable terms): the exact distance check and sort by distance
        latitude=fields.COLUMN(columns.NumericColumn("d")),
        longitude=fields.COLUMN(columns.NumericColumn("d")),
        published_at=fields.DATETIME(sortable=True),
        end_date=fields.NUMERIC(int, bits=32),
        version=fields.STORED(),
    )


SCHEMA = _schema()
#: raise when a field changes in a way its name does not show: every index is then rebuilt
SCHEMA_VERSION = 3

#: the columns (``table.column``) each index field is made from: the R30 test checks them
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "id": ("place.id",),
    "title": ("place.title",),
    "description": ("place.description",),
    "skills_wanted": ("place.skills_wanted",),
    "skills_learned": ("place.skills_learned",),
    "education_offered": ("place.education_offered",),
    "organisation": ("organisation.name",),
    "kind": ("place.kind",),
    "sector": ("place.sector",),
    "paid_work_prospect": ("place.paid_work_prospect",),
    "dutch_level": ("place.dutch_level",),
    "physical_demand": ("place.physical_demand",),
    "hours_min": ("place.hours_min",),
    "hours_max": ("place.hours_max",),
    "spots_free": ("place.spots", "place.spots_taken"),
    "schedule": ("place.schedule",),
    "languages": ("place.languages",),
    "remote": ("place.remote",),
    "mentor": ("place.mentor",),
    "city": ("place.city",),
    "municipality": ("place.postcode", "postcode_area.municipality"),
    "geohash": (
        "place.postcode",
        "place.city",
        "postcode_area.latitude",
        "postcode_area.longitude",
    ),
    "latitude": ("place.postcode", "place.city", "postcode_area.latitude"),
    "longitude": ("place.postcode", "place.city", "postcode_area.longitude"),
    "published_at": ("place.published_at",),
    "end_date": ("place.end_date",),
    "version": ("place.version",),
}

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"


def geohash(latitude: float, longitude: float, length: int = 6) -> str:
    """The geohash of a point: interleaved longitude/latitude bisections, 5 bits a character."""
    lat_range, lon_range = [-90.0, 90.0], [-180.0, 180.0]
    chars, bits, value, even = [], 0, 0, True
    while len(chars) < length:
        span, coordinate = (lon_range, longitude) if even else (lat_range, latitude)
        middle = (span[0] + span[1]) / 2
        value <<= 1
        if coordinate >= middle:
            value |= 1
            span[0] = middle
        else:
            span[1] = middle
        even = not even
        bits += 1
        if bits == 5:
            chars.append(_BASE32[value])
            bits, value = 0, 0
    return "".join(chars)


def cell_bounds(hash_: str) -> tuple[float, float, float, float]:
    """The box a geohash stands for: (south, north, west, east) in degrees."""
    lat_range, lon_range = [-90.0, 90.0], [-180.0, 180.0]
    even = True
    for char in hash_:
        value = _BASE32.index(char)
        for bit in range(4, -1, -1):
            span = lon_range if even else lat_range
            middle = (span[0] + span[1]) / 2
            if value >> bit & 1:
                span[0] = middle
            else:
                span[1] = middle
            even = not even
    return lat_range[0], lat_range[1], lon_range[0], lon_range[1]


def geohash_prefixes(latitude: float, longitude: float) -> str:
    """The indexed prefixes of a point's geohash, space separated (a KEYWORD value)."""
    full = geohash(latitude, longitude, max(GEOHASH_LENGTHS))
    return " ".join(full[:n] for n in GEOHASH_LENGTHS)


def normalise_name(name: str | None) -> str | None:
    """A city or municipality as the index keeps it: trimmed and lowercased."""
    value = (name or "").strip().lower()
    return value or None


def _tags(values: list[str] | None) -> str:
    return ", ".join(v for v in (values or []) if v)


def _location(session: Session, place: Place) -> dict[str, Any]:
    # Remembered per session: a rebuild asks for the same few thousand postcode areas again
    # and again, and a postcode the table lacks would cost two queries each time.
    memo = session.info.setdefault(LOCATION_MEMO, {})
    key = (parse_pc4(place.postcode), normalise_name(place.city))
    if key not in memo:
        point = locate(session, place.postcode, place.city)
        memo[key] = {
            "geohash": geohash_prefixes(*point) if point else None,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            "municipality": normalise_name(municipality_for(session, place.postcode)),
            "city": key[1],
        }
    return memo[key]


def place_document(session: Session, place: Place, today: date) -> dict[str, Any] | None:
    """The index document of a place, or None when the place must not be in the index."""
    if not is_public(place, today):
        return None
    doc: dict[str, Any] = {
        "id": str(place.id),
        "title": place.title,
        "description": place.description or "",
        "skills_wanted": _tags(place.skills_wanted),
        "skills_learned": _tags(place.skills_learned),
        "education_offered": _tags(place.education_offered),
        "organisation": place.organisation.name if place.organisation else "",
        "schedule": " ".join(place.schedule or []),
        "languages": " ".join(place.languages or []),
        "remote": bool(place.remote),
        "mentor": bool(place.mentor),
        "hours_min": place.hours_min,
        "hours_max": place.hours_max,
        "spots_free": place.spots_free,
        "end_date": int(place.end_date.strftime("%Y%m%d")) if place.end_date else NO_END_DATE,
        "version": place.version,
    }
    for name in ("kind", "sector", "paid_work_prospect"):
        value = getattr(place, name)
        if value is not None:
            doc[name] = value.value
    for name in ("dutch_level", "physical_demand"):
        value = getattr(place, name)
        if value is not None:
            doc[name] = value.rank
    if place.published_at is not None:
        # Whoosh's DATETIME subtracts a naive epoch, so it is given naive UTC.
        doc["published_at"] = place.published_at.astimezone(UTC).replace(tzinfo=None)
    doc.update(_location(session, place))
    return {name: value for name, value in doc.items() if value is not None}
