"""Who sees and changes which place: an employer only their own organisation's (else 404),
the public only published places, the municipality's staff every place."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.accounts.models import Role
from marketplace.places.models import PlaceStatus
from marketplace.places.slugs import slugify
from tests.factories import make_organisation, make_place
from tests.places.helpers import HARMLESS_ANSWERS, STEP_DATA, place_row, signed_in
from tests.security.test_routes import db_snapshot

S = PlaceStatus
STEPS = list(STEP_DATA)

#: every request an employer can make about one place, with the data a real form sends
EMPLOYER_REQUESTS = [
    *[("GET", f"/places/{{id}}/edit/{step}", None) for step in STEPS],
    *[("POST", f"/places/{{id}}/edit/{step}", STEP_DATA[step]) for step in STEPS],
    ("GET", "/places/{id}/send", None),
    ("POST", "/places/{id}/send", HARMLESS_ANSWERS),
    *[("POST", "/places/{id}/status", {"target": target.value}) for target in S],
]


def _request_id(request) -> str:
    method, path, data = request
    target = f" {data['target']}" if data and "target" in data else ""
    return f"{method} {path.format(id='ID')}{target}"


@pytest.mark.parametrize("status", list(S), ids=str)
@pytest.mark.parametrize(
    ("method", "path", "data"), [pytest.param(*r, id=_request_id(r)) for r in EMPLOYER_REQUESTS]
)
def test_an_employer_cannot_touch_another_organisations_place(
    db_session, client, auth, status, method, path, data
):
    signed_in(auth, Role.EMPLOYER)
    theirs = make_place(make_organisation(), status)
    db_session.flush()
    before = db_snapshot(db_session.connection())

    response = client.open(path.format(id=theirs.id), method=method, data=data)

    assert response.status_code == 404
    db_session.expire_all()
    assert db_snapshot(db_session.connection()) == before


@pytest.mark.parametrize("status", [s for s in S if s != S.PUBLISHED], ids=str)
def test_an_employer_does_not_see_another_organisations_unpublished_place(
    db_session, client, auth, status
):
    signed_in(auth, Role.EMPLOYER)
    theirs = make_place(make_organisation(), status)
    assert client.get(f"/places/{theirs.id}").status_code == 404
    assert client.get(f"/places/{theirs.id}/{slugify(theirs.title)}").status_code == 404


def test_the_dashboard_lists_only_the_own_organisations_places(db_session, client, auth):
    employer = signed_in(auth, Role.EMPLOYER)
    own = [make_place(employer.organisation, status) for status in S]
    theirs = [make_place(make_organisation(), status) for status in S]
    page = client.get("/organisation").get_data(as_text=True)
    assert all(place.title in page for place in own)
    assert not any(place.title in page for place in theirs)


def test_the_same_requests_work_for_the_own_place(db_session, client, auth):
    """The 404s above come from the organisation, not from the requests themselves."""
    employer = signed_in(auth, Role.EMPLOYER)
    place = make_place(employer.organisation, S.DRAFT)
    for step in STEPS:
        assert client.get(f"/places/{place.id}/edit/{step}").status_code == 200
        response = client.post(f"/places/{place.id}/edit/{step}", data=STEP_DATA[step])
        assert response.status_code == 302
    assert client.get(f"/places/{place.id}/send").status_code == 200
    assert client.post(f"/places/{place.id}/send", data=HARMLESS_ANSWERS).status_code == 302
    assert client.post(f"/places/{place.id}/status", data={"target": "draft"}).status_code == 302
    assert place_row(db_session, place.id)["status"] == S.DRAFT


# --- what the public sees --------------------------------------------------------------------

HIDDEN = [pytest.param({"status": s}, id=s.value) for s in S if s != S.PUBLISHED] + [
    pytest.param({"end_date": date.today() - timedelta(days=1)}, id="published but ended")
]


def _hidden_place(fields: dict):
    fields = dict(fields)
    status = fields.pop("status", S.PUBLISHED)
    return make_place(make_organisation(), status, **fields)


@pytest.mark.parametrize("fields", HIDDEN)
@pytest.mark.parametrize("visitor", [None, Role.NEWCOMER], ids=["anonymous", "newcomer"])
def test_a_place_not_open_to_the_public_is_404_for_them(db_session, client, auth, fields, visitor):
    place = _hidden_place(fields)
    if visitor is not None:
        signed_in(auth, visitor)
    for url in (f"/places/{place.id}", f"/places/{place.id}/{slugify(place.title)}"):
        assert client.get(url).status_code == 404
    assert place.title not in client.get("/places").get_data(as_text=True)


@pytest.mark.parametrize("fields", HIDDEN)
@pytest.mark.parametrize("viewer", ["own employer", Role.CONSULTANT, Role.ADMIN], ids=str)
def test_its_employer_and_the_municipality_still_see_it(db_session, client, auth, fields, viewer):
    place = _hidden_place(fields)
    if viewer == "own employer":
        signed_in(auth, Role.EMPLOYER, organisation=place.organisation)
    else:
        signed_in(auth, viewer)
    response = client.get(f"/places/{place.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert place.title in page
    assert "Only you and the municipality see this page" in page


def test_a_published_place_is_open_to_everyone(db_session, client, auth):
    place = make_place(make_organisation())
    url = f"/places/{place.id}/{slugify(place.title)}"
    assert client.get(url).status_code == 200
    signed_in(auth, Role.NEWCOMER)
    assert client.get(url).status_code == 200
