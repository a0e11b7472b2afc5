"""`flask users create`: the way to make the first administrator (no default accounts, R16)."""

from __future__ import annotations

import logging

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import verify_password


def test_create_with_a_password(db_session, runner, auth):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "Beheer@Example.nl",
            "--name",
            "Beheer",
            "--password",
            "een sterk beheer wachtwoord",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "een sterk" not in result.output
    user = db_session.query(User).filter_by(email="beheer@example.nl").one()
    assert user.role == Role.ADMIN
    response = auth.login("beheer@example.nl", "een sterk beheer wachtwoord")
    assert response.status_code == 302
    assert response.location == "/mfa/setup"  # a new administrator sets up the app first


def test_create_asks_for_the_password_when_not_given(db_session, runner, monkeypatch):
    answers = iter(["kort", "de consulent drinkt thee", "de consulent drinkt thee"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    result = runner.invoke(
        args=["users", "create", "--role", "consultant", "--email", "c@example.nl"]
    )
    assert result.exit_code == 0, result.output
    assert "15" in result.output  # the reason the short one was refused
    assert next(answers, None) is None  # asked again until a good one was given twice
    assert db_session.query(User).filter_by(email="c@example.nl").one().role == Role.CONSULTANT


def test_a_weak_password_is_refused(db_session, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "a@example.nl",
            "--password",
            "password",
        ]
    )
    assert result.exit_code != 0
    assert db_session.query(User).filter_by(email="a@example.nl").count() == 0


def test_newcomers_and_employers_are_not_made_here(runner):
    for role in ("newcomer", "employer"):
        result = runner.invoke(
            args=[
                "users",
                "create",
                "--role",
                role,
                "--email",
                "x@example.nl",
                "--password",
                "een sterk wachtwoord hier",
            ]
        )
        assert result.exit_code != 0


def test_a_generated_password_is_shown_once_and_never_logged(db_session, runner, caplog):
    caplog.set_level(logging.DEBUG)
    args = ["users", "create", "--role", "admin", "--email", "eerste@example.nl"]
    result = runner.invoke(args=[*args, "--generate-password"])
    assert result.exit_code == 0, result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    assert len(password) >= 32 and result.output.count(password) == 1
    user = db_session.query(User).filter_by(email="eerste@example.nl").one()
    assert password not in user.password_hash
    assert verify_password(user.password_hash, password)
    for record in caplog.records:
        assert password not in record.getMessage()
        assert password not in repr(vars(record))


def test_each_generated_password_is_new_and_cannot_be_combined_with_one_given(runner):
    outputs = [
        runner.invoke(args=["users", "create", "--role", "consultant", "--email", email,
                            "--generate-password"]).output
        for email in ("c1@example.nl", "c2@example.nl")
    ]  # fmt: skip
    assert outputs[0].rsplit(": ", 1)[1] != outputs[1].rsplit(": ", 1)[1]
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--email", "x@example.nl",
              "--password", "een sterk beheer wachtwoord", "--generate-password"]
    )  # fmt: skip
    assert result.exit_code != 0 and "not both" in result.output
