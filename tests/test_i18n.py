"""Languages: Dutch by default, English complete, the choice remembered, right-to-left ready."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import Config
from marketplace.accounts.models import Role
from tests.conftest import AuthActions
from tests.factories import make_user

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
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
    AuthActions(other_browser).login(user.email, "correct horse battery staple")
    assert '<html lang="en"' in other_browser.get("/organisation").get_data(as_text=True)
    db_session.expire_all()
    assert user.language == "en"


def test_an_unknown_language_changes_nothing(client):
    client.post("/language", data={"language": "xx"})
    assert '<html lang="nl"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_right_to_left_languages_set_dir_rtl_and_load_the_arabic_font(client, language):
    client.post("/language", data={"language": language})
    html = client.get("/").get_data(as_text=True)
    assert f'<html lang="{language}" dir="rtl"' in html
    assert "vendor/noto-sans-arabic/index.css" in html
    assert 'lang="ar"' in html and "العربية" in html  # each language named in its own script


def test_tigrinya_loads_the_ethiopic_font_and_stays_left_to_right(client):
    html = client.get("/", headers={"Accept-Language": "ti-ER"}).get_data(as_text=True)
    assert '<html lang="ti" dir="ltr"' in html
    assert "vendor/noto-sans-ethiopic/index.css" in html
    assert "vendor/noto-sans-arabic" not in html


@pytest.mark.parametrize(("header", "language"), [("tr-TR,tr;q=0.9", "tr"), ("fa-AF", "fa")])
def test_a_visitor_gets_each_of_our_languages_their_browser_asks_for(client, header, language):
    html = client.get("/places", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{language}"' in html


def _catalog(language: str):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


#: English is the language of the message ids themselves
TRANSLATED = [language for language in Config.LANGUAGES if language != "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language):
    catalog = _catalog(language)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    missing = [m if isinstance(m, str) else m[0] for m in missing]
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_keeps_the_placeholders(language):
    """A lost or misspelt %(name)s would break the sentence or the page at run time."""
    wrong = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            if not found <= expected or (len(ids) == 1 and found != expected):
                wrong.append(ids[0])
    assert wrong == []


def test_every_string_in_the_templates_is_in_the_catalog():
    with open(CATALOGS / "messages.pot", "rb") as handle:
        template_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle)}
    assert "Go to the content" in template_ids  # from base.html
    assert "Main menu" in template_ids  # from a partial: partials must be extracted too
