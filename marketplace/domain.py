"""Errors that services raise when a rule says no; views turn them into a message for the user."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; ``message`` is shown to the user in their language."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this."""
