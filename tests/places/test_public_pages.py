"""The public list of places and the place page: what is listed, in which order, and shown."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from marketplace.db import utcnow
from marketplace.places.models import PaidWorkProspect, PlaceStatus
from marketplace.places.slugs import slugify
from marketplace.vocab import DutchLevel
from tests.factories import make_organisation, make_place

S = PlaceStatus


@pytest.fixture
def english(client):
    """An anonymous visitor whose browser asks for English."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<h3><a href="/places/(\d+)/', html)]


def test_the_list_shows_only_open_places_newest_first(db_session, english):
    organisation = make_organisation()
    now = utcnow()
    old = make_place(organisation, published_at=now - timedelta(days=9))
    new = make_place(organisation, published_at=now - timedelta(days=1))
    ends_today = make_place(
        organisation, published_at=now - timedelta(days=5), end_date=date.today()
    )
    make_place(organisation, end_date=date.today() - timedelta(days=1))  # ended yesterday
    for status in (S.DRAFT, S.SUBMITTED, S.PAUSED, S.CLOSED, S.REJECTED):
        make_place(organisation, status)

    response = english.get("/places")

    assert response.status_code == 200
    assert listed_ids(response.get_data(as_text=True)) == [new.id, ends_today.id, old.id]


def test_the_list_has_pages_of_twenty(db_session, english):
    organisation = make_organisation()
    now = utcnow()
    places = [make_place(organisation, published_at=now - timedelta(hours=n)) for n in range(21)]

    first = english.get("/places").get_data(as_text=True)
    second = english.get("/places?page=2").get_data(as_text=True)

    assert listed_ids(first) == [place.id for place in places[:20]]
    assert listed_ids(second) == [places[20].id]
    assert 'rel="next" href="/places?page=2"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="/places?page=1"' in second and 'rel="next"' not in second
    assert "21 places found" in first
    assert english.get("/places?page=3").status_code == 404
    assert english.get("/places?page=0").status_code == 404
    assert english.get("/places?page=-1").status_code == 404


def test_an_empty_list_is_a_page_not_an_error(db_session, english):
    response = english.get("/places")
    assert response.status_code == 200
    assert listed_ids(response.get_data(as_text=True)) == []


def test_a_full_place_shows_as_full(db_session, english):
    full = make_place(make_organisation(), spots=2, spots_taken=2)
    free = make_place(make_organisation(), spots=2, spots_taken=1)
    listing = english.get("/places").get_data(as_text=True)
    item = listing[listing.index(f"/places/{full.id}/") :].split("</li>")[0]
    assert "<strong>Full</strong>" in item
    item = listing[listing.index(f"/places/{free.id}/") :].split("</li>")[0]
    assert "Full" not in item

    page = english.get(f"/places/{full.id}/{slugify(full.title)}").get_data(as_text=True)
    assert "Full: all spots are taken" in page
    page = english.get(f"/places/{free.id}/{slugify(free.title)}").get_data(as_text=True)
    assert "1 of 2" in page and "Full" not in page


def test_the_place_url_without_or_with_a_wrong_slug_moves_to_the_canonical_one(db_session, english):
    place = make_place(make_organisation(), title="Kok in de Buurtkeuken: soep & brood!")
    canonical = f"/places/{place.id}/kok-in-de-buurtkeuken-soep-brood"
    for url in (f"/places/{place.id}", f"/places/{place.id}/oude-titel"):
        response = english.get(url)
        assert response.status_code == 301
        assert response.location == canonical
    response = english.get(canonical)
    assert response.status_code == 200
    assert f'<link rel="canonical" href="http://localhost{canonical}">' in response.get_data(
        as_text=True
    )


def test_an_unknown_place_is_404(db_session, english):
    assert english.get("/places/999999").status_code == 404


def test_the_place_page_shows_what_a_newcomer_needs_to_know(
    db_session, english, runner, geonames_file
):
    result = runner.invoke(args=["geo", "import", str(geonames_file)])
    assert result.exit_code == 0, result.output
    organisation = make_organisation("Zorgboerderij De Hoeve")
    place = make_place(
        organisation,
        title="Meewerken op de zorgboerderij",
        description="Je voert de dieren en helpt in de moestuin.",
        skills_learned=["dieren verzorgen", "samenwerken"],
        education_offered=["Certificaat Groen"],
        dutch_level=DutchLevel.B1,
        languages=["ar", "ti"],
        hours_min=12,
        hours_max=20,
        schedule=["weekday_morning", "weekend"],
        postcode="3888 AB",
        city="Uddel",
        mentor=True,
        paid_work_prospect=PaidWorkProspect.YES,
        spots=3,
        spots_taken=1,
    )

    response = english.get(f"/places/{place.id}/meewerken-op-de-zorgboerderij")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = " ".join(html.split())
    assert "<title>Meewerken op de zorgboerderij · " in page
    description = re.search(r'<meta name="description" content="([^"]*)">', page).group(1)
    assert description.startswith("Zorgboerderij De Hoeve: Je voert de dieren")
    assert "<h1>Meewerken op de zorgboerderij</h1>" in page
    assert "Zorgboerderij De Hoeve" in page
    assert "Je voert de dieren en helpt in de moestuin." in page
    assert "dieren verzorgen, samenwerken" in page
    assert "Certificate or course: Certificaat Groen" in page
    expected_facts = {
        "Dutch needed": "B1",
        "Other languages spoken": "Arabic, Tigrinya",
        "Hours per week": "12 to 20",
        "When": "Weekday mornings, Weekend",
        "Where": "Uddel (municipality of Apeldoorn)",
        "Mentor or buddy": "Yes",
        "Paid work later": "Yes, there is a real chance of a paid job here",
        "Spots left": "2 of 3",
    }
    facts = dict(re.findall(r"<dt>(.*?)</dt>\s*<dd>\s*(.*?)\s*</dd>", page))
    assert {name: facts.get(name) for name in expected_facts} == expected_facts


def test_a_place_past_its_end_date_is_not_public_before_the_nightly_job(db_session, english):
    place = make_place(make_organisation(), end_date=date.today() - timedelta(days=1))
    assert place.status == S.PUBLISHED  # the nightly job has not closed it yet
    assert english.get(f"/places/{place.id}/{slugify(place.title)}").status_code == 404
    assert place.id not in listed_ids(english.get("/places").get_data(as_text=True))


def test_the_list_has_a_title_and_description_for_sharing(db_session, english):
    page = english.get("/places").get_data(as_text=True)
    assert "<title>Participation places · " in page
    assert re.search(r'<meta name="description" content="[^"]{20,}">', page)
    assert re.search(r'<meta property="og:title" content="[^"]+">', page)
