"""The two ways matching sees a place (``fit.PlaceView``): from the index and from the database.

:class:`IndexedPlace` is built from document sets and columns, for ranking thousands of
places; it knows only the newcomer's words that the place has. :class:`PlaceInDatabase` is
the place as the database has it now, for the hard constraints and for one place at a time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy.orm import Session

from marketplace.geo.services import haversine_km, locate
from marketplace.places.models import Place
from marketplace.places.services import is_public
from marketplace.search.analysis import analyze


class IndexedPlace:
    """A place as the index shows it, for ranking (``fit``); not for the hard constraints."""

    __slots__ = (
        *("place_id", "docnum", "by_field", "tokens", "sector", "prospect", "languages"),
        *("mentor", "remote", "km"),
    )

    def __init__(self, docnum: int, found: set[tuple[str, str]]):
        self.docnum = docnum
        self.by_field: dict[str, set[str]] = defaultdict(set)
        for name, token in found:
            self.by_field[name].add(token)
        self.tokens = frozenset(token for _name, token in found)

    def tokens_in(self, fieldname: str) -> set[str]:
        return self.by_field.get(fieldname) or set()

    def has_any(self, tokens: frozenset[str]) -> bool:
        return not self.tokens.isdisjoint(tokens)


class PlaceInDatabase:
    """A place as the database has it, for the hard constraints and for ``fit``."""

    def __init__(self, session: Session, place: Place, today: date, point=None):
        self.place = place
        self.place_id = place.id
        self.dutch = place.dutch_level.rank
        self.mentor = bool(place.mentor)
        self.hours_min = place.hours_min
        self.schedule = frozenset(place.schedule or ())
        self.remote = bool(place.remote)
        self.physical = place.physical_demand.rank
        self.spots_free = place.spots_free
        self.public = is_public(place, today)
        self.sector = place.sector.value
        self.prospect = place.paid_work_prospect.value
        self.languages = frozenset(place.languages or ())
        self.point = locate(session, place.postcode, place.city) if not self.remote else None
        self.km: float | None = None
        self._tokens: dict[str, frozenset[str]] | None = None

    def seen_from(self, point: tuple[float, float] | None) -> PlaceInDatabase:
        self.km = haversine_km(point[0], point[1], *self.point) if point and self.point else None
        return self

    def tokens_in(self, fieldname: str) -> frozenset[str]:
        if self._tokens is None:
            p = self.place
            self._tokens = {
                "title": frozenset(analyze(p.title or "")),
                "description": frozenset(analyze(p.description or "")),
                "skills_wanted": frozenset(analyze(", ".join(p.skills_wanted or []), tags=True)),
                "skills_learned": frozenset(analyze(", ".join(p.skills_learned or []), tags=True)),
                "education_offered": frozenset(
                    analyze(", ".join(p.education_offered or []), tags=True)
                ),
            }
        return self._tokens.get(fieldname, frozenset())

    def has_any(self, tokens: frozenset[str]) -> bool:
        self.tokens_in("title")  # analyses the place once
        assert self._tokens is not None
        return any(not words.isdisjoint(tokens) for words in self._tokens.values())
