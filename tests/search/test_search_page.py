"""The public search page `GET /places`: words, filters, facets, order, pages and bad input."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from marketplace.db import utcnow
from marketplace.places.models import PlaceKind, PlaceStatus, Sector
from marketplace.vocab import DutchLevel
from tests.factories import make_organisation, make_place
from tests.search.indexing import NEAR_AREAS, add_postcode_areas


@pytest.fixture
def english(client):
    """An anonymous visitor whose browser asks for English."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def postcodes(db_session):
    """Postcode areas, so that postcodes have coordinates and distances can be told."""
    add_postcode_areas(db_session, NEAR_AREAS)


def plain_place(organisation=None, **fields):
    """A published place whose only searchable words are the ones given."""
    values = {
        "title": "Plek",
        "description": "Een plek.",
        "skills_wanted": [],
        "skills_learned": [],
        "education_offered": [],
        **fields,
    }
    return make_place(organisation or make_organisation("Stichting Plek"), **values)


def page_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def listed_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<h3><a href="/places/(\d+)/', page)]


def found_ids(client, url: str) -> list[int]:
    return listed_ids(page_of(client, url))


def count_text(page: str) -> str:
    return " ".join(re.search(r'id="results-title"[^>]*>(.*?)</h2>', page, re.S).group(1).split())


def facet_counts(page: str, name: str) -> dict[str, int]:
    """The number shown next to each checkbox of a filter group ("Care (2)")."""
    found = re.findall(
        rf'<input[^>]*name="{name}"[^>]*value="(\w+)"[^>]*>\s*<label[^>]*>[^<]*\((\d+)\)</label>',
        page,
    )
    return {value: int(count) for value, count in found}


def link(page: str, rel: str) -> str:
    return html.unescape(re.search(rf'<a rel="{rel}" href="([^"]*)"', page).group(1))


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def error_summary(page: str) -> str:
    summary = re.search(r'<div class="[^"]*error-summary".*?</ul>', page, re.S)
    assert summary, "no error summary on the page"
    return html.unescape(" ".join(summary.group(0).split()))


# -- words ------------------------------------------------------------------------------------


def test_a_word_finds_places_with_another_form_of_it(db_session, english):
    cook = plain_place(title="Kok in de buurtkeuken")
    picker = plain_place(title="Orderpicker", sector=Sector.LOGISTICS)
    plain_place(title="Tuinman", description="Schoffelen en snoeien.", sector=Sector.GREEN)

    assert found_ids(english, "/places?q=koken") == [cook.id]
    assert found_ids(english, "/places?q=magazijnwerk") == [picker.id]


def test_a_word_is_found_in_the_description_and_the_skills(db_session, english):
    in_description = plain_place(description="Je helpt bij het koken van de soep.")
    in_skills = plain_place(skills_wanted=["koken"])
    plain_place(description="Je helpt in de winkel.")

    assert sorted(found_ids(english, "/places?q=kok")) == sorted([in_description.id, in_skills.id])


def test_the_page_says_how_many_places_were_found(db_session, english):
    for _ in range(3):
        plain_place(title="Kok gezocht")
    plain_place(title="Tuinman")

    assert count_text(page_of(english, "/places?q=kok")) == "3 places found"
    assert count_text(page_of(english, "/places?q=tuinman")) == "1 place found"
    assert count_text(page_of(english, "/places")) == "4 places found"


def test_field_syntax_searches_only_that_field(db_session, english):
    titled = plain_place(title="Kok")
    plain_place(title="Hulp", description="Je helpt de kok.")

    assert found_ids(english, "/places?q=title:kok") == [titled.id]
    assert len(found_ids(english, "/places?q=kok")) == 2


def test_the_supervisor_name_is_never_searched(db_session, english):
    hidden = plain_place(title="Helpen in de winkel", supervisor_name="Ans Bakker")
    public = plain_place(make_organisation("Bakkerij Bakker"), supervisor_name="Piet Smit")

    assert found_ids(english, "/places?q=supervisor:Bakker") == []
    assert found_ids(english, "/places?q=Bakker") == [public.id]
    assert hidden.id not in found_ids(english, "/places?q=Ans")


def test_a_place_that_ended_or_is_not_published_never_shows(db_session, english):
    today = date.today()
    open_place = plain_place(title="Kok open")
    plain_place(title="Kok voorbij", end_date=today - timedelta(days=1))
    for status in (PlaceStatus.DRAFT, PlaceStatus.SUBMITTED, PlaceStatus.PAUSED):
        plain_place(title=f"Kok {status.value}", status=status)

    assert found_ids(english, "/places?q=kok") == [open_place.id]
    assert found_ids(english, "/places") == [open_place.id]


# -- filters ----------------------------------------------------------------------------------


def test_the_kind_filter_keeps_only_that_kind(db_session, english):
    internship = plain_place(kind=PlaceKind.INTERNSHIP)
    plain_place(kind=PlaceKind.VOLUNTEER)

    assert found_ids(english, "/places?kind=internship") == [internship.id]


def test_two_sectors_give_the_places_of_either(db_session, english):
    care = plain_place(sector=Sector.CARE)
    food = plain_place(sector=Sector.FOOD)
    plain_place(sector=Sector.LOGISTICS)

    found = found_ids(english, "/places?sector=care&sector=food")

    assert sorted(found) == sorted([care.id, food.id])


def test_the_dutch_filter_keeps_places_asking_at_most_that_level(db_session, english):
    a1 = plain_place(dutch_level=DutchLevel.A1)
    a2 = plain_place(dutch_level=DutchLevel.A2)
    plain_place(dutch_level=DutchLevel.B1)

    assert sorted(found_ids(english, "/places?dutch=A2")) == sorted([a1.id, a2.id])
    assert found_ids(english, "/places?dutch=A1") == [a1.id]


def test_the_hours_filter_keeps_places_whose_minimum_fits(db_session, english):
    short = plain_place(hours_min=8, hours_max=16)
    plain_place(hours_min=24, hours_max=32)

    assert found_ids(english, "/places?hours=10") == [short.id]


def test_the_schedule_filter_keeps_places_working_then(db_session, english):
    weekend = plain_place(schedule=["weekend"])
    plain_place(schedule=["weekday_morning"])

    assert found_ids(english, "/places?schedule=weekend") == [weekend.id]


def test_a_postcode_and_distance_keep_nearby_and_remote_places(db_session, english, postcodes):
    near = plain_place(postcode="3531 AB", city="Utrecht")
    far = plain_place(postcode="1012 AB", city="Amsterdam")
    remote = plain_place(postcode=None, city=None, remote=True)

    nearby = found_ids(english, "/places?postcode=3511+AB&km=5")
    wider = found_ids(english, "/places?postcode=3511+AB&km=50")

    assert sorted(nearby) == sorted([near.id, remote.id])
    assert sorted(wider) == sorted([near.id, far.id, remote.id])


def test_the_mentor_and_remote_filters(db_session, english):
    with_mentor = plain_place(mentor=True)
    remote = plain_place(mentor=False, remote=True, postcode=None, city=None)

    assert found_ids(english, "/places?mentor=y") == [with_mentor.id]
    assert found_ids(english, "/places?remote=y") == [remote.id]


def test_facet_counts_stand_next_to_the_choices(db_session, english):
    plain_place(sector=Sector.CARE)
    plain_place(sector=Sector.CARE, kind=PlaceKind.INTERNSHIP)
    plain_place(sector=Sector.FOOD)

    page = page_of(english, "/places")

    assert facet_counts(page, "sector")["care"] == 2
    assert facet_counts(page, "sector")["food"] == 1
    assert facet_counts(page, "sector")["logistics"] == 0
    assert facet_counts(page, "kind")["volunteer"] == 2
    assert facet_counts(page, "kind")["internship"] == 1


def test_ticking_a_value_keeps_the_counts_of_its_own_group(db_session, english):
    plain_place(sector=Sector.CARE)
    plain_place(sector=Sector.CARE, kind=PlaceKind.INTERNSHIP)
    plain_place(sector=Sector.FOOD)

    page = page_of(english, "/places?sector=care")

    assert count_text(page) == "2 places found"
    assert facet_counts(page, "sector")["food"] == 1  # ticking food too would add one
    assert facet_counts(page, "sector")["care"] == 2
    assert facet_counts(page, "kind")["volunteer"] == 1  # other groups follow the filter
    assert re.search(r'checked[^>]*name="sector"[^>]*value="care"', page)


def test_facet_counts_follow_the_words_searched(db_session, english):
    plain_place(title="Kok", sector=Sector.HOSPITALITY)
    plain_place(title="Tuinman", sector=Sector.GREEN)

    page = page_of(english, "/places?q=kok")

    assert facet_counts(page, "sector")["hospitality"] == 1
    assert facet_counts(page, "sector")["green"] == 0


# -- order and pages --------------------------------------------------------------------------


def test_without_words_the_newest_come_first(db_session, english):
    now = utcnow()
    old = plain_place(published_at=now - timedelta(days=3))
    new = plain_place(published_at=now - timedelta(hours=1))
    middle = plain_place(published_at=now - timedelta(days=1))

    assert found_ids(english, "/places") == [new.id, middle.id, old.id]
    assert found_ids(english, "/places?sort=newest") == [new.id, middle.id, old.id]


def test_with_words_the_best_match_comes_first(db_session, english):
    now = utcnow()
    in_title = plain_place(title="Kok", published_at=now - timedelta(days=5))
    in_text = plain_place(description="Je helpt de kok.", published_at=now)

    assert found_ids(english, "/places?q=kok") == [in_title.id, in_text.id]
    assert found_ids(english, "/places?q=kok&sort=newest") == [in_text.id, in_title.id]


def test_nearest_first_with_a_postcode(db_session, english, postcodes):
    now = utcnow()
    far = plain_place(postcode="1012 AB", city="Amsterdam", published_at=now)
    remote = plain_place(postcode=None, city=None, remote=True, published_at=now)
    near = plain_place(postcode="3531 AB", city="Utrecht", published_at=now - timedelta(days=9))

    page = page_of(english, "/places?postcode=3511+AB&km=50&sort=distance")

    assert listed_ids(page) == [near.id, far.id, remote.id]  # a remote place has no distance
    assert "0.8 km away" in page


def test_the_next_page_link_keeps_every_filter(db_session, english):
    now = utcnow()
    for n in range(21):
        sector = Sector.CARE if n % 2 else Sector.FOOD
        plain_place(title="Kok", sector=sector, published_at=now - timedelta(hours=n))
    plain_place(title="Kok", sector=Sector.LOGISTICS, published_at=now)
    url = "/places?q=kok&sector=care&sector=food&kind=volunteer&hours=20&sort=newest"

    first = page_of(english, url)
    next_url = link(first, "next")
    second = page_of(english, next_url)

    assert count_text(first) == "21 places found"
    assert query_of(next_url) == {
        "q": ["kok"],
        "sector": ["care", "food"],
        "kind": ["volunteer"],
        "hours": ["20"],
        "sort": ["newest"],
        "page": ["2"],
    }
    assert len(listed_ids(first)) == 20 and len(listed_ids(second)) == 1
    assert query_of(link(second, "prev")) == {**query_of(next_url), "page": ["1"]}


def test_page_zero_and_pages_past_the_last_are_not_found(db_session, english):
    plain_place()

    page_of(english, "/places?page=0", 404)
    page_of(english, "/places?page=2", 404)
    page_of(english, "/places?page=9999", 404)


# -- help for the visitor ---------------------------------------------------------------------


def test_a_misspelt_word_offers_a_suggestion_that_finds_places(db_session, english):
    place = plain_place(title="Werken in het magazijn", sector=Sector.LOGISTICS)

    page = page_of(english, "/places?q=magazjn&sector=logistics")
    suggestion = re.search(r'Did you mean:\s*<a href="([^"]*)">([^<]*)</a>', page)

    assert suggestion, "no 'Did you mean' link"
    assert suggestion.group(2) == "magazijn"
    url = html.unescape(suggestion.group(1))
    assert query_of(url) == {"q": ["magazijn"], "sector": ["logistics"]}
    assert found_ids(english, url) == [place.id]


def test_found_words_are_marked(db_session, english):
    plain_place(description="Wij zoeken een kok die graag soep maakt.")

    page = page_of(english, "/places?q=koken")

    assert "<mark>kok</mark>" in page
    assert "<mark>soep</mark>" not in page


def test_html_in_a_description_or_the_search_box_is_shown_as_text(db_session, english):
    plain_place(description="Kok gezocht <script>alert('x')</script> voor de soep.")

    page = page_of(english, "/places?q=kok")
    typed = page_of(english, "/places?q=%3Cscript%3Ealert(1)%3C/script%3E")

    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "<script>alert" not in typed


def test_no_results_give_help_and_a_way_back_without_filters(db_session, english):
    cook = plain_place(title="Kok", sector=Sector.HOSPITALITY)

    page = page_of(english, "/places?q=kok&sector=care")
    back = re.search(r'<a href="([^"]*)">Search again without filters</a>', page)

    assert count_text(page) == "0 places found"
    assert "No places match your search." in page
    assert "Check the spelling" in page
    assert back, "no link to search again without filters"
    assert found_ids(english, html.unescape(back.group(1))) == [cook.id]


def test_no_results_without_filters_offer_no_link_to_remove_them(db_session, english):
    plain_place(title="Kok")

    page = page_of(english, "/places?q=tuinman")

    assert "No places match your search." in page
    assert "Search again without filters" not in page


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("q=" + "a" * 201, "Use at most 200 characters."),
        ("q=kok*+soep*+tafel*+keuk*", "Use at most 3 stars (*)."),
        ("q=a*", "Write at least 3 letters before a star (*)."),
        ("q=ko*k", "A star (*) can only end a word"),
        ("q=-soep+-brood", "Also write a word to look for"),
        ("postcode=9999+ZZ", "We do not know this postcode."),
        ("postcode=hallo", "Near postcode:"),
        ("hours=abc", "Hours a week you have:"),
        ("hours=41", "Fill in a number of hours from 1 to 40."),
        ("sector=nonsense", "is not a valid choice"),
        ("km=7", "Distance:"),
    ],
)
def test_bad_input_gets_a_clear_message_not_an_error(
    db_session, english, postcodes, query, message
):
    plain_place(title="Kok")

    page = page_of(english, f"/places?{query}", 400)

    assert message in error_summary(page)
    assert 'id="results-title"' not in page
    assert '<form method="get"' in page  # the visitor can correct it right there


def test_a_refused_search_keeps_what_was_typed(db_session, english):
    page = page_of(english, "/places?q=a*+kok&sector=care", 400)

    assert 'value="a*"' not in page  # the whole text, not a part of it
    assert 'name="q" type="search" value="a* kok"' in page
    assert re.search(r'checked[^>]*name="sector"[^>]*value="care"', page)


# -- without JavaScript -----------------------------------------------------------------------


def test_the_search_is_a_get_form_with_the_filters_in_a_details_element(db_session, english):
    page = page_of(english, "/places")

    form = re.search(r'<form method="get" action="/places".*?</form>', page, re.S)
    assert form, "the search is not a GET form to /places"
    details = re.search(r"<details[^>]*>.*?</details>", form.group(0), re.S)
    assert details, "the filters are not in a <details> element"
    for name in ("postcode", "km", "kind", "sector", "schedule", "hours", "dutch", "sort"):
        assert f'name="{name}"' in details.group(0), name
    assert '<details class="search-filters">' in page  # closed while nothing is filtered


def test_the_filters_stay_open_while_filtering(db_session, english):
    plain_place(sector=Sector.CARE)

    page = page_of(english, "/places?sector=care")

    assert '<details class="search-filters" open>' in page
