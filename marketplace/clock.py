"""Today's date, in one place, so that tests and demonstrations can set it.

The date is the one in the Netherlands (``BABEL_DEFAULT_TIMEZONE``), not the server's: a
reminder job run just after midnight in Amsterdam on a UTC server already counts the new day.
``FIXED_TODAY`` (an ISO date in the settings) pins the date; production refuses it.
Services that depend on the date take it as an argument; views and commands ask here.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context


def today() -> date:
    """The date the app works with: ``FIXED_TODAY`` when set, otherwise today in NL."""
    if not has_app_context():
        return date.today()
    fixed = current_app.config.get("FIXED_TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier, when negative);
    31 January + 1 month is 28/29 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def init_app(app: Flask) -> None:
    """Refuse a date that cannot be read, and any pinned date in production, at start-up."""
    fixed = app.config.get("FIXED_TODAY")
    if not fixed:
        return
    if app.config.get("PRODUCTION"):
        raise RuntimeError("FIXED_TODAY pins the date for demonstrations, never in production.")
    try:
        date.fromisoformat(str(fixed))
    except ValueError:
        raise RuntimeError(f"FIXED_TODAY must be a date like 2026-12-01, not {fixed!r}.") from None
