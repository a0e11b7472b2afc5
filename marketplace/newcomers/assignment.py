"""Which consultant guides a newcomer: an administrator assigns and reassigns.

The change counts from the next request on: the previous consultant's pages of that newcomer
answer 404 at once, since every page asks ``can_see_newcomer`` (security.md R07), and their
check-in and follow-up notices about the newcomer (which hold the name) are deleted. Each
assignment is written to the audit log (R41).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased, contains_eager

from marketplace.accounts.models import Role, User
from marketplace.audit.services import record_event
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.consultants import forget_newcomer
from marketplace.permissions import can_assign_caseload

#: newcomers per page of the administrator's list (there are up to 100,000)
PER_PAGE = 50
#: the consultant filter's value for newcomers nobody guides yet
NOBODY = "none"

Consultant = aliased(User, name="consultant")


@dataclass(frozen=True)
class NewcomersPage:
    """One page of newcomers, each with their consultant (None: nobody yet)."""

    rows: list[tuple[NewcomerProfile, User | None]]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def consultants(dbs: Session, active_only: bool = False) -> list[User]:
    """Consultant accounts by name; also the deactivated ones unless ``active_only``."""
    query = sa.select(User).where(User.role == Role.CONSULTANT)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(dbs.scalars(query.order_by(User.name, User.id)))


def newcomers_page(
    dbs: Session, *, consultant: str | None = None, name: str | None = None, page: int = 1
) -> NewcomersPage:
    """Newcomers by name, filtered by consultant (an id, or ``NOBODY``) and part of the name."""
    query = (
        sa.select(NewcomerProfile, Consultant)
        .join(NewcomerProfile.user)
        .options(contains_eager(NewcomerProfile.user))
        .outerjoin(Consultant, Consultant.id == NewcomerProfile.consultant_id)
    )
    if consultant == NOBODY:
        query = query.where(NewcomerProfile.consultant_id.is_(None))
    elif consultant:
        query = query.where(NewcomerProfile.consultant_id == int(consultant))
    if name:
        query = query.where(User.name.icontains(name, autoescape=True))
    total = dbs.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    found = dbs.execute(
        query.order_by(User.name, NewcomerProfile.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    return NewcomersPage([(profile, guide) for profile, guide in found], total, page)


def assign_newcomer(
    dbs: Session, actor: User, profile: NewcomerProfile, consultant_id: int | None
) -> User:
    """Put the newcomer in an active consultant's caseload, and take the newcomer out of the
    previous consultant's notices; returns the new consultant."""
    if not can_assign_caseload(actor):
        raise NotAllowed(_l("Only an administrator can assign newcomers to consultants."))
    consultant = dbs.get(User, consultant_id) if consultant_id else None
    if consultant is None or consultant.role != Role.CONSULTANT or not consultant.active:
        raise DomainError(_l("Choose a consultant from the list."), "consultant")
    if profile.consultant_id == consultant.id:
        raise DomainError(_l("This consultant already guides this newcomer."), "consultant")
    previous = profile.consultant_id
    if previous is not None:
        forget_newcomer(dbs, profile, previous)
    profile.consultant_id = consultant.id
    dbs.flush()
    record_event(
        dbs,
        "caseload_assigned",
        actor=actor,
        subject_user_id=profile.user_id,
        obj=profile,
        from_consultant_id=previous,
        to_consultant_id=consultant.id,
    )
    return consultant
