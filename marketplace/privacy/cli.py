"""`flask privacy ...`: the daily retention job, checking an address in the audit log, and
the data classification for the privacy officer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from marketplace import clock
from marketplace.audit.services import ip_pseudonym
from marketplace.db import session, will_write
from marketplace.privacy import classification
from marketplace.privacy.retention import RULES, PurgeReport, purge

privacy_cli = AppGroup("privacy", help="Retention and erasure of personal data.")


def report_lines(report: PurgeReport) -> list[str]:
    """The report as lines for an operator: counts per kind of record, never a name."""
    mode = "dry run, nothing was changed" if report.dry_run else "done"
    lines = [f"Retention as of {report.today.isoformat()} ({mode}):"]
    for rule in RULES:
        lines.append(f"  {rule.key:<15} {report.counts.get(rule.key, 0):>8,}  {rule.action}")
    lines.append(f"  {'total':<15} {report.total:>8,}")
    if report.waiting_for_placement:
        lines.append(
            f"{report.waiting_for_placement:,} closed newcomer files are past their period but "
            "still have an open placement; their consultant must end it first."
        )
    if report.overdue_requests:
        lines.append(
            f"{report.overdue_requests:,} erasure requests have waited longer than a month for "
            "a consultant (GDPR art. 12(3)); see Caseload > Erasure requests."
        )
    return lines


@privacy_cli.command("purge")
@click.option(
    "--today",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date to purge as of (YYYY-MM-DD); default: today. Later dates need --dry-run.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
def purge_command(day: datetime | None, dry_run: bool) -> None:
    """Delete or anonymise what is past its retention period (run it daily)."""
    today = clock.today()
    as_of = day.date() if day is not None else today
    if as_of > today and not dry_run:
        raise click.ClickException(
            f"{as_of.isoformat()} is after today; a later date only works with --dry-run."
        )
    try:
        will_write()  # beside the web requests that write, on SQLite
        report = purge(session, as_of, dry_run=dry_run)
    except Exception:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
    else:
        session.commit()  # the index hears about changed places after this commit
    for line in report_lines(report):
        click.echo(line)


@privacy_cli.command("ip-pseudonym")
@click.argument("address")
def ip_pseudonym_command(address: str) -> None:
    """Print the audit log's pseudonym of ADDRESS, to look for it in the `ip` column."""
    click.echo(ip_pseudonym(address))


@privacy_cli.command("classification")
@click.option(
    "--write",
    "target",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Put the table between the classification markers of this file (docs/operations.md).",
)
def classification_command(target: Path | None) -> None:
    """Print the data classification of every table, generated from the models."""
    if target is None:
        click.echo(classification.classification_markdown(), nl=False)
        return
    try:
        changed = classification.write_into(target)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{target}: {'updated' if changed else 'already up to date'}.")
