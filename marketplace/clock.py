"""Today's date, in one place, so that tests and demonstrations can set it.

``FIXED_TODAY`` (an ISO date in the settings) pins the date; without it, it is the real date.
Services that depend on the date take it as an argument; views and commands ask here.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context


def today() -> date:
    """The date the app works with: ``FIXED_TODAY`` when set, otherwise the real date."""
    fixed = current_app.config.get("FIXED_TODAY") if has_app_context() else None
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return date.today()
