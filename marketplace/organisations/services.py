"""Organisation rules: verification by an admin or consultant."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.accounts.services import create_user, invite
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.organisations.models import Organisation
from marketplace.permissions import can_edit_organisation, can_verify_organisation
from marketplace.placements.models import Placement
from marketplace.places.models import Place


def unverified_organisations(dbs: Session) -> list[Organisation]:
    """Organisations waiting to be checked, oldest first."""
    return list(
        dbs.scalars(
            sa.select(Organisation)
            .where(Organisation.verified_at.is_(None))
            .order_by(Organisation.created_at, Organisation.id)
        )
    )


def verify_organisation(dbs: Session, actor: User, organisation: Organisation) -> None:
    """Confirm that an organisation is real, so that its places can be published."""
    if not can_verify_organisation(actor):
        raise NotAllowed(_l("Only a consultant or an administrator can do this."))
    if organisation.verified:
        raise DomainError(_l("This organisation has been verified already."))
    organisation.verified_at = utcnow()
    record_event(dbs, "organisation_verified", actor=actor, obj=organisation)


#: changing these means the organisation must be checked again
IDENTITY_FIELDS = ("name", "kvk")


def update_organisation(
    dbs: Session, actor: User, organisation: Organisation, values: dict
) -> bool:
    """Save the profile; returns True when a changed name or KvK number needs a new check."""
    if not can_edit_organisation(actor, organisation):
        raise NotAllowed(_l("You can only change your own organisation."))
    recheck = organisation.verified and any(
        (values.get(field) or None) != getattr(organisation, field) for field in IDENTITY_FIELDS
    )
    for field, value in values.items():
        setattr(organisation, field, value if field in ("name", "kind") else value or None)
    if recheck:
        organisation.verified_at = None
    record_event(dbs, "organisation_updated", actor=actor, obj=organisation, recheck=recheck)
    return recheck


def invite_colleague(
    dbs: Session, actor: User, *, name: str, email: str, language: str
) -> tuple[User, str]:
    """Add a colleague who acts for the same organisation; returns them and their link."""
    if actor.role != Role.EMPLOYER or actor.organisation is None:
        raise NotAllowed(_l("Only an employer can invite a colleague."))
    colleague = create_user(
        dbs,
        email=email,
        name=name,
        role=Role.EMPLOYER,
        language=language,
        organisation=actor.organisation,
    )
    return colleague, invite(dbs, actor, colleague)


def placement_counts(dbs: Session, organisation: Organisation) -> dict[int, Counter]:
    """Per place of the organisation: how many placements are in each status."""
    rows = dbs.execute(
        sa.select(Placement.place_id, Placement.status, sa.func.count())
        .join(Place, Place.id == Placement.place_id)
        .where(Place.organisation_id == organisation.id)
        .group_by(Placement.place_id, Placement.status)
    )
    counts: dict[int, Counter] = {}
    for place_id, status, count in rows:
        counts.setdefault(place_id, Counter())[status] = count
    return counts
