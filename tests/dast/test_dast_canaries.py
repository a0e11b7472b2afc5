"""scripts/dast_canaries.py: seeded canaries and secrets found where they must never be."""

from __future__ import annotations

import json

import pytest

from tests.dast.scripts import load

canaries = load("dast_canaries")

PRIVATE = "KanarieIntake0a1b2c3d4e5f"
PERSONAL = "KanarieMail6a7b8c9d0e1f"
PASSWORD = "Zq3-random-password-of-the-run"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DP"
COOKIE = ".eJwljs1KQzEQRt8la4WZJJNkuhMsUjd1Ve3q.awwpOw.7LZPlEJw"


@pytest.fixture
def run_dir(tmp_path):
    seed = {
        "accounts": {
            "newcomer": {"email": "n@x", "password": PASSWORD, "totp_secret": None},
            "admin": {"email": "a@x", "password": "another-password-xyz", "totp_secret": TOTP},
        },
        "canaries": {"private": [PRIVATE], "personal": [PERSONAL]},
    }
    for name in ("logs", "session", "wapiti", "sqlmap"):
        (tmp_path / name).mkdir()
    (tmp_path / "session" / "cookie-newcomer.txt").write_text(f"__Host-session={COOKIE}")
    (tmp_path / "logs" / "access.log").write_text('127.0.0.1 "GET /places?q=kok HTTP/1.1" 200\n')
    (tmp_path / "wapiti" / "consultant.json").write_text(json.dumps({"page": PRIVATE}))

    def scan():
        return canaries.scan(
            seed,
            tmp_path / "logs",
            tmp_path / "session",
            tmp_path / "wapiti",
            tmp_path / "sqlmap",
        )

    return tmp_path, scan


def test_clean_outputs_pass_and_count_the_canaries_the_entitled_scans_reached(run_dir):
    _, scan = run_dir
    status, lines = scan()
    assert status == 0
    assert "canaries  1 of 1 private canaries reached by the entitled scans" in lines
    assert lines[-1] == "canaries  nothing leaked"


@pytest.mark.parametrize(
    "value, kind",
    [
        (PRIVATE, "private canary"),
        (PERSONAL.lower(), "personal canary"),  # e-mail addresses are logged lower-cased
        (PASSWORD, "password"),
        (TOTP, "TOTP secret"),
        (COOKIE, "session cookie"),
    ],
)
def test_any_canary_or_secret_in_a_server_log_is_a_leak(run_dir, value, kind):
    tmp_path, scan = run_dir
    (tmp_path / "logs" / "error.log").write_text(f'{{"message": "login failed", "x": "{value}"}}')
    status, lines = scan()
    assert status == 1
    assert f"LEAK      1 {kind} value(s) in error.log (logs)" in lines
    assert not any(value in line for line in lines)  # the summary never repeats the value


def test_a_private_canary_in_an_employers_scan_is_a_leak(run_dir):
    tmp_path, scan = run_dir
    (tmp_path / "wapiti" / "employer.json").write_text(json.dumps({"body": f"<p>{PRIVATE}</p>"}))
    status, lines = scan()
    assert status == 1
    assert "LEAK      1 private canary value(s) in employer.json (wapiti)" in lines


def test_a_personal_canary_shown_to_an_employer_is_not_a_leak(run_dir):
    """The newcomer may share their name or motivation with an employer."""
    tmp_path, scan = run_dir
    (tmp_path / "wapiti" / "employer.json").write_text(json.dumps({"body": PERSONAL}))
    assert scan()[0] == 0


def test_a_password_in_any_scanner_output_is_a_leak(run_dir):
    tmp_path, scan = run_dir
    (tmp_path / "sqlmap" / "login").mkdir()
    (tmp_path / "sqlmap" / "login" / "log").write_text(f"password={PASSWORD}")
    assert scan()[0] == 1


def test_no_private_canary_reached_warns_that_the_check_proves_little(run_dir):
    tmp_path, scan = run_dir
    (tmp_path / "wapiti" / "consultant.json").write_text("{}")
    status, lines = scan()
    assert status == 0
    assert any(line.startswith("WARNING") for line in lines)
