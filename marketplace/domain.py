"""Errors that services raise when a rule says no; views turn them into a message for the user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: the most characters a note typed into a form may have (a talk, a reason, an explanation)
TEXT_LENGTH = 2000


class DomainError(Exception):
    """A rule was broken; ``message`` is shown to the user in their language."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this."""


def check_length(value: str | None, field: str, limit: int = TEXT_LENGTH) -> None:
    """Refuse a text longer than ``limit``, with the message at the field."""
    if value and len(value) > limit:
        raise DomainError(_l("Keep it under %(max)d characters.", max=limit), field)
