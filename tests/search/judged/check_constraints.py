"""Check the human-judged relevance set in this directory against the exchange format.

Run from the repository root:

    python tests/search/judged/check_constraints.py

It validates data.json as an exchange-format v1 document, applies the hard matching constraints
(Dutch level with one step of stretch only where the place has a mentor, hours, schedule,
distance unless remote, physical demand, free spots) to every newcomer-place pair, prints the
allowed places per newcomer with their grade, and exits non-zero if any record is invalid, any
graded place breaks a constraint, or the set misses its own targets (4-15 allowed places per
newcomer, at least 3 graded >= 1, at least one graded 3).

Only the standard library is used; this script does not import the marketplace code, so it is an
independent check of the judgements. Postcode coordinates come from the GeoNames PC4 file
(GEONAMES_FILE, default ../shared/data/geonames-postal-NL.txt from the repository root, as in the
Makefile), cleaned as shared/data/README.md describes.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DATA = HERE / "data.json"
GRADES = HERE / "grades.json"
GEONAMES = Path(
    os.environ.get("GEONAMES_FILE", REPO.parent / "shared" / "data" / "geonames-postal-NL.txt")
)

FORMAT = "participation-marketplace/v1"
EARTH_RADIUS_KM = 6371.0
#: distances this close to max_travel_km are reported: another geocoder might decide otherwise
MARGIN_KM = 0.2

DUTCH = ["none", "A1", "A2", "B1", "B2", "C1"]
PHYSICAL = ["light", "moderate", "heavy"]
SCHEDULE = {"weekday_morning", "weekday_afternoon", "weekday_evening", "weekend"}
ORG_KINDS = {"employer", "nonprofit", "education", "municipality"}
PLACE_KINDS = {
    "volunteer",
    "work_experience",
    "internship",
    "learn_work",
    "trial_placement",
    "language_practice",
}
SECTORS = {
    "care",
    "hospitality",
    "retail",
    "logistics",
    "technical",
    "construction",
    "green",
    "cleaning",
    "food",
    "administration",
    "ict",
    "education",
    "creative",
    "sports",
    "community",
    "other",
}
PROSPECTS = {"yes", "possible", "no"}
STATUSES = {"draft", "published", "paused", "closed"}
ROUTES = {"b1", "education", "z"}
EDUCATION_LEVELS = {"none", "primary", "secondary", "vocational", "bachelor", "master"}
# fmt: off
ISO_639_1 = frozenset({
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
    "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv",
    "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi",
    "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
    "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja",
    "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw",
    "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml",
    "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
    "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro",
    "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr",
    "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr",
    "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu"
})
# fmt: on

REF = re.compile(r"[A-Za-z0-9._-]{1,64}")
POSTCODE = re.compile(r"\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*")
UNISSUED_LETTERS = {"SA", "SD", "SS"}
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# GeoNames cleaning, as shared/data/README.md describes
FAKE_PC4 = {"9999", "1234"}
KNOWN_STRAYS = {
    "3523": {"Ouddorp"},
    "8611": {"Emst"},
    "7571": {"2e Exloërmond"},
    "2324": {"Amersfoort"},
    "3981": {"Zeewolde"},
    "7887": {"Collendoorn"},
}

errors: list[str] = []
warnings: list[str] = []


def error(message: str) -> None:
    errors.append(message)


# --- validation -------------------------------------------------------------------------------


def is_text(value, max_length=None) -> bool:
    return (
        isinstance(value, str)
        and value.strip() != ""
        and (max_length is None or len(value) <= max_length)
    )


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def pc4_of(value) -> str | None:
    if not isinstance(value, str):
        return None
    match = POSTCODE.fullmatch(value)
    if match is None or match.group(2).upper() in UNISSUED_LETTERS:
        return None
    return match.group(1)


def text_list(value) -> bool:
    return isinstance(value, list) and all(is_text(v) for v in value)


def languages_ok(value) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(v, str) and v in ISO_639_1 for v in value)
        and len(set(value)) == len(value)
    )


def schedule_ok(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(v in SCHEDULE for v in value)
        and len(set(value)) == len(value)
    )


def experience_ok(value) -> bool:
    if not isinstance(value, list):
        return False
    for item in value:
        if not isinstance(item, dict) or set(item) - {"occupation", "years"}:
            return False
        if not is_text(item.get("occupation")) or not is_number(item.get("years")):
            return False
        if item["years"] < 0:
            return False
    return True


def url_ok(value) -> bool:
    if not isinstance(value, str) or re.search(r"\s", value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def date_ok(value) -> bool:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


ORG_FIELDS = {
    "ref": (True, lambda v: isinstance(v, str) and bool(REF.fullmatch(v))),
    "name": (True, lambda v: is_text(v, 200)),
    "kind": (True, lambda v: v in ORG_KINDS),
    "kvk": (False, lambda v: isinstance(v, str) and bool(re.fullmatch(r"[0-9]{8}", v))),
    "postcode": (False, lambda v: pc4_of(v) is not None),
    "city": (False, lambda v: is_text(v, 100)),
    "website": (False, url_ok),
    "description": (False, is_text),
    "verified": (False, lambda v: isinstance(v, bool)),
}

PLACE_FIELDS = {
    "ref": (True, lambda v: isinstance(v, str) and bool(REF.fullmatch(v))),
    "organisation": (True, lambda v: isinstance(v, str) and bool(REF.fullmatch(v))),
    "title": (True, lambda v: is_text(v, 200)),
    "description": (True, is_text),
    "kind": (True, lambda v: v in PLACE_KINDS),
    "sector": (True, lambda v: v in SECTORS),
    "skills_wanted": (False, text_list),
    "skills_learned": (False, text_list),
    "education_offered": (False, text_list),
    "dutch_level": (True, lambda v: v in DUTCH),
    "languages": (False, languages_ok),
    "hours_min": (True, lambda v: is_int(v) and 1 <= v <= 40),
    "hours_max": (True, lambda v: is_int(v) and 1 <= v <= 40),
    "schedule": (True, schedule_ok),
    "postcode": (False, lambda v: pc4_of(v) is not None),
    "city": (False, lambda v: is_text(v, 100)),
    "remote": (False, lambda v: isinstance(v, bool)),
    "physical_demand": (True, lambda v: v in PHYSICAL),
    "spots": (True, lambda v: is_int(v) and v >= 1),
    "duration_weeks": (False, lambda v: is_int(v) and v >= 1),
    "start_date": (False, date_ok),
    "mentor": (False, lambda v: isinstance(v, bool)),
    "paid_work_prospect": (True, lambda v: v in PROSPECTS),
    "status": (False, lambda v: v in STATUSES),
}

NEWCOMER_FIELDS = {
    "ref": (True, lambda v: isinstance(v, str) and bool(REF.fullmatch(v))),
    "name": (True, lambda v: is_text(v, 120)),
    "postcode": (True, lambda v: pc4_of(v) is not None),
    "city": (False, lambda v: is_text(v, 100)),
    "dutch_level": (True, lambda v: v in DUTCH),
    "languages": (False, languages_ok),
    "learning_route": (False, lambda v: v in ROUTES),
    "education_level": (False, lambda v: v in EDUCATION_LEVELS),
    "education_field": (False, lambda v: is_text(v, 200)),
    "experience": (False, experience_ok),
    "skills": (False, text_list),
    "interests": (False, text_list),
    "education_goals": (False, text_list),
    "work_goals": (False, text_list),
    "hours_available": (True, lambda v: is_int(v) and 0 <= v <= 40),
    "schedule": (True, schedule_ok),
    "max_travel_km": (True, lambda v: is_number(v) and math.isfinite(v) and v >= 0),
    "physical_capacity": (False, lambda v: v in PHYSICAL),
}


def check_records(section: str, records, fields) -> list[dict]:
    if not isinstance(records, list):
        error(f"{section}: must be a list")
        return []
    good, seen = [], set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            error(f"{section}[{index}]: must be an object")
            continue
        name = record.get("ref", f"#{index}")
        ok = True
        for key in record:
            if key not in fields:
                error(f"{section} {name}: unknown key {key!r}")
                ok = False
        for key, (required, valid) in fields.items():
            if key not in record or record[key] is None:
                if required:
                    error(f"{section} {name}: required key {key} is missing")
                    ok = False
            elif not valid(record[key]):
                error(f"{section} {name}: invalid {key}: {record[key]!r}")
                ok = False
        if name in seen:
            error(f"{section} {name}: ref used twice")
            ok = False
        seen.add(name)
        if ok:
            good.append(record)
    return good


def validate(document) -> tuple[list[dict], list[dict], list[dict]]:
    if not isinstance(document, dict):
        error("document: must be an object")
        return [], [], []
    for key in document:
        if key not in ("format", "organisations", "places", "newcomers"):
            error(f"document: unknown key {key!r}")
    if document.get("format") != FORMAT:
        error(f"document: format must be {FORMAT!r}")
    orgs = check_records("organisations", document.get("organisations", []), ORG_FIELDS)
    places = check_records("places", document.get("places", []), PLACE_FIELDS)
    newcomers = check_records("newcomers", document.get("newcomers", []), NEWCOMER_FIELDS)
    org_refs = {o["ref"] for o in document.get("organisations", []) if isinstance(o, dict)}
    valid_places = []
    for place in places:
        ok = True
        if place["organisation"] not in org_refs:
            error(f"places {place['ref']}: organisation {place['organisation']} does not exist")
            ok = False
        if place["hours_min"] > place["hours_max"]:
            error(f"places {place['ref']}: hours_min > hours_max")
            ok = False
        if not place.get("remote", False) and place.get("postcode") is None:
            error(f"places {place['ref']}: postcode required unless remote")
            ok = False
        if place.get("status", "published") != "published":
            error(f"places {place['ref']}: status must be published in this test set")
            ok = False
        if ok:
            valid_places.append(place)
    return orgs, valid_places, newcomers


# --- coordinates ------------------------------------------------------------------------------


def load_pc4_coordinates(path: Path) -> dict[str, tuple[float, float]]:
    rows: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 11 or not re.fullmatch(r"[0-9]{4}", cols[1]):
                continue
            pc4, place = cols[1], cols[2]
            if pc4 in FAKE_PC4 or place in KNOWN_STRAYS.get(pc4, ()):
                continue
            rows[pc4].append((place, float(cols[9]), float(cols[10])))
    coords = {}
    for pc4, entries in rows.items():
        lat = sum(e[1] for e in entries) / len(entries)
        lon = sum(e[2] for e in entries) / len(entries)
        spread = max(haversine_km(e[1], e[2], lat, lon) for e in entries)
        coords[pc4] = (lat, lon, spread)
    return coords


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- constraints ------------------------------------------------------------------------------


def broken_constraints(newcomer: dict, place: dict, coords) -> tuple[list[str], float | None]:
    """The hard constraints the pair breaks (empty if allowed), and the distance in km."""
    broken = []
    have = DUTCH.index(newcomer["dutch_level"])
    need = DUTCH.index(place["dutch_level"])
    if need > have + (1 if place.get("mentor", False) else 0):
        broken.append(f"dutch {place['dutch_level']}>{newcomer['dutch_level']}")
    if place["hours_min"] > newcomer["hours_available"]:
        broken.append(f"hours_min {place['hours_min']}>{newcomer['hours_available']}")
    if not set(place["schedule"]) & set(newcomer["schedule"]):
        broken.append("no common schedule slot")
    capacity = newcomer.get("physical_capacity", "heavy")
    if PHYSICAL.index(place["physical_demand"]) > PHYSICAL.index(capacity):
        broken.append(f"physical {place['physical_demand']}>{capacity}")
    if place["spots"] < 1:
        broken.append("no free spot")
    km = None
    if place.get("postcode") is not None:
        a, b = coords.get(pc4_of(newcomer["postcode"])), coords.get(pc4_of(place["postcode"]))
        if a is not None and b is not None:
            km = haversine_km(a[0], a[1], b[0], b[1])
    if not place.get("remote", False):
        if km is None:
            broken.append("distance unknown")
        else:
            if km > newcomer["max_travel_km"]:
                broken.append(f"distance {km:.1f}>{newcomer['max_travel_km']} km")
            if abs(km - newcomer["max_travel_km"]) < MARGIN_KM:
                warnings.append(
                    f"{newcomer['ref']}/{place['ref']}: {km:.2f} km is within {MARGIN_KM} km "
                    f"of max_travel_km {newcomer['max_travel_km']}"
                )
    return broken, km


def main() -> int:
    try:
        document = json.loads(DATA.read_text(encoding="utf-8"))
        grades = json.loads(GRADES.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read the judged set: {exc}")
        return 2
    orgs, places, newcomers = validate(document)
    coords = load_pc4_coordinates(GEONAMES)

    for record in [*places, *newcomers, *orgs]:
        pc4 = pc4_of(record.get("postcode"))
        if pc4 is None:
            continue
        if pc4 not in coords:
            error(f"{record['ref']}: PC4 {pc4} is not in the GeoNames file")
        elif coords[pc4][2] > 1.0:
            error(f"{record['ref']}: PC4 {pc4} has GeoNames rows far apart; use another postcode")

    # refs of every record in the document, valid or not, so that an invalid record is reported
    # once (above) rather than again as an unknown ref in grades.json
    all_place_refs = {p.get("ref") for p in document.get("places", []) if isinstance(p, dict)}
    newcomer_refs = {n.get("ref") for n in document.get("newcomers", []) if isinstance(n, dict)}
    if not isinstance(grades, dict):
        error("grades.json: must be an object")
        grades = {}
    for nref, judged in grades.items():
        if nref not in newcomer_refs:
            error(f"grades.json: unknown newcomer {nref}")
        if not isinstance(judged, dict):
            error(f"grades.json {nref}: must be an object")
            continue
        for pref, grade in judged.items():
            if pref not in all_place_refs:
                error(f"grades.json {nref}: unknown place {pref}")
            if not is_int(grade) or not 1 <= grade <= 3:
                error(f"grades.json {nref}/{pref}: grade must be 1, 2 or 3, got {grade!r}")

    histogram = defaultdict(int)
    for newcomer in newcomers:
        nref = newcomer["ref"]
        judged = grades.get(nref, {}) if isinstance(grades.get(nref), dict) else {}
        allowed = []
        for place in places:
            broken, km = broken_constraints(newcomer, place, coords)
            grade = judged.get(place["ref"], 0)
            if broken and place["ref"] in judged:
                error(f"{nref}/{place['ref']} is graded {grade} but breaks: {', '.join(broken)}")
            if not broken:
                allowed.append((place, km, grade))
        print(
            f"\n{nref} {newcomer['name']} (Dutch {newcomer['dutch_level']}, "
            f"{newcomer['hours_available']} h, {newcomer['max_travel_km']} km, "
            f"{newcomer.get('physical_capacity', 'heavy')}): {len(allowed)} allowed"
        )
        for place, km, grade in sorted(allowed, key=lambda item: (-item[2], item[0]["ref"])):
            where = "remote" if place.get("remote") else f"{km:5.1f} km"
            print(f"  {place['ref']}  grade {grade}  {where:>8}  {place['title']}")
            histogram[grade] += 1
        useful = [g for _, _, g in allowed if g >= 1]
        if not 4 <= len(allowed) <= 15:
            error(f"{nref}: {len(allowed)} allowed places, want 4-15")
        if len(useful) < 3:
            error(f"{nref}: only {len(useful)} allowed places graded >= 1, want at least 3")
        if 3 not in useful:
            error(f"{nref}: no allowed place graded 3")
        if len(useful) == len(allowed):
            warnings.append(f"{nref}: every allowed place is graded >= 1 (no irrelevant ones)")

    print(
        f"\n{len(orgs)} organisations, {len(places)} places, {len(newcomers)} newcomers; "
        "grades over allowed pairs: "
        + ", ".join(f"{g}: {histogram[g]}" for g in sorted(histogram, reverse=True))
    )
    for message in warnings:
        print(f"warning: {message}")
    for message in errors:
        print(f"ERROR: {message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
