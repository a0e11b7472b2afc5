"""Search and matching speed (issue 4, item 7): ours, naive Whoosh and SQLite FTS5, one run.

    .venv/bin/python benchmarks/search_bench.py --places 10000 --newcomers 2000
    .venv/bin/python benchmarks/search_bench.py --places 100000 --newcomers 20000 --queries 40

It generates the data (benchmarks/generate.py, seeded), imports it into a fresh SQLite
database in ``--workdir``, rebuilds the index (timed), and then measures, with the same
seeded queries for every engine:

* (a) a 2-word search with 3 filters (sector, Dutch at most, hours), top 10;
* (b) the same with facet counts;
* (c) matching one newcomer, top 10 with reasons;
* how long a place edit takes to show in search after its commit;
* with ``--http``: the search page under gunicorn with 2 workers against a bare Flask page.

"Naive" is Whoosh used as its documentation shows (``filter=`` a query, ``groupedby=`` facets,
a 15-term ``Or`` for matching); FTS5 is SQLite's full-text index over the same text. It prints
a Markdown table for docs/performance.md and writes the figures as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from whoosh import sorting  # noqa: E402
from whoosh.qparser import MultifieldParser, OrGroup  # noqa: E402
from whoosh.query import And, NumericRange, Term  # noqa: E402

HOST = "bench"
#: the data key of the setup and the server (production refuses the development key)
DATA_KEY = Fernet.generate_key().decode()
GEONAMES = ROOT.parent / "shared" / "data" / "geonames-postal-NL.txt"
STOP = frozenset(
    "de het een en in op met van voor aan bij je we ons of is te the a and of to with".split()  # noqa: SIM905
)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]

    return {"p50": round(at(0.5) * 1000, 2), "p95": round(at(0.95) * 1000, 2), "n": len(samples)}


def timed(run: Callable[[object], object], inputs: list, passes: int = 2) -> dict[str, float]:
    """Steady state (after one unmeasured pass fills the caches), and that first pass."""
    cold = []
    for item in inputs:
        started = time.perf_counter()
        run(item)
        cold.append(time.perf_counter() - started)
    samples = []
    for _ in range(passes):
        for item in inputs:
            started = time.perf_counter()
            run(item)
            samples.append(time.perf_counter() - started)
    result = percentiles(samples)
    result["cold_p95"] = percentiles(cold)["p95"]
    return result


# -- setting up ------------------------------------------------------------------------------


def make_data(args, workdir: Path) -> Path:
    if args.data:
        return Path(args.data)
    path = workdir / f"data-{args.places}-{args.newcomers}.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            *("--places", str(args.places), "--newcomers", str(args.newcomers)),
            *("--seed", str(args.seed), "--out", str(path)),
        ],
        check=True,
    )
    return path


def make_app(workdir: Path):
    from config import DevelopmentConfig
    from marketplace import create_app

    return create_app(
        DevelopmentConfig,
        DEBUG=False,
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        SEARCH_INDEX_DIR=str(workdir / "index"),
        SEARCH_HOST_NAME=HOST,  # the same cursor as the gunicorn workers below
        SEARCH_APPLY_AFTER_REQUEST=False,  # the import is indexed by the timed rebuild
        MAIL_OUTBOX_DIR=str(workdir / "mail"),
        DATA_ENCRYPTION_KEYS=DATA_KEY,
    )


def load(app, data: Path, geonames: Path) -> dict[str, float]:
    from marketplace import db, migrate
    from marketplace.exchange.importer import prepare_import, run_import
    from marketplace.geo.importer import import_postcodes, read_geonames
    from marketplace.search.index import rebuild

    timings = {}
    with app.app_context():
        migrate.upgrade()
        session = db.session
        import_postcodes(session, read_geonames(geonames.read_text(encoding="utf-8").splitlines()))
        started = time.perf_counter()
        plan = prepare_import(session, data.read_bytes(), data.name)
        run_import(session, plan, data.name)
        session.commit()
        timings["import_s"] = round(time.perf_counter() - started, 1)
        result = rebuild(session, date.today(), procs=2)
        timings["rebuild_s"] = round(result.seconds, 1)
        timings["documents"] = result.documents
    return timings


# -- the queries -----------------------------------------------------------------------------


def make_queries(app, count: int, seed: int) -> tuple[list[dict], list[str]]:
    """Searches built from real places (so they find something) and newcomer refs to match."""
    import sqlalchemy as sa

    from marketplace import db
    from marketplace.newcomers.models import NewcomerProfile
    from marketplace.places.models import Place

    rng = random.Random(seed)
    with app.app_context():
        places = db.session.scalars(sa.select(Place).order_by(Place.id)).all()
        searches = []
        for place in rng.sample(places, count):
            words = [w for w in re.findall(r"[^\W\d_]{4,}", place.title.lower()) if w not in STOP]
            if len(words) < 2:
                words = words + [w.lower() for w in place.skills_wanted[:1] if " " not in w]
            if len(words) < 2:
                continue
            searches.append(
                {
                    "q": " ".join(rng.sample(words, 2)),
                    "sector": place.sector.value,
                    "dutch": min(5, place.dutch_level.rank + rng.randint(0, 1)),
                    "hours": min(40, place.hours_min + rng.randint(0, 8)),
                }
            )
        refs = db.session.scalars(sa.select(NewcomerProfile.ref)).all()
        newcomers = rng.sample(list(refs), min(count, len(refs)))
    return searches, newcomers


def measure_ours(app, searches: list[dict], newcomers: list[str], passes: int) -> dict:
    from marketplace import db
    from marketplace.newcomers.services import profile_by_ref
    from marketplace.search.filters import Filters
    from marketplace.search.finder import search_places
    from marketplace.search.matching import matches_for

    today = date.today()

    def filters(s: dict) -> Filters:
        return Filters(sectors=(s["sector"],), dutch_max=s["dutch"], hours=s["hours"])

    with app.app_context():
        profiles = {ref: profile_by_ref(db.session, ref) for ref in newcomers}
        for profile in profiles.values():
            _ = profile.limits  # loaded once, as a request would have it loaded
        found = [search_places(s["q"], filters(s), today, facets=False).total for s in searches]
        return {
            "a_search": timed(
                lambda s: search_places(s["q"], filters(s), today, facets=False), searches, passes
            ),
            "b_facets": timed(
                lambda s: search_places(s["q"], filters(s), today, facets=True), searches, passes
            ),
            "c_matching": timed(
                lambda ref: matches_for(db.session, profiles[ref], today, 10), newcomers, passes
            ),
            "a_mean_hits": round(statistics.mean(found), 1),
        }


def measure_naive(app, searches: list[dict], newcomers: list[str], passes: int) -> dict:
    """Whoosh as its documentation shows it, on the same index."""
    from marketplace import db
    from marketplace.newcomers.services import profile_by_ref
    from marketplace.search.index import get_index

    with app.app_context():
        searcher = get_index().searcher()
        schema = searcher.schema
        parser = MultifieldParser(["title", "description"], schema)
        facets = [sorting.FieldFacet(name) for name in ("kind", "sector", "paid_work_prospect")]

        def filter_of(s: dict):
            return And(
                [
                    Term("sector", s["sector"]),
                    NumericRange("dutch_level", 0, s["dutch"]),
                    NumericRange("hours_min", None, s["hours"]),
                ]
            )

        def search(s: dict):
            return searcher.search(parser.parse(s["q"]), filter=filter_of(s), limit=10)

        def faceted(s: dict):
            results = searcher.search(
                parser.parse(s["q"]), filter=filter_of(s), limit=10, groupedby=facets
            )
            return [results.groups(name) for name in ("kind", "sector", "paid_work_prospect")]

        queries = {}
        or_parser = MultifieldParser(
            ["title", "description", "skills_wanted"], schema, group=OrGroup
        )
        for ref in newcomers:
            p = profile_by_ref(db.session, ref)
            words = " ".join([*p.skills, *p.work_goals, *p.interests]).split()[:15]
            queries[ref] = (
                or_parser.parse(" ".join(words)),
                And(
                    [
                        NumericRange("dutch_level", 0, p.dutch_level.rank),
                        NumericRange("hours_min", None, p.hours_available),
                    ]
                ),
            )

        def matching(ref: str):
            query, flt = queries[ref]
            return searcher.search(query, filter=flt, limit=10)

        return {
            "a_search": timed(search, searches, passes),
            "b_facets": timed(faceted, searches, passes),
            "c_matching": timed(matching, newcomers, passes),
        }


def measure_fts5(app, workdir: Path, searches: list[dict], newcomers: list[str], passes: int):
    """The same searches on SQLite FTS5 over the same places (no stemming, no synonyms)."""
    from marketplace import db
    from marketplace.newcomers.services import profile_by_ref

    path = workdir / "fts5.sqlite3"
    path.unlink(missing_ok=True)
    source = sqlite3.connect(workdir / "bench.sqlite3")
    fts = sqlite3.connect(path)
    fts.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE TABLE places(id INTEGER PRIMARY KEY, title TEXT, description TEXT, skills TEXT,
            sector TEXT, dutch INTEGER, hours_min INTEGER);
        CREATE INDEX places_sector ON places(sector, dutch);
        CREATE VIRTUAL TABLE places_fts USING fts5(title, description, skills,
            content='places', content_rowid='id',
            tokenize="unicode61 remove_diacritics 2 tokenchars '-'");
        """
    )
    levels = ["none", "A1", "A2", "B1", "B2", "C1"]
    rows = source.execute(
        "SELECT id, title, description, skills_wanted, sector, dutch_level, hours_min FROM place"
        " WHERE status = 'published'"
    )
    started = time.perf_counter()
    fts.executemany(
        "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (i, t, d, " ".join(json.loads(s or "[]")), sec, levels.index(dl), h)
            for i, t, d, s, sec, dl, h in rows
        ),
    )
    fts.execute("INSERT INTO places_fts(places_fts) VALUES ('rebuild')")
    fts.commit()
    build = time.perf_counter() - started

    def words(text: str) -> list[str]:
        return [w for w in re.findall(r"[^\W\d_]+", text.lower()) if w not in STOP]

    def search(s: dict):
        match = " AND ".join(f'"{w}"' for w in words(s["q"]))
        return fts.execute(
            "SELECT p.id FROM places_fts JOIN places p ON p.id = places_fts.rowid"
            " WHERE places_fts MATCH ? AND p.sector = ? AND p.dutch <= ? AND p.hours_min <= ?"
            " ORDER BY bm25(places_fts, 2.0, 1.0, 1.5) LIMIT 10",
            (match, s["sector"], s["dutch"], s["hours"]),
        ).fetchall()

    def faceted(s: dict):
        search(s)
        match = " AND ".join(f'"{w}"' for w in words(s["q"]))
        return fts.execute(
            "SELECT p.sector, count(*) FROM places_fts JOIN places p ON p.id = places_fts.rowid"
            " WHERE places_fts MATCH ? AND p.dutch <= ? AND p.hours_min <= ? GROUP BY p.sector",
            (match, s["dutch"], s["hours"]),
        ).fetchall()

    queries = {}
    with app.app_context():
        for ref in newcomers:
            p = profile_by_ref(db.session, ref)
            terms = words(" ".join([*p.skills, *p.work_goals, *p.interests]))[:15]
            queries[ref] = (
                " OR ".join(f'"{t}"' for t in terms) or '"werk"',
                p.dutch_level.rank,
                p.hours_available,
            )

    def matching(ref: str):
        match, dutch, hours = queries[ref]
        return fts.execute(
            "SELECT p.id FROM places_fts JOIN places p ON p.id = places_fts.rowid"
            " WHERE places_fts MATCH ? AND p.dutch <= ? AND p.hours_min <= ?"
            " ORDER BY bm25(places_fts, 2.0, 1.0, 1.5) LIMIT 10",
            (match, dutch, hours),
        ).fetchall()

    return {
        "build_s": round(build, 1),
        "a_search": timed(search, searches, passes),
        "b_facets": timed(faceted, searches, passes),
        "c_matching": timed(matching, newcomers, passes),
    }


def measure_edit_visibility(app, rounds: int = 10) -> dict[str, float]:
    """From a place edit's commit to the first search that finds the new word."""
    import sqlalchemy as sa

    from marketplace import db
    from marketplace.places.models import Place, PlaceStatus
    from marketplace.search.filters import Filters
    from marketplace.search.finder import search_places
    from marketplace.search.sync import apply_outbox

    samples = []
    with app.app_context():
        ids = db.session.scalars(
            sa.select(Place.id).where(Place.status == PlaceStatus.PUBLISHED).limit(rounds)
        ).all()
        for n, place_id in enumerate(ids):
            word = f"zoekwoord{n}x{int(time.time())}"
            place = db.session.get(Place, place_id)
            place.title = f"{place.title.split(' zoekwoord')[0]} {word}"
            db.session.commit()
            started = time.perf_counter()
            apply_outbox(db.session, date.today())  # what the end of the request does
            while not search_places(word, Filters(), date.today(), facets=False).total:
                time.sleep(0.001)
            samples.append(time.perf_counter() - started)
    result = percentiles(samples)
    result["max"] = round(max(samples) * 1000, 2)
    return result


# -- the page under gunicorn -----------------------------------------------------------------


BARE_APP = """
from flask import Flask, render_template_string
app = Flask(__name__)
PAGE = ("<!doctype html><title>{{ t }}</title>"
        "<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>")
@app.get("/")
def index():
    return render_template_string(PAGE, t="Bare", items=range(5))
"""


def _drive(url_paths: list[str], port: int, seconds: float, connections: int = 8) -> dict:
    import http.client
    import threading

    stop = time.monotonic() + seconds
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = offset
        ok = errors = 0
        while time.monotonic() < stop:
            conn.request("GET", url_paths[n % len(url_paths)])
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                errors += 1
            n += 1
        with lock:
            counts["ok"] += ok
            counts["errors"] += errors

    threads = [threading.Thread(target=worker, args=(i * 7,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": round(counts["ok"] / seconds, 1), "errors": counts["errors"]}


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(module_dir: Path, app_spec: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *("-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"),
            *("--chdir", str(module_dir), app_spec),
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import http.client

    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: {app_spec}")


def measure_http(workdir: Path, searches: list[dict], seconds: float) -> dict:
    from urllib.parse import urlencode

    bare_dir = Path(tempfile.mkdtemp(dir=workdir))
    (bare_dir / "bare.py").write_text(BARE_APP)
    paths = [
        "/places?" + urlencode({"q": s["q"], "sector": s["sector"], "hours": s["hours"]})
        for s in searches
    ]
    results = {}
    port = _free_port()
    bare = _serve(bare_dir, "bare:app", port, {})
    try:
        _drive(["/"], port, 2)
        results["bare"] = _drive(["/"], port, seconds)
    finally:
        bare.terminate()
        bare.wait()
    env = {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_ENCRYPTION_KEYS": DATA_KEY,
        "TRUSTED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SEARCH_INDEX_DIR": str(workdir / "index"),
        "SEARCH_HOST_NAME": HOST,
        "MAIL_OUTBOX_DIR": str(workdir / "mail"),
    }
    port = _free_port()
    ours = _serve(ROOT, "wsgi:app", port, env)
    try:
        _drive(paths, port, 3)  # each worker opens its index and fills its caches
        results["search_page"] = _drive(paths, port, seconds)
    finally:
        ours.terminate()
        ours.wait()
    results["share_of_bare"] = round(results["search_page"]["rps"] / results["bare"]["rps"], 3)
    return results


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=10000)
    parser.add_argument("--newcomers", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--data", help="an exchange document to use instead of generating one")
    parser.add_argument("--workdir", help="where the database and index go (default: temporary)")
    parser.add_argument("--geonames", default=str(GEONAMES))
    parser.add_argument("--http", type=float, default=0, help="seconds of load per page (0: skip)")
    parser.add_argument("--no-naive", action="store_true", help="skip naive Whoosh and FTS5")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("bench.sqlite3", "fts5.sqlite3"):
        (workdir / name).unlink(missing_ok=True)
    data = make_data(args, workdir)
    app = make_app(workdir)
    figures: dict = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "places": args.places,
        "newcomers": args.newcomers,
    }
    figures["load"] = load(app, data, Path(args.geonames))
    searches, newcomers = make_queries(app, args.queries, args.seed)
    figures["ours"] = measure_ours(app, searches, newcomers, args.passes)
    if not args.no_naive:
        figures["naive_whoosh"] = measure_naive(app, searches, newcomers, args.passes)
        figures["fts5"] = measure_fts5(app, workdir, searches, newcomers, args.passes)
        figures["ratio_to_fts5"] = {
            k: round(figures["ours"][k]["p50"] / max(figures["fts5"][k]["p50"], 0.01), 1)
            for k in ("a_search", "b_facets", "c_matching")
        }
    figures["edit_visible"] = measure_edit_visibility(app)
    if args.http:
        figures["http"] = measure_http(workdir, searches, args.http)
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()
