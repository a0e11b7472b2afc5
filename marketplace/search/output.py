"""Matches in the exchange format's shape (exchange-format.md, "Matching output").

Used by ``flask match`` and ``GET /api/v1/newcomers/REF/matches``: the same document both
ways. ``reasons`` are sentences in the current language; ``details`` carry the same reasons
as data, for programs that want to word them themselves.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from marketplace.newcomers.models import NewcomerProfile
from marketplace.places.models import Place
from marketplace.search.matching import Match
from marketplace.search.reasons import describe


def place_ref(place: Place) -> str:
    """A place's exchange ref; places made in the app have none and are named by id."""
    return place.ref or f"place-{place.id}"


def newcomer_ref(profile: NewcomerProfile) -> str:
    return profile.ref or f"newcomer-{profile.id}"


def matches_document(
    profile: NewcomerProfile, matches: list[Match], places: dict[int, Place]
) -> dict[str, Any]:
    mode = profile.travel_mode.value if profile.travel_mode else None
    return {
        "newcomer": newcomer_ref(profile),
        "matches": [
            {
                "place": place_ref(places[match.place_id]),
                "score": round(match.score, 2),
                "reasons": [describe(reason, mode) for reason in match.reasons],
                "details": [
                    {key: value for key, value in asdict(reason).items() if value not in ((), None)}
                    for reason in match.reasons
                ],
            }
            for match in matches
        ],
    }
