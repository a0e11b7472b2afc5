"""CSRF protection on every state-changing request, login and logout included (security.md R20).

The usual test app switches CSRF off; these tests build a second app with it on, on the same
migrated database, inside a transaction that is rolled back (as the ``app`` fixture does).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from marketplace import db
from marketplace.accounts import mfa
from marketplace.accounts.models import Role, User
from marketplace.forms import csrf
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.placements.models import Placement
from tests.conftest import make_test_app
from tests.factories import PASSWORD, make_organisation, make_user, totp_code
from tests.security.authz_matrix import (
    A_YEAR_AHEAD,
    MATRIX,
    SAMPLE_PLACE_SLUG,
    STAFF,
    Access,
    cell_id,
)
from tests.security.test_routes import cell_url, db_snapshot

NEW_PASSWORD = "lantern orchard velvet quietly 2718"


@contextmanager
def bound_app(database_url: str, tmp: Path, **overrides) -> Iterator:
    """A fresh testing app on the test database, every change rolled back."""
    with rolled_back(make_test_app(database_url, tmp, **overrides)) as app:
        yield app


@contextmanager
def rolled_back(app) -> Iterator:
    """The app with every database change inside one transaction, rolled back (as `app` does)."""
    database = app.extensions["db"]
    connection = database.engine.connect()
    transaction = connection.begin()
    database.bind_to(connection)
    context = app.app_context()
    context.push()
    try:
        yield app
    finally:
        context.pop()
        transaction.rollback()
        connection.close()
        database.engine.dispose()


@pytest.fixture
def csrf_app(migrated_app, tmp_path):
    with bound_app(migrated_app.config["DATABASE_URL"], tmp_path, WTF_CSRF_ENABLED=True) as app:
        yield app


@pytest.fixture
def dbs(csrf_app):
    return db._get_session()


class _FormTokens(HTMLParser):
    """The hidden csrf_token of each form on a page, by the form's action."""

    def __init__(self):
        super().__init__()
        self.tokens: dict[str, str] = {}
        self._action: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._action = attributes.get("action") or ""
        elif tag == "input" and attributes.get("name") == "csrf_token" and self._action is not None:
            self.tokens.setdefault(self._action, attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def scrape_token(client, page: str, action: str | None = None) -> str:
    """The csrf_token of the form on `page` that posts to `action` (None: to the page itself)."""
    return scrape_token_over(client, page, action)


def scrape_token_over(client, page: str, action: str | None = None, **request_options) -> str:
    response = client.get(page, **request_options)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    parser = _FormTokens()
    parser.feed(response.get_data(as_text=True))
    wanted = (action,) if action is not None else ("", urlsplit(page).path)
    for key in wanted:
        if parser.tokens.get(key):
            return parser.tokens[key]
    raise AssertionError(f"no form posting to {wanted} on {page}: {sorted(parser.tokens)}")


def login_with_token(client, email: str, password: str = PASSWORD):
    """Log in through the forms; consultants and administrators also give their app's code."""
    token = scrape_token(client, "/login")
    data = {"email": email, "password": password, "csrf_token": token}
    response = client.post("/login", data=data)
    if response.status_code == 302 and response.location.startswith("/mfa"):
        token = scrape_token(client, response.location)
        user = _user_with_email(email)
        response = client.post(
            response.location, data={"code": totp_code(user), "csrf_token": token}
        )
    return response


def _user_with_email(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _newest_staff() -> User:
    """The consultant or administrator the test signed in as (the newest made)."""
    return db.session.scalar(
        sa.select(User).where(User.role.in_(STAFF)).order_by(User.id.desc()).limit(1)
    )


def _setting_up_again() -> User:
    """The signed-in consultant or administrator, about to set up their app again."""
    user = _newest_staff()
    user.mfa_enabled_at = None
    db.session.flush()
    return user


def _a_recovery_code() -> str:
    return mfa.new_recovery_codes(db.session, _newest_staff(), ip=None, audit=False)[0]


def sign_in(client, role: Role | None) -> User | None:
    if role is None:
        return None
    user = make_user(role)
    response = login_with_token(client, user.email)
    assert response.status_code == 302, "could not sign in with a valid CSRF token"
    return user


def snapshot(dbs) -> dict:
    dbs.flush()
    dbs.expire_all()
    return db_snapshot(dbs.connection())


# --- every POST cell -----------------------------------------------------------------------

#: for each POST endpoint: form data that would succeed, and the status it then gets
VALID_POSTS: dict[str, tuple[Callable[[], dict], int]] = {
    "pages.set_language": (lambda: {"language": "en", "next": "/about"}, 302),
    "accounts.login": (
        lambda: {"email": make_user(Role.NEWCOMER).email, "password": PASSWORD},
        302,
    ),
    "accounts.logout": (dict, 200),
    "accounts.change_password": (
        lambda: {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        302,
    ),
    "accounts.confirm_password": (lambda: {"password": PASSWORD}, 302),
    "accounts.forgot_password": (lambda: {"email": make_user(Role.EMPLOYER).email}, 200),
    "accounts.reset_password": (lambda: {"password": NEW_PASSWORD}, 302),
    "accounts.accept_invitation": (lambda: {"language": "nl", "password": NEW_PASSWORD}, 302),
    "accounts.register_employer": (
        lambda: {
            "name": "Ria Werkgever",
            "email": "ria@bakkerij.example",
            "password": NEW_PASSWORD,
            "organisation_name": "Bakkerij De Korf",
            "organisation_kind": "employer",
            "kvk": "",
            "postcode": "",
            "city": "Utrecht",
        },
        302,
    ),
    "organisations.verify": (dict, 302),
    "newcomers.new_newcomer": (
        lambda: {
            "name": "Samira Nieuw",
            "email": "samira@example.nl",
            "language": "nl",
            "postcode": "3511 AB",
            "dutch_level": "A2",
            "learning_route": "",
        },
        200,
    ),
    "admin.new_user": (
        lambda: {
            "name": "Nieuwe Consulent",
            "email": "consulent.nieuw@gemeente.example",
            "role": "consultant",
            "language": "nl",
        },
        200,
    ),
    "admin.toggle_active": (dict, 302),
    "admin.reset_second_step": (dict, 302),
    "mfa.verify": (lambda: {"code": totp_code(_newest_staff())}, 302),
    "mfa.recovery": (lambda: {"code": _a_recovery_code()}, 302),
    "mfa.setup": (lambda: {"code": totp_code(_setting_up_again())}, 200),
    "mfa.new_recovery_codes": (lambda: {"password": PASSWORD}, 200),
    "mfa.reset": (lambda: {"password": PASSWORD}, 302),
    "assignments.assign": (lambda: {"consultant": str(make_user(Role.CONSULTANT).id)}, 302),
    "organisations.edit": (
        lambda: {
            "name": "Buurtkeuken Lombok",
            "kind": "nonprofit",
            "kvk": "12345678",
            "address": "Kanaalstraat 1",
            "postcode": "3531 AB",
            "city": "Utrecht",
            "website": "https://buurtkeuken.example.nl",
            "description": "Wij koken voor de buurt.",
            "contact_name": "Ans Bakker",
            "contact_email": "ans@buurtkeuken.example.nl",
            "contact_phone": "030 123 45 67",
        },
        302,
    ),
    "organisations.colleagues": (
        lambda: {"name": "Piet Collega", "email": "piet@buurtkeuken.example", "language": "nl"},
        200,
    ),
    "places.new": (lambda: {"title": "Afwassen en koken"}, 302),
    "places.edit": (
        lambda: {"title": "Afwassen en koken", "kind": "volunteer", "sector": "hospitality"},
        302,
    ),
    "places.submit": (
        lambda: {
            "would_be_paid_vacancy": "no",
            "replaces_absent_worker": "no",
            "replaces_dismissed_worker": "no",
            "structural_work": "no",
            "works_council": "none",
        },
        302,
    ),
    "places.set_status": (lambda: {"target": "paused"}, 302),
    "review.place": (lambda: {"decision": "published", "comment": ""}, 302),
    "newcomers.show_interest": (lambda: {"message": "Ik kook graag."}, 302),
    "newcomers.withdraw": (dict, 302),
    "privacy.erase": (lambda: {"reason": "Ik verhuis."}, 302),
    "privacy.cancel_erasure": (dict, 302),
    "privacy.carry_out": (dict, 302),
    "newcomers.answer": (lambda: {"answer": "yes"}, 302),
    "intake.record": (
        lambda: {
            "held_on": "2026-01-05",
            "hours_available": "12",
            "rung": "2",
            "rung_reason": "Contact met buren.",
        },
        302,
    ),
    "path.agree": (dict, 302),
    "plans.new_version": (
        lambda: {"based_on": "0", "learning_route": "b1", "integration_deadline": A_YEAR_AHEAD},
        302,
    ),
    "placing.propose": (lambda: {"newcomer": _a_newcomer_of(Role.CONSULTANT)}, 302),
    "placing.take_step": (lambda: {"reason": "Past niet bij de planning."}, 302),
    "placing.host_step": (lambda: {"reason": "Geen begeleider vrij."}, 302),
    "placing.check_in": (
        lambda: {
            "held_on": "2026-11-02",
            "ladder_rung": "4",
            "attendance": "good",
            "hours_worked": "8",
        },
        302,
    ),
    "placing.host_view": (lambda: {"view": "Gaat goed."}, 302),
    "outcomes.record": (lambda: {"result": "education"}, 302),
    "outcomes.follow_up": (lambda: {"in_paid_work": "no", "in_education": "yes"}, 302),
    "notices.mark_read": (dict, 302),
    "feedback.place_feedback": (lambda: {"meaningful": "4", "comment": "Fijne plek."}, 302),
    "feedback.service_feedback": (lambda: {"respect": "5", "would_recommend": "yes"}, 302),
    "profile.edit_mine": (lambda: {"skills": "koken, fietsen"}, 302),
    "profile.edit_for_newcomer": (lambda: {"skills": "koken"}, 302),
}


#: the page whose form makes each POST, when it is not the POST's own URL (or a function of it)
def _a_newcomer_of(role: Role) -> str:
    """The ref of a newcomer in the caseload of the consultant the test signs in as."""
    consultant = db.session.scalars(
        sa.select(User).where(User.role == role).order_by(User.id.desc())
    ).first()
    profile = db.session.scalar(
        sa.select(NewcomerProfile).where(NewcomerProfile.consultant_id == consultant.id)
    )
    if profile is None:
        profile = db.session.scalar(
            sa.select(NewcomerProfile).where(NewcomerProfile.user_id == make_user(Role.NEWCOMER).id)
        )
        profile.consultant_id = consultant.id
        db.session.flush()
    return f"newcomer-{profile.id}"


def _placements_page(url: str) -> str:
    """The consultant's placements page of the newcomer whose placement a step URL names."""
    placement = db.session.get(Placement, int(url.split("/")[3]))
    return f"/caseload/newcomer-{placement.profile_id}/placements"


FORM_PAGES: dict[str, str | Callable[[str], str]] = {
    "pages.set_language": "/about",
    "accounts.logout": "/account",
    "organisations.verify": "/organisations/unverified",
    "admin.toggle_active": "/admin/users",
    "admin.reset_second_step": "/admin/users",
    "mfa.new_recovery_codes": "/account/two-step",
    "mfa.reset": "/account/two-step",
    "assignments.assign": lambda url: f"/admin/caseloads?assign={url.rsplit('/', 1)[1]}",
    "places.set_status": lambda url: f"{url.removesuffix('/status')}/{SAMPLE_PLACE_SLUG}",
    "newcomers.show_interest": lambda url: url.removesuffix("/interest"),
    "newcomers.withdraw": lambda url: url.removesuffix("/withdraw"),
    "privacy.cancel_erasure": "/me/data/erase",
    "privacy.carry_out": "/caseload/erasure-requests",
    "newcomers.answer": lambda url: url.removesuffix("/answer"),
    "path.agree": "/me/path",
    "placing.propose": lambda url: f"{url.removesuffix('/propose')}/{SAMPLE_PLACE_SLUG}",
    "placing.take_step": _placements_page,
    "placing.host_step": "/organisation/candidates",
    "placing.host_view": "/organisation/candidates",
    "notices.mark_read": "/me/notices",
}

POST_CELLS = sorted(key for key in MATRIX if key[1] == "POST")


def acting_role(access: Access) -> Role | None:
    """Who makes the request: anonymous for public endpoints, else the first allowed role."""
    if access.public:
        return None
    return next(role for role in Role if role in access.who)


def test_every_post_endpoint_has_test_data():
    assert {endpoint for endpoint, _ in POST_CELLS} == set(VALID_POSTS)


@pytest.mark.parametrize("key", POST_CELLS, ids=cell_id)
def test_post_without_token_is_refused_and_changes_nothing(csrf_app, dbs, key):
    endpoint, method = key
    client = csrf_app.test_client()
    user = sign_in(client, acting_role(MATRIX[key]))
    url = cell_url(csrf_app, dbs, endpoint, method, MATRIX[key], user)
    make_data, _status = VALID_POSTS[endpoint]
    data = make_data()
    before = snapshot(dbs)

    response = client.post(url, data=data)

    assert response.status_code == 400
    assert snapshot(dbs) == before


@pytest.mark.parametrize("key", POST_CELLS, ids=cell_id)
def test_post_with_a_token_from_another_session_is_refused_and_changes_nothing(csrf_app, dbs, key):
    """A token is only good in the session it was made for: one an attacker got in their own
    browser does not work in the victim's, on any form."""
    endpoint, method = key
    foreign_token = scrape_token(csrf_app.test_client(), "/login")
    client = csrf_app.test_client()
    user = sign_in(client, acting_role(MATRIX[key]))
    url = cell_url(csrf_app, dbs, endpoint, method, MATRIX[key], user)
    make_data, _status = VALID_POSTS[endpoint]
    data = {**make_data(), "csrf_token": foreign_token}
    before = snapshot(dbs)

    response = client.post(url, data=data)

    assert response.status_code == 400
    assert snapshot(dbs) == before


@pytest.mark.parametrize("key", POST_CELLS, ids=cell_id)
def test_post_with_a_valid_token_works(csrf_app, dbs, key):
    """The same request with the token from the form goes through: CSRF was the only obstacle."""
    endpoint, method = key
    client = csrf_app.test_client()
    user = sign_in(client, acting_role(MATRIX[key]))
    url = cell_url(csrf_app, dbs, endpoint, method, MATRIX[key], user)
    make_data, status = VALID_POSTS[endpoint]
    data = make_data()
    page = FORM_PAGES.get(endpoint, url)
    if callable(page):
        page = page(url)
    token = scrape_token(client, page, action=None if page == url else urlsplit(url).path)
    before = snapshot(dbs)

    response = client.post(url, data={**data, "csrf_token": token})

    assert response.status_code == status
    if endpoint != "pages.set_language":  # an anonymous visitor's language lives in the cookie
        assert snapshot(dbs) != before


def test_login_token_from_another_session_is_refused(csrf_app, dbs):
    user = make_user(Role.NEWCOMER)
    attacker = csrf_app.test_client()
    victim = csrf_app.test_client()
    foreign_token = scrape_token(attacker, "/login")
    scrape_token(victim, "/login")  # the victim has a session with a token of its own
    before = snapshot(dbs)

    response = victim.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": foreign_token}
    )

    assert response.status_code == 400
    assert snapshot(dbs) == before
    assert victim.get("/account").status_code == 302


def test_action_with_token_from_another_users_session_is_refused(csrf_app, dbs):
    attacker = csrf_app.test_client()
    sign_in(attacker, Role.CONSULTANT)
    foreign_token = scrape_token(attacker, "/organisations/unverified", action="/logout")
    admin = csrf_app.test_client()
    sign_in(admin, Role.ADMIN)
    organisation = make_organisation(verified=False)
    before = snapshot(dbs)

    response = admin.post(
        f"/organisations/{organisation.id}/verify", data={"csrf_token": foreign_token}
    )

    assert response.status_code == 400
    assert snapshot(dbs) == before
    dbs.expire_all()
    assert dbs.get(Organisation, organisation.id).verified_at is None


def test_login_and_logout_with_valid_tokens(csrf_app, dbs):
    user = make_user(Role.EMPLOYER)
    client = csrf_app.test_client()

    response = login_with_token(client, user.email)
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/organisation"
    assert client.get("/account").status_code == 200

    token = scrape_token(client, "/account", action="/logout")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 200
    account = client.get("/account")
    assert account.status_code == 302
    assert urlsplit(account.location).path == "/login"


def test_logout_without_token_keeps_the_user_signed_in(csrf_app, dbs):
    client = csrf_app.test_client()
    sign_in(client, Role.NEWCOMER)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200


def test_no_view_is_exempt_from_csrf(csrf_app):
    assert csrf._exempt_views == set()
    assert csrf._exempt_blueprints == set()
    assert csrf_app.config["WTF_CSRF_ENABLED"] is True


def test_login_and_logout_work_over_https_in_production(production_app):
    """The production settings (secure __Host- cookie, strict referrer check) let users in."""
    user = make_user(Role.NEWCOMER)
    client = production_app.test_client()
    https = {"base_url": "https://localhost"}
    token = scrape_token_over(client, "/login", **https)

    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/login"},
        **https,
    )
    assert response.status_code == 302
    assert client.get("/account", **https).status_code == 200

    token = scrape_token_over(client, "/account", action="/logout", **https)
    response = client.post(
        "/logout",
        data={"csrf_token": token},
        headers={"Referer": "https://localhost/account"},
        **https,
    )
    assert response.status_code == 200
    assert client.get("/account", **https).status_code == 302


def test_production_refuses_a_valid_token_from_another_site(production_app):
    """Over HTTPS the Referer must be this site: a token alone is not enough."""
    user = make_user(Role.NEWCOMER)
    client = production_app.test_client()
    https = {"base_url": "https://localhost"}
    token = scrape_token_over(client, "/login", **https)

    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://evil.example/login"},
        **https,
    )
    assert response.status_code == 400
    assert client.get("/account", **https).status_code == 302


def test_logout_is_post_only(client, auth, db_session):
    user = make_user(Role.NEWCOMER)
    auth.login(user.email)

    response = client.get("/logout")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert client.get("/account").status_code == 200, "a GET must not sign the user out"


def test_logout_is_post_only_with_csrf_on(csrf_app):
    assert csrf_app.test_client().get("/logout").status_code == 405


def test_users_table_is_untouched_by_refused_posts(csrf_app, dbs):
    """A refused deactivation leaves the account usable (what an admin would notice)."""
    client = csrf_app.test_client()
    sign_in(client, Role.ADMIN)
    target = make_user(Role.CONSULTANT)

    response = client.post(f"/admin/users/{target.id}/active")

    assert response.status_code == 400
    dbs.expire_all()
    assert dbs.scalar(sa.select(User.active).where(User.id == target.id)) is True
