"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from marketplace.accounts.models import (
    AccountToken,
    LoginAttempt,
    RecoveryCode,
    Role,
    User,
    UserSession,
)
from marketplace.audit.models import AuditEvent
from marketplace.exchange.models import ImportRun
from marketplace.feedback.models import Feedback
from marketplace.geo.models import PostcodeArea
from marketplace.newcomers.models import (
    Intake,
    LadderStep,
    NewcomerLimit,
    NewcomerProfile,
    ProfileChange,
)
from marketplace.notices.models import Notice
from marketplace.organisations.models import Organisation
from marketplace.placements.models import CheckIn, FollowUp, Outcome, Placement, PlacementEvent
from marketplace.places.models import Place, PlaceReview
from marketplace.plans.models import Appointment, Plan, PlanActivity
from marketplace.privacy.models import ErasureRequest
from marketplace.search.models import IndexCursor, OutboxEntry

__all__ = [
    "Appointment",
    "ErasureRequest",
    "Notice",
    "ProfileChange",
    "AccountToken",
    "RecoveryCode",
    "AuditEvent",
    "CheckIn",
    "Feedback",
    "FollowUp",
    "ImportRun",
    "Intake",
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
