"""Two saves of the plan at once: one new version, and a clear 409 for the other save."""

from __future__ import annotations

import time

import pyotp
import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace import migrate
from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.plans import editing
from marketplace.plans.models import Plan
from marketplace.vocab import DutchLevel
from tests.concurrency import at_once
from tests.conftest import make_test_app
from tests.factories import PASSWORD
from tests.plans.plan_forms import TODAY, first_plan, form_of, plan_notices, versions

#: the consultant's authenticator app
SECRET = pyotp.random_base32()


def test_a_form_made_from_an_older_version_saves_nothing(db_session, client, newcomer):
    profile, url = newcomer
    first_plan(db_session, profile)
    values = form_of(client, f"{url}/new")
    assert client.post(f"{url}/new", data=values).status_code == 302
    values["support"] = "Iets anders."

    response = client.post(f"{url}/new", data=values)

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone saved a new version of this plan while you were busy." in page
    assert "Save as version 3" in page  # the form now starts from version 2
    assert [p.version for p in versions(db_session, profile)] == [1, 2]
    assert versions(db_session, profile)[1].support == "Een taalmaatje."


def test_the_same_version_number_twice_gives_one_version_and_a_409(
    db_session, client, newcomer, monkeypatch
):
    """Both saves read version 1 as the newest; the unique (profile, version) stops the second."""
    profile, url = newcomer
    first_plan(db_session, profile)
    values = form_of(client, f"{url}/new")
    first_plan(db_session, profile, agreed=False, version=2)  # the other save, just before
    monkeypatch.setattr(editing, "newest_version", lambda *_args: 1)

    response = client.post(f"{url}/new", data=values)

    assert response.status_code == 409
    assert "Nothing was saved." in response.get_data(as_text=True)
    assert [p.version for p in versions(db_session, profile)] == [1, 2]
    assert plan_notices(db_session, profile) == []


def test_two_consultants_saving_at_the_same_moment_make_one_version(tmp_path):
    """Two real requests at once on a SQLite file: one version 2, and a 409 for the other."""
    app = make_test_app(f"sqlite:///{tmp_path / 'race.sqlite3'}", tmp_path)
    app.config["FIXED_TODAY"] = TODAY.isoformat()
    with app.app_context():
        migrate.upgrade()
    engine = app.extensions["db"].engine
    with app.app_context(), Session(engine) as setup:
        consultant = make_user_in(setup, Role.CONSULTANT)
        profile = NewcomerProfile(
            user=make_user_in(setup, Role.NEWCOMER),
            consultant_id=consultant.id,
            postcode="3511 AB",
            dutch_level=DutchLevel.A2,
            hours_available=16,
            max_travel_km=10,
        )
        setup.add(profile)
        setup.flush()
        first_plan(setup, profile)
        setup.commit()
        url, email = f"/caseload/newcomer-{profile.id}/plan/new", consultant.email
    browsers = [app.test_client() for _ in range(2)]
    forms = []
    app_codes = pyotp.TOTP(SECRET)
    step = int(time.time()) // 30
    for n, browser in enumerate(browsers):  # each browser gives a code of its own step
        browser.post("/login", data={"email": email, "password": PASSWORD})
        browser.post("/mfa", data={"code": app_codes.generate_otp(step + n)})
        forms.append(form_of(browser, url))
    statuses = []

    def save(ready, browser, values):
        ready()
        statuses.append(browser.post(url, data=values).status_code)

    at_once(save, zip(browsers, forms, strict=True), ready_within=None, finish_within=None)

    assert sorted(statuses) == [302, 409]
    with Session(engine) as check:
        made = check.scalars(sa.select(Plan.version).filter_by(profile_id=profile.id)).all()
    assert sorted(made) == [1, 2]
    engine.dispose()


def make_user_in(dbs, role: Role):
    from marketplace.accounts.models import User
    from marketplace.accounts.passwords import hash_password

    user = User(
        email=f"{role.value}@example.nl",
        name=role.value.title(),
        role=role,
        language="en",
        password_hash=hash_password(PASSWORD),
    )
    if role == Role.CONSULTANT:
        user.totp_secret, user.mfa_enabled_at = SECRET, utcnow()
    dbs.add(user)
    dbs.flush()
    return user
