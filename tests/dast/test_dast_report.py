"""scripts/dast_report.py: which scanner results fail the DAST run, and which pass."""

from __future__ import annotations

import json

import pytest

from tests.dast.scripts import load

report = load("dast_report")

SQLMAP_CLEAN = "[CRITICAL] all tested parameters do not appear to be injectable. Try ...\n"
SQLMAP_INJECTABLE = (
    "[INFO] GET parameter 'id' is 'Generic UNION query (NULL) - 1 to 20 columns' injectable\n"
    "sqlmap identified the following injection point(s) with a total of 42 HTTP(s) requests:\n"
)
SQLMAP_CUT_OFF = "[INFO] testing for SQL injection on POST parameter 'email'\nexit 124\n"


def finding(level=2, module="xss", path="/places", parameter="q", info="Reflected XSS"):
    return {
        "method": "GET",
        "path": path,
        "info": info,
        "level": level,
        "parameter": parameter,
        "module": module,
    }


def wapiti_json(vulnerabilities=None, anomalies=None, additionals=None):
    return {
        "vulnerabilities": vulnerabilities or {},
        "anomalies": anomalies or {},
        "additionals": additionals or {},
        "infos": {"crawled_pages_nbr": 12},
    }


@pytest.fixture
def outputs(tmp_path):
    wapiti, sqlmap = tmp_path / "wapiti", tmp_path / "sqlmap"
    wapiti.mkdir()
    sqlmap.mkdir()
    (sqlmap / "search.log").write_text(SQLMAP_CLEAN)

    def write(role="employer", **sections):
        (wapiti / f"{role}.json").write_text(json.dumps(wapiti_json(**sections)))

    def run(roles=("employer",), accepted=()):
        return report.evaluate(wapiti, sqlmap, list(roles), accepted)

    return write, run, sqlmap


def test_a_clean_run_passes(outputs):
    write, run, _ = outputs
    write()
    status, lines = run()
    assert status == 0
    assert "wapiti    employer: 12 pages crawled" in lines
    assert "sqlmap    search: clean" in lines


@pytest.mark.parametrize("level, status", [(0, 0), (1, 0), (2, 1), (3, 1), (4, 1)])
def test_medium_and_above_fail_in_every_section(outputs, level, status):
    write, run, _ = outputs
    for section in ("vulnerabilities", "anomalies", "additionals"):
        write(**{section: {"Some category": [finding(level=level)]}})
        assert run()[0] == status, section


def test_a_failing_finding_is_named_in_the_summary(outputs):
    write, run, _ = outputs
    write(vulnerabilities={"Cross Site Scripting": [finding(level=3)]})
    _, lines = run()
    assert any(
        line.startswith("FINDING") and "Cross Site Scripting" in line and "/places [q]" in line
        for line in lines
    )


def test_an_internal_server_error_fails_at_any_level(outputs):
    write, run, _ = outputs
    write(anomalies={"Internal Server Error": [finding(level=0, module="exec")]})
    assert run()[0] == 1


LDAP_ON_SEARCH = report.Accepted(
    module="ldap",
    category="LDAP Injection",
    path="/places",
    info=r"parameter (q|postcode)$",
    reason="no LDAP here; the search echoes its query",
)


def test_an_accepted_false_positive_passes_only_where_it_was_named(outputs):
    write, run, _ = outputs
    ldap = finding(level=4, module="ldap", info="LDAP Injection via injection in the parameter q")
    write(vulnerabilities={"LDAP Injection": [ldap]})
    status, lines = run(accepted=(LDAP_ON_SEARCH,))
    assert status == 0
    assert any("accepted: no LDAP here" in line for line in lines)

    elsewhere = {**ldap, "path": "/admin/users"}
    write(vulnerabilities={"LDAP Injection": [elsewhere]})
    assert run(accepted=(LDAP_ON_SEARCH,))[0] == 1
    other_parameter = {**ldap, "info": "LDAP Injection via injection in the parameter sort"}
    write(vulnerabilities={"LDAP Injection": [other_parameter]})
    assert run(accepted=(LDAP_ON_SEARCH,))[0] == 1
    write(vulnerabilities={"Cross Site Scripting": [{**ldap, "module": "xss"}]})
    assert run(accepted=(LDAP_ON_SEARCH,))[0] == 1


def test_an_accepted_entry_that_matched_nothing_is_reported(outputs):
    write, run, _ = outputs
    write()
    status, lines = run(accepted=(LDAP_ON_SEARCH,))
    assert status == 0
    assert any(line.startswith("NOTE") and "/places" in line for line in lines)


def test_every_accepted_entry_is_narrow_and_explained():
    for entry in report.ACCEPTED:
        assert entry.module and entry.category and len(entry.reason) > 40
        assert entry.path.startswith("/") and ".*" not in entry.path
        assert entry.info not in ("", ".*")


def test_a_missing_wapiti_report_means_the_run_broke(outputs):
    write, run, _ = outputs
    write(role="employer")
    status, lines = run(roles=("employer", "admin"))
    assert status == 2
    assert any(line.startswith("BROKEN") and "admin" in line for line in lines)


def test_an_injectable_parameter_fails(outputs):
    write, run, sqlmap = outputs
    write()
    (sqlmap / "profile.log").write_text(SQLMAP_INJECTABLE)
    status, lines = run()
    assert status == 1
    assert "sqlmap    profile: injectable" in lines


def test_a_cut_off_sqlmap_run_is_a_warning_not_a_finding(outputs):
    write, run, sqlmap = outputs
    write()
    (sqlmap / "login.log").write_text(SQLMAP_CUT_OFF)
    status, lines = run()
    assert status == 0
    assert "sqlmap    login: incomplete" in lines


def test_no_sqlmap_logs_means_the_run_broke(outputs):
    write, run, sqlmap = outputs
    write()
    (sqlmap / "search.log").unlink()
    assert run()[0] == 2


def test_main_writes_the_summary_and_returns_the_status(outputs, tmp_path, capsys):
    write, _, _ = outputs
    write(vulnerabilities={"Cross Site Scripting": [finding(level=3)]})
    summary = tmp_path / "summary.txt"
    argv = ["--wapiti-dir", str(tmp_path / "wapiti"), "--sqlmap-dir", str(tmp_path / "sqlmap")]
    status = report.main([*argv, "--roles", "employer", "--summary", str(summary)])
    assert status == 1
    assert summary.read_text().splitlines()[-1] == "dast: FAIL: findings"
    assert "dast: FAIL: findings" in capsys.readouterr().out
