"""Password rules (NIST 800-63B, R09-R11) and Argon2id hashing."""

from __future__ import annotations

import html

import pytest
from argon2 import PasswordHasher

from config import ProductionConfig, settings_for
from marketplace.accounts.models import Role
from marketplace.accounts.passwords import (
    context_words,
    hash_password,
    password_problem,
    squash,
    verify_password,
)
from marketplace.geo.importer import normalise_municipality
from tests.factories import PASSWORD, make_user


@pytest.mark.parametrize(
    "password",
    [
        "fourteen chars",  # 14: too short
        "aaaaaaaaaaaaaaaaaaaa",  # one character repeated
        "123456789012345678",  # a digit run repeated
        "abcabcabcabcabcabc",  # a short pattern repeated
        "participatie2026!",  # built around the site's name
        "passwordpassword",  # common
        "amal.haddad@example.nl",  # the e-mail address
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app, password):
    assert password_problem(password, email="amal.haddad@example.nl") is not None


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Mijn fiets staat bij het station",
        "ik leer elke dag nieuwe woorden",
        "سلام دنیا ሰላም dünya",  # any script counts, in code points
        "Ik fiets elke ochtend langs de Vecht naar mijn taalles en daarna help ik in de "
        "buurtkeuken met soep voor dertig mensen",  # 120 characters is fine
    ],
)
def test_good_passwords_are_accepted_without_composition_rules(app, password):
    assert password_problem(password, email="amal.haddad@example.nl") is None


def test_length_counts_code_points_after_normalising(app):
    typed = "\ufb01ets bel langs"  # the "fi" ligature: 14 code points, 15 after NFKC
    assert len(typed) == 14
    assert password_problem(typed, email=None) is None
    assert password_problem("fiets bel lang", email=None) is not None  # really 14


def test_the_same_text_typed_differently_is_the_same_password(app):
    stored = hash_password("ﬁets bel aan de gracht")
    assert verify_password(stored, "fiets bel aan de gracht")


def test_a_long_password_is_not_truncated(app, auth):
    password = "lange zin " * 10  # 100 characters
    user = make_user(Role.NEWCOMER, password=password)
    assert auth.login(user.email, password[:72]).status_code == 200
    assert auth.login(user.email, password[:-1] + "X").status_code == 200
    assert auth.login(user.email, password).status_code == 302


def test_production_hashes_are_argon2id_with_owasp_parameters():
    config = settings_for(ProductionConfig, environ={})
    stored = hash_password("correct horse battery staple", config)
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024
    assert int(params["t"]) >= 2
    assert int(params["p"]) == 1
    assert PasswordHasher().verify(stored, "correct horse battery staple")


def test_password_fields_allow_paste_and_password_managers(client):
    html = client.get("/register").get_data(as_text=True)
    assert 'type="password"' in html
    assert 'autocomplete="new-password"' in html
    assert "onpaste" not in html and 'autocomplete="off"' not in html


# --- context words and the form (R09) ---------------------------------------------------------

PASSPHRASE_128 = (
    "Op zondag fiets ik met mijn buurvrouw naar de moestuin achter de bibliotheek en "
    "daarna drinken we thee met verse munt uit de kas"
)
TOWN = "Do not use the name of this site or of your town as the main part of your password."
OWN_EMAIL = "Do not use your e-mail address in your password."


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("fourteen chars", "Use at least 15 characters."),
        ("x" * 1025, "Use at most 1024 characters."),
        ("1qaz2wsx3edc4rfv", "This password is too common."),
        ("Sunshine!! 2026 !!", "This password is too common."),
        ("abcabcabcabcabcabc", "This password is too easy to guess."),
        ("Participatieplekken 2026", TOWN),
        ("inburgering 2026!!!", TOWN),
        ("Amersfoort en Zoetermeer", TOWN),
        ("Súdwest-Fryslân 2026!", TOWN),
        ("Alphen aan den Rijn 1!", TOWN),
        ("Haddad-Amal-1990!", OWN_EMAIL),
        ("amal.haddad@example.nl", OWN_EMAIL),
    ],
)
def test_a_refused_password_shows_its_reason_on_the_page(
    db_session, client, auth, password, reason
):
    user = make_user(Role.NEWCOMER, email="amal.haddad@example.nl", language="en")
    stored = user.password_hash
    auth.login(user.email)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": password},
    )
    assert response.status_code == 200
    assert reason in html.unescape(response.get_data(as_text=True))
    db_session.refresh(user)
    assert user.password_hash == stored


def test_a_128_character_passphrase_is_taken_whole_through_the_form(db_session, client, auth):
    assert len(PASSPHRASE_128) == 128
    user = make_user(Role.NEWCOMER, language="en")
    auth.login(user.email)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": PASSPHRASE_128},
    )
    assert response.status_code == 302
    db_session.refresh(user)
    assert verify_password(user.password_hash, PASSPHRASE_128)
    assert not verify_password(user.password_hash, PASSPHRASE_128[:-1])


def test_every_municipality_of_the_postcode_file_is_a_context_word(geonames_file):
    names = {
        normalise_municipality(line.split("\t")[5])
        for line in geonames_file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    names.discard(None)
    assert len(names) > 300
    assert {squash(name) for name in names} | {"voorneaanzee"} <= context_words()
    assert {"participatie", "participatieplekken", "inburgering"} <= context_words()


def test_a_town_in_a_longer_sentence_is_fine(app):
    assert password_problem("Ik fiets elke ochtend door Utrecht naar school", email=None) is None
    assert password_problem("Ik woon sinds vorig jaar in Ede", email="ede@example.nl") is None
