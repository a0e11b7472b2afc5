"""Where a user goes after signing in, and which `next` addresses are safe to follow."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

from marketplace.accounts.models import Role, User

DASHBOARDS = {
    Role.NEWCOMER: "newcomers.dashboard",
    Role.EMPLOYER: "organisations.dashboard",
    Role.CONSULTANT: "newcomers.caseload",
    Role.ADMIN: "admin.dashboard",
}


def dashboard_url(user: User) -> str:
    """The landing page of the user's role."""
    return url_for(DASHBOARDS[user.role])


def safe_next(target: str | None) -> str | None:
    """A same-site path to continue to, or None (no open redirects: R24)."""
    if not target or len(target) > 2000:
        return None
    if any(ord(c) < 32 for c in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
