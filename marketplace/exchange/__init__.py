"""Bulk data in and out in the exchange format (../shared/exchange-format.md)."""
