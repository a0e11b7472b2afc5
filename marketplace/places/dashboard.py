"""What an employer should do first, derived from their places and their placements."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from marketplace.placements.models import PlacementStatus
from marketplace.places.models import Place, PlaceStatus, ReviewDecision


@dataclass(frozen=True)
class Action:
    """One thing waiting for the employer, most urgent first."""

    kind: str  # a key the template turns into words
    place: Place
    count: int = 0


def employer_actions(places: list[Place], counts: dict[int, Counter]) -> list[Action]:
    """Review comments to act on, introductions to plan, changes not sent, drafts to finish."""
    actions: list[Action] = []
    for place in places:
        last = place.reviews[-1] if place.reviews else None
        if place.status == PlaceStatus.REJECTED:
            actions.append(Action("rejected", place))
        elif (
            place.status == PlaceStatus.DRAFT
            and last is not None
            and (last.decision == ReviewDecision.CHANGES_REQUESTED)
        ):
            actions.append(Action("changes_requested", place))
        waiting = counts.get(place.id, Counter())
        if waiting[PlacementStatus.PROPOSED]:
            actions.append(Action("introduction_to_plan", place, waiting[PlacementStatus.PROPOSED]))
        if place.pending_changes and place.changes_submitted_at is None:
            actions.append(Action("changes_not_sent", place))
        if place.status == PlaceStatus.DRAFT and not (
            last is not None and last.decision == ReviewDecision.CHANGES_REQUESTED
        ):
            actions.append(Action("draft", place))
    order = ["rejected", "changes_requested", "introduction_to_plan", "changes_not_sent", "draft"]
    return sorted(actions, key=lambda action: order.index(action.kind))
