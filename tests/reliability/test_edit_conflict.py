"""Two people saving the same place at once: the second is told, nothing is overwritten (R42)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from config import TestingConfig
from marketplace import create_app, migrate
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.places.models import Place


@pytest.fixture
def file_app(tmp_path):
    app = create_app(TestingConfig, DATABASE_URL=f"sqlite:///{tmp_path / 'conflict.sqlite3'}")
    with app.app_context():
        migrate.upgrade()
    yield app
    app.extensions["db"].engine.dispose()


def test_a_stale_edit_is_refused(file_app):
    engine = file_app.extensions["db"].engine
    with Session(engine) as setup:
        org = Organisation(name="Buurtkeuken", kind=OrganisationKind.NONPROFIT)
        setup.add(org)
        setup.flush()
        setup.add(Place(organisation_id=org.id, title="Koken"))
        setup.commit()
    with Session(engine, expire_on_commit=False) as first, Session(engine) as second:
        mine = first.scalars(sa.select(Place)).one()
        first.commit()  # as between two requests: the page was shown, the form is being filled
        theirs = second.scalars(sa.select(Place)).one()
        theirs.title = "Koken en serveren"
        second.commit()
        mine.title = "Afwassen"
        with pytest.raises(StaleDataError):
            first.commit()
    with Session(engine) as check:
        assert check.scalars(sa.select(Place.title)).one() == "Koken en serveren"


def test_the_conflict_page_says_what_happened(file_app):
    file_app.config["PROPAGATE_EXCEPTIONS"] = False

    def conflict():
        raise StaleDataError("UPDATE place ... 0 rows matched")

    file_app.add_url_rule("/test-only/conflict", "test_only_conflict", conflict)
    from marketplace import permissions

    original = permissions.PUBLIC
    permissions.PUBLIC = original | {"test_only_conflict"}
    try:
        response = file_app.test_client().get("/test-only/conflict")
    finally:
        permissions.PUBLIC = original
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "UPDATE" not in body
    assert "tegelijk" in body or "same time" in body


def test_a_form_opened_before_someone_elses_save_gets_409(db_session, client, auth):
    from marketplace.accounts.models import Role
    from tests.factories import make_organisation, make_user

    org = make_organisation()
    employer = make_user(Role.EMPLOYER, organisation=org)
    place = Place(organisation_id=org.id, title="Koken")
    db_session.add(place)
    db_session.flush()
    opened_with = place.version
    place.title = "Koken voor de buurt"  # a colleague saves first
    db_session.flush()
    auth.login(employer.email)
    response = client.post(
        f"/places/{place.id}/edit/work",
        data={"title": "Afwassen", "version": str(opened_with), "then": "stop"},
    )
    assert response.status_code == 409
    assert "Koken voor de buurt" in response.get_data(as_text=True)  # the current version
    db_session.expire_all()
    assert place.title == "Koken voor de buurt"
