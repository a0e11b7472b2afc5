"""`flask search ...`: rebuild the index, show whether it agrees with the database, sync it."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from marketplace.db import session
from marketplace.search.index import RebuildRunning, rebuild, status
from marketplace.search.sync import apply_outbox

search_cli = AppGroup("search", help="The search index of this host.")


@search_cli.command("rebuild")
@click.option(
    "--procs",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Processes that analyse the places (2 on 2 cores: about 40% faster).",
)
def rebuild_command(procs: int) -> None:
    """Build the index anew beside the old one and swap it in; searches go on meanwhile."""
    try:
        result = rebuild(session, date.today(), procs=procs)
    except RebuildRunning as error:
        raise click.ClickException(str(error)) from None
    caught_up = apply_outbox(session, date.today())
    click.echo(
        f"Indexed {result.documents} public places (of {result.places_read} published) "
        f"in {result.seconds:.2f} s into {result.generation}; "
        f"then applied {caught_up.entries} outbox entries made meanwhile."
    )


@search_cli.command("status")
def status_command() -> None:
    """Show the documents, the pending outbox and whether index and database agree.

    Exits with status 1 when they do not agree, so a monitor can call it.
    """
    report = status(session)
    click.echo(f"Host: {report.host}")
    click.echo(f"Index generation: {report.generation}")
    click.echo(f"Documents: {report.documents}")
    click.echo(f"Pending outbox entries: {report.pending}")
    click.echo(f"Index agrees with the database: {'yes' if report.agrees else 'no'}")
    if not report.schema_current:
        click.echo("  the index was built with another schema: run `flask search rebuild`")
    for label, ids in (
        ("public places missing from the index", report.missing),
        ("documents of places that are not public", report.extra),
        ("documents of an older version of the place", report.stale),
    ):
        if ids:
            click.echo(f"  {label} ({len(ids)}): {_ids(ids)}")
    if not report.agrees:
        raise SystemExit(1)


@search_cli.command("sync")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds to wait for the index.")
def sync_command(timeout: float) -> None:
    """Apply the outbox to the index now (for a cron job or a dedicated indexer process)."""
    result = apply_outbox(session, date.today(), timeout=timeout)
    if result.busy:
        raise click.ClickException(
            f"The index stayed busy for {timeout:g} s; the entries wait for the next run."
        )
    click.echo(
        f"Applied {result.entries} outbox entries: {result.updated} documents written, "
        f"{result.deleted} removed; cursor at {result.position}."
    )


def _ids(ids: list[int], shown: int = 20) -> str:
    text = ", ".join(str(i) for i in ids[:shown])
    return text + (f" and {len(ids) - shown} more" if len(ids) > shown else "")
