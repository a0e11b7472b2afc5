"""Opening one newcomer's file on a consultant's page: one rule for every part of the file."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from marketplace import db
from marketplace.newcomers.models import NewcomerProfile
from marketplace.newcomers.profile_services import open_file
from marketplace.newcomers.services import profile_by_ref
from marketplace.permissions import require


def opens(profile: NewcomerProfile | None, page: str) -> bool:
    """Whether the reader may see this newcomer's file; a consultant's opening is written to
    the audit log with ``page`` (the part of the file read) and the request's origin."""
    return open_file(db.session, current_user, profile, page, ip=request.remote_addr)


def file_of(ref: str, page: str) -> NewcomerProfile:
    """The newcomer this page is about: 404 unless it is the reader's own newcomer (or the
    newcomer themselves); a consultant's opening is audit-logged (see ``opens``)."""
    profile = profile_by_ref(db.session, ref)
    require(opens(profile, page))
    return profile
