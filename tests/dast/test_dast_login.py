"""scripts/dast_login.py: which form the scanner's login fills in."""

from __future__ import annotations

from tests.dast.scripts import load

login = load("dast_login")

PAGE = """
<header><form method="post" action="/language">
  <input type="hidden" name="csrf_token" value="tok"><input type="hidden" name="next" value="/">
  <select name="language"><option value="nl">nl</option></select>
</form></header>
<main><form method="get" action="/places"><input type="text" name="q"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrf_token" value="tok">
  <input id="code" name="code" type="text" autocomplete="one-time-code">
</form>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="tok"></form>
</main>
"""

LOGIN = """<form method="post"><input type="hidden" name="csrf_token" value="t2">
<input type="email" name="email"><input type="password" name="password"></form>"""


def test_the_form_with_the_wanted_inputs_is_filled_not_the_language_switcher():
    assert login.filled_form(PAGE, {"*": "123456"}) == {"csrf_token": "tok", "code": "123456"}
    assert login.filled_form(LOGIN, {"email": "a@b.nl", "password": "pw"}) == {
        "csrf_token": "t2",
        "email": "a@b.nl",
        "password": "pw",
    }


def test_no_form_without_the_inputs_or_without_a_csrf_token():
    assert login.filled_form(PAGE, {"email": "a@b.nl", "password": "pw"}) is None
    no_token = LOGIN.replace('<input type="hidden" name="csrf_token" value="t2">', "")
    assert login.filled_form(no_token, {"email": "a@b.nl", "password": "pw"}) is None
