"""``flask data ...``: bulk data in and out in the exchange format (exchange-format.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from marketplace.audit.services import record_event
from marketplace.db import session
from marketplace.exchange.exporter import export_document, write_document
from marketplace.exchange.importer import prepare_import, run_import
from marketplace.exchange.schema import SECTIONS, DocumentRejected

data_cli = AppGroup("data", help="Bulk data in and out in the exchange format.")

#: from how many records on an import shows a progress bar
PROGRESS_FROM = 500


@data_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
def import_command(path: Path) -> None:
    """Import organisations, places and newcomers from the JSON document at PATH (all or none)."""
    try:
        plan = prepare_import(session, path.read_bytes(), path.name)
        with click.progressbar(
            length=len(plan), label="Importing", hidden=len(plan) < PROGRESS_FROM, file=sys.stderr
        ) as bar:
            run = run_import(session, plan, path.name, progress=bar.update)
        session.commit()
    except DocumentRejected as rejected:
        session.rollback()
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{path.name} was rejected with {len(rejected.problems)} problem(s); "
            "nothing was imported."
        ) from None
    except BaseException:
        session.rollback()
        raise
    click.echo(f"Imported {path.name} (run {run.id}):")
    for section in SECTIONS:
        counts = run.counts[section]
        click.echo(
            f"  {section}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )


@data_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(path: Path) -> None:
    """Write every organisation, place and newcomer to PATH as one JSON document."""
    export = export_document(session)
    counts = export.counts()
    # an export of personal data is a security event (security.md R41)
    record_event(session, "data_export", file=path.name, left_out=len(export.skipped), **counts)
    try:
        write_document(path, export.document)
    except OSError as exc:
        session.rollback()
        raise click.ClickException(f"Cannot write {path}: {exc.strerror}") from None
    session.commit()
    click.echo(
        f"Exported {counts['organisations']} organisations, {counts['places']} places and "
        f"{counts['newcomers']} newcomers to {path}."
    )
    for line in export.skipped:
        click.echo(f"Left out (cannot be imported as it is): {line}", err=True)
