"""`flask users create`: the way to make the first administrator (no default accounts, R16)."""

from __future__ import annotations

from marketplace.accounts.models import Role, User


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
    assert auth.login("beheer@example.nl", "een sterk beheer wachtwoord").status_code == 302


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
