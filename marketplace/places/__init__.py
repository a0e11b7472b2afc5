"""Participation places: posting, the displacement check, review and lifecycle."""
