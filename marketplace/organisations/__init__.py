"""Organisations that offer participation places, and their verification."""
