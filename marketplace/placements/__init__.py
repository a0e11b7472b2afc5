"""Placements of a newcomer at a place, their check-ins, outcomes and follow-ups."""
