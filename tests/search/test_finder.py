"""Searching places: text in any form, every filter, sorting, pages, facets, snippets, spelling."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from marketplace.db import utcnow
from marketplace.places.models import PaidWorkProspect, PlaceKind, Sector
from marketplace.search.filters import Filters, Near
from marketplace.search.finder import SortOrder, search_places
from marketplace.search.index import rebuild
from marketplace.search.snippets import snippet
from marketplace.search.userquery import QueryError
from marketplace.vocab import DutchLevel, PhysicalDemand
from tests.factories import make_organisation, make_place
from tests.search.indexing import AREAS, add_areas, postcode

TODAY = date.today()
UTRECHT = Near(AREAS["utrecht"][2], AREAS["utrecht"][3], 15)


def place(org, title, **fields):
    fields.setdefault("description", "Een leuke plek in een fijn team.")
    fields.setdefault("skills_wanted", [])
    fields.setdefault("skills_learned", [])
    fields.setdefault("education_offered", [])
    fields.setdefault("postcode", postcode("utrecht"))
    return make_place(org, title=title, **fields)


@pytest.fixture
def places(db_session):
    add_areas(db_session)
    org = make_organisation("Buurtwerk Utrecht")
    now = utcnow()
    made = {
        "cook": place(
            org,
            "Kok in de buurtkeuken",
            description="Samen koken voor de buurt. Je leert werken met HACCP.",
            sector=Sector.HOSPITALITY,
            published_at=now - timedelta(days=3),
        ),
        "warehouse": place(
            org,
            "Orderpicker in het distributiecentrum",
            sector=Sector.LOGISTICS,
            kind=PlaceKind.WORK_EXPERIENCE,
            dutch_level=DutchLevel.A1,
            hours_min=24,
            hours_max=32,
            schedule=["weekday_evening"],
            physical_demand=PhysicalDemand.HEAVY,
            mentor=False,
            paid_work_prospect=PaidWorkProspect.YES,
            postcode=postcode("zeist"),
            published_at=now - timedelta(days=1),
        ),
        "childcare": place(
            org,
            "Helpen op de kinderopvang",
            sector=Sector.CARE,
            dutch_level=DutchLevel.B1,
            postcode=postcode("amersfoort"),
            published_at=now - timedelta(days=2),
        ),
        "remote": place(
            org,
            "Online taalmaatje",
            sector=Sector.COMMUNITY,
            kind=PlaceKind.LANGUAGE_PRACTICE,
            remote=True,
            postcode=None,
            city=None,
            schedule=["weekend"],
            published_at=now - timedelta(days=5),
        ),
        "far": place(
            org,
            "Kok in een restaurant",
            sector=Sector.HOSPITALITY,
            postcode=postcode("groningen"),
            published_at=now - timedelta(days=4),
        ),
    }
    make_place(org, title="Ended kok", end_date=TODAY - timedelta(days=1))
    db_session.flush()
    rebuild(db_session, TODAY)
    return made


def ids(page):
    return [hit.place_id for hit in page.hits]


def test_a_word_finds_places_in_any_of_its_forms_and_languages(places):
    assert set(ids(search_places("koken", Filters(), TODAY))) == {
        places["cook"].id,
        places["far"].id,
    }
    assert ids(search_places("magazijnwerk", Filters(), TODAY)) == [places["warehouse"].id]
    assert ids(search_places("childcare", Filters(), TODAY)) == [places["childcare"].id]


def test_a_place_past_its_end_date_is_never_found(places, db_session):
    titles = {h.place_id for h in search_places("kok", Filters(), TODAY).hits}
    assert titles == {places["cook"].id, places["far"].id}


def test_without_words_the_newest_places_come_first(places):
    page = search_places("", Filters(), TODAY)
    assert ids(page) == [places[k].id for k in ("warehouse", "childcare", "cook", "far", "remote")]
    assert page.sort is SortOrder.NEWEST and page.total == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(kinds=("work_experience", "language_practice")), {"warehouse", "remote"}),
        (Filters(sectors=("hospitality",)), {"cook", "far"}),
        (Filters(dutch_max=DutchLevel.A1.rank), {"warehouse"}),
        (Filters(dutch_max=DutchLevel.NONE.rank), set()),
        (
            Filters(dutch_max=DutchLevel.A1.rank, mentor_stretch=True),
            {"warehouse", "cook", "far", "remote"},
        ),
        (Filters(hours=16), {"cook", "childcare", "remote", "far"}),
        (Filters(schedule=("weekday_evening", "weekend")), {"warehouse", "remote"}),
        (
            Filters(physical_max=PhysicalDemand.MODERATE.rank),
            {"cook", "childcare", "remote", "far"},
        ),
        (Filters(mentor=True), {"cook", "childcare", "remote", "far"}),
        (Filters(remote=True), {"remote"}),
        (Filters(prospects=("yes",)), {"warehouse"}),
        (Filters(near=UTRECHT), {"cook", "warehouse", "remote"}),
        (
            Filters(near=Near(*AREAS["utrecht"][2:], 15, include_remote=False)),
            {"cook", "warehouse"},
        ),
        (
            Filters(near=Near(*AREAS["utrecht"][2:], 30)),
            {"cook", "warehouse", "childcare", "remote"},
        ),
    ],
)
def test_each_filter_keeps_exactly_the_places_that_meet_it(places, filters, expected):
    found = set(ids(search_places("", filters, TODAY)))
    assert found == {places[k].id for k in expected}


def test_nearest_first_and_each_hit_knows_its_distance(places):
    page = search_places(
        "", Filters(near=Near(*AREAS["utrecht"][2:], 40)), TODAY, sort=SortOrder.DISTANCE
    )
    assert ids(page)[:3] == [places[k].id for k in ("cook", "warehouse", "childcare")]
    assert ids(page)[-1] == places["remote"].id  # no distance: last
    cook = page.hits[0]
    assert cook.distance_km is not None and cook.distance_km < 1
    assert 7 < page.hits[1].distance_km < 9  # Utrecht - Zeist


def test_relevance_puts_the_title_match_first(places, db_session):
    other = place(make_organisation(), "Schoonmaker", description="Soms help je de kok.")
    db_session.flush()
    rebuild(db_session, TODAY)
    found = ids(search_places("kok", Filters(), TODAY))
    assert found[-1] == other.id and len(found) == 3


def test_facets_count_each_value_without_their_own_group(places):
    page = search_places("", Filters(sectors=("hospitality",)), TODAY)
    assert page.total == 2
    # ticking a second sector would add places: the sector counts ignore the sector filter
    assert page.facets["sector"]["logistics"] == 1 and page.facets["sector"]["hospitality"] == 2
    # the other groups count within the chosen sector
    assert page.facets["kind"]["volunteer"] == 2 and page.facets["kind"]["work_experience"] == 0
    assert page.facets["extras"] == {"mentor": 2, "remote": 0}


def test_facets_follow_the_words(places):
    page = search_places("kok", Filters(), TODAY)
    assert page.facets["sector"]["hospitality"] == 2 and page.facets["sector"]["care"] == 0


def test_pages_of_results_do_not_overlap(db_session):
    org = make_organisation()
    made = [make_place(org, title=f"Fietsenmaker {n}") for n in range(25)]
    db_session.flush()
    rebuild(db_session, TODAY)
    first = search_places("fietsenmaker", Filters(), TODAY, per_page=10)
    third = search_places("fietsenmaker", Filters(), TODAY, per_page=10, page=3)
    assert first.total == 25 and first.pages == 3 and len(third.hits) == 5
    everything = (
        ids(first)
        + ids(search_places("fietsenmaker", Filters(), TODAY, per_page=10, page=2))
        + ids(third)
    )
    assert sorted(everything) == sorted(p.id for p in made)


def test_a_misspelt_word_gets_a_suggestion_that_finds_places(places):
    page = search_places("distrbutiecentrum", Filters(), TODAY)
    assert page.total == 0 and page.suggestion == "distributiecentrum"
    assert search_places(page.suggestion, Filters(), TODAY).total == 1


def test_a_well_spelt_word_gets_no_suggestion(places):
    assert search_places("kok", Filters(), TODAY).suggestion is None


def test_the_snippet_marks_the_searched_words_in_every_form():
    pieces = snippet("Samen koken voor de buurt, met een echte kok.", {"kok", "koken", "@cooking"})
    assert [text for text, marked in pieces if marked] == ["koken", "kok"]
    assert "".join(text for text, _m in pieces) == "Samen koken voor de buurt, met een echte kok."


def test_no_snippet_without_search_words():
    assert snippet("Samen koken.", set()) == []


@pytest.mark.parametrize("text", ["a* b* c* d*", "x" * 300, "ko*"])
def test_a_hostile_query_is_refused_before_searching(places, text):
    with pytest.raises(QueryError):
        search_places(text, Filters(), TODAY)


def test_a_broad_wildcard_is_bounded_and_quick(db_session):
    org = make_organisation()
    for n in range(200):
        make_place(org, title=f"Vakkenvuller winkel{n:03d} kassa{n:03d}")
    db_session.flush()
    rebuild(db_session, TODAY)
    started = time.perf_counter()
    page = search_places("win* kas* vak*", Filters(), TODAY)
    assert time.perf_counter() - started < 2
    assert 0 < page.total <= 200


def test_sets_remembered_per_segment_follow_every_change(db_session, places):
    """A commit adds a segment and deletes the old document: no stale hit, no lost count."""
    from tests.search.indexing import apply

    assert search_places("kok", Filters(), TODAY).total == 2  # fills the segment sets
    cook = places["cook"]
    cook.title = "Fietsenmaker in de werkplaats"
    cook.description = "Fietsen repareren."
    db_session.commit()
    apply(db_session)
    assert ids(search_places("kok", Filters(), TODAY)) == [places["far"].id]
    assert ids(search_places("fietsenmaker", Filters(), TODAY)) == [cook.id]
    page = search_places("", Filters(), TODAY)
    assert page.total == 5 and page.facets["sector"]["hospitality"] == 2
