"""Structured JSON logs (security.md R40): one line per record, nothing forged, no secrets."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest

from config import TestingConfig
from marketplace import create_app, logs
from marketplace.accounts import services
from marketplace.accounts.models import Role, TokenPurpose
from tests.factories import PASSWORD, make_user

FORGED = "alice\nFAKE ok"


@pytest.fixture
def log_output(app):
    """What the production JSON handler writes during the test, as text."""
    stream = io.StringIO()
    handler = logs.install_json_logging("INFO", stream=stream)
    handler.setLevel(logging.INFO)
    app_logger = logging.getLogger("marketplace")
    level = app_logger.level
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)
        app_logger.setLevel(level)


def test_a_forged_login_name_gives_one_line_without_the_password(client, log_output):
    client.post("/login")  # the test's search index is made (and logged) on first use
    log_output.seek(0)
    log_output.truncate()
    response = client.post("/login", data={"email": FORGED, "password": PASSWORD})

    assert response.status_code == 200  # the form refuses the address
    lines = log_output.getvalue().splitlines()
    assert len(lines) == 1, lines
    entry = json.loads(lines[0])
    assert (entry["event"], entry["path"], entry["status"]) == ("request", "/login", 200)
    assert entry["request_id"] and entry["origin"].startswith("ip:")
    assert not any(line.startswith("FAKE") for line in lines)
    assert PASSWORD not in log_output.getvalue()


def test_control_characters_in_a_logged_value_are_encoded(app, log_output):
    value = f"{FORGED}\r\x1b[31mred\x00\u2028next"
    with app.test_request_context("/login", method="POST"):
        logging.getLogger("marketplace.accounts").warning("login_refused name=%s", value)

    text = log_output.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert "\\n" in text and "\\u001b" in text and "\\u2028" in text and "\x1b" not in text
    entry = json.loads(text)
    assert entry["message"] == f"login_refused name={value}"
    assert (entry["event"], entry["level"], entry["method"]) == ("login_refused", "WARNING", "POST")


def test_an_error_trace_stays_on_its_line(app, log_output):
    try:
        raise ValueError("bad\nFAKE ok")
    except ValueError:
        logging.getLogger("marketplace.errors").exception("server_error reference=abc")

    (line,) = log_output.getvalue().splitlines()
    entry = json.loads(line)
    assert "Traceback" in entry["exception"] and "FAKE ok" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_a_reset_link_token_never_reaches_the_log(db_session, client, log_output):
    user = make_user(Role.NEWCOMER)
    token = services.issue_token(db_session, user, TokenPurpose.PASSWORD_RESET, timedelta(hours=1))

    assert client.get(f"/password/reset/{token}").status_code == 200

    (line,) = log_output.getvalue().splitlines()
    assert json.loads(line)["path"] == "/password/reset/<token>"
    assert token not in line


def test_the_factory_installs_json_logs_only_when_asked(session_tmp):
    root, app_logger = logging.getLogger(), logging.getLogger("marketplace")
    before, level = list(root.handlers), app_logger.level
    settings = {"DATABASE_URL": "sqlite://", "SEARCH_INDEX_DIR": str(session_tmp / "ix")}
    create_app(TestingConfig, **settings)
    assert root.handlers == before, "tests keep Flask's plain logging"

    create_app(TestingConfig, LOG_FORMAT="json", **settings)
    try:
        added = [h for h in root.handlers if h not in before]
        assert [type(h.formatter) for h in added] == [logs.JsonFormatter]
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
        app_logger.setLevel(level)
