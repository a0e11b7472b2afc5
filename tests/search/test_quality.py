"""Matching quality on a judged set: 20 newcomers x 80 places graded 0-3 by hand (judged/)."""

from __future__ import annotations

import pytest

from tests.search.judged.evaluate import evaluate, ndcg


def test_ndcg_is_one_for_the_ideal_order_and_less_for_a_worse_one():
    grades = {"a": 3, "b": 1}
    assert ndcg(["a", "b", "x"], grades) == pytest.approx(1.0)
    assert ndcg(["b", "a"], grades) < 1.0
    assert ndcg(["x", "y"], grades) == 0.0


@pytest.fixture
def quality(db_session, geonames_file):
    return evaluate(db_session, geonames_file)


def test_matching_never_returns_a_place_that_breaks_a_hard_constraint(quality):
    assert quality["broken"] == []


def test_matching_beats_plain_bm25_on_the_judged_set(quality):
    means = quality["ndcg@10"]
    print(f"\nnDCG@10 on the judged set: {means}")
    assert means["matching"] >= means["bm25_filtered"]
    assert means["matching"] > means["bm25"] + 0.1
    assert means["matching"] >= 0.6
