"""`flask demo load`: fill an empty database with the demo and print its logins;
`flask demo code`: the demo staff's second-step code."""

from __future__ import annotations

import click
import pyotp
from flask import current_app
from flask.cli import AppGroup

from marketplace import clock
from marketplace.db import session
from marketplace.demo import data
from marketplace.demo.services import DatabaseNotEmpty, DemoError, load_demo

demo_cli = AppGroup("demo", help="Demo data for trying the marketplace out.")


@demo_cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing, and succeed, when the database already has users (for `make run`).",
)
def demo_load(if_empty: bool) -> None:
    """Load the demo into an empty database and print one `ROLE EMAIL PASSWORD` line per login."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException(
            "The demo has known passwords; it is never loaded in production."
        )
    try:
        logins = load_demo(session, clock.today())
    except DatabaseNotEmpty as error:
        session.rollback()
        if if_empty:
            return
        raise click.ClickException(str(error)) from None
    except DemoError as error:
        session.rollback()
        raise click.ClickException(str(error)) from None
    session.commit()
    for role, email, password in logins:
        click.echo(f"{role} {email} {password}")
    # on stderr, so that stdout stays one `ROLE EMAIL PASSWORD` line per login
    click.echo(
        f"Consultants and the administrator log in with a second step: add the key "
        f"{data.TOTP_SECRET} to an authenticator app, or run `flask demo code`.",
        err=True,
    )


@demo_cli.command("code")
def demo_code() -> None:
    """Print the current second-step code of the demo staff accounts (no phone needed)."""
    if current_app.config.get("PRODUCTION"):
        raise click.ClickException("The demo key is public; it is never used in production.")
    click.echo(pyotp.TOTP(data.TOTP_SECRET).now())
