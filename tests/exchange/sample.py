"""A valid exchange document made in the test, and helpers to import it and compare databases."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from marketplace.db import Base

#: the tables an import writes (import_run aside: it gains a row on every run)
TOUCHED_TABLES = (
    "organisation",
    "place",
    "place_review",
    "user_account",
    "newcomer_profile",
    "search_outbox",
)
#: newcomers' names, which must never reach the log
NEWCOMER_NAMES = ("Amina Yusuf", "Dawit Tesfaye", "Olena Kovalenko")

_PLACE_DEFAULTS: dict[str, Any] = {
    "description": "Meewerken in een klein team; we leggen alles rustig uit.",
    "dutch_level": "A2",
    "hours_min": 8,
    "hours_max": 16,
    "schedule": ["weekday_morning"],
    "postcode": "3511 AB",
    "physical_demand": "light",
    "spots": 2,
    "paid_work_prospect": "possible",
}

_SAMPLE: dict[str, Any] = {
    "format": "participation-marketplace/v1",
    "organisations": [
        {
            "ref": "org-1",
            "name": "Bakkerij De Korenschoof",
            "kind": "employer",
            "kvk": "12345678",
            "postcode": "3511ab",
            "city": "Utrecht",
            "website": "https://korenschoof.example.nl",
            "description": "Ambachtelijke bakkerij met winkel.",
        },
        {"ref": "org-2", "name": "Buurthuis De Linde", "kind": "nonprofit", "verified": False},
        {"ref": "org.3_x", "name": "ROC Midden", "kind": "education", "city": "Utrecht"},
    ],
    "places": [
        {
            "ref": "pl-1",
            "organisation": "org-1",
            "title": "Meebakken in de bakkerij",
            "kind": "work_experience",
            "sector": "food",
            "skills_wanted": ["bakken", "klantcontact"],
            "skills_learned": ["hygiëne"],
            "education_offered": ["HACCP"],
            "languages": ["en", "ar"],
            "schedule": ["weekday_morning", "weekend"],
            "city": "Utrecht",
            "duration_weeks": 12,
            "start_date": "2026-03-01",
            "mentor": True,
        },
        {
            "ref": "pl-2",
            "organisation": "org-2",
            "title": "Gastvrouw in het buurthuis",
            "kind": "volunteer",
            "sector": "community",
            "status": "published",
            "postcode": "3512CD",
        },
        {
            "ref": "pl-3",
            "organisation": "org.3_x",
            "title": "Stage administratie",
            "kind": "internship",
            "sector": "administration",
            "dutch_level": "B1",
            "status": "paused",
        },
        {
            "ref": "pl-4",
            "organisation": "org-1",
            "title": "Leerwerkplek logistiek",
            "kind": "learn_work",
            "sector": "logistics",
            "physical_demand": "heavy",
            "education_offered": ["VCA", "MBO-2 Logistiek"],
            "status": "draft",
        },
        {
            "ref": "pl-5",
            "organisation": "org-1",
            "title": "Proefplaatsing verkoop",
            "kind": "trial_placement",
            "sector": "retail",
            "paid_work_prospect": "yes",
            "status": "closed",
        },
        {
            "ref": "pl-6",
            "organisation": "org-2",
            "title": "Taalmaatje online",
            "kind": "language_practice",
            "sector": "education",
            "dutch_level": "none",
            "remote": True,
            "postcode": None,
            "schedule": ["weekday_evening"],
            "paid_work_prospect": "no",
        },
    ],
    "newcomers": [
        {
            "ref": "nc-1",
            "name": NEWCOMER_NAMES[0],
            "postcode": "3511 AB",
            "city": "Utrecht",
            "dutch_level": "A2",
            "languages": ["ar", "en"],
            "learning_route": "b1",
            "education_level": "secondary",
            "education_field": "accounting",
            "experience": [
                {"occupation": "bakker", "years": 3},
                {"occupation": "kok", "years": 1.5},
            ],
            "skills": ["bakken", "klantcontact"],
            "interests": ["koken"],
            "education_goals": ["MBO-2 Bakker"],
            "work_goals": ["food"],
            "hours_available": 24,
            "schedule": ["weekday_morning", "weekday_afternoon"],
            "max_travel_km": 10,
            "physical_capacity": "moderate",
        },
        {
            "ref": "nc-2",
            "name": NEWCOMER_NAMES[1],
            "postcode": "3512cd",
            "dutch_level": "A1",
            "hours_available": 16,
            "schedule": ["weekend"],
            "max_travel_km": 7.5,
        },
        {
            "ref": "nc-3",
            "name": NEWCOMER_NAMES[2],
            "postcode": "3513 EF",
            "dutch_level": "B1",
            "languages": ["uk", "ru"],
            "hours_available": 32,
            "schedule": ["weekday_morning", "weekday_evening"],
            "max_travel_km": 25,
        },
    ],
}


def sample_document() -> dict[str, Any]:
    """A fresh copy of the valid sample: 3 organisations, 6 places of each kind, 3 newcomers."""
    document = copy.deepcopy(_SAMPLE)
    document["places"] = [{**_PLACE_DEFAULTS, **place} for place in document["places"]]
    return document


def write(directory: Path, document: Any, name: str = "sample.json") -> Path:
    """Write a document (or raw text) to a file and return its path."""
    path = directory / name
    if isinstance(document, str | bytes):
        path.write_bytes(document.encode() if isinstance(document, str) else document)
    else:
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def checksum(dbs, tables: tuple[str, ...] = TOUCHED_TABLES) -> str:
    """A hash of every row of the tables, in primary-key order."""
    digest = hashlib.sha256()
    for name in tables:
        table = Base.metadata.tables[name]
        rows = dbs.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{name}:{[tuple(row) for row in rows]!r}".encode())
    return digest.hexdigest()


def count(dbs, table_name: str) -> int:
    table = Base.metadata.tables[table_name]
    return dbs.scalar(sa.select(sa.func.count()).select_from(table))
