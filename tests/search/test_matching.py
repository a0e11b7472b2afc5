"""Matching: never a place breaking a hard constraint, one verdict both ways, near misses."""

from __future__ import annotations

import random
from datetime import date

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.newcomers.models import NewcomerLimit, NewcomerProfile, PracticalLimit
from marketplace.places.models import PaidWorkProspect, PlaceKind, Sector
from marketplace.search.fit import misses
from marketplace.search.index import rebuild
from marketplace.search.matching import (
    applicant_for,
    candidates_for,
    explain,
    matches_for,
    near_misses_for,
)
from marketplace.search.placeviews import PlaceInDatabase
from marketplace.vocab import DutchLevel, PhysicalDemand, Schedule
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import AREAS, add_areas, postcode

TODAY = date.today()
SKILLS = ["koken", "orderpicken", "klantcontact", "schoonmaken", "fietsen repareren", "tuinieren"]
TITLES = ["Kok", "Magazijnmedewerker", "Winkelhulp", "Schoonmaker", "Fietsenmaker", "Hovenier"]


def profile_of(user, **fields) -> NewcomerProfile:
    from marketplace import db

    profile = db.session.scalar(
        sa.select(NewcomerProfile).where(NewcomerProfile.user_id == user.id)
    )
    for name, value in fields.items():
        setattr(profile, name, value)
    db.session.flush()
    return profile


def random_places(rng: random.Random, count: int):
    org = make_organisation()
    made = []
    for n in range(count):
        remote = rng.random() < 0.1
        low = rng.randint(1, 24)
        k = rng.randrange(len(TITLES))
        made.append(
            make_place(
                org,
                title=f"{TITLES[k]} {n}",
                description=f"Werk als {TITLES[k].lower()} in ons team.",
                skills_wanted=[SKILLS[k]],
                kind=rng.choice(list(PlaceKind)),
                sector=rng.choice(list(Sector)),
                dutch_level=rng.choice(list(DutchLevel)),
                mentor=rng.random() < 0.5,
                hours_min=low,
                hours_max=rng.randint(low, 40),
                schedule=rng.sample([s.value for s in Schedule], rng.randint(1, 3)),
                physical_demand=rng.choice(list(PhysicalDemand)),
                remote=remote,
                postcode=None if remote else postcode(rng.choice(list(AREAS))),
                city=None if remote else "Utrecht",
                spots=2,
                spots_taken=rng.choice([0, 0, 0, 1, 2]),
                paid_work_prospect=rng.choice(list(PaidWorkProspect)),
            )
        )
    return made


def random_profile(rng: random.Random) -> NewcomerProfile:
    return profile_of(
        make_user(Role.NEWCOMER),
        postcode=postcode(rng.choice(["utrecht", "zeist", "amersfoort"])),
        dutch_level=rng.choice(list(DutchLevel)[:4]),
        hours_available=rng.randint(4, 40),
        schedule=rng.sample([s.value for s in Schedule], rng.randint(1, 4)),
        max_travel_km=rng.choice([3, 10, 25, 60]),
        physical_capacity=rng.choice(list(PhysicalDemand)),
        skills=rng.sample(SKILLS, 2),
        work_goals=[rng.choice(TITLES).lower()],
    )


@pytest.fixture
def world(db_session):
    rng = random.Random(20261129)
    add_areas(db_session)
    places = random_places(rng, 80)
    profiles = [random_profile(rng) for _ in range(12)]
    db_session.flush()
    rebuild(db_session, TODAY)
    return places, profiles


def allowed_ids(db_session, profile, places) -> set[int]:
    applicant = applicant_for(db_session, profile)
    return {
        p.id
        for p in places
        if not misses(applicant, PlaceInDatabase(db_session, p, TODAY).seen_from(applicant.point))
    }


def test_matches_are_exactly_the_places_that_break_no_hard_constraint(db_session, world):
    places, profiles = world
    checked = 0
    for profile in profiles:
        expected = allowed_ids(db_session, profile, places)
        found = [m.place_id for m in matches_for(db_session, profile, TODAY, limit=100)]
        assert len(found) == len(set(found))
        assert set(found) == expected, profile.postcode
        checked += len(expected)
    assert checked > 30  # the data leaves real choices, so the check has teeth


def test_matches_come_best_first_with_reasons(db_session, world):
    _places, profiles = world
    for profile in profiles:
        found = matches_for(db_session, profile, TODAY, limit=10)
        scores = [m.score for m in found]
        assert scores == sorted(scores, reverse=True)
        assert all(0 <= s <= 1 for s in scores)
        assert all(m.reasons for m in found)


def test_the_database_decides_when_the_index_is_behind(db_session, world):
    places, profiles = world
    profile = next(p for p in profiles if matches_for(db_session, p, TODAY, limit=1))
    first = matches_for(db_session, profile, TODAY, limit=1)[0]
    taken = db_session.get(type(places[0]), first.place_id)
    taken.spots_taken = taken.spots  # full now; the index has not heard of it yet
    db_session.flush()
    assert first.place_id not in [m.place_id for m in matches_for(db_session, profile, TODAY, 50)]


def test_candidates_for_a_place_get_the_same_score_as_their_match(db_session, world):
    places, profiles = world
    compared = 0
    for profile in profiles:
        for match in matches_for(db_session, profile, TODAY, limit=5):
            place = next(p for p in places if p.id == match.place_id)
            (candidate,) = candidates_for(db_session, place, [profile], TODAY)
            assert candidate.score == pytest.approx(match.score, abs=1e-3)
            assert [r.code for r in candidate.reasons] == [r.code for r in match.reasons]
            compared += 1
    assert compared > 10


def test_candidates_leave_out_who_does_not_allow_matching_or_cannot_take_it(db_session, world):
    places, profiles = world
    place = places[0]
    shown = {c.profile.id for c in candidates_for(db_session, place, profiles, TODAY, limit=50)}
    allowed = {p.id for p in profiles if place.id in allowed_ids(db_session, p, [place])}
    assert shown == allowed
    for profile in profiles:
        profile.allows_matching = False
    assert candidates_for(db_session, place, profiles, TODAY) == []


@pytest.fixture
def one_newcomer(db_session):
    add_areas(db_session)
    profile = profile_of(
        make_user(Role.NEWCOMER),
        postcode=postcode("utrecht"),
        dutch_level=DutchLevel.A2,
        hours_available=16,
        schedule=["weekday_morning"],
        max_travel_km=10,
        physical_capacity=PhysicalDemand.HEAVY,
        skills=["koken"],
    )
    org = make_organisation()
    base = {"skills_wanted": ["koken"], "postcode": postcode("utrecht")}
    places = {
        "fits": make_place(org, title="Kok", **base),
        "b1": make_place(org, title="Kok B1", dutch_level=DutchLevel.B1, mentor=False, **base),
        "heavy": make_place(org, title="Kok zwaar", physical_demand=PhysicalDemand.HEAVY, **base),
        "two_off": make_place(
            org,
            title="Kok ver en B2",
            dutch_level=DutchLevel.B2,
            **{**base, "postcode": postcode("groningen")},
        ),
    }
    db_session.flush()
    rebuild(db_session, TODAY)
    return profile, places


def test_a_near_miss_says_the_one_thing_in_the_way(db_session, one_newcomer):
    profile, places = one_newcomer
    near = {
        n.place_id: [m.code for m in n.misses] for n in near_misses_for(db_session, profile, TODAY)
    }
    assert near == {places["b1"].id: ["dutch"]}  # two problems is not near


def test_explain_gives_the_misses_and_the_fit_of_any_place(db_session, one_newcomer):
    profile, places = one_newcomer
    found, place_fit = explain(db_session, profile, places["b1"], TODAY)
    assert [(m.code, m.needed, m.has) for m in found] == [("dutch", "B1", "A2")]
    assert place_fit.reasons[0].code == "skills"
    assert explain(db_session, profile, places["fits"], TODAY)[0] == []


def test_a_practical_limit_keeps_heavy_work_away(db_session, one_newcomer):
    profile, places = one_newcomer
    assert places["heavy"].id in [m.place_id for m in matches_for(db_session, profile, TODAY)]
    profile.limits.append(NewcomerLimit(kind=PracticalLimit.LIGHT_WORK_ONLY))
    db_session.flush()
    found = [m.place_id for m in matches_for(db_session, profile, TODAY)]
    assert places["heavy"].id not in found and places["fits"].id in found


def test_no_free_time_means_no_matches(db_session, one_newcomer):
    profile, _places = one_newcomer
    profile.schedule = []
    db_session.flush()
    assert matches_for(db_session, profile, TODAY) == []


def test_an_unknown_home_postcode_leaves_only_places_without_travel(db_session, one_newcomer):
    profile, places = one_newcomer
    remote = make_place(
        make_organisation(), title="Online kok", remote=True, postcode=None, city=None
    )
    db_session.flush()
    rebuild(db_session, TODAY)
    profile.postcode = "9999 ZZ"
    db_session.flush()
    assert [m.place_id for m in matches_for(db_session, profile, TODAY)] == [remote.id]


def test_when_the_index_lags_a_lot_the_list_is_still_full(db_session, one_newcomer):
    profile, _places = one_newcomer
    org = make_organisation()
    extra = [
        make_place(org, title=f"Kok {n}", skills_wanted=["koken"], postcode=postcode("utrecht"))
        for n in range(12)
    ]
    db_session.flush()
    rebuild(db_session, TODAY)
    for place in extra[:9]:
        place.spots_taken = place.spots  # taken since the index was written
    db_session.flush()
    found = [m.place_id for m in matches_for(db_session, profile, TODAY, limit=3)]
    assert len(found) == 3
    assert not {p.id for p in extra[:9]} & set(found)
