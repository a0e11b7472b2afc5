"""The dashboards' figures about places: feedback per place and organisation, and the review.

Feedback figures come from ``marketplace.feedback.services`` and follow its rule: a figure
needs at least ``MIN_RESPONDENTS`` different newcomers, so no answer points to a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.dashboards.figures import Scope
from marketplace.feedback.models import Feedback, FeedbackAbout
from marketplace.feedback.services import Summary, organisation_summaries, place_summary
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.places.models import Place
from marketplace.places.services import review_queue

#: a place or organisation is flagged when its average for one of these is below POOR_SCORE
FLAGGED_SCORES = ("meaningful", "respect")
POOR_SCORE = 3.0
#: ids per query when asking for figures of many places (databases limit bound parameters)
CHUNK = 500


@dataclass(frozen=True)
class Rated:
    """Feedback figures of one place or organisation; ``organisation`` only for a place."""

    id: int
    name: str
    organisation: str | None
    summary: Summary

    @property
    def flagged(self) -> bool:
        """Poor feedback: a flagged score's average is below POOR_SCORE."""
        averages = self.summary.averages
        return any(
            averages[name] is not None and averages[name] < POOR_SCORE for name in FLAGGED_SCORES
        )

    @property
    def lowest(self) -> float:
        """The lowest flagged score (5 when none is known), to list the poorest first."""
        known = [self.summary.averages[n] for n in FLAGGED_SCORES]
        return min((v for v in known if v is not None), default=5.0)


@dataclass(frozen=True)
class FeedbackFigures:
    places: list[Rated]
    organisations: list[Rated]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _rated_places(dbs: Session, scope: Scope) -> sa.Select:
    """The places the scope's newcomers gave feedback on (every rated place for all)."""
    query = sa.select(Feedback.place_id).where(
        Feedback.about == FeedbackAbout.PLACE, Feedback.place_id.is_not(None)
    )
    if scope.where():
        query = query.join(NewcomerProfile, NewcomerProfile.id == Feedback.profile_id).where(
            *scope.where()
        )
    return query.distinct()


def _poorest_first(found: Iterable[Rated]) -> list[Rated]:
    return sorted(found, key=lambda r: (not r.flagged, r.lowest, r.name.casefold(), r.id))


def feedback_figures(dbs: Session, scope: Scope, today: date) -> FeedbackFigures:
    """Figures per place and per organisation (enough respondents only), poorest first."""
    rated = _rated_places(dbs, scope)
    ids = list(dbs.scalars(rated))
    summaries: dict[int, Summary] = {}
    for chunk in _chunks(ids):
        summaries.update(place_summary(dbs, chunk))
    names = {}
    for chunk in _chunks(sorted(summaries)):
        query = (
            sa.select(Place.id, Place.title, Organisation.name)
            .join(Organisation, Organisation.id == Place.organisation_id)
            .where(Place.id.in_(chunk))
        )
        names.update({row[0]: row[1:] for row in dbs.execute(query)})
    places = [Rated(place_id, *names[place_id], summary) for place_id, summary in summaries.items()]
    organisations_of_scope = sa.select(Place.organisation_id).where(Place.id.in_(rated))
    by_organisation = organisation_summaries(dbs, organisations_of_scope)
    organisation_names = dict(
        dbs.execute(
            sa.select(Organisation.id, Organisation.name).where(
                Organisation.id.in_(list(by_organisation))
            )
        ).all()
    )
    organisations = [
        Rated(organisation_id, organisation_names[organisation_id], None, summary)
        for organisation_id, summary in by_organisation.items()
    ]
    return FeedbackFigures(_poorest_first(places), _poorest_first(organisations))


# --- places waiting for review ----------------------------------------------------------

#: upper bounds (days waiting, exclusive) of the review's buckets: under 1 week, 1-2, 2-4, more
WAITING_DAYS = (7, 14, 28)


@dataclass(frozen=True)
class ReviewWaiting:
    """Places waiting for a consultant's check (new ones and changes), by days waiting."""

    buckets: tuple[int, ...]
    oldest_days: int | None

    @property
    def waiting(self) -> int:
        return sum(self.buckets)


def review_waiting(dbs: Session, scope: Scope, today: date) -> ReviewWaiting:
    """The review queue in numbers; places belong to no caseload, so every scope sees all."""
    buckets = [0] * (len(WAITING_DAYS) + 1)
    oldest = None
    for place in review_queue(dbs):
        since = place.changes_submitted_at or place.submitted_at
        days = max((today - since.date()).days, 0) if since else 0
        buckets[next((n for n, b in enumerate(WAITING_DAYS) if days < b), len(WAITING_DAYS))] += 1
        oldest = days if oldest is None else max(oldest, days)
    return ReviewWaiting(tuple(buckets), oldest)
