"""Dutch postcodes: parsing, looking up their PC4 area, and distances between them.

Everything here degrades to ``None`` when no postcode data has been imported, so the rest of
the app keeps working (it just cannot sort or filter by distance).
"""

from __future__ import annotations

import math
import re

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.geo.models import PostcodeArea

#: a point as (latitude, longitude) in WGS84 degrees
Point = tuple[float, float]

#: the mean Earth radius (IUGG), good to about 0.5% for distances in the Netherlands
EARTH_RADIUS_KM = 6371.0088

# ASCII classes on purpose: \d and \w would also accept Arabic-Indic digits and accented letters.
_POSTCODE = re.compile(r"\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*")
_PC4 = re.compile(r"\s*([1-9][0-9]{3})\s*")

#: letter pairs PostNL does not issue (they recall the SA, SD and SS of 1940-1945)
UNISSUED_LETTERS = frozenset({"SA", "SD", "SS"})


def parse_postcode(text: str | None) -> str | None:
    """The canonical form ``1234 AB`` of a Dutch postcode, or None if it is not one."""
    match = _POSTCODE.fullmatch(text or "")
    if match is None:
        return None
    digits, letters = match.group(1), match.group(2).upper()
    if letters in UNISSUED_LETTERS:
        return None
    return f"{digits} {letters}"


def parse_pc4(text: str | None) -> str | None:
    """The four digits (PC4) of a full postcode or of four digits alone, or None."""
    match = _PC4.fullmatch(text or "")
    if match is not None:
        return match.group(1)
    postcode = parse_postcode(text)
    return postcode[:4] if postcode else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def lookup(session: Session, postcode: str | None) -> PostcodeArea | None:
    """The PC4 area of a postcode (full or four digits), or None if invalid or unknown."""
    pc4 = parse_pc4(postcode)
    return session.get(PostcodeArea, pc4) if pc4 else None


def city_centre(session: Session, city: str | None) -> Point | None:
    """The mean coordinates of the PC4 areas named after a place (any case), or None."""
    name = (city or "").strip()
    if not name:
        return None
    # SQLite's lower() folds only ASCII; the names' accented letters (Damwâld) are lowercase.
    stmt = sa.select(sa.func.avg(PostcodeArea.latitude), sa.func.avg(PostcodeArea.longitude)).where(
        sa.func.lower(PostcodeArea.place_name) == name.lower()
    )
    latitude, longitude = session.execute(stmt).one()
    if latitude is None or longitude is None:
        return None
    return (float(latitude), float(longitude))


def locate(session: Session, postcode: str | None, city: str | None = None) -> Point | None:
    """The coordinates of a postcode's PC4 area, else of the city's areas, else None."""
    area = lookup(session, postcode)
    if area is not None:
        return (area.latitude, area.longitude)
    return city_centre(session, city)


def distance_km(session: Session, a: Point | str | None, b: Point | str | None) -> float | None:
    """The km between two points or postcodes, or None if either cannot be located."""
    point_a = locate(session, a) if isinstance(a, str) else a
    point_b = locate(session, b) if isinstance(b, str) else b
    if point_a is None or point_b is None:
        return None
    return haversine_km(point_a[0], point_a[1], point_b[0], point_b[1])


def municipality_for(session: Session, postcode: str | None) -> str | None:
    """The municipality a postcode lies in, or None if invalid or unknown."""
    area = lookup(session, postcode)
    return area.municipality if area is not None else None


def municipalities(session: Session) -> list[str]:
    """Every municipality of the postcode data, in alphabetical order: the closed list."""
    column = PostcodeArea.municipality
    return list(
        session.scalars(sa.select(column).where(column.is_not(None)).distinct().order_by(column))
    )


def known_municipality(session: Session, name: str | None) -> str | None:
    """The list's spelling of a municipality name typed in any case, or None when unknown."""
    wanted = " ".join((name or "").split()).casefold()
    return next((known for known in municipalities(session) if known.casefold() == wanted), None)
