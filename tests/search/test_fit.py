"""The rules of matching: every hard constraint, the mentor stretch, limits, and the reasons."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from marketplace.search.fit import (
    Applicant,
    dutch_allowed,
    effective_limits,
    fit,
    items,
    misses,
)
from marketplace.vocab import DutchLevel, PhysicalDemand


@dataclass
class View:
    """A place as ``fit`` sees it, written out by hand."""

    place_id: int = 1
    dutch: int = DutchLevel.A2.rank
    mentor: bool = False
    hours_min: int = 8
    schedule: frozenset = frozenset({"weekday_morning"})
    remote: bool = False
    physical: int = PhysicalDemand.LIGHT.rank
    spots_free: int = 1
    public: bool = True
    sector: str = "hospitality"
    prospect: str = "possible"
    languages: frozenset = frozenset()
    km: float | None = 5.0
    words: dict = field(default_factory=dict)

    def tokens_in(self, fieldname):
        return frozenset(self.words.get(fieldname, ()))

    def has_any(self, tokens):
        return any(not tokens.isdisjoint(words) for words in self.words.values())


NEWCOMER = Applicant(
    key="nc-1",
    dutch=DutchLevel.A2.rank,
    hours=16,
    schedule=frozenset({"weekday_morning", "weekday_afternoon"}),
    point=(52.09, 5.12),
    max_km=10,
    physical=PhysicalDemand.MODERATE.rank,
    languages=frozenset({"ar"}),
)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"public": False}, "closed"),
        ({"spots_free": 0}, "full"),
        ({"dutch": DutchLevel.B1.rank}, "dutch"),
        ({"dutch": DutchLevel.B2.rank, "mentor": True}, "dutch"),
        ({"hours_min": 20}, "hours"),
        ({"schedule": frozenset({"weekend"})}, "schedule"),
        ({"km": 10.5}, "distance"),
        ({"km": None}, "distance"),
        ({"physical": PhysicalDemand.HEAVY.rank}, "physical"),
    ],
)
def test_each_hard_constraint_on_its_own(change, code):
    assert misses(NEWCOMER, View()) == []
    assert [m.code for m in misses(NEWCOMER, View(**change))] == [code]


def test_one_level_more_dutch_only_with_a_mentor():
    assert misses(NEWCOMER, View(dutch=DutchLevel.B1.rank, mentor=True)) == []
    assert dutch_allowed(DutchLevel.A2.rank, DutchLevel.B1.rank, mentor=True)
    assert not dutch_allowed(DutchLevel.A2.rank, DutchLevel.B1.rank, mentor=False)
    assert not dutch_allowed(DutchLevel.A2.rank, DutchLevel.B2.rank, mentor=True)


def test_a_remote_place_is_never_too_far():
    assert misses(NEWCOMER, View(remote=True, km=None)) == []


def test_the_miss_says_what_is_needed_and_what_the_newcomer_has():
    (miss,) = misses(NEWCOMER, View(dutch=DutchLevel.B1.rank))
    assert (miss.needed, miss.has) == ("B1", "A2")
    (miss,) = misses(NEWCOMER, View(hours_min=20))
    assert (miss.needed, miss.has) == (20, 16)


def test_practical_limits_narrow_what_counts_as_possible():
    full_week = frozenset({"weekday_morning", "weekday_evening", "weekend"})
    assert effective_limits(2, full_week, ["light_work_only"]) == (0, full_week)
    assert effective_limits(2, full_week, ["school_hours_only"]) == (
        2,
        frozenset({"weekday_morning"}),
    )
    assert effective_limits(2, full_week, ["no_long_standing"])[0] == 1
    assert effective_limits(2, full_week, ["discuss_with_consultant"]) == (2, full_week)


def test_skills_found_in_the_place_are_a_reason_in_the_newcomers_own_words():
    cook = replace(NEWCOMER, skills=items(["kok"]))
    result = fit(cook, View(words={"skills_wanted": {"@cooking", "koken", "kok"}}))
    assert result.reasons[0].code == "skills" and result.reasons[0].values == ("kok",)


def test_a_word_found_only_through_its_concept_counts_a_little_less():
    cook = replace(NEWCOMER, skills=items(["kok"]))
    exact = fit(cook, View(words={"skills_wanted": {"kok", "@cooking"}}))
    concept = fit(cook, View(words={"skills_wanted": {"@cooking"}}))
    nothing = fit(cook, View())
    assert exact.score > concept.score > nothing.score


def test_education_goals_meet_what_the_place_offers():
    learner = replace(NEWCOMER, education_goals=items(["MBO-2 Logistiek"]))
    offers = View(words={"education_offered": {"mbo2", "mbo", "@mbo2", "@mbo", "logistiek"}})
    result = fit(learner, offers)
    assert "education" in [r.code for r in result.reasons]
    assert result.score > fit(learner, View()).score


def test_a_work_goal_matches_the_sector_when_no_word_matches():
    goal = replace(NEWCOMER, work_goals=items(["werken in de zorg"]))
    care = fit(goal, View(sector="care"))
    assert any(r.code == "sector" and r.values == ("care",) for r in care.reasons)
    assert care.score > fit(goal, View(sector="retail")).score


def test_paid_work_prospect_counts_for_who_aims_at_work_only():
    worker = replace(NEWCOMER, aims_at_work=True)
    z_route = replace(NEWCOMER, aims_at_work=False)
    assert fit(worker, View(prospect="yes")).score > fit(worker, View(prospect="no")).score
    assert fit(z_route, View(prospect="yes")).score == fit(z_route, View(prospect="no")).score


def test_own_language_and_a_mentor_help_who_has_little_dutch():
    beginner = replace(NEWCOMER, dutch=DutchLevel.A1.rank)
    helped = fit(beginner, View(languages=frozenset({"ar"}), mentor=True))
    assert {"language", "mentor"} <= {r.code for r in helped.reasons}
    assert helped.score > fit(beginner, View()).score
    fluent = replace(NEWCOMER, dutch=DutchLevel.B2.rank)
    assert "language" not in {
        r.code for r in fit(fluent, View(languages=frozenset({"ar"}))).reasons
    }


def test_nearer_is_better_and_the_distance_is_a_reason():
    near, far = fit(NEWCOMER, View(km=1.0)), fit(NEWCOMER, View(km=9.0))
    assert near.score > far.score
    assert [r.km for r in near.reasons if r.code == "distance"] == [1.0]


def test_scores_stay_between_zero_and_one():
    everything = replace(
        NEWCOMER,
        skills=items(["kok"]),
        experience=items(["kok"], [1.0]),
        education_goals=items(["HACCP"]),
        work_goals=items(["kok"]),
        interests=items(["koken"]),
        dutch=0,
    )
    words = {
        name: {"kok", "@cooking", "haccp", "koken"}
        for name in ("title", "description", "skills_wanted", "skills_learned", "education_offered")
    }
    best = fit(
        everything,
        View(words=words, prospect="yes", mentor=True, languages=frozenset({"ar"}), km=0.0),
    )
    assert 0.9 < best.score <= 1.0
    assert 0.0 <= fit(everything, View(km=10.0, prospect="no", sector="retail")).score < 0.1
