"""Command-line tools (`flask ...`): thin wrappers over services, grouped by subject."""

from __future__ import annotations

import getpass
import secrets

import click
from alembic import command
from flask import Flask
from flask.cli import AppGroup

from marketplace import db, migrate
from marketplace.accounts.models import Role
from marketplace.accounts.passwords import password_problem
from marketplace.domain import DomainError

db_cli = AppGroup("db", help="Create and change the database schema (Alembic).")
users_cli = AppGroup("users", help="Manage accounts.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    migrate.upgrade(revision)
    click.echo(f"Database schema at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Take the database schema back to REVISION (default: one step)."""
    migrate.downgrade(revision)
    click.echo(f"Database schema taken back to {revision}.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(migrate.alembic_config(), message=message, autogenerate=True)


@db_cli.command("current")
def db_current() -> None:
    """Show the database's schema revision."""
    command.current(migrate.alembic_config())


@users_cli.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", default=None, help="Defaults to the part of the address before @.")
@click.option("--password", default=None, help="Asked for when not given.")
@click.option("--generate-password", is_flag=True, help="Make a random password and show it once.")
@click.option("--language", default="nl", show_default=True)
def users_create(
    role: str,
    email: str,
    name: str | None,
    password: str | None,
    generate_password: bool,
    language: str,
) -> None:
    """Create an account that can log in at once (for consultants and admins)."""
    from marketplace.accounts.services import create_user

    if Role(role) == Role.EMPLOYER:
        raise click.ClickException("Employers sign up on the site with their organisation.")
    if Role(role) == Role.NEWCOMER:
        raise click.ClickException("A consultant adds a newcomer on the site (Caseload).")
    if generate_password and password is not None:
        raise click.UsageError("Give --password or --generate-password, not both.")
    if generate_password:
        password = secrets.token_urlsafe(24)  # 192 bits; echoed once below, never logged
    elif password is None:
        password = _ask_password(email)
    try:
        user = create_user(
            db.session,
            email=email,
            name=name or email.split("@")[0],
            role=Role(role),
            language=language,
            password=password,
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")
    if generate_password:
        click.echo(f"Password (shown only now; pass it on safely): {password}")


@users_cli.command("reset-mfa")
@click.option("--email", required=True)
def users_reset_mfa(email: str) -> None:
    """Switch off someone's authenticator app: they set up a new one at the next login.

    For when no administrator can log in (e.g. the only one lost their phone).
    """
    from marketplace.accounts import mfa
    from marketplace.accounts.services import find_user_by_email

    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException("No account has this e-mail address.")
    try:
        mfa.reset(db.session, user, user, ip=None, by_self=True)  # the operator's own call
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"{user.email} sets up the second login step again at the next login.")


def _ask_password(email: str) -> str:
    while True:
        password = getpass.getpass("Password: ")
        problem = password_problem(password, email=email)
        if problem:
            click.echo(str(problem), err=True)
            continue
        if getpass.getpass("Same password again: ") == password:
            return password
        click.echo("The two passwords differ.", err=True)


def init_app(app: Flask) -> None:
    """Register every command group."""
    from marketplace.audit.cli import audit_cli
    from marketplace.backup.cli import backup_cli
    from marketplace.demo.cli import demo_cli
    from marketplace.encryption_cli import keys_cli
    from marketplace.exchange.cli import data_cli
    from marketplace.geo.cli import geo_cli
    from marketplace.notices.cli import reminders_cli
    from marketplace.places.cli import places_cli
    from marketplace.privacy.cli import privacy_cli
    from marketplace.search.cli import match_command, search_cli

    for group in (db_cli, users_cli, geo_cli, places_cli, demo_cli, data_cli, search_cli):
        app.cli.add_command(group)
    app.cli.add_command(match_command)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(keys_cli)
