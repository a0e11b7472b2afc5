"""`GET /api/v1/newcomers/<ref>/matches`: the best places for a newcomer, as JSON, for whom."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.newcomers.models import NewcomerProfile
from marketplace.vocab import DutchLevel, PhysicalDemand
from tests.factories import make_user
from tests.search.indexing import (
    NEAR_AREAS,
    add_postcode_areas,
    kitchen_place,
    other_place,
)
from tests.search.indexing import (
    cooking_newcomer as newcomer,
)


@pytest.fixture(autouse=True)
def postcodes(db_session):
    add_postcode_areas(db_session, NEAR_AREAS)


def profile_of(db_session, user) -> NewcomerProfile:
    return db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()


def matches_url(ref: str, limit: object = None) -> str:
    return f"/api/v1/newcomers/{ref}/matches" + (f"?limit={limit}" if limit is not None else "")


def matched_refs(client, ref: str, limit: object = None) -> list[str]:
    response = client.get(matches_url(ref, limit))
    assert response.status_code == 200, response.get_data(as_text=True)
    return [match["place"] for match in response.get_json()["matches"]]


def consultant_with(profile: NewcomerProfile):
    consultant = make_user(Role.CONSULTANT, language="en")
    profile.consultant_id = consultant.id
    return consultant


def audit_reads(db_session) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == "newcomer_matches_read")
    return list(db_session.scalars(stmt))


# -- the document ----------------------------------------------------------------------------


def test_the_document_has_the_exchange_shape_best_first(db_session, client, auth):
    user, _profile = newcomer(db_session)
    kitchen_place(ref="place-017")
    weaker = other_place()
    auth.login(user.email)

    response = client.get(matches_url("nc-001"))

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert set(document) == {"newcomer", "matches"}
    assert document["newcomer"] == "nc-001"
    assert [m["place"] for m in document["matches"]] == ["place-017", f"place-{weaker.id}"]
    for match in document["matches"]:
        assert set(match) == {"place", "score", "reasons", "details"}
        assert 0 <= match["score"] <= 1
        assert all(isinstance(reason, str) and reason for reason in match["reasons"])
        assert len(match["details"]) == len(match["reasons"])
        assert all("code" in detail for detail in match["details"])
    scores = [m["score"] for m in document["matches"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]


def test_reasons_say_why_in_the_requesters_language(db_session, client, auth):
    user, _profile = newcomer(db_session, language="en")
    kitchen_place()
    auth.login(user.email)

    match = client.get(matches_url("nc-001")).get_json()["matches"][0]

    assert "Uses your skills: koken" in match["reasons"]
    assert "Fits the work you want: kok" in match["reasons"]
    assert "0.8 km away" in match["reasons"]
    assert {"code": "skills", "values": ["koken"]} in match["details"]
    assert {"code": "distance", "km": 0.8} in match["details"]


def test_a_dutch_reader_gets_dutch_numbers(db_session, client, auth):
    user, _profile = newcomer(db_session, language="nl")
    kitchen_place()
    auth.login(user.email)

    match = client.get(matches_url("nc-001")).get_json()["matches"][0]

    assert any("0,8 km" in reason for reason in match["reasons"])
    assert not any("0.8 km" in reason for reason in match["reasons"])


def test_a_dutch_reader_gets_dutch_reasons(db_session, client, auth):
    user, _profile = newcomer(db_session, language="nl")
    kitchen_place()
    auth.login(user.email)

    match = client.get(matches_url("nc-001")).get_json()["matches"][0]

    assert not any(reason.startswith("Uses your skills") for reason in match["reasons"])
    assert not any(reason.startswith("Fits the work you want") for reason in match["reasons"])


def test_a_newcomer_made_in_the_app_is_named_by_id(db_session, client, auth):
    user, profile = newcomer(db_session, ref=None)
    place = kitchen_place()
    auth.login(user.email)

    response = client.get(matches_url(f"newcomer-{profile.id}"))

    assert response.get_json()["newcomer"] == f"newcomer-{profile.id}"
    assert [m["place"] for m in response.get_json()["matches"]] == [f"place-{place.id}"]


def test_no_place_within_reach_gives_an_empty_list(db_session, client, auth):
    user, _profile = newcomer(db_session)
    kitchen_place(postcode="1012 AB", city="Amsterdam")
    auth.login(user.email)

    response = client.get(matches_url("nc-001"))

    assert response.status_code == 200
    assert response.get_json() == {"newcomer": "nc-001", "matches": []}


# -- hard constraints ------------------------------------------------------------------------


def test_a_place_that_breaks_a_hard_constraint_is_never_returned(db_session, client, auth):
    user, _profile = newcomer(db_session, physical_capacity=PhysicalDemand.MODERATE)
    fits = kitchen_place(ref="fits")
    stretch = kitchen_place(ref="b1-with-mentor", dutch_level=DutchLevel.B1, mentor=True)
    broken = [
        kitchen_place(ref="b1-no-mentor", dutch_level=DutchLevel.B1, mentor=False),
        kitchen_place(ref="b2-with-mentor", dutch_level=DutchLevel.B2, mentor=True),
        kitchen_place(ref="too-far", postcode="1012 AB", city="Amsterdam"),
        kitchen_place(ref="too-heavy", physical_demand=PhysicalDemand.HEAVY),
        kitchen_place(ref="weekends", schedule=["weekend"]),
        kitchen_place(ref="too-many-hours", hours_min=20, hours_max=24),
        kitchen_place(ref="full", spots=2, spots_taken=2),
    ]
    auth.login(user.email)

    found = matched_refs(client, "nc-001", limit=50)

    assert sorted(found) == sorted([fits.ref, stretch.ref])
    assert not set(found) & {place.ref for place in broken}


def test_a_remote_place_is_returned_however_far(db_session, client, auth):
    user, _profile = newcomer(db_session)
    remote = kitchen_place(ref="remote", remote=True, postcode=None, city=None)
    auth.login(user.email)

    match = client.get(matches_url("nc-001")).get_json()["matches"][0]

    assert match["place"] == remote.ref
    assert "You can do this from home" in match["reasons"]


# -- who may see -----------------------------------------------------------------------------


def test_a_newcomer_sees_their_own_matches(db_session, client, auth):
    user, _profile = newcomer(db_session)
    place = kitchen_place(ref="kitchen")
    auth.login(user.email)

    assert matched_refs(client, "nc-001") == [place.ref]
    assert audit_reads(db_session) == []


def test_their_consultant_sees_them_and_the_read_is_audited(db_session, client, auth):
    user, profile = newcomer(db_session)
    consultant = consultant_with(profile)
    place = kitchen_place(ref="kitchen")
    auth.login(consultant.email)

    assert matched_refs(client, "nc-001") == [place.ref]

    events = audit_reads(db_session)
    assert len(events) == 1
    assert events[0].actor_id == consultant.id
    assert events[0].subject_user_id == user.id
    assert (events[0].object_type, events[0].object_id) == ("newcomerprofile", profile.id)


@pytest.mark.parametrize("who", ["other consultant", "other newcomer"])
def test_others_are_told_the_newcomer_is_not_found(db_session, client, auth, who):
    _user, profile = newcomer(db_session)
    consultant_with(profile)
    kitchen_place()
    if who == "other consultant":
        other = make_user(Role.CONSULTANT)
    else:
        other, _ = newcomer(db_session, ref="nc-002")
    auth.login(other.email)

    response = client.get(matches_url("nc-001"))

    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert "matches" not in response.get_json()
    assert audit_reads(db_session) == []


def test_an_unknown_ref_is_not_found_as_json(db_session, client, auth):
    consultant = make_user(Role.CONSULTANT)
    auth.login(consultant.email)

    response = client.get(matches_url("nc-999"))

    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_an_employer_is_forbidden(db_session, client, auth):
    newcomer(db_session)
    employer = make_user(Role.EMPLOYER)
    auth.login(employer.email)

    response = client.get(matches_url("nc-001"))

    assert response.status_code == 403
    assert response.get_json()["error"]["status"] == 403


def test_an_anonymous_caller_gets_401_json_not_the_login_page(db_session, client):
    newcomer(db_session)

    response = client.get(matches_url("nc-001"))

    assert response.status_code == 401
    assert response.location is None
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 401


# -- the limit -------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "51", "x", "-1", "2.5", ""])
def test_a_bad_limit_is_400_json_with_a_message(db_session, client, auth, limit):
    user, _profile = newcomer(db_session)
    auth.login(user.email)

    response = client.get(matches_url("nc-001", limit))

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400
    assert "limit must be a whole number from 1 to 50" in error["detail"]


def test_a_superscript_digit_as_limit_is_400_not_500(db_session, client, auth):
    user, _profile = newcomer(db_session)
    auth.login(user.email)

    response = client.get(matches_url("nc-001", "%C2%B2"))

    assert response.status_code == 400


def test_the_limit_caps_the_number_of_matches(db_session, client, auth):
    user, _profile = newcomer(db_session)
    for n in range(4):
        kitchen_place(ref=f"kitchen-{n}")
    auth.login(user.email)

    assert len(matched_refs(client, "nc-001", limit=2)) == 2
    assert len(matched_refs(client, "nc-001", limit=50)) == 4
    assert len(matched_refs(client, "nc-001", limit=1)) == 1
