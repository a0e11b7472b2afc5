"""My data: the export holds everything about the newcomer and nothing about anyone else."""

from __future__ import annotations

import json

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import ip_pseudonym
from marketplace.privacy.export import export_newcomer
from tests.factories import make_user
from tests.privacy.canary import markers_in


def test_the_export_holds_all_of_a_and_nothing_of_b(db_session, alpha, bravo):
    text = json.dumps(export_newcomer(db_session, alpha.user), ensure_ascii=False)
    assert markers_in(text, alpha) == set(alpha.markers), "some of A's data is missing"
    assert bravo.prefix not in text
    assert alpha.user.password_hash not in text and "password" not in text
    assert alpha.consultant.email not in text, "another person's e-mail address"
    assert alpha.consultant.name in text  # who recorded, approved and read: by name
    assert ip_pseudonym("192.0.2.7") in text  # A's own login, as the log keeps it


def test_the_export_is_grouped_by_subject_with_plain_json_values(db_session, alpha, bravo):
    document = export_newcomer(db_session, alpha.user)
    (placement,) = document["placements"]
    assert placement["place"] == "Keuken alpha" and placement["status"] == "completed"
    assert placement["started_on"] == "2026-03-02"
    assert [c["ladder_rung"] for c in placement["check_ins"]] == [4]
    assert placement["outcome"][0]["follow_ups"][0]["months"] == 3
    assert document["plans"][0]["activities"][0]["kind"] == "map"
    assert document["limits"] == [{"id": document["limits"][0]["id"], "kind": "light_work_only"}]
    assert document["account"]["email"] == alpha.user.email
    reads = [e for e in document["file_log"] if e["action"] == "profile_read"]
    assert reads == [
        {
            "id": reads[0]["id"],
            "at": reads[0]["at"],
            "action": "profile_read",
            "actor": alpha.consultant.name,
            "actor_role": "consultant",
            "object_type": "newcomerprofile",
            "object_id": alpha.profile.id,
            "result": "success",
            "ip": None,
            "detail": {},
        }
    ]
    assert "hash" not in reads[0] and "prev_hash" not in reads[0]


def test_download_is_an_attachment_that_is_not_cached_and_is_logged(
    app, db_session, client, auth, alpha, monkeypatch
):
    monkeypatch.setitem(app.config, "FIXED_TODAY", "2026-11-29")
    auth.login(alpha.user.email)
    response = client.get("/me/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="my-data-2026-11-29.json"'
    assert response.headers["Cache-Control"] == "no-store"
    assert markers_in(response.get_data(as_text=True), alpha) == set(alpha.markers)
    logged = db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "newcomer_data_export")
    ).all()
    assert [(e.actor_id, e.subject_user_id) for e in logged] == [(alpha.user.id, alpha.user.id)]


def test_the_page_shows_the_same_data_in_words(client, auth, alpha, bravo):
    auth.login(alpha.user.email)
    page = client.get("/me/data").get_data(as_text=True)
    assert markers_in(page, alpha) >= {
        ("check_in", "newcomer_words"),
        ("plan", "support"),
        ("feedback", "comment"),
    }
    assert bravo.prefix not in page
    assert "Who looked at your file, and what happened" in page
    assert 'href="/me/data.json"' in page and 'href="/me/data/erase"' in page


def test_a_legal_exception_leaves_a_part_out_and_says_why(
    app, db_session, client, auth, alpha, bravo, monkeypatch
):
    """R37: what the privacy officer excepted (in the settings) is left out, and named."""
    assert app.config["EXPORT_LEGAL_EXCEPTIONS"] == {}  # by default the export holds it all
    ground = "The host's view protects the host's own privacy (GDPR art. 15(4))."
    monkeypatch.setitem(app.config, "EXPORT_LEGAL_EXCEPTIONS", {"check_in.host_view": ground})

    text = json.dumps(export_newcomer(db_session, alpha.user), ensure_ascii=False)

    assert markers_in(text, alpha) == set(alpha.markers) - {("check_in", "host_view")}
    assert export_newcomer(db_session, alpha.user)["left_out"] == [
        {"part": "check_in.host_view", "ground": ground}
    ]
    auth.login(alpha.user.email)
    page = client.get("/me/data").get_data(as_text=True)
    assert ("check_in", "host_view") not in markers_in(page, alpha)
    assert "What the law lets us leave out, and why" in page and "art. 15(4)" in page


def test_only_newcomers_have_a_data_page(client, auth, db_session):
    auth.login(make_user(Role.CONSULTANT).email)
    assert client.get("/me/data").status_code == 403
    assert client.get("/me/data.json").status_code == 403
