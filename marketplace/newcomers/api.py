"""The JSON API (``/api/v1``): a newcomer's matches, for the newcomer and their consultant."""

from __future__ import annotations

import re

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.audit.services import record_event
from marketplace.errors import render_error
from marketplace.newcomers import services
from marketplace.permissions import can_see_newcomer, require, roles
from marketplace.places.services import places_by_id
from marketplace.search import sync
from marketplace.search.matching import matches_for
from marketplace.search.output import matches_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_LIMIT = 50


@bp.route("/newcomers/<ref>/matches")
@roles(Role.NEWCOMER, Role.CONSULTANT)
def newcomer_matches(ref: str):
    """The best places for a newcomer, best first, with reasons (exchange-format.md)."""
    limit = request.args.get("limit", "10")
    if not re.fullmatch(r"[0-9]{1,3}", limit) or not 1 <= int(limit) <= MAX_LIMIT:
        message = _("limit must be a whole number from 1 to %(most)d.", most=MAX_LIMIT)
        return render_error(400, detail=message)
    profile = services.profile_by_ref(db.session, ref[:64])
    require(can_see_newcomer(current_user, profile))
    if current_user.role == Role.CONSULTANT:
        record_event(
            db.session,
            "newcomer_matches_read",
            actor=current_user,
            subject_user_id=profile.user_id,
            obj=profile,
            ip=request.remote_addr,
            page="api/matches",
        )
    sync.catch_up()
    matches = matches_for(db.session, profile, clock.today(), int(limit))
    places = places_by_id(db.session, [match.place_id for match in matches])
    return jsonify(matches_document(profile, matches, places))
