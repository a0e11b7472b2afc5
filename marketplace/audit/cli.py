"""`flask audit verify`: check that nobody changed or removed a row of the audit log."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from marketplace.audit.models import AuditEvent
from marketplace.audit.services import verify_chain
from marketplace.db import session

audit_cli = AppGroup("audit", help="The audit log of who did or read what.")

#: how many broken rows the command names before it says "and N more"
SHOWN = 20


@audit_cli.command("verify")
def verify() -> None:
    """Recompute the hash chain; exit 1 and name the rows that do not fit (run it daily)."""
    broken = verify_chain(session)
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    if not broken:
        click.echo(f"The audit log is intact: {total:,} events, every hash fits its chain.")
        return
    shown = ", ".join(str(event_id) for event_id in broken[:SHOWN])
    more = f" and {len(broken) - SHOWN:,} more" if len(broken) > SHOWN else ""
    click.echo(
        f"The audit log was changed: {len(broken):,} of {total:,} events do not fit the chain "
        f"(ids {shown}{more}). The first one is where the change starts; restore the log "
        "from a backup and find out who had write access.",
        err=True,
    )
    raise SystemExit(1)
