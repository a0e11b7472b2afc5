"""Languages: Dutch by default, English complete, the choice remembered, right-to-left ready."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from marketplace.accounts.models import Role
from tests.conftest import make_test_app
from tests.factories import make_user

CATALOGS = Path(__file__).resolve().parents[1] / "marketplace" / "translations"


def test_dutch_is_the_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr"' in html
    assert "Inloggen" in html


def test_a_visitor_gets_the_language_their_browser_asks_for(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en"' in html and "Log in" in html
    html = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="nl"' in html  # a language we do not have falls back to Dutch


def test_the_chosen_language_is_remembered_for_the_user(app, db_session, client, auth):
    user = make_user(Role.EMPLOYER)
    auth.login(user.email)
    response = client.post("/language", data={"language": "en", "next": "/organisation"})
    assert response.headers["Location"] == "/organisation"
    auth.logout()
    other_browser = app.test_client()
    other_browser.post(
        "/login", data={"email": user.email, "password": "correct horse battery staple"}
    )
    assert '<html lang="en"' in other_browser.get("/organisation").get_data(as_text=True)
    db_session.expire_all()
    assert user.language == "en"


def test_an_unknown_language_changes_nothing(client):
    client.post("/language", data={"language": "xx"})
    assert '<html lang="nl"' in client.get("/").get_data(as_text=True)


def test_right_to_left_languages_set_dir_rtl(session_tmp, migrated_app):
    app = make_test_app(
        migrated_app.config["DATABASE_URL"], session_tmp, LANGUAGES=["nl", "en", "ar"]
    )
    client = app.test_client()
    client.post("/language", data={"language": "ar"})
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in html
    assert 'lang="ar"' in html and "العربية" in html  # named in its own language


@pytest.mark.parametrize("language", ["nl"])
def test_every_message_is_translated(language):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    missing = [m if isinstance(m, str) else m[0] for m in missing]
    assert missing == []


def test_every_string_in_the_templates_is_in_the_catalog():
    with open(CATALOGS / "messages.pot", "rb") as handle:
        template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle)}
    assert "Go to the content" in template_ids  # from base.html
    assert "Main menu" in template_ids  # from a partial: partials must be extracted too
