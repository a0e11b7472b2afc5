"""The audit log: who did or read what sensitive thing, when."""
