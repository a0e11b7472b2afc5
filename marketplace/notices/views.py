"""Messages (newcomers' reminders and news, consultants' check-ins and follow-ups that are
due), and the count of new ones in the header."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, flash, has_request_context, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from marketplace import clock, db
from marketplace.accounts.models import Role
from marketplace.notices import services
from marketplace.notices.messages import render
from marketplace.permissions import can_receive_notices, roles

log = logging.getLogger(__name__)
bp = Blueprint("notices", __name__)


@bp.route("/me/notices")
@roles(Role.NEWCOMER, Role.CONSULTANT)
def index():
    """The user's own messages, newest first; the new ones marked. Reading marks nothing."""
    today = clock.today()
    notices = services.notices_of(db.session, current_user)
    return render_template(
        "notices/index.html",
        messages=[(notice, *render(notice, today, named=True)) for notice in notices],
        unread=sum(1 for notice in notices if notice.read_at is None),
    )


@bp.route("/me/notices/read", methods=["POST"])
@roles(Role.NEWCOMER, Role.CONSULTANT)
def mark_read():
    """Mark all of the user's messages as read."""
    services.mark_read(db.session, current_user, services.ALL)
    flash(_("All your messages are marked as read."), "success")
    return redirect(url_for("notices.index"))


def _unread_notices() -> dict:
    """For a signed-in newcomer or consultant: how many new messages (one COUNT query)."""
    if not has_request_context() or not can_receive_notices(current_user):
        return {}
    session = db.session
    if not session.is_active:  # an error page after a failed write: no more queries
        return {}
    try:
        return {"unread_notices": services.unread_count(session, current_user)}
    except SQLAlchemyError:  # the count is an extra; the page must still show
        log.warning("unread_notices_unavailable", exc_info=True)
        return {}


def init_app(app: Flask) -> None:
    """Give every page the user's count of new messages."""
    app.context_processor(_unread_notices)
