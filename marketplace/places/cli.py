"""`flask places ...`: jobs for places, such as the daily closing of places past their end date."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace import clock
from marketplace.db import session
from marketplace.places.services import close_expired_places

places_cli = AppGroup("places", help="Participation places.")


@places_cli.command("close-expired")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend it is this date (YYYY-MM-DD); for testing and catching up.",
)
def close_expired(today) -> None:
    """Close every published or paused place whose end date has passed (run daily)."""
    closed = close_expired_places(session, today.date() if today else clock.today())
    session.commit()
    for place in closed:
        click.echo(f"Closed place {place.id}: {place.title} (ended {place.end_date:%Y-%m-%d})")
    click.echo(f"{len(closed)} place(s) closed.")
