"""Newcomers: their own profile, practical limits and consent to share."""
