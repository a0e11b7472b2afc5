"""What a search or a match narrows places by, and the document sets that narrowing gives.

One ``Filters`` value serves the public search page, the newcomer's search and matching. Each
group of a filter (all chosen sectors, say) becomes one document set; the sets of single
values are cached on the searcher (:mod:`marketplace.search.bits`), so a request only ORs
and ANDs integers. Facet counts leave out their own group's filter ("disjunctive" facets):
ticking a second sector adds places, it never empties the list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from whoosh.query import NumericRange, Term
from whoosh.searching import Searcher

from marketplace.geo.services import haversine_km
from marketplace.places.models import PaidWorkProspect, PlaceKind, Sector
from marketplace.search.bits import DocBits, SearcherBits, bits_for, intersect, unite
from marketplace.search.documents import cell_bounds, geohash
from marketplace.vocab import DutchLevel, Schedule

#: facet groups, each counted per value (see ``facet_counts``)
FACET_GROUPS = ("kind", "sector", "schedule", "paid_work_prospect", "dutch_level", "extras")
#: geohash cell sizes in km (height, width) by prefix length, for covering a circle
_CELL_KM = {3: (156.0, 156.0), 4: (19.5, 39.1), 5: (4.9, 4.9)}
_KM_PER_DEGREE = 111.2


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    km: float | None = None  # None: any distance (only sorts and shows distances)
    include_remote: bool = True


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    dutch_max: int | None = None  # rank of the most Dutch a place may ask
    mentor_stretch: bool = False  # with dutch_max: one level more where there is a mentor
    hours: int | None = None  # hours a week the person has: the place's minimum fits in it
    schedule: tuple[str, ...] = ()  # the place works in at least one of these parts of the week
    physical_max: int | None = None  # rank of the heaviest work allowed
    near: Near | None = None
    mentor: bool = False
    remote: bool = False
    prospects: tuple[str, ...] = ()
    free_spot: bool = False
    excluded_ids: frozenset[int] = field(default_factory=frozenset)


def _today_key(today: date) -> int:
    return int(today.strftime("%Y%m%d"))


class FilterSets:
    """The document sets of one ``Filters`` on one searcher."""

    def __init__(self, searcher: Searcher, filters: Filters, today: date):
        self.searcher = searcher
        self.cache: SearcherBits = bits_for(searcher)
        self.filters = filters
        self.today = today
        self._groups: dict[str, DocBits] | None = None

    # -- single values, cached for the searcher's life ----------------------------------------

    def term(self, fieldname: str, value: object) -> DocBits:
        return self.cache.filter((fieldname, value), Term(fieldname, value))

    def at_most(self, fieldname: str, value: int) -> DocBits:
        return self.cache.filter((fieldname, "<=", value), NumericRange(fieldname, 0, value))

    def running(self) -> DocBits:
        day = _today_key(self.today)
        return self.cache.filter(("end_date", ">=", day), NumericRange("end_date", day, None))

    def with_free_spot(self) -> DocBits:
        return self.cache.filter(("spots_free", ">=", 1), NumericRange("spots_free", 1, None))

    def any_of(self, fieldname: str, values: Iterable[object]) -> DocBits:
        return unite(self.term(fieldname, value) for value in values)

    # -- groups ----------------------------------------------------------------------------

    def dutch(self, most: int, stretch: bool) -> DocBits:
        allowed = self.at_most("dutch_level", most)
        if stretch and most + 1 < len(DutchLevel):
            allowed = allowed | (self.at_most("dutch_level", most + 1) & self.term("mentor", True))
        return allowed

    def within(self, near: Near) -> DocBits:
        """Places within ``near.km`` of the point (and remote places, if asked)."""
        assert near.km is not None
        key = ("near", round(near.latitude, 4), round(near.longitude, 4), near.km)
        circle = self.cache.remembered(key, lambda: self._circle(near))
        return circle | self.term("remote", True) if near.include_remote else circle

    def _circle(self, near: Near) -> DocBits:
        """Cells wholly inside the circle count whole; only the edge cells are measured."""
        assert near.km is not None
        inside, edge = [], []
        for cell in covering_cells(near.latitude, near.longitude, near.km):
            south, north, west, east = cell_bounds(cell)
            corners = ((south, west), (south, east), (north, west), (north, east))
            far = max(haversine_km(near.latitude, near.longitude, *c) for c in corners)
            (inside if far <= near.km else edge).append(cell)
        km = self.cache.km_from(near.latitude, near.longitude)
        measured = DocBits.of(
            n for n in self.any_of("geohash", edge) if (d := km(n)) is not None and d <= near.km
        )
        return self.any_of("geohash", inside) | measured

    def groups(self) -> dict[str, DocBits]:
        """Each active filter group's set; ``always`` holds what every result must meet."""
        if self._groups is not None:
            return self._groups
        f = self.filters
        groups: dict[str, DocBits] = {"always": self.running()}
        if f.free_spot:
            groups["always"] &= self.with_free_spot()
        if f.kinds:
            groups["kind"] = self.any_of("kind", f.kinds)
        if f.sectors:
            groups["sector"] = self.any_of("sector", f.sectors)
        if f.schedule:
            groups["schedule"] = self.any_of("schedule", f.schedule)
        if f.prospects:
            groups["paid_work_prospect"] = self.any_of("paid_work_prospect", f.prospects)
        if f.dutch_max is not None:
            groups["dutch_level"] = self.dutch(f.dutch_max, f.mentor_stretch)
        extras = []
        if f.mentor:
            extras.append(self.term("mentor", True))
        if f.remote:
            extras.append(self.term("remote", True))
        if extras:
            groups["extras"] = intersect(extras, self.cache.everything)
        if f.hours is not None:
            groups["hours"] = self.at_most("hours_min", f.hours)
        if f.physical_max is not None:
            groups["physical"] = self.at_most("physical_demand", f.physical_max)
        if f.near is not None and f.near.km is not None:
            groups["near"] = self.within(f.near)
        self._groups = groups
        return groups

    def allowed(self) -> DocBits:
        """The documents every filter allows."""
        bits = intersect(self.groups().values(), self.cache.everything)
        if self.filters.excluded_ids:
            bits = DocBits(bits.value & ~self._ids(self.filters.excluded_ids).value)
        return bits

    def _ids(self, ids: Iterable[int]) -> DocBits:
        return unite(self.term("id", str(i)) for i in ids)

    def without(self, group: str) -> DocBits:
        return intersect(
            (bits for name, bits in self.groups().items() if name != group),
            self.cache.everything,
        )

    def facet_counts(self, text: DocBits | None) -> dict[str, dict[str, int]]:
        """Per facet group and value: how many results there would be with that value."""
        counts: dict[str, dict[str, int]] = {}
        for group in FACET_GROUPS:
            base = self.without(group)
            if text is not None:
                base = base & text
            if group == "dutch_level":
                values = {
                    level.value: len(base & self.at_most("dutch_level", level.rank))
                    for level in DutchLevel
                }
            elif group == "extras":
                values = {name: len(base & self.term(name, True)) for name in ("mentor", "remote")}
            else:
                values = {value: len(base & self.term(group, value)) for value in _values_of(group)}
            counts[group] = values
        return counts


def _values_of(group: str) -> list[str]:
    vocabulary = {
        "kind": PlaceKind,
        "sector": Sector,
        "schedule": Schedule,
        "paid_work_prospect": PaidWorkProspect,
    }[group]
    return [member.value for member in vocabulary]


def covering_cells(latitude: float, longitude: float, km: float) -> list[str]:
    """Geohash prefixes whose cells together cover the circle (with some area to spare)."""
    length = 5 if km <= 12 else 4 if km <= 80 else 3
    height, width = _CELL_KM[length]
    dlat = km / _KM_PER_DEGREE
    dlon = km / (_KM_PER_DEGREE * max(0.1, math.cos(math.radians(latitude))))
    step_lat = (height / 2) / _KM_PER_DEGREE
    step_lon = (width / 2) / (_KM_PER_DEGREE * max(0.1, math.cos(math.radians(latitude))))
    cells: set[str] = set()
    lat = latitude - dlat
    while lat <= latitude + dlat + step_lat:
        lon = longitude - dlon
        while lon <= longitude + dlon + step_lon:
            cells.add(geohash(min(lat, latitude + dlat), min(lon, longitude + dlon), length))
            lon += step_lon
        lat += step_lat
    return sorted(cells)
