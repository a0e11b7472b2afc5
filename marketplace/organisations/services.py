"""Organisation rules: verification by an admin or consultant."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.audit.services import record_event
from marketplace.db import utcnow
from marketplace.domain import DomainError, NotAllowed
from marketplace.organisations.models import Organisation
from marketplace.permissions import can_verify_organisation


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
