"""`flask backup create|restore|prune`: back up the database, restore it, keep N days."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from marketplace import clock
from marketplace.backup.crypto import BackupDamaged, BackupKeyError
from marketplace.backup.postgres import ToolFailed
from marketplace.backup.services import (
    BackupRefused,
    create_backup,
    prune_backups,
    restore_backup,
)

backup_cli = AppGroup("backup", help="Back up and restore the database; prune old backups.")

#: failures told to the operator as one line instead of a traceback
FAILURES = (
    BackupRefused,
    BackupKeyError,
    BackupDamaged,
    ToolFailed,
    FileExistsError,
    ValueError,
    OSError,
    sa.exc.SQLAlchemyError,
)

DIR_OPTION = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the backups are (default: BACKUP_DIR).",
)


def _backup_dir(directory: Path | None) -> Path:
    return directory or Path(current_app.config["BACKUP_DIR"])


@backup_cli.command("create")
@DIR_OPTION
def create_command(directory: Path | None) -> None:
    """Back up the database (encrypted when BACKUP_ENCRYPTION_KEY is set); run it nightly."""
    config = current_app.config
    key = config.get("BACKUP_ENCRYPTION_KEY")
    try:
        created = create_backup(
            config["DATABASE_URL"],
            _backup_dir(directory),
            key,
            now=datetime.now(UTC),
            production=bool(config.get("PRODUCTION")),
        )
    except FAILURES as error:
        raise click.ClickException(str(error)) from None
    if not key:
        click.echo("Warning: BACKUP_ENCRYPTION_KEY is not set, so this backup is NOT encrypted.")
    manifest = created.manifest
    click.echo(
        f"Backed up {manifest.rows:,} rows in {len(manifest.tables)} tables (schema "
        f"{manifest.revision}) in {created.seconds:.2f} s: {created.path} "
        f"({created.path.stat().st_size:,} bytes)."
    )


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="SQLite only: replace a database that holds data.")
@click.option("--rebuild-search", is_flag=True, help="Rebuild this host's search index after.")
@click.pass_context
def restore_command(ctx: click.Context, file: Path, force: bool, rebuild_search: bool) -> None:
    """Restore FILE into DATABASE_URL (an empty database), then check what arrived.

    Exits with status 1 when integrity, schema revision, rows or checksum do not match.
    """
    config = current_app.config
    try:
        restored = restore_backup(
            file, config["DATABASE_URL"], config.get("BACKUP_ENCRYPTION_KEY"), force=force
        )
    except FAILURES as error:
        raise click.ClickException(str(error)) from None
    manifest = restored.manifest
    click.echo(
        f"Restored {manifest.rows:,} rows in {len(manifest.tables)} tables (schema "
        f"{manifest.revision}, backed up at {manifest.created_at}) in "
        f"{restored.seconds:.2f} s. Integrity check: {restored.integrity}."
    )
    if restored.problems:
        for problem in restored.problems:
            click.echo(f"Does not match: {problem}", err=True)
        raise SystemExit(1)
    click.echo("Schema revision, rows per table and checksum match the backup.")
    if rebuild_search:
        from marketplace.search.cli import rebuild_command

        ctx.invoke(rebuild_command, procs=1, if_outdated=False)
    else:
        click.echo(
            "The search index is not in the backup: run `flask search rebuild` on every host."
        )


@backup_cli.command("prune")
@click.option(
    "--keep-days",
    type=click.IntRange(min=1),
    default=None,
    help="Delete backups older than this (default: BACKUP_KEEP_DAYS).",
)
@DIR_OPTION
def prune_command(keep_days: int | None, directory: Path | None) -> None:
    """Delete backups older than the retention period; the newest one is always kept."""
    keep = keep_days or current_app.config["BACKUP_KEEP_DAYS"]
    try:
        deleted = prune_backups(_backup_dir(directory), keep, clock.today())
    except FAILURES as error:
        raise click.ClickException(str(error)) from None
    for path in deleted:
        click.echo(f"Deleted {path.name}")
    click.echo(f"Deleted {len(deleted)} backups older than {keep} days.")
