"""Changing a newcomer's profile, part by part, with a history the newcomer can read."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from marketplace.accounts.models import Role, User
from marketplace.audit.services import record_event
from marketplace.domain import DomainError, NotAllowed
from marketplace.newcomers.models import (
    NewcomerLimit,
    NewcomerProfile,
    PracticalLimit,
    ProfileChange,
)
from marketplace.newcomers.profile_parts import PARTS, SHAREABLE, stored_value
from marketplace.permissions import can_edit_profile, can_see_newcomer


class ChangedMeanwhile(DomainError):
    """The profile changed after the form was opened; nothing was saved."""


def _set_limits(profile: NewcomerProfile, kinds: list[PracticalLimit]) -> None:
    wanted = set(kinds)
    # keep the rows that stay: one row per kind, and no needless history of the rest
    profile.limits = [limit for limit in profile.limits if limit.kind in wanted]
    present = {limit.kind for limit in profile.limits}
    for kind in sorted(wanted - present):
        profile.limits.append(NewcomerLimit(kind=kind))


def _hold(dbs: Session, profile: NewcomerProfile) -> None:
    """Hold the profile's row until the save commits, and read its limits again: a second
    editor waits, then sees the first one's change (PostgreSQL; SQLite's writing requests take
    turns anyway). The database cannot keep one limit per kind itself, as the kind is encrypted."""
    query = sa.select(NewcomerProfile.id).where(NewcomerProfile.id == profile.id)
    dbs.execute(query.with_for_update())
    dbs.expire(profile, ["limits"])


CHANGED_MEANWHILE = _l(
    "Someone changed this profile while you were busy. Here it is as it is now; "
    "make your change again and save."
)


def newest_change(dbs: Session, profile: NewcomerProfile) -> int:
    """The id of the profile's newest change, 0 when it never changed: its version."""
    query = sa.select(sa.func.max(ProfileChange.id)).where(ProfileChange.profile_id == profile.id)
    return dbs.scalar(query) or 0


def update_part(
    dbs: Session,
    actor: User,
    profile: NewcomerProfile,
    part: str,
    values: dict[str, object],
    seen: int | None = None,
) -> list[ProfileChange]:
    """Save one part of the profile; every field that changed gets a history row.

    ``seen`` is the newest change the editor's form was made from; when the profile changed
    since, nothing is saved, so nobody overwrites a change they never saw.
    """
    if part not in PARTS:
        raise DomainError(_l("This part of the profile does not exist."))
    if not can_edit_profile(actor, profile, PARTS[part]):
        raise NotAllowed(_l("You cannot change this profile."))
    _hold(dbs, profile)
    if seen is not None and seen != newest_change(dbs, profile):
        raise ChangedMeanwhile(CHANGED_MEANWHILE)
    unknown = set(values.get("shares_with_employers", [])) - set(SHAREABLE)
    if unknown:
        raise DomainError(_l("Choose from the list."), "shares_with_employers")
    changes = []
    for field in PARTS[part].fields:
        if field not in values:
            continue
        old = stored_value(profile, field)
        if field == "limits":
            _set_limits(profile, values[field])
        else:
            setattr(profile, field, values[field])
        new = stored_value(profile, field)
        if old != new:
            changes.append(
                ProfileChange(
                    profile_id=profile.id,
                    field=field,
                    old_value=old,
                    new_value=new,
                    changed_by_id=actor.id,
                )
            )
    dbs.add_all(changes)
    dbs.flush()
    if changes and actor.role != Role.NEWCOMER:
        record_event(
            dbs,
            "newcomer_profile_changed",
            actor=actor,
            subject_user_id=profile.user_id,
            obj=profile,
            fields=[change.field for change in changes],
        )
    return changes


def changes_of(dbs: Session, profile: NewcomerProfile) -> list[ProfileChange]:
    """Every change to the profile, newest first, with who made it."""
    return list(
        dbs.scalars(
            sa.select(ProfileChange)
            .where(ProfileChange.profile_id == profile.id)
            .options(selectinload(ProfileChange.changed_by))
            .order_by(ProfileChange.at.desc(), ProfileChange.id.desc())
        )
    )


def open_file(
    dbs: Session,
    reader: User,
    profile: NewcomerProfile | None,
    what: str,
    ip: str | None = None,
) -> bool:
    """Whether the reader may see this profile; a consultant's read goes into the audit log
    with the part of the file read (``what``) and the reader's address (pseudonymised)."""
    if not can_see_newcomer(reader, profile):
        return False
    if reader.role != Role.NEWCOMER:
        record_event(
            dbs,
            "newcomer_profile_read",
            actor=reader,
            subject_user_id=profile.user_id,
            obj=profile,
            ip=ip,
            page=what,
        )
    return True
