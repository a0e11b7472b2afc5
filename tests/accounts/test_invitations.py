"""Consultants add newcomers, admins add staff; both start through a single-use invitation."""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext

from marketplace.accounts.models import Role, User
from marketplace.newcomers.models import NewcomerProfile
from tests.factories import make_user


def _invitation_path(message) -> str:
    link = re.search(r"https?://\S+/invitation/\S+", message.get_content()).group(0)
    return "/" + link.split("/", 3)[3]


def test_consultant_adds_a_newcomer_who_starts_in_their_own_language(app, db_session, client, auth):
    consultant = make_user(Role.CONSULTANT)
    auth.login(consultant.email)
    response = client.post(
        "/caseload/new",
        data={
            "name": "Amal Haddad",
            "email": "Amal@Example.nl",
            "language": "nl",
            "postcode": "3531ab",
            "dutch_level": "A2",
            "learning_route": "b1",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/invitation/" in page
    db_session.expire_all()
    newcomer = db_session.query(User).filter_by(email="amal@example.nl").one()
    profile = db_session.query(NewcomerProfile).filter_by(user_id=newcomer.id).one()
    assert newcomer.role == Role.NEWCOMER and newcomer.password_hash is None
    assert profile.consultant_id == consultant.id and profile.postcode == "3531 AB"
    message = app.extensions["sent_mail"][-1]
    assert message["To"] == "amal@example.nl"

    path = _invitation_path(message)
    assert path in page
    newcomer_client = app.test_client()
    first = newcomer_client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="nl"' in first  # the language the consultant noted, not the browser's
    with app.test_request_context(), force_locale("nl"):
        steps = [gettext("Step 1: choose your language"), gettext("Step 2: choose a password")]
    assert first.index(steps[0]) < first.index(steps[1])
    assert 'lang="ar" dir="rtl"' in first and ">العربية<" in first
    response = newcomer_client.post(
        path, data={"language": "en", "password": "ik woon nu in utrecht oost"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/me/welcome"
    welcome = newcomer_client.get("/me/welcome").get_data(as_text=True)
    assert 'lang="en"' in welcome  # the welcome is in the language they chose
    assert "Who sees your information?" in welcome and "never shown to employers" in welcome
    # the link works only once
    assert app.test_client().get(path).status_code == 404


def test_a_newcomer_without_a_password_cannot_log_in(auth):
    user = make_user(Role.NEWCOMER, password=None)
    assert auth.login(user.email, "").status_code == 200
    assert auth.login(user.email, "anything at all that is long").status_code == 200


def test_a_duplicate_address_is_refused_and_nothing_is_written(db_session, client, auth):
    make_user(Role.EMPLOYER, email="taken@example.nl")
    consultant = make_user(Role.CONSULTANT)
    auth.login(consultant.email)
    before = db_session.query(NewcomerProfile).count()
    response = client.post(
        "/caseload/new",
        data={
            "name": "Someone",
            "email": "taken@example.nl",
            "language": "nl",
            "postcode": "3531 AB",
            "dutch_level": "A1",
            "learning_route": "",
        },
    )
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres." in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.query(NewcomerProfile).count() == before


def test_an_invalid_postcode_gets_a_message(client, auth):
    consultant = make_user(Role.CONSULTANT)
    auth.login(consultant.email)
    response = client.post(
        "/caseload/new",
        data={
            "name": "Someone",
            "email": "new@example.nl",
            "language": "nl",
            "postcode": "0123 AB",
            "dutch_level": "A1",
        },
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_a_consultant_sees_only_their_own_caseload(db_session, client, auth):
    mine = make_user(Role.CONSULTANT)
    theirs = make_user(Role.CONSULTANT)
    own = make_user(Role.NEWCOMER)
    other = make_user(Role.NEWCOMER)
    own_profile = db_session.query(NewcomerProfile).filter_by(user_id=own.id).one()
    other_profile = db_session.query(NewcomerProfile).filter_by(user_id=other.id).one()
    own_profile.consultant_id, other_profile.consultant_id = mine.id, theirs.id
    db_session.flush()
    auth.login(mine.email)
    page = client.get("/caseload").get_data(as_text=True)
    assert own.name in page and other.name not in page


def test_admin_adds_a_consultant_who_sets_a_password_from_the_link(app, client, auth):
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Kees de Vries",
            "email": "kees@utrecht.example",
            "role": "consultant",
            "language": "nl",
        },
    )
    assert response.status_code == 200
    path = _invitation_path(app.extensions["sent_mail"][-1])
    colleague = app.test_client()
    response = colleague.post(path, data={"language": "nl", "password": "koffie met de collega's"})
    assert response.headers["Location"] == "/caseload"


def test_a_deactivated_users_invitation_stops_working(app, db_session, client, auth):
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    client.post(
        "/admin/users/new",
        data={
            "name": "Kees",
            "email": "kees@utrecht.example",
            "role": "consultant",
            "language": "nl",
        },
    )
    path = _invitation_path(app.extensions["sent_mail"][-1])
    db_session.expire_all()
    kees = db_session.query(User).filter_by(email="kees@utrecht.example").one()
    client.post(f"/admin/users/{kees.id}/active")
    assert app.test_client().get(path).status_code == 404


def test_an_admin_cannot_deactivate_themselves(db_session, client, auth):
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    client.post(f"/admin/users/{admin.id}/active")
    db_session.expire_all()
    assert admin.active is True
    assert client.get("/admin/").status_code == 200


def test_the_newcomer_chooses_their_language_before_the_password(app, db_session, client, auth):
    consultant = make_user(Role.CONSULTANT)
    auth.login(consultant.email)
    client.post(
        "/caseload/new",
        data={
            "name": "Yonas Tesfay",
            "email": "yonas@example.nl",
            "language": "nl",
            "postcode": "3531 AB",
            "dutch_level": "A1",
            "learning_route": "",
        },
    )
    path = _invitation_path(app.extensions["sent_mail"][-1])
    newcomer_client = app.test_client()
    newcomer_client.get(path)
    chosen = newcomer_client.post("/language", data={"language": "ti", "next": path})
    assert chosen.status_code == 302 and chosen.headers["Location"] == path
    page = newcomer_client.get(path).get_data(as_text=True)
    assert 'lang="ti"' in page and 'value="ti"' in page
    newcomer_client.post(path, data={"language": "ti", "password": "ik woon nu in utrecht oost"})
    db_session.expire_all()
    assert db_session.query(User).filter_by(email="yonas@example.nl").one().language == "ti"
