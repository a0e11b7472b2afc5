"""nDCG@10 of the matching and of plain BM25 on the judged set (data.json, grades.json).

Used by ``tests/search/test_quality.py``; run on its own to print the figures:

    .venv/bin/python -m pytest tests/search/test_quality.py -q -s
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

from whoosh.qparser import MultifieldParser, OrGroup

from marketplace.exchange.importer import prepare_import, run_import
from marketplace.geo.importer import import_postcodes, read_geonames
from marketplace.newcomers.services import profile_by_ref
from marketplace.places.services import places_by_id
from marketplace.search.index import get_index, rebuild
from marketplace.search.matching import matches_for
from tests.search.judged import check_constraints

HERE = Path(__file__).resolve().parent
DATA = HERE / "data.json"
GRADES = HERE / "grades.json"
DEPTH = 10
#: the fields plain BM25 reads, as a search engine without our rules would
BM25_FIELDS = ["title", "description", "skills_wanted", "skills_learned", "education_offered"]


def ndcg(ranked: list[str], grades: dict[str, int], depth: int = DEPTH) -> float:
    """Normalised discounted cumulative gain of a ranking against graded judgements."""

    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:depth]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(ref, 0) for ref in ranked]) / ideal if ideal else 0.0


def load_judged_set(session, geonames: Path) -> tuple[dict, dict[str, dict[str, int]]]:
    """Import the judged places and newcomers into the database and index them."""
    import_postcodes(session, read_geonames(geonames.read_text(encoding="utf-8").splitlines()))
    plan = prepare_import(session, DATA.read_bytes(), DATA.name)
    run_import(session, plan, DATA.name)
    session.flush()
    rebuild(session, date.today())
    return json.loads(DATA.read_text(encoding="utf-8")), json.loads(GRADES.read_text())


def allowed_places(document: dict, geonames: Path) -> dict[str, set[str]]:
    """Per newcomer, the places that break no hard constraint, by the judges' own script."""
    coords = check_constraints.load_pc4_coordinates(geonames)
    return {
        newcomer["ref"]: {
            place["ref"]
            for place in document["places"]
            if not check_constraints.broken_constraints(newcomer, place, coords)[0]
        }
        for newcomer in document["newcomers"]
    }


def matching_ranking(session, ref: str) -> list[str]:
    profile = profile_by_ref(session, ref)
    matches = matches_for(session, profile, date.today(), DEPTH)
    places = places_by_id(session, [m.place_id for m in matches])
    return [places[m.place_id].ref for m in matches]


def bm25_ranking(session, newcomer: dict, allowed: set[str] | None) -> list[str]:
    """Plain BM25: the newcomer's words OR-ed over the text fields, best first.

    With ``allowed``, places that break a hard constraint are dropped (a fairer comparison:
    the same candidates, only the ranking differs).
    """
    words = [
        *newcomer.get("skills", []),
        *(e["occupation"] for e in newcomer.get("experience", [])),
        *newcomer.get("education_goals", []),
        *newcomer.get("work_goals", []),
        *newcomer.get("interests", []),
    ]
    searcher = get_index().searcher()
    parser = MultifieldParser(BM25_FIELDS, searcher.schema, group=OrGroup)
    query = parser.parse(" ".join(w.replace(":", " ") for w in words))
    results = searcher.search(query, limit=None)
    refs = places_by_id(session, [int(hit["id"]) for hit in results])
    ranked = [refs[int(hit["id"])].ref for hit in results]
    if allowed is not None:
        ranked = [ref for ref in ranked if ref in allowed]
    return ranked[:DEPTH]


def evaluate(session, geonames: Path) -> dict:
    document, grades = load_judged_set(session, geonames)
    allowed = allowed_places(document, geonames)
    scores = {"matching": [], "bm25": [], "bm25_filtered": []}
    broken = []
    for newcomer in document["newcomers"]:
        ref = newcomer["ref"]
        judged = grades.get(ref, {})
        ours = matching_ranking(session, ref)
        broken += [(ref, place) for place in ours if place not in allowed[ref]]
        scores["matching"].append(ndcg(ours, judged))
        scores["bm25"].append(ndcg(bm25_ranking(session, newcomer, None), judged))
        scores["bm25_filtered"].append(ndcg(bm25_ranking(session, newcomer, allowed[ref]), judged))
    means = {name: round(sum(values) / len(values), 3) for name, values in scores.items()}
    return {"ndcg@10": means, "per_newcomer": scores, "broken": broken}
