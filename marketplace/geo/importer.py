"""Read, clean and import the GeoNames postal-code file for the Netherlands (one row per PC4).

The cleaning rules come from the data README (shared/data/README.md): GeoNames has fake
codes, rows placed far from their postcode, English province names and inconsistently named
municipalities. Everything dropped is reported, so an operator can see what was left out.
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.geo.models import PostcodeArea
from marketplace.geo.services import Point, haversine_km

#: codes in the file that are not real postcodes (9999 is spread over the whole country)
FAKE_PC4 = frozenset({"9999", "1234"})

#: rows known to lie far from their postcode: PC4 -> the places to drop for it
KNOWN_STRAYS: Mapping[str, frozenset[str]] = {
    "3523": frozenset({"Ouddorp"}),
    "8611": frozenset({"Emst"}),
    "7571": frozenset({"2e Exloërmond"}),
    "2324": frozenset({"Amersfoort"}),
    "3981": frozenset({"Zeewolde"}),
    "7887": frozenset({"Collendoorn"}),
}

#: a row further than this from the other rows of its PC4 is taken to be misplaced
STRAY_KM = 10.0

#: how many PC4 codes on each side judge a PC4 whose own rows disagree
NEIGHBOURS = 3

#: English (GeoNames) province names to the Dutch ones; Dutch names pass through
PROVINCES = {
    "North Holland": "Noord-Holland",
    "South Holland": "Zuid-Holland",
    "North Brabant": "Noord-Brabant",
    "Guelders": "Gelderland",
    "Friesland": "Fryslân",
}

#: PC4 range of Hellevoetsluis, Brielle and Westvoorne, merged into Voorne aan Zee in 2023
VOORNE_AAN_ZEE = range(3221, 3239)

_GEMEENTE_PREFIX = re.compile(r"^gemeente\s+", re.IGNORECASE)
# " Municipality", ". Municipality", and typos such as "Municipalitye" and "Municipalty"
_MUNICIPALITY_SUFFIX = re.compile(r"\.?\s+municipal\w*$", re.IGNORECASE)
_PC4 = re.compile(r"[0-9]{4}")

#: the columns of PostcodeArea, which is what every cleaned row holds
AREA_COLUMNS = ("pc4", "place_name", "municipality", "province", "latitude", "longitude")


@dataclass(frozen=True)
class DroppedRow:
    """A row of the file that was left out, and why."""

    pc4: str
    place_name: str
    reason: str


@dataclass
class GeonamesData:
    """The cleaned PC4 areas, with a report of what was dropped or could not be resolved."""

    areas: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[DroppedRow] = field(default_factory=list)
    #: PC4 codes whose rows lie far apart with no way to tell which is right (all kept)
    unresolved: list[str] = field(default_factory=list)


def normalise_municipality(name: str | None) -> str | None:
    """A municipality name without ``Gemeente``/``Municipality`` and extra spaces, or None."""
    name = " ".join((name or "").split())
    name = _MUNICIPALITY_SUFFIX.sub("", _GEMEENTE_PREFIX.sub("", name))
    return name or None


def normalise_province(name: str | None) -> str | None:
    """The Dutch name of a province given in English or Dutch, or None."""
    name = " ".join((name or "").split())
    return PROVINCES.get(name, name) or None


def _parse_line(number: int, line: str) -> dict[str, Any] | None:
    """One row of the file as an area dict (not yet grouped), or None for a blank line."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    columns = line.split("\t")
    if len(columns) < 11 or columns[0] != "NL" or not _PC4.fullmatch(columns[1]):
        raise ValueError(
            f"line {number} is not a GeoNames postal-code row for NL (12 tab-separated "
            f"columns, starting with NL and a 4-digit code): {line[:60]!r}"
        )
    try:
        latitude, longitude = float(columns[9]), float(columns[10])
    except ValueError:
        raise ValueError(f"line {number} has no valid latitude/longitude: {line[:60]!r}") from None
    row = {
        "pc4": columns[1],
        "place_name": unicodedata.normalize("NFC", " ".join(columns[2].split())),
        "municipality": normalise_municipality(columns[5]),
        "province": normalise_province(columns[3]),
        "latitude": latitude,
        "longitude": longitude,
    }
    if int(row["pc4"]) in VOORNE_AAN_ZEE:
        row["municipality"] = row["municipality"] or "Voorne aan Zee"
        row["province"] = row["province"] or "Zuid-Holland"
    return row


def _known_problem(row: dict[str, Any], known_strays: Mapping[str, frozenset[str]]) -> str | None:
    """Why a row is known to be wrong, or None."""
    if row["pc4"] in FAKE_PC4:
        return "not a real postcode"
    if row["place_name"] in known_strays.get(row["pc4"], ()):
        return "known stray row"
    return None


def _median_point(rows: list[dict[str, Any]]) -> Point:
    """The component-wise median of the rows' coordinates (robust to one far-away row)."""
    return (
        statistics.median(r["latitude"] for r in rows),
        statistics.median(r["longitude"] for r in rows),
    )


def _split_by_distance(
    rows: list[dict[str, Any]], centre: Point
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], float]]]:
    """The rows within STRAY_KM of a point, and the others with their distance."""
    near, far = [], []
    for row in rows:
        km = haversine_km(centre[0], centre[1], row["latitude"], row["longitude"])
        if km > STRAY_KM:
            far.append((row, km))
        else:
            near.append(row)
    return near, far


def _drop_strays(
    groups: dict[str, list[dict[str, Any]]], report: GeonamesData
) -> dict[str, list[dict[str, Any]]]:
    """The rows of each PC4 that lie near the median of its rows (or of its neighbours' rows)."""
    codes = sorted(groups)
    kept = {}
    for index, pc4 in enumerate(codes):
        rows = groups[pc4]
        near, far = _split_by_distance(rows, _median_point(rows))
        basis = "the other rows of its postcode"
        if not near:
            # No majority (e.g. two rows 60 km apart), but consecutive PC4 codes lie close.
            neighbours = codes[max(0, index - NEIGHBOURS) : index] + codes[index + 1 :][:NEIGHBOURS]
            around = [row for code in neighbours for row in groups[code]]
            if around:
                near, far = _split_by_distance(rows, _median_point(around))
                basis = "the neighbouring postcodes"
        if not near:
            report.unresolved.append(pc4)
            near, far = rows, []
        for row, km in far:
            reason = f"{km:.0f} km from {basis}"
            report.dropped.append(DroppedRow(pc4, row["place_name"], reason))
        kept[pc4] = near
    return kept


def _merge(rows: list[dict[str, Any]], place_counts: Counter[str]) -> dict[str, Any]:
    """One area for a PC4's rows: the mean position, named after its most widespread place."""
    main = max(rows, key=lambda row: place_counts[row["place_name"]])  # ties: the first row
    return {
        **main,
        "latitude": round(statistics.fmean(r["latitude"] for r in rows), 5),
        "longitude": round(statistics.fmean(r["longitude"] for r in rows), 5),
    }


def clean_geonames(
    lines: Iterable[str], known_strays: Mapping[str, frozenset[str]] = KNOWN_STRAYS
) -> GeonamesData:
    """One cleaned area per PC4 from GeoNames postal-code lines, with what was dropped."""
    report = GeonamesData()
    groups: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(lines, start=1):
        row = _parse_line(number, line)
        if row is None:
            continue
        reason = _known_problem(row, known_strays)
        if reason:
            report.dropped.append(DroppedRow(row["pc4"], row["place_name"], reason))
        else:
            groups.setdefault(row["pc4"], []).append(row)
    groups = _drop_strays(groups, report)
    place_counts = Counter(row["place_name"] for rows in groups.values() for row in rows)
    report.areas = [_merge(groups[pc4], place_counts) for pc4 in sorted(groups)]
    return report


def read_geonames(lines: Iterable[str]) -> list[dict[str, Any]]:
    """The cleaned PC4 areas of GeoNames postal-code lines, ready for ``import_postcodes``."""
    return clean_geonames(lines).areas


def import_postcodes(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    """Replace all postcode areas by ``rows`` in the caller's transaction; returns the count."""
    values = [{column: row[column] for column in AREA_COLUMNS} for row in rows]
    session.execute(sa.delete(PostcodeArea))
    if values:
        session.execute(sa.insert(PostcodeArea), values)  # one executemany, not 4,000 objects
    return len(values)


def lines_from_zip(data: bytes, source: str, member: str = "NL.txt") -> list[str]:
    """The lines of ``member`` in a zip archive's bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = archive.read(member).decode("utf-8-sig")
    except zipfile.BadZipFile:
        raise RuntimeError(f"{source} is not a zip archive") from None
    except KeyError:
        raise RuntimeError(f"{source} does not contain {member}") from None
    return text.split("\n")


def fetch_geonames(url: str, timeout: float = 60) -> list[str]:
    """Download the GeoNames zip for NL and return the lines of its NL.txt."""
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise RuntimeError(f"{url} is not a web address (https://...).")
    try:
        # the scheme is checked above, so no file: or custom scheme is opened
        with urllib.request.urlopen(url, timeout=timeout) as response:  # nosec B310  # noqa: S310
            data = response.read()
    except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
        if isinstance(exc, urllib.error.HTTPError):
            exc.close()  # an HTTP error holds the open response
        reason = getattr(exc, "reason", exc)
        raise RuntimeError(
            f"Could not download the postcode file from {url} ({reason}). Check the network, "
            "or download it elsewhere and run: flask geo import PATH"
        ) from exc
    return lines_from_zip(data, source=url)
