"""`flask reminders send`: the daily job that reminds newcomers of deadlines and appointments,
and consultants of check-ins and follow-ups that are due (with a Monday overview)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace import clock
from marketplace.db import session, will_write
from marketplace.notices.consultants import send_consultant_reminders
from marketplace.notices.services import send_reminders

reminders_cli = AppGroup("reminders", help="Reminders before deadlines and appointments.")


@reminders_cli.command("send")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend it is this date (YYYY-MM-DD); for testing and catching up.",
)
def send(today) -> None:
    """Send the reminders that are due today, each one once (run daily, e.g. from cron)."""
    day = today.date() if today else clock.today()
    will_write()  # beside the web requests that write, on SQLite
    sent = send_reminders(session, day)
    weeks = current_app.config["CASELOAD_NO_PLACEMENT_WEEKS"]
    sent += send_consultant_reminders(session, day, weeks)
    session.commit()
    click.echo(f"{sent} reminder(s) sent.")
