"""Generate a large, realistic exchange document (participation-marketplace/v1) for benchmarks.

Usage, from the repository root::

    python benchmarks/generate.py --places 100000 --newcomers 20000 --organisations 5000 \\
        --seed 20261129 --out /tmp/bench.json

Defaults: 10,000 places, 2,000 newcomers, places // 20 organisations, seed 20261129, output to
stdout (``--out -``). ``--geonames PATH`` points at the GeoNames NL postal-code file (default
``../shared/data/geonames-postal-NL.txt`` relative to the repository root). A one-line summary
goes to stderr. Only the standard library is used. Run it as a script, not with ``-m``: it
imports ``vocabulary.py`` from its own folder.

What comes out
    One JSON document with ``organisations``, ``places`` and ``newcomers`` (refs
    ``org-000001``, ``place-000001``, ``nc-000001``), every key as exchange-format.md lists
    it and nothing else, written record by record so memory stays flat at any size. The same
    seed and sizes give byte-identical output: one ``random.Random(seed)`` drives everything,
    and no clock, set order or environment is read. A smaller run is not a prefix of a
    bigger one.

How realistic
    Places and newcomers are drawn from one vocabulary (``benchmarks/vocabulary.py``): 16
    sectors, their occupations, tasks and tags worded in Dutch and English, so a newcomer's
    ``koken`` can meet a place's ``cooking``. Titles are 4-8 words, descriptions 60-100 words
    (about 70 % Dutch) built from sentences about the work, the team, the support, what you
    learn, the Dutch needed, hours and prospects, each consistent with the record's fields.
    Postcodes are real PC4 areas from GeoNames, weighted by the square root of the number of
    PC4 codes of their place name (cities get more, villages some), with two random letters.
    A place is at its organisation's postcode (60 %), elsewhere in its PC4 (25 %) or in
    another PC4 within 10 km (15 %). Every place is ``published``.

Distributions (places)
    kind: work_experience 32 %, volunteer 24 %, learn_work 13 %, trial_placement 13 %,
    internship 12 %, language_practice 7 %, depending on the organisation's kind (employer
    55 %, nonprofit 30 %, municipality 8 %, education 7 %); all 16 sectors, care and
    hospitality most; dutch_level none 19 %, A1 27 %, A2 30 %, B1 19 %, B2 5 %, C1 1 %;
    hours_min 4-24, hours_max up to 40; 1-4 schedule slots; physical_demand light 40 %,
    moderate 40 %, heavy 20 %; remote 3 %; mentor 50 %; paid_work_prospect yes 25 %,
    possible 45 %, no 30 %; spots 1-5; duration_weeks 70 %; start_date 35 %; 0-2 languages.

Distributions (newcomers)
    origins Syrian, Eritrean, Afghan, Turkish, Ukrainian, Somali, Iraqi, Iranian, Yemeni,
    Sudanese, Ethiopian, with 1-3 matching languages; dutch_level mostly none-A2;
    learning_route b1 60 %, education 15 %, z 25 %; 1-2 focus sectors drive experience (0-3
    jobs), skills (1-6), interests, education and work goals; hours_available 8-40; 15 % free
    on weekday mornings only; max_travel_km 10-25 for 70 %, 5-9 and 26-40 for 15 % each;
    physical_capacity heavy 70 %, moderate 18 %, light 12 %.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import IO, Any, Generic, TypeVar

import vocabulary as vocab

FORMAT = "participation-marketplace/v1"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEONAMES = REPO_ROOT / ".." / "shared" / "data" / "geonames-postal-NL.txt"
#: dates are counted from here, never from the clock, so output does not depend on the day
REFERENCE_DATE = date(2026, 12, 1)

T = TypeVar("T")


# ---- weighted choices ----------------------------------------------------------------------


class Weighted(Generic[T]):
    """Items with weights, picked by one ``rng.random()`` and a binary search."""

    def __init__(self, pairs: Iterable[tuple[T, float]]):
        self.items: list[T] = []
        self.cum: list[float] = []
        total = 0.0
        for item, weight in pairs:
            if weight > 0:
                total += weight
                self.items.append(item)
                self.cum.append(total)
        self.total = total

    def pick(self, rng: Random) -> T:
        index = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.items[index] if index < len(self.items) else self.items[-1]

    def sample(self, rng: Random, k: int) -> list[T]:
        """Up to k distinct items, in the order drawn."""
        chosen: list[T] = []
        k = min(k, len(self.items))
        for _ in range(k * 8):
            if len(chosen) == k:
                break
            item = self.pick(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


def weighted(values: Sequence[T], weights: Sequence[float]) -> Weighted[T]:
    return Weighted(zip(values, weights, strict=True))


def counts(*weights: float, start: int = 0) -> Weighted[int]:
    """How many of something: ``counts(1, 2, start=1)`` is 1 (weight 1) or 2 (weight 2)."""
    return weighted(range(start, start + len(weights)), weights)


# ---- postcodes -------------------------------------------------------------------------------

#: not real postcodes (9999 is spread over the country), see shared/data/README.md
FAKE_PC4 = frozenset({"9999", "1234"})
#: rows lying far from their PC4: PC4 -> the place names to drop
KNOWN_STRAYS = {
    "3523": "Ouddorp",
    "8611": "Emst",
    "7571": "2e Exloërmond",
    "2324": "Amersfoort",
    "3981": "Zeewolde",
    "7887": "Collendoorn",
}
_MUNICIPALITY_PREFIX = re.compile(r"^gemeente\s+", re.IGNORECASE)
_MUNICIPALITY_SUFFIX = re.compile(r"\.?\s+municipal\w*$", re.IGNORECASE)
UNISSUED_LETTERS = frozenset({"SA", "SD", "SS"})
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: grid cells for finding neighbours, about 11 by 10 km in the Netherlands
CELL_LAT, CELL_LON = 0.1, 0.15


@dataclass(frozen=True)
class Area:
    """One PC4 area."""

    pc4: str
    city: str
    municipality: str
    lat: float
    lon: float
    city_size: int = 1  # how many PC4 codes the place name has


#: a place name with at least this many PC4 codes is a city, with neighbourhoods
CITY_SIZE = 5


def _municipality(raw: str, pc4: str, city: str) -> str:
    name = _MUNICIPALITY_SUFFIX.sub("", _MUNICIPALITY_PREFIX.sub("", raw.strip()))
    if name:
        return name
    return "Voorne aan Zee" if 3221 <= int(pc4) <= 3238 else city


def read_areas(path: Path) -> list[Area]:
    """The PC4 areas of the GeoNames file, cleaned as the data README says, sorted by PC4."""
    rows: dict[str, list[list[str]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 11 or cols[0] != "NL" or not re.fullmatch(r"[1-9][0-9]{3}", cols[1]):
                continue
            if cols[1] in FAKE_PC4 or KNOWN_STRAYS.get(cols[1]) == cols[2]:
                continue
            rows.setdefault(cols[1], []).append(cols)
    if not rows:
        raise SystemExit(f"no postcodes read from {path}")
    sizes: dict[str, int] = {}
    for group in rows.values():
        sizes[group[0][2]] = sizes.get(group[0][2], 0) + 1
    areas = []
    for pc4 in sorted(rows):
        group = rows[pc4]
        lat = sum(float(r[9]) for r in group) / len(group)
        lon = sum(float(r[10]) for r in group) / len(group)
        city = group[0][2]
        municipality = _municipality(group[0][5], pc4, city)
        areas.append(Area(pc4, city, municipality, lat, lon, sizes[city]))
    return areas


def distance_km(a: Area, b: Area) -> float:
    """Equirectangular distance, good enough within the Netherlands."""
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6371.0 * math.hypot(x, y)


class Postcodes:
    """PC4 areas weighted towards cities, their neighbours, and full postcodes in them."""

    def __init__(self, areas: list[Area]):
        self.areas = Weighted((a, math.sqrt(a.city_size)) for a in areas)
        self.grid: dict[tuple[int, int], list[Area]] = {}
        for area in areas:
            self.grid.setdefault(self._cell(area), []).append(area)
        self.near_cache: dict[str, list[Area]] = {}

    @staticmethod
    def _cell(area: Area) -> tuple[int, int]:
        return math.floor(area.lat / CELL_LAT), math.floor(area.lon / CELL_LON)

    def pick(self, rng: Random) -> Area:
        return self.areas.pick(rng)

    def near(self, rng: Random, area: Area, km: float = 10.0) -> Area:
        """Another area within ``km`` of this one (itself if it has no neighbours)."""
        if area.pc4 not in self.near_cache:
            row, col = self._cell(area)
            found = [
                other
                for dr in (-1, 0, 1)
                for dc in (-1, 0, 1)
                for other in self.grid.get((row + dr, col + dc), ())
                if other.pc4 != area.pc4 and distance_km(area, other) <= km
            ]
            self.near_cache[area.pc4] = found or [area]
        return rng.choice(self.near_cache[area.pc4])

    @staticmethod
    def postcode(rng: Random, area: Area) -> str:
        """A full postcode ``1234AB`` in the area, never with the unissued SA, SD or SS."""
        while True:
            letters = rng.choice(LETTERS) + rng.choice(LETTERS)
            if letters not in UNISSUED_LETTERS:
                return area.pc4 + letters


# ---- shared helpers ------------------------------------------------------------------------


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def tags(rng: Random, pool: Weighted[vocab.TagGroup], k: int) -> list[str]:
    """k tags from k different groups, no two the same (ignoring case)."""
    chosen: list[str] = []
    seen: set[str] = set()
    for group in pool.sample(rng, k):
        word = rng.choice(group)
        if word.casefold() not in seen:
            seen.add(word.casefold())
            chosen.append(word)
    return chosen


def vary_case(rng: Random, words: list[str]) -> list[str]:
    """Now and then a capital, as people type tags."""
    return [capitalise(w) if rng.random() < 0.08 else w for w in words]


def pool(*parts: tuple[Iterable[vocab.TagGroup], float]) -> Weighted[vocab.TagGroup]:
    """A weighted pool of tag groups from (groups, weight) parts."""
    return Weighted((group, weight) for groups, weight in parts for group in groups)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def schedule(rng: Random, slots: Weighted[str], how_many: int) -> list[str]:
    chosen = slots.sample(rng, how_many)
    return [slot for slot in vocab.SLOTS if slot in chosen]


def with_article(word: str) -> str:
    """An English noun phrase with a or an: ``an IT support assistant``, ``a cook``."""
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def join_words(words: Sequence[str], conjunction: str) -> str:
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


# ---- distributions ---------------------------------------------------------------------------

SECTOR_NAMES = tuple(vocab.SECTORS)
ORG_KINDS = weighted(("employer", "nonprofit", "education", "municipality"), (55, 30, 7, 8))
KVK_CHANCE = {"employer": 0.95, "nonprofit": 0.8, "education": 0.6, "municipality": 0.3}
PLACE_KINDS = ("volunteer", "work_experience", "internship", "learn_work", "trial_placement",
               "language_practice")  # fmt: skip
KIND_BY_ORG = {
    "employer": weighted(PLACE_KINDS, (5, 40, 12, 18, 20, 5)),
    "nonprofit": weighted(PLACE_KINDS, (62, 18, 5, 2, 2, 11)),
    "education": weighted(PLACE_KINDS, (10, 15, 35, 25, 1, 14)),
    "municipality": weighted(PLACE_KINDS, (20, 40, 15, 10, 10, 5)),
}
PROSPECTS = ("yes", "possible", "no")
PROSPECT_VOLUNTEER = weighted(PROSPECTS, (5, 35, 60))
PROSPECT_OTHER = weighted(PROSPECTS, (33, 50, 17))
DURATIONS = {
    "volunteer": (12, 26, 26, 52, 52),
    "work_experience": (8, 12, 13, 16, 26),
    "internship": (6, 8, 10, 12, 20),
    "learn_work": (26, 39, 52, 52),
    "trial_placement": (4, 6, 8, 8, 12),
    "language_practice": (8, 12, 16, 26),
}
LANGUAGE_PRACTICE_DUTCH = weighted(vocab.DUTCH_LEVELS, (35, 40, 25, 0, 0, 0))
HOURS_MIN = weighted((4, 6, 8, 10, 12, 16, 20, 24), (10, 6, 20, 6, 18, 18, 12, 10))
HOURS_SPAN = weighted((0, 4, 8, 12, 16, 20), (15, 25, 25, 15, 12, 8))
SLOT_COUNT_PLACE = counts(25, 40, 25, 10, start=1)
SPOTS = counts(35, 30, 15, 10, 10, start=1)
PLACE_LANGUAGE_COUNT = counts(45, 40, 15)
PLACE_LANGUAGES = Weighted(vocab.PLACE_LANGUAGES)
TAG_COUNT = counts(15, 30, 30, 15, 10, start=1)
EDUCATION_COUNT = counts(40, 40, 20)
EXTRA_SECTOR_COUNT = counts(55, 35, 10)
ORG_SENTENCE_COUNT = counts(60, 40, start=1)

ROUTES = weighted(("b1", "education", "z"), (60, 15, 25))
DUTCH_BY_ROUTE = {
    "b1": weighted(vocab.DUTCH_LEVELS, (18, 35, 32, 12, 2.5, 0.5)),
    "education": weighted(vocab.DUTCH_LEVELS, (10, 30, 35, 18, 6, 1)),
    "z": weighted(vocab.DUTCH_LEVELS, (45, 40, 13, 2, 0, 0)),
}
EDUCATION_LEVELS = ("none", "primary", "secondary", "vocational", "bachelor", "master")
EDUCATION_BY_ROUTE = {
    "b1": weighted(EDUCATION_LEVELS, (6, 18, 32, 22, 17, 5)),
    "education": weighted(EDUCATION_LEVELS, (0, 5, 45, 20, 22, 8)),
    "z": weighted(EDUCATION_LEVELS, (35, 40, 15, 7, 3, 0)),
}
ORIGINS = Weighted((origin, origin.weight) for origin in vocab.ORIGINS.values())
EXTRA_LANGUAGE_COUNT = counts(35, 45, 20)
FOCUS_SECTORS = Weighted((name, s.weight) for name, s in vocab.SECTORS.items())
FOCUS_COUNT = counts(55, 45, start=1)
EXPERIENCE_COUNT = counts(25, 40, 25, 10)
YEARS = (0.5, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20)
SKILL_COUNT = counts(10, 20, 25, 20, 15, 10, start=1)
INTEREST_COUNT = counts(15, 25, 30, 20, 10)
WORK_GOAL_COUNT = counts(20, 35, 30, 15)
HOURS_AVAILABLE = (8, 12, 16, 16, 20, 20, 24, 24, 28, 32, 32, 36, 40)
SLOT_COUNT_NEWCOMER = counts(15, 35, 30, 20, start=1)
NEWCOMER_SLOTS = weighted(vocab.SLOTS, (7, 6, 3, 3))
CAPACITY = weighted(vocab.PHYSICAL, (12, 18, 70))


# ---- organisations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    """What places need to know about their organisation."""

    ref: str
    name: str
    type: vocab.OrgType
    sectors: tuple[str, ...]  # the first is its own; places in the others are a sideline
    area: Area
    postcode: str


def sectors_for_kind(kind: str) -> Weighted[str]:
    names = [n for n, s in vocab.SECTORS.items() if any(o.kind == kind for o in s.orgs)]
    return Weighted((n, vocab.SECTORS[n].weight) for n in names)


SECTORS_BY_KIND = {kind: sectors_for_kind(kind) for kind in ORG_KINDS.items}


def make_org(rng: Random, number: int, postcodes: Postcodes) -> tuple[dict[str, Any], Org]:
    kind = ORG_KINDS.pick(rng)
    sectors = tuple(SECTORS_BY_KIND[kind].sample(rng, 1 + EXTRA_SECTOR_COUNT.pick(rng)))
    org_type = rng.choice([o for o in vocab.SECTORS[sectors[0]].orgs if o.kind == kind])
    area = postcodes.pick(rng)
    name = org_type.name.format(
        name=rng.choice(vocab.ORG_NAMES),
        surname=rng.choice(vocab.SURNAMES_NL),
        city=area.city,
        municipality=area.municipality,
    )
    org = Org(f"org-{number:06d}", name, org_type, sectors, area, postcodes.postcode(rng, area))
    record: dict[str, Any] = {"ref": org.ref, "name": name, "kind": kind}
    if rng.random() < KVK_CHANCE[kind]:
        record["kvk"] = str(rng.randrange(10_000_000, 100_000_000))
    record["postcode"] = org.postcode
    record["city"] = area.city
    if rng.random() < 0.6:
        record["website"] = f"https://www.{slug(name)}.example.nl"
    if rng.random() < 0.7:
        record["description"] = org_description(rng, org)
    return record, org


def org_description(rng: Random, org: Org) -> str:
    sector = vocab.SECTORS[org.sectors[0]]
    dutch = rng.random() < 0.8
    templates = vocab.ORG_DESCRIPTIONS_NL if dutch else vocab.ORG_DESCRIPTIONS_EN
    context = {
        "org": org.name,
        "city": org.area.city,
        "aim": rng.choice(sector.aims_nl if dutch else sector.aims_en),
        "setting": org.type.setting_nl if dutch else org.type.setting_en,
        "adj": rng.choice(vocab.ADJECTIVES_NL),
        "a_adj_en": with_article(rng.choice(vocab.ADJECTIVES_EN)),
    }
    chosen = [rng.choice(templates) for _ in range(ORG_SENTENCE_COUNT.pick(rng))]
    sentences = dict.fromkeys(t.format_map(context) for t in chosen)
    return capitalise(" ".join(sentences))


# ---- places ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorTables:
    """Per-sector weighted tables, built once."""

    schedule: Weighted[str]
    physical: Weighted[str]
    dutch: Weighted[str]
    wanted: dict[int, Weighted[vocab.TagGroup]]
    learned: dict[int, Weighted[vocab.TagGroup]]
    education: Weighted[vocab.TagGroup]


def sector_tables(sector: vocab.Sector) -> SectorTables:
    wanted, learned = {}, {}
    for index, occupation in enumerate(sector.occupations):
        others = [t for o in sector.occupations if o is not occupation for t in o.tags]
        wanted[index] = pool((occupation.tags, 4), (others, 0.5), (vocab.SOFT_SKILLS, 0.5))
        learned[index] = pool(
            (sector.learned, 3), (occupation.tags, 1), (vocab.GENERIC_LEARNED, 1.2)
        )
    return SectorTables(
        schedule=weighted(vocab.SLOTS, sector.schedule),
        physical=weighted(vocab.PHYSICAL, sector.physical),
        dutch=weighted(vocab.DUTCH_LEVELS, sector.dutch),
        wanted=wanted,
        learned=learned,
        education=pool((sector.education, 3), (vocab.GENERIC_EDUCATION, 1)),
    )


TABLES = {name: sector_tables(sector) for name, sector in vocab.SECTORS.items()}


def place_location(rng: Random, org: Org, postcodes: Postcodes) -> tuple[str, Area]:
    """A place's postcode and area: at the organisation, in its PC4, or within 10 km."""
    roll = rng.random()
    if roll < 0.6:
        return org.postcode, org.area
    area = org.area if roll < 0.85 else postcodes.near(rng, org.area)
    return postcodes.postcode(rng, area), area


def place_hours(rng: Random) -> tuple[int, int]:
    low = HOURS_MIN.pick(rng)
    return low, min(40, low + HOURS_SPAN.pick(rng))


def make_place(rng: Random, number: int, org: Org, postcodes: Postcodes) -> dict[str, Any]:
    own = len(org.sectors) == 1 or rng.random() < 0.75
    name = org.sectors[0] if own else rng.choice(org.sectors[1:])
    sector, tables = vocab.SECTORS[name], TABLES[name]
    kind = KIND_BY_ORG[org.type.kind].pick(rng)
    if own and org.type.jobs:
        job = rng.choice(org.type.jobs)
    else:
        job = rng.randrange(len(sector.occupations))
    hours_min, hours_max = place_hours(rng)
    dutch = (LANGUAGE_PRACTICE_DUTCH if kind == "language_practice" else tables.dutch).pick(rng)
    remote = rng.random() < sector.remote
    place: dict[str, Any] = {
        "ref": f"place-{number:06d}",
        "organisation": org.ref,
        "title": "",
        "description": "",
        "kind": kind,
        "sector": name,
        "skills_wanted": tags(rng, tables.wanted[job], TAG_COUNT.pick(rng)),
        "skills_learned": tags(rng, tables.learned[job], TAG_COUNT.pick(rng)),
        "education_offered": tags(rng, tables.education, EDUCATION_COUNT.pick(rng)),
        "dutch_level": dutch,
        "languages": sorted(PLACE_LANGUAGES.sample(rng, PLACE_LANGUAGE_COUNT.pick(rng))),
        "hours_min": hours_min,
        "hours_max": hours_max,
        "schedule": schedule(rng, tables.schedule, SLOT_COUNT_PLACE.pick(rng)),
    }
    area = org.area
    if remote:
        place["remote"] = True
    else:
        place["postcode"], area = place_location(rng, org, postcodes)
        place["city"] = area.city
    place["physical_demand"] = "light" if remote else tables.physical.pick(rng)
    place["spots"] = SPOTS.pick(rng)
    if rng.random() < 0.7:
        place["duration_weeks"] = rng.choice(DURATIONS[kind])
    if rng.random() < 0.35:
        place["start_date"] = (REFERENCE_DATE + timedelta(days=rng.randint(7, 180))).isoformat()
    place["mentor"] = rng.random() < 0.5
    prospects = PROSPECT_VOLUNTEER if kind == "volunteer" else PROSPECT_OTHER
    place["paid_work_prospect"] = prospects.pick(rng)
    place["status"] = "published"
    setting = (org.type.setting_nl, org.type.setting_en) if own else None
    writer = PlaceText(rng, place, Where(org, area, setting), sector, sector.occupations[job])
    place["title"] = writer.title()
    place["description"] = writer.description()
    for key in ("skills_wanted", "skills_learned", "education_offered"):
        place[key] = vary_case(rng, place[key])
    return place


# ---- place text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Who offers a place and where: the organisation, the area, and its own setting if any."""

    org: Org
    area: Area
    setting: tuple[str, str] | None


class PlaceText:
    """The title and description of one place, in Dutch (70 %) or English, true to its fields."""

    def __init__(
        self,
        rng: Random,
        place: dict[str, Any],
        where: Where,
        sector: vocab.Sector,
        job: vocab.Occupation,
    ):
        self.rng, self.place = rng, place
        self.nl = rng.random() < 0.7
        self.in_city = where.area.city_size >= CITY_SIZE
        self.ctx = self._context(where, sector, job)

    def _pick(self, dutch: Sequence[str], english: Sequence[str]) -> str:
        templates = dutch if self.nl else english
        if not self.in_city:
            templates = [t for t in templates if "{wijk}" not in t] or templates
        return self.rng.choice(templates)

    def _context(self, where: Where, sector: vocab.Sector, job: vocab.Occupation) -> dict[str, Any]:
        rng, place = self.rng, self.place
        tasks = rng.sample(job.tasks_nl if self.nl else job.tasks_en, 3)
        objects = rng.sample(sector.objects_nl if self.nl else sector.objects_en, 2)
        learned = list(place["skills_learned"]) + [rng.choice(g) for g in sector.learned]
        occupation = self._pick(job.nl, job.en)
        education = place["education_offered"]
        kind = (vocab.KIND_NOUNS_NL if self.nl else vocab.KIND_NOUNS_EN)[place["kind"]]
        adjective_en = rng.choice(vocab.ADJECTIVES_EN)
        low, high = place["hours_min"], place["hours_max"]
        if where.setting:
            setting = where.setting[0] if self.nl else where.setting[1]
        else:
            setting = self._pick(sector.settings_nl, sector.settings_en)
        return {
            "org": where.org.name,
            "city": where.area.city,
            "wijk": rng.choice(vocab.WIJKEN),
            "setting": setting,
            "aim": self._pick(sector.aims_nl, sector.aims_en),
            "occ": occupation,
            "Occ": capitalise(occupation),
            "a_occ": with_article(occupation),
            "adj": rng.choice(vocab.ADJECTIVES_NL),
            "adj_en": adjective_en,
            "a_adj_en": with_article(adjective_en),
            "obj": objects[0],
            "obj2": objects[1],
            "n": rng.randint(3, 25),
            "m": rng.randint(2, 9),
            "t1": tasks[0],
            "t2": tasks[1],
            "t3": tasks[2],
            "l1": learned[0],
            "l2": next((w for w in learned[1:] if w != learned[0]), learned[0]),
            "cert": education[0] if education else "",
            "kind": kind,
            "a_kind": with_article(kind),
            "hours": str(low) if low == high else f"{low} {'tot' if self.nl else 'to'} {high}",
            "hours_short": str(low) if low == high else f"{low}-{high}",
            "spots": place["spots"],
        }

    def title(self) -> str:
        heads = vocab.TITLE_HEADS_NL if self.nl else vocab.TITLE_HEADS_EN
        tails = [
            t
            for t in (vocab.TITLE_TAILS_NL if self.nl else vocab.TITLE_TAILS_EN)
            if ("{cert}" not in t or self.ctx["cert"])
            and ("mentor" not in t or self.place["mentor"])
            and ("{city}" not in t or "city" in self.place)
            and ("{wijk}" not in t or self.in_city)
        ]
        for _ in range(20):
            words = self.rng.choice(heads[self.place["kind"]]).format_map(self.ctx).split()
            first, second = self.rng.sample(tails, 2)
            if len(words) < 4 or self.rng.random() < 0.6:
                words += first.format_map(self.ctx).split()
            if len(words) < 4 and not ("{city}" in first and "{city}" in second):
                words += second.format_map(self.ctx).split()
            if 4 <= len(words) <= 8:
                return capitalise(" ".join(words))
        padding = "voor nieuwkomers in de regio" if self.nl else "for newcomers in the region"
        return capitalise(" ".join((words + padding.split())[:8]))

    def description(self) -> str:
        """Sentences in a natural order, the optional ones added until 60-100 words."""
        required, optional = self._sentences()
        target = self.rng.randint(60, 100)
        chosen = list(required)
        words = sum(len(text.split()) for _, text in chosen)
        self.rng.shuffle(optional)
        for order, text in optional:
            if words >= target:
                break
            length = len(text.split())
            if words + length <= 100:
                chosen.append((order, text))
                words += length
        chosen.sort(key=lambda item: item[0])
        return " ".join(text for _, text in chosen)

    def _say(self, dutch: Sequence[str], english: Sequence[str]) -> str:
        return self._pick(dutch, english).format_map(self.ctx)

    def _sentences(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(order, sentence) pairs: the ones every description has, and the optional ones."""
        v, place, say = vocab, self.place, self._say
        mentor = place["mentor"]
        level, demand = place["dutch_level"], place["physical_demand"]
        prospect = place["paid_work_prospect"]
        required = [
            (0, say(v.INTRO_NL, v.INTRO_EN)),
            (1, say(v.TASKS_NL, v.TASKS_EN)),
            (5, say(*((v.MENTOR_NL, v.MENTOR_EN) if mentor else (v.NO_MENTOR_NL, v.NO_MENTOR_EN)))),
            (6, say(v.DUTCH_NL[level], v.DUTCH_EN[level])),
        ]
        optional = [
            (2, say(v.TEAM_NL, v.TEAM_EN)),
            (3, say(v.LEARN_NL, v.LEARN_EN)),
            (8, say(v.PHYSICAL_NL[demand], v.PHYSICAL_EN[demand])),
            (9, self._hours()),
            (
                12,
                say(v.ONE_SPOT_NL, v.ONE_SPOT_EN)
                if place["spots"] == 1
                else say(v.SPOTS_NL, v.SPOTS_EN),
            ),
            (13, say(v.PROSPECT_NL[prospect], v.PROSPECT_EN[prospect])),
        ]
        if place["education_offered"]:
            optional.append((4, say(v.CERT_NL, v.CERT_EN)))
        if place["languages"]:
            optional.append((7, self._languages()))
        if "duration_weeks" in place:
            self.ctx["weeks"] = place["duration_weeks"]
            optional.append((10, say(v.DURATION_NL, v.DURATION_EN)))
        if "start_date" in place:
            month = int(place["start_date"][5:7]) - 1
            self.ctx["month"] = (v.MONTHS_NL if self.nl else v.MONTHS_EN)[month]
            optional.append((11, say(v.START_NL, v.START_EN)))
        fillers = self.rng.sample(v.FILLER_NL if self.nl else v.FILLER_EN, 8)
        optional += [(14, text.format_map(self.ctx)) for text in fillers]
        return required, optional

    def _hours(self) -> str:
        names = vocab.SLOT_WORDS_NL if self.nl else vocab.SLOT_WORDS_EN
        words = [names[vocab.SLOTS.index(slot)] for slot in self.place["schedule"]]
        self.ctx["slots"] = join_words(words, "en" if self.nl else "and")
        return self._say(vocab.HOURS_NL, vocab.HOURS_EN)

    def _languages(self) -> str:
        names = vocab.LANGUAGE_NAMES_NL if self.nl else vocab.LANGUAGE_NAMES_EN
        words = [names[code] for code in self.place["languages"]]
        self.ctx["langs"] = join_words(words, "en" if self.nl else "and")
        return self._say(vocab.LANGS_NL, vocab.LANGS_EN)


# ---- newcomers -------------------------------------------------------------------------------


def newcomer_languages(rng: Random, origin: vocab.Origin) -> list[str]:
    extras = Weighted(origin.extra_languages).sample(rng, EXTRA_LANGUAGE_COUNT.pick(rng))
    return [origin.language, *extras]


def newcomer_education(rng: Random, route: str) -> dict[str, Any]:
    level = EDUCATION_BY_ROUTE[route].pick(rng)
    found: dict[str, Any] = {"education_level": level}
    if (level == "vocational" and rng.random() < 0.6) or (
        level == "secondary" and rng.random() < 0.05
    ):
        found["education_field"] = rng.choice(vocab.EDUCATION_FIELDS_VOCATIONAL)
    elif level in ("bachelor", "master") and rng.random() < 0.8:
        found["education_field"] = rng.choice(vocab.EDUCATION_FIELDS_ACADEMIC)
    return found


def occupation_words(rng: Random, job: vocab.Occupation) -> str:
    """An occupation as a newcomer writes it: ``kok``, ``cook in a restaurant``."""
    dutch = rng.random() < 0.55
    name = rng.choice(job.nl if dutch else job.en)
    if rng.random() < 0.3:
        name += " " + rng.choice(vocab.PAST_SETTINGS_NL if dutch else vocab.PAST_SETTINGS_EN)
    return name


def experience(rng: Random, focus: list[str]) -> list[tuple[vocab.Occupation, dict[str, Any]]]:
    found = []
    for _ in range(EXPERIENCE_COUNT.pick(rng)):
        name = rng.choice(focus) if rng.random() < 0.8 else FOCUS_SECTORS.pick(rng)
        job = rng.choice(vocab.SECTORS[name].occupations)
        item = {"occupation": occupation_words(rng, job), "years": rng.choice(YEARS)}
        found.append((job, item))
    return found


def work_goals(rng: Random, focus: list[str]) -> list[str]:
    goals: list[str] = []
    for _ in range(WORK_GOAL_COUNT.pick(rng)):
        sector = vocab.SECTORS[rng.choice(focus)]
        if rng.random() < 0.6:
            job = rng.choice(sector.occupations)
            goal = rng.choice(job.nl + job.en)
        else:
            goal = rng.choice(rng.choice(sector.interests))
        if goal not in goals:
            goals.append(goal)
    return goals


def newcomer_schedule(rng: Random) -> list[str]:
    if rng.random() < 0.15:
        return ["weekday_morning"]
    return schedule(rng, NEWCOMER_SLOTS, SLOT_COUNT_NEWCOMER.pick(rng))


def travel_km(rng: Random) -> int:
    roll = rng.random()
    if roll < 0.15:
        return rng.randint(5, 9)
    if roll < 0.85:
        return rng.randint(10, 25)
    return rng.randint(26, 40)


def make_newcomer(rng: Random, number: int, postcodes: Postcodes) -> dict[str, Any]:
    origin = ORIGINS.pick(rng)
    first = rng.choice(origin.male if rng.random() < 0.55 else origin.female)
    area = postcodes.pick(rng)
    route = ROUTES.pick(rng)
    focus = FOCUS_SECTORS.sample(rng, FOCUS_COUNT.pick(rng))
    jobs = experience(rng, focus)
    sectors = [vocab.SECTORS[name] for name in focus]
    own_tags = [t for job, _ in jobs for t in job.tags]
    focus_tags = [t for s in sectors for o in s.occupations for t in o.tags]
    skills = pool((own_tags, 6), (focus_tags, 1), (vocab.SOFT_SKILLS, 2))
    interests = pool(([g for s in sectors for g in s.interests], 3), (vocab.HOBBIES, 1))
    goals = pool(([g for s in sectors for g in s.education], 2), (vocab.EDUCATION_GOALS, 1))
    goal_count = max(EDUCATION_COUNT.pick(rng), 1 if route == "education" else 0)
    record: dict[str, Any] = {
        "ref": f"nc-{number:06d}",
        "name": f"{first} {rng.choice(origin.surnames)}",
        "postcode": postcodes.postcode(rng, area),
    }
    if rng.random() < 0.9:
        record["city"] = area.city
    record["dutch_level"] = DUTCH_BY_ROUTE[route].pick(rng)
    record["languages"] = newcomer_languages(rng, origin)
    record["learning_route"] = route
    record.update(newcomer_education(rng, route))
    record["experience"] = [item for _, item in jobs]
    record["skills"] = vary_case(rng, tags(rng, skills, SKILL_COUNT.pick(rng)))
    record["interests"] = vary_case(rng, tags(rng, interests, INTEREST_COUNT.pick(rng)))
    record["education_goals"] = vary_case(rng, tags(rng, goals, goal_count))
    record["work_goals"] = work_goals(rng, focus)
    record["hours_available"] = rng.choice(HOURS_AVAILABLE)
    record["schedule"] = newcomer_schedule(rng)
    record["max_travel_km"] = travel_km(rng)
    record["physical_capacity"] = CAPACITY.pick(rng)
    return record


# ---- the document ----------------------------------------------------------------------------


def org_weights(rng: Random, orgs: list[Org]) -> Weighted[Org]:
    """Some organisations offer many places, most a few (a capped Pareto)."""
    return Weighted((org, min(rng.paretovariate(1.5), 20.0)) for org in orgs)


def write_section(out: IO[str], name: str, records: Iterator[dict[str, Any]], last: bool) -> int:
    out.write(f'"{name}": [')
    written = 0
    for record in records:
        out.write(",\n" if written else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        written += 1
    out.write("\n]" + ("" if last else ",\n"))
    return written


def generate(out: IO[str], args: argparse.Namespace, postcodes: Postcodes) -> tuple[int, ...]:
    """Write the whole document; the counts of organisations, places and newcomers."""
    rng = Random(args.seed)
    orgs: list[Org] = []

    def organisations() -> Iterator[dict[str, Any]]:
        for number in range(1, args.organisations + 1):
            record, org = make_org(rng, number, postcodes)
            orgs.append(org)
            yield record

    def places() -> Iterator[dict[str, Any]]:
        owners = org_weights(rng, orgs)
        for number in range(1, args.places + 1):
            yield make_place(rng, number, owners.pick(rng), postcodes)

    def newcomers() -> Iterator[dict[str, Any]]:
        for number in range(1, args.newcomers + 1):
            yield make_newcomer(rng, number, postcodes)

    out.write(f'{{"format": "{FORMAT}",\n')
    written = (
        write_section(out, "organisations", organisations(), last=False),
        write_section(out, "places", places(), last=False),
        write_section(out, "newcomers", newcomers(), last=True),
    )
    out.write("}\n")
    return written


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--newcomers", type=int, default=2_000)
    parser.add_argument("--organisations", type=int, default=None, help="default: places // 20")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--out", default="-", help="file to write, or - for stdout")
    parser.add_argument("--geonames", type=Path, default=DEFAULT_GEONAMES)
    args = parser.parse_args(argv)
    if min(args.places, args.newcomers) < 0 or (args.organisations or 0) < 0:
        parser.error("sizes must not be negative")
    if args.organisations is None:
        args.organisations = max(1, args.places // 20) if args.places else 0
    if args.places and not args.organisations:
        parser.error("places need at least one organisation")
    return args


def open_output(path: str) -> IO[str]:
    """The output as UTF-8 text with \\n line ends, whatever the locale; ``-`` is stdout."""
    if path == "-":
        return open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)
    return open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    postcodes = Postcodes(read_areas(args.geonames))
    with open_output(args.out) as out:
        n_orgs, n_places, n_newcomers = generate(out, args, postcodes)
    seconds = time.perf_counter() - started
    where = "stdout" if args.out == "-" else f"{args.out} ({Path(args.out).stat().st_size:,} bytes)"
    print(
        f"generate.py: {n_orgs} organisations, {n_places} places, {n_newcomers} newcomers, "
        f"seed {args.seed}, in {seconds:.1f} s -> {where}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
