"""Every authorization rule, in one place (security.md R01-R03).

Closed by default: an endpoint is open to anonymous visitors only when it is in ``PUBLIC``;
every other endpoint needs a signed-in user whose role its ``@roles(...)`` marker allows.
An endpoint without a marker is refused to everyone. Object-level rules are ``can_*``
predicates, also given to templates so that they never restate a rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

from flask import Flask, abort, current_app, has_request_context, redirect, request, url_for
from flask_login import current_user

from marketplace.accounts.models import Role, User
from marketplace.accounts.sessions import current_session

#: endpoints anyone may use without signing in
PUBLIC = frozenset(
    {
        "static",
        "pages.home",
        "pages.about",
        "pages.privacy",
        "pages.accessibility",
        "pages.health",
        "pages.set_language",
        "places.index",
        "places.detail",
        "accounts.login",
        "accounts.register_employer",
        "accounts.forgot_password",
        "accounts.reset_password",
        "accounts.accept_invitation",
    }
)

ROLES_ATTRIBUTE = "_allowed_roles"

log = logging.getLogger(__name__)
SECOND_STEP_ATTRIBUTE = "_open_before_second_step"

#: the roles that sign in with a password and an authenticator app (R14)
SECOND_STEP_ROLES = frozenset({Role.CONSULTANT, Role.ADMIN})


def roles(*allowed: Role) -> Callable:
    """Mark a view as open to signed-in users with one of these roles."""

    def mark(view: Callable) -> Callable:
        setattr(view, ROLES_ATTRIBUTE, frozenset(allowed))
        return view

    return mark


def before_second_step(view: Callable) -> Callable:
    """Mark a view as usable between the password and the second step (setting it up,
    giving a code, signing out); every other view waits for the second step."""
    setattr(view, SECOND_STEP_ATTRIBUTE, True)
    return view


ANY_ROLE = tuple(Role)


def needs_second_step(user: User) -> bool:
    return user.is_authenticated and user.role in SECOND_STEP_ROLES


def second_step_passed() -> bool:
    """Whether this browser's session passed the second step (always, for other roles)."""
    if not needs_second_step(current_user):
        return True
    row = current_session()
    return row is not None and row.mfa_at is not None


def allowed_roles(endpoint: str | None) -> frozenset[Role] | None:
    """The roles an endpoint is open to, or None when it carries no marker."""
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, ROLES_ATTRIBUTE, None)


def guard_request() -> Any:
    """Before every request: let public endpoints through, otherwise require login and role."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC:
        return None  # unknown URLs fall through to 404/405
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)  # a program gets a status, not the login page
        return current_app.login_manager.unauthorized()
    allowed = allowed_roles(endpoint)
    if allowed is None or current_user.role not in allowed:
        deny(403)
    view = current_app.view_functions[endpoint]
    if not second_step_passed() and not getattr(view, SECOND_STEP_ATTRIBUTE, False):
        if request.path.startswith("/api/"):
            abort(401)
        return redirect(second_step_url())
    return None


def second_step_url() -> str:
    """Where a user who gave their password goes next: set up the app, or give its code."""
    enrolled = current_user.mfa_enabled_at is not None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return url_for("mfa.verify" if enrolled else "mfa.setup", next=target)


# --- object-level predicates ------------------------------------------------------------


def can_open(user: User, endpoint: str) -> bool:
    """Whether the user's role may open an endpoint (its @roles marker decides), for links."""
    allowed = allowed_roles(endpoint) or frozenset()
    return user.is_authenticated and user.role in allowed


def can_manage_users(user: User) -> bool:
    """Admins create and deactivate consultant and admin accounts."""
    return user.is_authenticated and user.role == Role.ADMIN


def can_assign_caseload(user: User) -> bool:
    """Admins assign newcomers to consultants, and move them to another consultant."""
    return user.is_authenticated and user.role == Role.ADMIN


def can_receive_notices(user: User) -> bool:
    """Newcomers get reminders and news; consultants get check-ins and follow-ups that are due."""
    return user.is_authenticated and user.role in (Role.NEWCOMER, Role.CONSULTANT)


def can_invite_newcomer(user: User) -> bool:
    """Consultants create newcomer accounts (with an invitation) for their caseload."""
    return user.is_authenticated and user.role == Role.CONSULTANT


def can_verify_organisation(user: User) -> bool:
    """Admins and consultants confirm that an organisation is real."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.CONSULTANT)


def can_edit_organisation(user: User, organisation: Any) -> bool:
    """An employer edits only their own organisation."""
    return (
        user.is_authenticated
        and user.role == Role.EMPLOYER
        and user.organisation_id == organisation.id
    )


def can_manage_place(user: User, place: Any) -> bool:
    """An employer edits, pauses and closes only their own organisation's places."""
    return (
        user.is_authenticated
        and user.role == Role.EMPLOYER
        and user.organisation_id == place.organisation_id
    )


def can_review_places(user: User) -> bool:
    """Consultants review places before they are published (the displacement check)."""
    return user.is_authenticated and user.role == Role.CONSULTANT


def can_see_unpublished_place(user: User, place: Any) -> bool:
    """Besides the public, a place's own employer and the municipality's staff see it always."""
    return can_manage_place(user, place) or (
        user.is_authenticated and user.role in (Role.CONSULTANT, Role.ADMIN)
    )


def can_act_for_newcomer(user: User, profile: Any) -> bool:
    """Showing interest and stepping back are the newcomer's own decisions, no one else's."""
    return (
        user.is_authenticated
        and user.role == Role.NEWCOMER
        and profile is not None
        and profile.user_id == user.id
    )


def is_newcomer(user: User) -> bool:
    """Pages of one's own path (places for you, does this place fit) are for newcomers."""
    return user.is_authenticated and user.role == Role.NEWCOMER


def is_own_consultant(user: User, profile: Any) -> bool:
    """The consultant the newcomer is assigned to now: the one who keeps their file, plan and
    placements (R06; an admin's reassignment counts from the next request, R07)."""
    return (
        user.is_authenticated
        and user.role == Role.CONSULTANT
        and profile is not None
        and profile.consultant_id == user.id
    )


def can_see_newcomer(user: User, profile: Any) -> bool:
    """A newcomer's file is for themselves and for their own consultant only (R06)."""
    return can_act_for_newcomer(user, profile) or is_own_consultant(user, profile)


def can_edit_profile(user: User, profile: Any, part: Any) -> bool:
    """The newcomer keeps their own profile; their consultant may correct it (the newcomer
    sees every change and who made it), except a part that is the newcomer's own consent,
    such as what employers may see."""
    if part.newcomer_only:
        return can_act_for_newcomer(user, profile)
    return can_see_newcomer(user, profile)


def can_decide_erasure(user: User, profile: Any) -> bool:
    """A newcomer's request to erase their data is carried out by their own consultant only."""
    return is_own_consultant(user, profile)


def require(allowed: bool) -> None:
    """Stop with 404 when a predicate says no: we do not reveal that the object exists."""
    if not allowed:
        deny(404)


def deny(status: int) -> NoReturn:
    """Refuse, and log it as ``authz_fail`` (R41): ids only, never a name or a value."""
    if has_request_context():
        actor = getattr(current_user, "id", None)
        args = {k: v for k, v in (request.view_args or {}).items() if isinstance(v, int)}
        log.warning(
            "authz_fail status=%d endpoint=%s actor=%s",
            status,
            request.endpoint,
            actor,
            extra={
                "event": "authz_fail",
                "result": "denied",
                "status": status,
                "endpoint": request.endpoint,
                "actor": actor,
                "actor_role": str(getattr(current_user, "role", "")) or None,
                "object": args,
            },
        )
    abort(status)


PREDICATES = {
    name: obj
    for name, obj in dict(globals()).items()
    if name.startswith(("can_", "is_")) and callable(obj)
}


def init_app(app: Flask) -> None:
    """Install the global guard and give templates the predicates."""
    app.before_request(guard_request)
    app.jinja_env.globals.update(PREDICATES)
