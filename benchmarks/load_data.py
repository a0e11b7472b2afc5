"""The data of the load test: generated places and newcomers, and the load accounts.

``prepare`` runs in the load script's own process with the development configuration pointed
at the run's database (the demo refuses to load in production). It migrates, imports the
postcodes, loads the demo if asked, imports ``benchmarks/generate.py`` output, makes one
account per virtual user (consultants enrolled with an authenticator secret, so that they
pass the second login step) and lays out the placements the consultants work on:

* "contested" places with 2 spots, each with accepted-by-host candidates from several
  consultants' caseloads, so that approvals race for the last spot;
* one active placement per caseload newcomer, for check-ins.

The virtual users only browse and show interest at "quiet" places (never contested), so a
place never changes under a user's feet in a way the mix does not expect.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from random import Random

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
GEONAMES = ROOT.parent / "shared" / "data" / "geonames-postal-NL.txt"
EMAIL_DOMAIN = "load.participatie.example"
CONTESTED_SPOTS = 2
#: candidates per contested place, each from another consultant where there are enough
CANDIDATES = 6
#: caseload newcomers per consultant (each has one active placement for check-ins)
CASELOAD = 6
STOP_WORDS = frozenset("voor with your een het van and the met bij naar ook onze".split())  # noqa: SIM905


def make_app(settings: dict[str, str]):
    """The app in development mode on the run's database and index (for setup and checks)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from config import DevelopmentConfig
    from marketplace import create_app

    return create_app(DevelopmentConfig, DEBUG=False, **settings)


def prepare(app, workdir: Path, roles: dict[str, int], places: int, seed: int, demo: bool) -> dict:
    """Fill the empty database and return the plan the virtual users follow."""
    from marketplace import clock, db, migrate
    from marketplace.demo.services import load_demo
    from marketplace.search.index import rebuild
    from marketplace.search.sync import apply_outbox

    rng = Random(seed)
    timings: dict[str, float] = {}
    with app.app_context():
        session = db.session
        today = clock.today()
        step = _stopwatch(timings)
        migrate.upgrade()
        step("migrate")
        _import_postcodes(session)
        step("postcodes")
        if demo:  # 40 more places and their history; costs an Argon2 hash per demo account
            load_demo(session, today)
            session.commit()
            step("demo")
        caseloads = max(roles["consultant"], 1) * CASELOAD
        refs = _import_generated(session, workdir, places, roles["newcomer"] + caseloads, seed)
        step("generated data")
        plan = _accounts_and_placements(session, rng, roles, refs, today)
        session.commit()
        step("accounts and placements")
        rebuild(session, today)
        apply_outbox(session, today)
        step("search index")
        plan["words"] = _search_words(session, rng)
    plan["setup_seconds"] = timings
    return plan


def _stopwatch(timings: dict[str, float]):
    last = [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - last[0], 2)
        last[0] = now

    return step


def _import_postcodes(session) -> None:
    """Postcode points, so that matching measures distances (skipped without the file)."""
    from marketplace.geo.importer import import_postcodes, read_geonames

    if GEONAMES.exists():
        lines = GEONAMES.read_text(encoding="utf-8").splitlines()
        import_postcodes(session, read_geonames(lines))
        session.commit()


def _import_generated(session, workdir: Path, places: int, newcomers: int, seed: int) -> list:
    """Import generated places and newcomers; returns the newcomers' refs."""
    from marketplace.exchange.importer import prepare_import, run_import

    out = workdir / "generated.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--places", str(places),
         "--newcomers", str(newcomers), "--seed", str(seed), "--out", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    run_import(session, prepare_import(session, out.read_bytes(), out.name), out.name)
    session.commit()
    return [record["ref"] for record in json.loads(out.read_bytes())["newcomers"]]


def _accounts_and_placements(
    session, rng: Random, roles: dict[str, int], refs: list[str], today: date
) -> dict:
    from marketplace.accounts.passwords import hash_password
    from marketplace.newcomers.models import NewcomerProfile
    from marketplace.places.models import Place, PlaceStatus
    from marketplace.places.services import is_public

    password = secrets.token_urlsafe(18)
    password_hash = hash_password(password)
    consultants = [_consultant(session, password_hash, n) for n in range(roles["consultant"])]
    profiles = list(
        session.scalars(
            sa.select(NewcomerProfile)
            .where(NewcomerProfile.ref.in_(refs))
            .order_by(NewcomerProfile.ref)
        )
    )
    own, caseload = profiles[: roles["newcomer"]], profiles[roles["newcomer"] :]
    newcomers = []
    for number, profile in enumerate(own, 1):
        profile.user.email = f"load-newcomer-{number}@{EMAIL_DOMAIN}"
        profile.user.password_hash = password_hash
        profile.consultant_id = consultants[number % len(consultants)]["id"]
        newcomers.append({"email": profile.user.email})
    for number, profile in enumerate(caseload):
        profile.consultant_id = consultants[number % len(consultants)]["id"]
    session.flush()

    public = [
        p
        for p in session.scalars(
            sa.select(Place).where(Place.status == PlaceStatus.PUBLISHED).order_by(Place.id)
        )
        if is_public(p, today) and p.spots
    ]
    rng.shuffle(public)
    by_consultant: dict[int, list] = {c["id"]: [] for c in consultants}
    for profile in caseload:
        by_consultant[profile.consultant_id].append(profile)
    active_at = _active_placements(session, public, caseload, today)
    contested_count = max(2, len(consultants)) * 2
    contested = [p for p in public if p.id not in active_at][:contested_count]
    _contested_placements(session, rng, contested, by_consultant, today)
    session.flush()
    _placement_ids(session, consultants)
    quiet = [p.id for p in public if p.id not in {c.id for c in contested}]
    return {
        "today": today.isoformat(),
        "password": password,
        "consultants": consultants,
        "newcomers": newcomers,
        "quiet_places": quiet,
        "contested_places": [p.id for p in contested],
    }


def _consultant(session, password_hash: str, number: int) -> dict:
    """A consultant account, enrolled in the second login step when the app has one."""
    import pyotp

    from marketplace.accounts.models import Role, User

    user = User(
        email=f"load-consultant-{number + 1}@{EMAIL_DOMAIN}",
        name=f"Load Consultant {number + 1}",
        role=Role.CONSULTANT,
        language="nl" if number % 2 else "en",
        password_hash=password_hash,
        active=True,
    )
    secret = None
    if hasattr(User, "totp_secret"):  # enrolled in the second login step (R14)
        from marketplace.db import utcnow

        secret = pyotp.random_base32()
        user.totp_secret, user.mfa_enabled_at = secret, utcnow()
    session.add(user)
    session.flush()
    return {"id": user.id, "email": user.email, "totp_secret": secret}


def _active_placements(session, public, caseload, today: date) -> set[int]:
    """One active placement per caseload newcomer, each at a place with a free spot."""
    from marketplace.placements.models import Placement, PlacementEvent
    from marketplace.placements.models import PlacementStatus as S

    used: set[int] = set()
    free = iter(p for p in public if p.spots_taken < p.spots)
    for profile in caseload:
        place = next(free)
        place.spots_taken += 1
        placement = Placement(
            profile_id=profile.id, place_id=place.id, status=S.ACTIVE,
            approved_by_id=profile.consultant_id, started_on=today - timedelta(days=14),
            introduction_on=today - timedelta(days=21),
        )  # fmt: skip
        session.add(placement)
        session.add(
            PlacementEvent(placement=placement, to_status=S.ACTIVE, actor_id=profile.consultant_id)
        )
        used.add(place.id)
    return used


def _contested_placements(session, rng: Random, places, by_consultant, today: date) -> None:
    """Candidates the host accepted, more than there are spots, from several caseloads."""
    from marketplace.placements.models import Placement, PlacementEvent
    from marketplace.placements.models import PlacementStatus as S

    owners = list(by_consultant)
    for place in places:
        place.spots, place.spots_taken = CONTESTED_SPOTS, 0
        chosen = {
            rng.choice(by_consultant[owners[turn % len(owners)]]) for turn in range(CANDIDATES)
        }
        for profile in sorted(chosen, key=lambda p: p.id):
            placement = Placement(
                profile_id=profile.id, place_id=place.id, status=S.ACCEPTED_BY_HOST,
                introduction_on=today - timedelta(days=3),
            )  # fmt: skip
            session.add(placement)
            session.add(PlacementEvent(placement=placement, to_status=S.ACCEPTED_BY_HOST))


def _placement_ids(session, consultants: list[dict]) -> None:
    """Each consultant's placements to approve and to check in on (their own caseload only)."""
    from marketplace.newcomers.models import NewcomerProfile
    from marketplace.placements.models import Placement
    from marketplace.placements.models import PlacementStatus as S

    for consultant in consultants:
        rows = session.execute(
            sa.select(Placement.id, Placement.status)
            .join(NewcomerProfile, NewcomerProfile.id == Placement.profile_id)
            .where(NewcomerProfile.consultant_id == consultant["id"])
            .order_by(Placement.id)
        ).all()
        consultant["to_approve"] = [i for i, s in rows if s == S.ACCEPTED_BY_HOST]
        consultant["active"] = [i for i, s in rows if s == S.ACTIVE]


def _search_words(session, rng: Random, count: int = 120) -> list[str]:
    """Words from the titles of published places, some paired: what people type."""
    from marketplace.places.models import Place, PlaceStatus

    titles = session.scalars(sa.select(Place.title).where(Place.status == PlaceStatus.PUBLISHED))
    words = sorted(
        {
            w.lower()
            for title in titles
            for w in re.findall(r"[^\W\d_]{4,}", title)
            if w.lower() not in STOP_WORDS
        }
    )
    single = rng.sample(words, min(count, len(words)))
    pairs = [f"{a} {b}" for a, b in zip(single[::2], single[1::2], strict=False)][: count // 4]
    return single + pairs
