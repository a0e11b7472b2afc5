"""Shared by the index tests: a fresh index per test, and questions to ask the index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from whoosh.qparser import MultifieldParser
from whoosh.query import Term

from marketplace.search.agreement import database_versions, indexed_versions
from marketplace.search.documents import SCHEMA
from marketplace.search.index import get_index
from marketplace.search.sync import apply_outbox

HOST = "test-host"


def use_fresh_index(app, monkeypatch, folder: Path) -> Path:
    """Point the app at an empty index directory of its own (the suite's one is shared)."""
    directory = folder / "index"
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(directory))
    monkeypatch.setitem(app.config, "SEARCH_HOST_NAME", HOST)
    return directory


def apply(session, today: date | None = None, **kwargs):
    """Apply the outbox now, as the end of a request does."""
    return apply_outbox(session, today or date.today(), **kwargs)


def ids_with_id(place_id: int) -> list[int]:
    """The ids a Term query on the unique id field finds (an empty list or the one id)."""
    searcher = get_index().searcher()
    return [int(hit["id"]) for hit in searcher.search(Term("id", str(place_id)))]


def ids_for_text(text: str) -> list[int]:
    """The ids a free-text query over title and description finds."""
    searcher = get_index().searcher()
    query = MultifieldParser(["title", "description"], SCHEMA).parse(text)
    return sorted(int(hit["id"]) for hit in searcher.search(query, limit=None))


def index_versions() -> dict[int, int]:
    return indexed_versions(get_index().searcher())


def index_agrees(session, today: date | None = None) -> bool:
    return index_versions() == database_versions(session, today or date.today())


#: PC4 areas used by the search tests: (pc4, place, latitude, longitude)
AREAS = {
    "utrecht": ("3511", "Utrecht", 52.0907, 5.1214),
    "utrecht-oost": ("3581", "Utrecht", 52.0860, 5.1400),
    "zeist": ("3701", "Zeist", 52.0894, 5.2331),
    "amersfoort": ("3811", "Amersfoort", 52.1561, 5.3878),
    "rotterdam": ("3011", "Rotterdam", 51.9225, 4.4792),
    "groningen": ("9711", "Groningen", 53.2194, 6.5665),
}


def add_areas(session) -> None:
    """The postcode areas of ``AREAS``, so that these postcodes have a place on the map."""
    add_postcode_areas(session, {pc4: (name, lat, lon) for pc4, name, lat, lon in AREAS.values()})


def add_postcode_areas(session, areas: dict[str, tuple[str, float, float]]) -> None:
    """PC4 areas given as ``{pc4: (place name, latitude, longitude)}``."""
    from marketplace.geo.models import PostcodeArea

    for pc4, (name, latitude, longitude) in areas.items():
        if session.get(PostcodeArea, pc4) is None:
            session.add(
                PostcodeArea(
                    pc4=pc4,
                    place_name=name,
                    municipality=name,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
    session.flush()


def postcode(area: str) -> str:
    return f"{AREAS[area][0]} AB"


#: the areas of the page, API and command tests: a newcomer in 3511, a kitchen 0.8 km away
#: in 3531, and Amsterdam's 1012 about 34 km away
NEAR_AREAS = {
    "3511": ("Utrecht", 52.0900, 5.1100),
    "3531": ("Utrecht", 52.0907, 5.1214),
    "1012": ("Amsterdam", 52.3700, 4.8900),
}


def cooking_newcomer(session, ref: str = "nc-001", language: str = "en", **profile_fields):
    """A newcomer who cooks (factory profile: 3511 AB, A2, 16 hours, weekday mornings, 10 km)."""
    import sqlalchemy as sa

    from marketplace.accounts.models import Role
    from marketplace.newcomers.models import NewcomerProfile
    from tests.factories import make_user

    user = make_user(Role.NEWCOMER, language=language)
    profile = session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    profile.ref = ref
    profile.skills = ["koken"]
    profile.work_goals = ["kok"]
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    session.flush()
    return user, profile


def kitchen_place(**fields):
    """A place that fits the cooking newcomer well and breaks no hard constraint."""
    from tests.factories import make_organisation, make_place

    values = {
        "title": "Kok in de buurtkeuken",
        "description": "Je kookt met het team.",
        "skills_wanted": ["koken"],
        "skills_learned": [],
        "education_offered": [],
        "postcode": "3531 AB",
        "city": "Utrecht",
        **fields,
    }
    return make_place(make_organisation(), **values)


def other_place(**fields):
    """A place within reach that shares no word with the cooking newcomer's profile."""
    from marketplace.places.models import PaidWorkProspect, Sector

    return kitchen_place(
        **{
            "title": "Administratie",
            "description": "Post sorteren en archiveren.",
            "sector": Sector.ADMINISTRATION,
            "skills_wanted": ["archiveren"],
            "mentor": False,
            "paid_work_prospect": PaidWorkProspect.NO,
            **fields,
        }
    )
