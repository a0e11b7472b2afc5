"""Matching: the best places for a newcomer, near misses, and candidates for a place.

Places for a newcomer, in four steps:

1. the hard constraints become document sets (:mod:`filters`), intersected: what remains
   is every place the newcomer could take;
2. each word of their profile (skills, experience, goals, interests) is looked up as a
   cached document set per field and intersected with what remains, which says which
   words each place has, without walking any posting list twice;
3. places are ranked by :func:`fit.fit` on a view built from those sets and a few index
   columns, first roughly (by the evidence found), then exactly for the best few hundred;
4. the best are read from the database, which must confirm every hard constraint (the
   index may be a moment behind); reasons come with each match.

Candidates for a place uses the same :func:`fit.misses` and :func:`fit.fit`, on views built
from the database.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from marketplace.geo.services import locate
from marketplace.newcomers.models import NewcomerProfile
from marketplace.places.models import Place
from marketplace.places.services import places_by_id
from marketplace.search.analysis import analyze
from marketplace.search.bits import DocBits, SearcherBits
from marketplace.search.filters import Filters, FilterSets, Near
from marketplace.search.fit import (
    FIELD_WEIGHTS,
    Applicant,
    Fit,
    Miss,
    Reason,
    effective_limits,
    fit,
    items,
    misses,
)
from marketplace.search.index import get_index
from marketplace.search.placeviews import IndexedPlace, PlaceInDatabase
from marketplace.vocab import DutchLevel, LearningRoute, PhysicalDemand

#: how many places get the exact fit after the rough ranking by the words found (text makes
#: up 0.83 of the fit, so a place far down that ranking does not reach the top ten)
SHORTLIST = 60
#: places ranked beyond the limit, in case the database turns some down (the index lags)
SPARE = 5
#: constraint groups of ``FilterSets`` a near miss may break (one of them)
NEAR_MISS_GROUPS = {
    "dutch_level": "dutch",
    "hours": "hours",
    "schedule": "schedule",
    "near": "distance",
    "physical": "physical",
}
_FIELDS = tuple(dict.fromkeys(name for weights in FIELD_WEIGHTS.values() for name in weights))


@dataclass(frozen=True)
class Match:
    place_id: int
    score: float
    reasons: list[Reason]
    km: float | None


@dataclass(frozen=True)
class NearMiss:
    place_id: int
    score: float
    misses: list[Miss]


@dataclass(frozen=True)
class Candidate:
    profile: NewcomerProfile
    score: float
    reasons: list[Reason]
    km: float | None


# -- the newcomer ----------------------------------------------------------------------------


def applicant_for(session: Session, profile: NewcomerProfile) -> Applicant:
    """What matching knows of a newcomer: their profile, with their practical limits applied."""
    physical, schedule = effective_limits(
        (profile.physical_capacity or PhysicalDemand.HEAVY).rank,
        frozenset(profile.schedule or ()),
        [limit.kind.value for limit in profile.limits],
    )
    experience = [e for e in (profile.experience or []) if e.get("occupation")]
    return Applicant(
        key=profile.ref or str(profile.id),
        dutch=(profile.dutch_level or DutchLevel.NONE).rank,
        hours=profile.hours_available,
        schedule=schedule,
        point=locate(session, profile.postcode, profile.city),
        max_km=float(profile.max_travel_km or 0),
        physical=physical,
        languages=frozenset(profile.languages or ()),
        skills=items(profile.skills),
        experience=items(
            [e["occupation"] for e in experience],
            [min(1.0, 0.6 + float(e.get("years") or 0) / 5) for e in experience],
        ),
        education_goals=items(profile.education_goals),
        work_goals=items(profile.work_goals),
        interests=items(profile.interests),
        aims_at_work=bool(profile.work_goals) or profile.learning_route != LearningRoute.Z,
    )


def constraint_filters(applicant: Applicant) -> Filters:
    """The hard constraints of exchange-format.md as index filters."""
    near = (
        Near(applicant.point[0], applicant.point[1], applicant.max_km) if applicant.point else None
    )
    return Filters(
        dutch_max=applicant.dutch,
        mentor_stretch=True,
        hours=applicant.hours,
        schedule=tuple(sorted(applicant.schedule)),
        physical_max=applicant.physical,
        near=near,
        remote=near is None,  # without a known home, only places that need no travel
        free_spot=True,
    )


# -- places ranked from the index -----------------------------------------------------------


class _Ranker:
    """Ranks the places an applicant may take, from the index alone."""

    def __init__(self, applicant: Applicant, today: date):
        self.applicant = applicant
        self.searcher = get_index().searcher()
        self.sets = FilterSets(self.searcher, constraint_filters(applicant), today)
        self.cache: SearcherBits = self.sets.cache
        point = applicant.point
        self.km = self.cache.km_from(*point) if point else (lambda _docnum: None)
        self.languages = {
            code: self.sets.term("languages", code) for code in sorted(applicant.languages)
        }
        self.mentors = self.sets.term("mentor", True)
        self.remotes = self.sets.term("remote", True)

    def tokens(self) -> list[str]:
        seen: dict[str, None] = {}
        for entries in self.applicant.parts().values():
            for entry in entries:
                seen.update(dict.fromkeys(sorted(entry.tokens)))
        return list(seen)

    def evidence(self, allowed: DocBits) -> dict[int, set[tuple[str, str]]]:
        """Per place: the (field, token) pairs of the applicant's words it has."""
        found: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for token in self.tokens():
            for name in _FIELDS:
                hits = self.cache.term(name, token) & allowed
                for docnum in hits:
                    found[docnum].add((name, token))
        return found

    def view(self, docnum: int, found: set[tuple[str, str]]) -> IndexedPlace:
        place = IndexedPlace(docnum, found)
        place.place_id = int(self.searcher.stored_fields(docnum)["id"])
        place.sector = _text(self.cache.column("sector")[docnum])
        place.prospect = _text(self.cache.column("paid_work_prospect")[docnum])
        place.languages = frozenset(c for c, bits in self.languages.items() if docnum in bits)
        place.mentor = docnum in self.mentors
        place.remote = docnum in self.remotes
        place.km = self.km(docnum)
        return place

    def ranked(self, allowed: DocBits, wanted: int) -> list[tuple[Fit, IndexedPlace]]:
        """The ``wanted`` best places among ``allowed`` by fit, best first."""
        found = self.evidence(allowed)
        rough = heapq.nlargest(
            max(SHORTLIST, wanted), found.items(), key=lambda pair: (_rough(pair[1]), -pair[0])
        )
        shortlist = [self.view(docnum, pairs) for docnum, pairs in rough]
        if len(shortlist) < wanted:  # few places share a word: fill with the nearest others
            shortlist += [self.view(d, set()) for d in self._nearest(allowed, found, wanted)]
        scored = [(fit(self.applicant, place), place) for place in shortlist]
        scored.sort(key=lambda pair: (-pair[0].score, pair[1].km or 0.0, pair[1].docnum))
        return scored[:wanted]

    def _nearest(self, allowed: DocBits, skip: dict, wanted: int) -> list[int]:
        rest = (d for d in allowed if d not in skip)
        return heapq.nsmallest(wanted, rest, key=lambda d: (self.km(d) or 0.0, d))


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


def _rough(found: set[tuple[str, str]]) -> float:
    return sum(1.0 if name != "description" else 0.5 for name, _token in found)


def _offered(place: Place, reasons: list[Reason], applicant: Applicant) -> list[Reason]:
    """An education reason names what the place offers ("MBO-2 Logistiek"), not the goal."""
    out = []
    goals = frozenset().union(*(g.tokens for g in applicant.education_goals))
    for reason in reasons:
        if reason.code == "education":
            offered = tuple(
                text
                for text in place.education_offered or []
                if goals & frozenset(analyze(text, tags=True))
            )
            reason = Reason("education", offered or reason.values)
        out.append(reason)
    return out


# -- the public functions --------------------------------------------------------------------


def matches_for(
    session: Session, profile: NewcomerProfile, today: date, limit: int = 10
) -> list[Match]:
    """The best places for a newcomer, best first; never one that breaks a hard constraint."""
    applicant = applicant_for(session, profile)
    if not applicant.schedule or applicant.hours < 1:
        return []
    ranker = _Ranker(applicant, today)
    allowed = ranker.sets.allowed()
    if not allowed:
        return []
    wanted = limit + SPARE
    while True:
        ranked = ranker.ranked(allowed, wanted)
        matches = _confirmed(session, applicant, ranked, today, limit)
        if len(matches) == limit or len(ranked) < wanted:
            return matches
        wanted *= 4  # the database turned many down (a burst of changes): look further


def _checked(session, applicant: Applicant, ranked, today: date):
    """The ranked places as the database has them now, each with the constraints it breaks.

    The index may be a moment behind (a spot just taken): the database decides.
    """
    places = places_by_id(session, [view.place_id for _fit, view in ranked])
    for place_fit, view in ranked:
        place = places.get(view.place_id)
        if place is not None:
            truth = PlaceInDatabase(session, place, today).seen_from(applicant.point)
            yield place, place_fit, truth, misses(applicant, truth)


def _confirmed(session, applicant: Applicant, ranked, today: date, limit: int) -> list[Match]:
    """The ranked places that break no hard constraint, with their reasons."""
    matches: list[Match] = []
    for place, place_fit, truth, broken in _checked(session, applicant, ranked, today):
        if not broken:
            reasons = _offered(place, place_fit.reasons, applicant)
            matches.append(Match(place.id, place_fit.score, reasons, truth.km))
            if len(matches) == limit:
                break
    return matches


def near_misses_for(
    session: Session, profile: NewcomerProfile, today: date, limit: int = 5
) -> list[NearMiss]:
    """Well-fitting places that break exactly one hard constraint, with the one they break."""
    applicant = applicant_for(session, profile)
    ranker = _Ranker(applicant, today)
    groups = ranker.sets.groups()
    allowed = ranker.sets.allowed()
    one_off = DocBits()
    for group in NEAR_MISS_GROUPS:
        if group in groups:
            one_off = one_off | DocBits(ranker.sets.without(group).value & ~allowed.value)
    if not one_off:
        return []
    found: list[NearMiss] = []
    ranked = ranker.ranked(one_off, limit * 2)
    for place, place_fit, _truth, broken in _checked(session, applicant, ranked, today):
        if len(broken) == 1:
            found.append(NearMiss(place.id, place_fit.score, broken))
            if len(found) == limit:
                break
    return found


def explain(
    session: Session, profile: NewcomerProfile, place: Place, today: date
) -> tuple[list[Miss], Fit]:
    """Why a place is or is not shown to a newcomer: what it breaks, and how well it fits."""
    applicant = applicant_for(session, profile)
    view = PlaceInDatabase(session, place, today).seen_from(applicant.point)
    place_fit = fit(applicant, view)
    place_fit.reasons = _offered(place, place_fit.reasons, applicant)
    return misses(applicant, view), place_fit


def candidates_for(
    session: Session,
    place: Place,
    profiles: Iterable[NewcomerProfile],
    today: date,
    limit: int = 20,
) -> list[Candidate]:
    """Newcomers (of a caseload) who may take the place, best fit first; same rules."""
    view = PlaceInDatabase(session, place, today)
    found: list[Candidate] = []
    for profile in profiles:
        if not profile.allows_matching:
            continue
        applicant = applicant_for(session, profile)
        view.seen_from(applicant.point)
        if misses(applicant, view):
            continue
        place_fit = fit(applicant, view)
        reasons = _offered(place, place_fit.reasons, applicant)
        found.append(Candidate(profile, place_fit.score, reasons, view.km))
    found.sort(key=lambda c: (-c.score, c.km or 0.0, c.profile.id))
    return found[:limit]
