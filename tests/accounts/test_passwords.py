"""Password rules (NIST 800-63B, R09-R11) and Argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from config import ProductionConfig, settings_for
from marketplace.accounts.models import Role
from marketplace.accounts.passwords import hash_password, password_problem, verify_password
from tests.factories import make_user


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
