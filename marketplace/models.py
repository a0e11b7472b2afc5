"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from marketplace.accounts.models import AccountToken, LoginAttempt, Role, User, UserSession
from marketplace.audit.models import AuditEvent
from marketplace.exchange.models import ImportRun
from marketplace.feedback.models import Feedback
from marketplace.geo.models import PostcodeArea
from marketplace.newcomers.models import LadderStep, NewcomerLimit, NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.placements.models import CheckIn, FollowUp, Outcome, Placement, PlacementEvent
from marketplace.places.models import Place, PlaceReview
from marketplace.plans.models import Plan, PlanActivity
from marketplace.search.models import IndexCursor, OutboxEntry

__all__ = [
    "AccountToken",
    "AuditEvent",
    "CheckIn",
    "Feedback",
    "FollowUp",
    "ImportRun",
    "IndexCursor",
    "LadderStep",
    "LoginAttempt",
    "NewcomerLimit",
    "NewcomerProfile",
    "Organisation",
    "OutboxEntry",
    "Outcome",
    "Place",
    "Placement",
    "PlacementEvent",
    "Plan",
    "PlanActivity",
    "PlaceReview",
    "PostcodeArea",
    "Role",
    "User",
    "UserSession",
]
