"""The rules of matching, in one place: the hard constraints and the fit of a newcomer to a place.

Nothing here reads the index or the database. A newcomer is an :class:`Applicant`; a place is
seen through a :class:`PlaceView`, which gives the words of each part of the place and the
few facts scoring needs. Matching newcomer -> places builds the views from
the index (fast, for thousands of places); candidates for a place builds them from the
database (one place, a caseload of newcomers). Both call the same :func:`misses` and
:func:`fit`, so a newcomer and a consultant always see the same verdict.

Reasons and misses are structured (a code and values); :mod:`marketplace.search.reasons`
turns them into words in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from marketplace.places.models import Sector
from marketplace.search.analysis import tag_analyzer
from marketplace.search.synonyms import CONCEPT_PREFIX, CONCEPT_SECTORS
from marketplace.vocab import DutchLevel, PhysicalDemand, Schedule

#: weights of the parts of the fit (they add up to 1; parts a newcomer has nothing for drop out)
WEIGHTS = {
    "skills": 0.24,
    "experience": 0.14,
    "education": 0.20,
    "work_goal": 0.20,
    "interests": 0.05,
    "prospect": 0.06,
    "language": 0.04,
    "mentor": 0.03,
    "distance": 0.04,
}
#: how telling a word is in each part of a place, per kind of thing the newcomer wrote
FIELD_WEIGHTS = {
    "skills": {"skills_wanted": 1.0, "title": 1.0, "skills_learned": 0.8, "description": 0.6},
    "experience": {"title": 1.0, "skills_wanted": 1.0, "skills_learned": 0.7, "description": 0.6},
    "education": {"education_offered": 1.0, "skills_learned": 0.6, "title": 0.5},
    "work_goal": {"title": 1.0, "skills_wanted": 0.8, "skills_learned": 0.8, "description": 0.5},
    "interests": {"title": 1.0, "description": 0.8, "skills_learned": 0.8, "skills_wanted": 0.6},
}
#: a work goal that names the place's sector (or an occupation in it) counts this much
SECTOR_MATCH = 0.7
#: how many well-matched items of one part (skills, goals...) make that part a full match
ENOUGH_ITEMS = 2
#: a word found only through its concept (kok ~ cooking) counts this much of an exact word
CONCEPT_ONLY = 0.8
#: newcomers with at most this much Dutch are helped by a mentor and their own language
LITTLE_DUTCH = DutchLevel.A1.rank
SOME_DUTCH = DutchLevel.A2.rank
SCHOOL_HOURS = frozenset({Schedule.WEEKDAY_MORNING.value, Schedule.WEEKDAY_AFTERNOON.value})


@dataclass(frozen=True)
class Item:
    """One thing a newcomer wrote (a skill, a goal), as the words the index knows.

    ``words`` holds, per word, its forms (the word, its stems, its concept token);
    ``wholes`` the concept tokens of multi-word phrases ("order picking").
    """

    text: str
    words: tuple[frozenset[str], ...]
    wholes: frozenset[str] = frozenset()
    weight: float = 1.0

    @cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset().union(*self.words, self.wholes)

    @cached_property
    def split_words(self) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """Per word: its plain forms, and its concept tokens."""
        return tuple(
            (
                frozenset(t for t in forms if t[0] != CONCEPT_PREFIX),
                frozenset(t for t in forms if t[0] == CONCEPT_PREFIX),
            )
            for forms in self.words
        )

    @cached_property
    def concepts(self) -> frozenset[str]:
        return frozenset(t[len(CONCEPT_PREFIX) :] for t in self.tokens if t[0] == CONCEPT_PREFIX)


def item(text: str, weight: float = 1.0) -> Item | None:
    """The item for a tag a newcomer wrote, or None when it has no searchable word."""
    by_position: dict[int, set[str]] = {}
    wholes: set[str] = set()
    for token in tag_analyzer()(text, positions=True, mode="query"):
        if token.span > 1:
            wholes.add(token.text)
        else:
            by_position.setdefault(token.pos, set()).add(token.text)
    words = tuple(frozenset(forms) for _pos, forms in sorted(by_position.items()))
    if not words and not wholes:
        return None
    return Item(text.strip(), words, frozenset(wholes), weight)


def items(texts: Iterable[str] | None, weights: Iterable[float] | None = None) -> tuple[Item, ...]:
    weights = list(weights) if weights is not None else None
    made = []
    for n, text in enumerate(texts or []):
        if text and text.strip():
            found = item(text, weights[n] if weights else 1.0)
            if found is not None:
                made.append(found)
    return tuple(made)


@dataclass(frozen=True)
class Applicant:
    """What matching knows of a newcomer."""

    key: str  # their ref, or profile id
    dutch: int  # DutchLevel.rank
    hours: int
    schedule: frozenset[str]
    point: tuple[float, float] | None
    max_km: float
    physical: int  # PhysicalDemand.rank of the heaviest work they can do
    languages: frozenset[str] = frozenset()
    skills: tuple[Item, ...] = ()
    experience: tuple[Item, ...] = ()
    education_goals: tuple[Item, ...] = ()
    work_goals: tuple[Item, ...] = ()
    interests: tuple[Item, ...] = ()
    aims_at_work: bool = True

    def parts(self) -> dict[str, tuple[Item, ...]]:
        return {
            "skills": self.skills,
            "experience": self.experience,
            "education": self.education_goals,
            "work_goal": self.work_goals,
            "interests": self.interests,
        }

    @cached_property
    def goal_sectors(self) -> frozenset[str]:
        sectors: set[str] = set()
        for goal in self.work_goals:
            for concept in goal.concepts:
                sectors.update(CONCEPT_SECTORS.get(concept, ()))
            sectors.update(w for forms in goal.words for w in forms if w in _SECTOR_NAMES)
        return frozenset(sectors)


_SECTOR_NAMES = frozenset(sector.value for sector in Sector)


class PlaceView(Protocol):
    """What matching needs to know of a place."""

    place_id: int
    dutch: int
    mentor: bool
    hours_min: int
    schedule: frozenset[str]
    remote: bool
    physical: int
    spots_free: int
    public: bool
    sector: str
    prospect: str
    languages: frozenset[str]
    km: float | None  # from the newcomer; None when either has no known place

    def tokens_in(self, fieldname: str) -> frozenset[str]:
        """The tokens of one part of the place (only those asked about, for the index's view)."""
        ...

    def has_any(self, tokens: frozenset[str]) -> bool:
        """Whether any of the tokens occurs anywhere in the place (a quick first check)."""
        ...


@dataclass(frozen=True)
class Miss:
    """A hard constraint the place breaks: ``code``, what the place needs, what they have."""

    code: str  # closed | full | dutch | hours | schedule | distance | physical
    needed: object = None
    has: object = None


@dataclass(frozen=True)
class Reason:
    """Why a place fits: ``code`` and the words or figures that show it."""

    code: str  # skills | experience | education | work_goal | sector | interests | ...
    values: tuple[str, ...] = ()
    km: float | None = None


@dataclass
class Fit:
    score: float
    reasons: list[Reason] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)


def dutch_allowed(applicant_dutch: int, place_dutch: int, mentor: bool) -> bool:
    """A place may ask one level more Dutch than the newcomer has, but only with a mentor."""
    return place_dutch <= applicant_dutch or (mentor and place_dutch == applicant_dutch + 1)


def misses(applicant: Applicant, place: PlaceView) -> list[Miss]:
    """Every hard constraint (exchange-format.md) the place breaks for this newcomer."""
    found: list[Miss] = []
    if not place.public:
        found.append(Miss("closed"))
    elif place.spots_free < 1:
        found.append(Miss("full"))
    if not dutch_allowed(applicant.dutch, place.dutch, place.mentor):
        found.append(
            Miss(
                "dutch",
                list(DutchLevel)[place.dutch].value,
                list(DutchLevel)[applicant.dutch].value,
            )
        )
    if place.hours_min > applicant.hours:
        found.append(Miss("hours", place.hours_min, applicant.hours))
    if not place.schedule & applicant.schedule:
        found.append(Miss("schedule", tuple(sorted(place.schedule)), tuple(applicant.schedule)))
    if not place.remote and (place.km is None or place.km > applicant.max_km):
        found.append(Miss("distance", place.km, applicant.max_km))
    if place.physical > applicant.physical:
        found.append(
            Miss(
                "physical",
                list(PhysicalDemand)[place.physical].value,
                list(PhysicalDemand)[applicant.physical].value,
            )
        )
    return found


def _strength(entry: Item, place: PlaceView, fields: dict[str, float]) -> float:
    """How well one item is found in a place: 0 (not at all) to 1 (every word, exactly)."""
    if not place.has_any(entry.tokens):
        return 0.0
    best = 0.0
    for name, weight in fields.items():
        present = place.tokens_in(name)
        if not present or weight <= best:
            continue
        if not entry.wholes.isdisjoint(present):
            best = weight
            continue
        found = 0.0
        for exact, concepts in entry.split_words:
            if not exact.isdisjoint(present):
                found += 1.0
            elif not concepts.isdisjoint(present):
                found += CONCEPT_ONLY
        best = max(best, weight * found / len(entry.words)) if entry.words else best
    return best


def _part(entries: tuple[Item, ...], place: PlaceView, fields: dict[str, float]):
    """A part's value (0-1) and what matched: full when two items (or the only one) match well.

    A newcomer who wrote six skills is not asked to use all six at one place.
    """
    strengths = [(_strength(entry, place, fields) * entry.weight, entry) for entry in entries]
    strengths.sort(key=lambda pair: -pair[0])
    enough = min(len(entries), ENOUGH_ITEMS)
    value = min(1.0, sum(strength for strength, _e in strengths[:enough]) / enough)
    return value, [entry for strength, entry in strengths if strength >= 0.5]


def fit(applicant: Applicant, place: PlaceView) -> Fit:
    """How well a place fits the newcomer (0-1), with the reasons, best reason first."""
    values: dict[str, float] = {}
    reasons: dict[str, Reason] = {}
    for name, entries in applicant.parts().items():
        if not entries:
            continue
        value, matched = _part(entries, place, FIELD_WEIGHTS[name])
        values[name] = value
        if matched:
            reasons[name] = Reason(name, tuple(entry.text for entry in matched[:3]))
    sector_goal = applicant.work_goals and place.sector in applicant.goal_sectors
    if sector_goal and values.get("work_goal", 0.0) < SECTOR_MATCH:
        values["work_goal"] = SECTOR_MATCH
        reasons.setdefault("work_goal", Reason("sector", (place.sector,)))
    if applicant.aims_at_work:
        values["prospect"] = {"yes": 1.0, "possible": 0.5}.get(place.prospect, 0.0)
        if place.prospect == "yes":
            reasons["prospect"] = Reason("prospect")
    if applicant.dutch <= LITTLE_DUTCH:
        spoken = applicant.languages & place.languages
        values["language"] = 1.0 if spoken else 0.0
        if spoken:
            reasons["language"] = Reason("language", tuple(sorted(spoken)))
    if applicant.dutch <= SOME_DUTCH:
        values["mentor"] = 1.0 if place.mentor else 0.0
        if place.mentor:
            reasons["mentor"] = Reason("mentor")
    if place.remote:
        values["distance"] = 1.0
        reasons["distance"] = Reason("remote")
    elif place.km is not None:
        values["distance"] = max(0.0, 1 - place.km / max(applicant.max_km, 1.0))
        reasons["distance"] = Reason("distance", km=round(place.km, 1))
    total = sum(WEIGHTS[name] for name in values)
    score = sum(WEIGHTS[name] * value for name, value in values.items()) / total if total else 0
    ordered = sorted(reasons, key=lambda name: -WEIGHTS[name] * values.get(name, 0.0))
    return Fit(round(score, 4), [reasons[name] for name in ordered], values)


def effective_limits(
    physical: int, schedule: frozenset[str], limits: Iterable[str]
) -> tuple[int, frozenset[str]]:
    """The physical capacity and free parts of the week after the newcomer's practical limits."""
    limits = set(limits)
    if "light_work_only" in limits:
        physical = min(physical, PhysicalDemand.LIGHT.rank)
    if "no_long_standing" in limits:
        physical = min(physical, PhysicalDemand.MODERATE.rank)
    if "school_hours_only" in limits:
        schedule = schedule & SCHOOL_HOURS
    return physical, schedule
