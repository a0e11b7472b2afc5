"""Backups of the database (security.md R45): `flask backup create`, `restore` and `prune`.

A backup is one tar file holding ``manifest.json`` (revision, time, rows per table, checksums)
and the database (an SQLite copy made with the online backup API, or a ``pg_dump -Fc``
archive), encrypted as a whole with Fernet when ``BACKUP_ENCRYPTION_KEY`` is set.
"""
