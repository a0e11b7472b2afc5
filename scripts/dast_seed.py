"""Build the database for scripts/dast.sh: demo data, scan accounts, canaries, TOTP secrets.

Runs `flask db upgrade` and `flask demo load` on the empty database named by DATABASE_URL,
then picks one account per role (the consultant is the newcomer's own, so the caseload holds
the canaries), gives each a fresh random password (and a fresh TOTP secret to staff), plants
canary strings in the newcomer's personal fields, runs `flask search rebuild`, and writes the
logins and canaries to a JSON file only the caller can read. One process for all of it: each
`flask` start costs seconds. The demo is synthetic; the canaries are made up here.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from datetime import UTC, datetime

import sqlalchemy as sa

from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.db import session
from marketplace.newcomers.models import Intake, LadderStep, NewcomerProfile
from marketplace.plans.models import Plan


def canary(kind: str) -> str:
    """A unique, greppable marker that still reads like a value a person could have typed."""
    return f"Kanarie{kind}{secrets.token_hex(6)}"


def mfa_columns() -> tuple[str | None, list[str]]:
    """The User column that holds a TOTP secret (if MFA exists yet) and its 'enabled' columns."""
    names = [column.key for column in sa.inspect(User).columns]
    secret = next((n for n in names if ("totp" in n or "mfa" in n) and "secret" in n), None)
    enabled = [n for n in names if ("totp" in n or "mfa" in n) and n != secret]
    return secret, enabled


def enrol_totp(user: User) -> str | None:
    """Give a staff account a TOTP secret when the User model has a place for one."""
    secret_column, enabled_columns = mfa_columns()
    if secret_column is None:
        return None
    import pyotp  # only needed once MFA exists

    secret = pyotp.random_base32()
    setattr(user, secret_column, secret)
    column_types = {c.key: c.type for c in sa.inspect(User).columns}
    for name in enabled_columns:
        python_type = getattr(column_types[name], "python_type", None)
        if python_type is bool:
            setattr(user, name, True)
        elif python_type is datetime:
            setattr(user, name, datetime.now(UTC))
    return secret


def pick_accounts() -> dict[str, User]:
    """One account per role; the consultant is the one assigned to the chosen newcomer."""
    profile = session.scalars(
        sa.select(NewcomerProfile)
        .join(Intake, Intake.profile_id == NewcomerProfile.id)
        .where(NewcomerProfile.consultant_id.is_not(None))
        .order_by(NewcomerProfile.id)
    ).first()
    if profile is None:
        sys.exit("dast_seed: the demo has no newcomer with an intake and a consultant")

    def first(role: Role) -> User:
        return session.scalars(
            sa.select(User).where(User.role == role, User.active).order_by(User.id)
        ).first()

    return {
        "newcomer": session.get(User, profile.user_id),
        "consultant": profile.consultant,
        "employer": first(Role.EMPLOYER),
        "admin": first(Role.ADMIN),
    }


def plant_canaries(newcomer: User) -> dict[str, list[str]]:
    """Canaries in the newcomer's account, profile, intake, plan and ladder.

    ``private``: never shown to an employer or an anonymous visitor. ``personal``: may be shown
    to an employer the newcomer shares it with, but never belongs in a log or an address.
    """
    profile = session.scalars(
        sa.select(NewcomerProfile).where(NewcomerProfile.user_id == newcomer.id)
    ).one()
    private: list[str] = []
    personal: list[str] = []

    def mark(kind: str, bucket: list[str]) -> str:
        value = canary(kind)
        bucket.append(value)
        return value

    newcomer.name = f"Samira {mark('Naam', personal)}"
    newcomer.email = f"{mark('Mail', personal).lower()}@demo.participatie.nl"
    profile.motivation = f"Ik wil graag met mensen werken ({mark('Motivatie', personal)})."
    intake = session.scalars(sa.select(Intake).where(Intake.profile_id == profile.id)).first()
    intake.what_matters = f"Zorgt voor haar moeder ({mark('Intake', private)})."
    intake.capabilities = f"Rekenen, koken, plannen ({mark('Kunnen', private)})."
    plan = session.scalars(
        sa.select(Plan).where(Plan.profile_id == profile.id).order_by(Plan.version.desc())
    ).first()
    if plan is not None:
        plan.preconditions = f"Eerst kinderopvang regelen ({mark('Plan', private)})."
        plan.support = f"Begeleiding bij de eerste weken ({mark('Steun', private)})."
    step = session.scalars(sa.select(LadderStep).where(LadderStep.profile_id == profile.id)).first()
    if step is not None:
        step.reason = f"Stap gezet na gesprek ({mark('Ladder', private)})."
    return {"private": private, "personal": personal}


def flask_command(app, *args: str) -> None:
    """Run a `flask` command in this process; its output (demo passwords) is not shown."""
    result = app.test_cli_runner().invoke(args=list(args))
    if result.exit_code != 0:
        sys.exit(f"dast_seed: `flask {' '.join(args)}` failed:\n{result.output[-2000:]}")


def main(out_path: str) -> None:
    app = create_app()
    flask_command(app, "db", "upgrade")
    flask_command(app, "demo", "load")
    with app.app_context():
        accounts = pick_accounts()
        canaries = plant_canaries(accounts["newcomer"])
        logins = {}
        for role, user in accounts.items():
            password = secrets.token_urlsafe(24)  # 32 random characters, unique to this run
            user.password_hash = hash_password(password)
            totp = enrol_totp(user) if role in ("consultant", "admin") else None
            logins[role] = {"email": user.email, "password": password, "totp_secret": totp}
        session.commit()
    flask_command(app, "search", "rebuild")
    descriptor = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"accounts": logins, "canaries": canaries}, handle, indent=2)
    print(f"dast_seed: {len(logins)} accounts, {sum(map(len, canaries.values()))} canaries")


if __name__ == "__main__":
    main(sys.argv[1])
