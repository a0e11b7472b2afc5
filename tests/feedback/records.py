"""Newcomers with placements in a given state, and the feedback stored, for the feedback tests."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.feedback.models import Feedback
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import Placement, PlacementStatus
from tests.factories import make_organisation, make_place, make_user

#: a word that must never reach an employer's page
COMMENT_MARKER = "CANARY-FEEDBACK-COMMENT-7f3a"


def newcomer_with_profile(session, language: str = "en"):
    user = make_user(Role.NEWCOMER, language=language)
    profile = session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
    return user, profile


def placement_of(session, profile, status=PlacementStatus.ACTIVE, place=None) -> Placement:
    placement = Placement(
        profile_id=profile.id,
        place_id=(place or make_place(make_organisation())).id,
        status=status,
    )
    session.add(placement)
    session.flush()
    return placement


def all_feedback(session) -> list[Feedback]:
    session.expire_all()
    return list(session.scalars(sa.select(Feedback).order_by(Feedback.id)))
