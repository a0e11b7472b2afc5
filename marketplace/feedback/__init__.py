"""Newcomers' feedback on places and on the service."""
