"""Employers sign up with their organisation, which starts unverified until staff check it."""

from __future__ import annotations

from marketplace.accounts.models import Role, User
from marketplace.organisations.models import Organisation
from tests.conftest import AuthActions
from tests.factories import make_user

FORM = {
    "name": "Ans Bakker",
    "email": "ans@buurtkeuken.example",
    "password": "soep koken voor de buurt",
    "organisation_name": "Buurtkeuken Lombok",
    "organisation_kind": "nonprofit",
    "kvk": "12345678",
    "postcode": "3531 ab",
    "city": "Utrecht",
}


def test_an_employer_signs_up_and_waits_for_verification(db_session, client):
    response = client.post("/register", data=FORM)
    assert response.status_code == 302 and response.headers["Location"] == "/organisation"
    page = client.get("/organisation").get_data(as_text=True)
    assert "Buurtkeuken Lombok" in page
    db_session.expire_all()
    user = db_session.query(User).filter_by(email="ans@buurtkeuken.example").one()
    assert user.role == Role.EMPLOYER
    assert user.organisation.verified_at is None
    assert user.organisation.postcode == "3531 AB"


def test_a_consultant_verifies_the_organisation(app, db_session, client):
    client.post("/register", data=FORM)
    consultant = make_user(Role.CONSULTANT)
    staff = app.test_client()
    AuthActions(staff).login(consultant.email)
    queue = staff.get("/organisations/unverified").get_data(as_text=True)
    assert "<h2>Buurtkeuken Lombok</h2>" in queue
    db_session.expire_all()
    org = db_session.query(Organisation).filter_by(name="Buurtkeuken Lombok").one()
    assert staff.post(f"/organisations/{org.id}/verify").status_code == 302
    db_session.expire_all()
    assert org.verified_at is not None
    queue = staff.get("/organisations/unverified").get_data(as_text=True)
    assert "<h2>Buurtkeuken Lombok</h2>" not in queue


def test_bad_input_gets_messages_and_writes_nothing(db_session, client):
    before = db_session.query(Organisation).count()
    response = client.post(
        "/register", data={**FORM, "kvk": "1234", "password": "kort", "email": "geen-adres"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('aria-invalid="true"') == 3
    db_session.expire_all()
    assert db_session.query(Organisation).count() == before


def test_an_existing_address_writes_no_organisation(db_session, client):
    make_user(Role.NEWCOMER, email="ans@buurtkeuken.example")
    before = db_session.query(Organisation).count()
    response = client.post("/register", data=FORM)
    assert response.status_code == 200
    db_session.expire_all()
    assert db_session.query(Organisation).count() == before
