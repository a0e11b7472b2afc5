"""`flask keys ...`: making a data key, and moving every encrypted value to the newest key."""

from __future__ import annotations

import click
from cryptography.fernet import Fernet
from flask import current_app
from flask.cli import AppGroup

from marketplace.db import session, will_write
from marketplace.encryption import DataKeyError, current_keys, key_status, reencrypt

keys_cli = AppGroup("keys", help="The keys that encrypt health and family constraints (R39).")


@keys_cli.command("generate")
def keys_generate() -> None:
    """Print a new random key for DATA_ENCRYPTION_KEYS (put it first, keep the old ones)."""
    click.echo(Fernet.generate_key().decode())


@keys_cli.command("reencrypt")
def keys_reencrypt() -> None:
    """Encrypt every value again with the first key of DATA_ENCRYPTION_KEYS, all or nothing."""
    will_write()  # beside the web requests that write, on SQLite
    try:
        counts = reencrypt(session.connection(), current_keys())
    except DataKeyError as error:  # a value no key opens: nothing was changed
        session.rollback()
        raise click.ClickException(str(error)) from None
    except Exception:
        session.rollback()
        raise
    session.commit()
    for where, count in counts.items():
        click.echo(f"  {where:<36} {count:>8,} values")
    click.echo(
        "Done: every value is now encrypted with the first key. Older keys may be removed "
        "from DATA_ENCRYPTION_KEYS once backups made before today are no longer needed."
    )


@keys_cli.command("status")
def keys_status() -> None:
    """Show how many values each column holds under the newest key, an older key, or none."""
    status = key_status(session.connection(), current_app.config["DATA_ENCRYPTION_KEYS"])
    session.rollback()
    click.echo(f"  {'column':<36} {'newest key':>10} {'older key':>10} {'no key':>8}")
    for where, (newest, older, lost) in status.items():
        click.echo(f"  {where:<36} {newest:>10,} {older:>10,} {lost:>8,}")
    if any(lost for _, _, lost in status.values()):
        raise click.ClickException("Some values open with no key in DATA_ENCRYPTION_KEYS.")
