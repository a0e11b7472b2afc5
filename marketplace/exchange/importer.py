"""Importing an exchange document: check every record, then upsert them all by ``ref``.

The whole document or nothing: every record is checked first (against the spec and against the
database), and only a document without problems is written, in the caller's one transaction.
An attribute is set only when its value differs, so importing the same document twice changes
no row, and writes no search outbox row for an unchanged place. Nothing here commits.

The log names files, refs and counts only, never a person's data (security.md R44).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from marketplace.accounts.models import Role, User
from marketplace.db import utcnow, will_write
from marketplace.exchange.models import ImportRun
from marketplace.exchange.schema import (
    SECTIONS,
    Document,
    DocumentRejected,
    Problem,
    check_references,
    load_json,
    validate_document,
)
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.places.models import Place, PlaceReview, PlaceStatus, ReviewDecision

log = logging.getLogger(__name__)

#: the reserved domain (RFC 2606) of the placeholder address of an imported newcomer's account
PLACEHOLDER_DOMAIN = "import.invalid"
#: how many refs go into one ``IN (...)`` (SQLite allows 32,766 parameters; stay far below)
CHUNK = 500
#: statuses a place can only have after it was published once
EVER_PUBLISHED = frozenset({PlaceStatus.PUBLISHED, PlaceStatus.PAUSED, PlaceStatus.CLOSED})

ORGANISATION_COLUMNS = ("ref", "name", "kind", "kvk", "postcode", "city", "website", "description")
PLACE_COLUMNS = (
    "ref", "title", "description", "kind", "sector", "skills_wanted", "skills_learned",
    "education_offered", "dutch_level", "languages", "hours_min", "hours_max", "schedule",
    "postcode", "city", "remote", "physical_demand", "spots", "duration_weeks", "start_date",
    "mentor", "paid_work_prospect",
)  # fmt: skip
NEWCOMER_COLUMNS = (
    "ref", "postcode", "city", "dutch_level", "languages", "learning_route", "education_level",
    "education_field", "experience", "skills", "interests", "education_goals", "work_goals",
    "hours_available", "schedule", "max_travel_km", "physical_capacity",
)  # fmt: skip


def placeholder_email(ref: str) -> str:
    """The address of an imported newcomer's account: the spec has none, so a reserved one."""
    return f"{ref}@{PLACEHOLDER_DOMAIN}"


@dataclass
class ImportPlan:
    """A checked document and the rows it will update, ready to be written."""

    document: Document
    started_at: datetime
    organisations: dict[str, Organisation] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    newcomers: dict[str, NewcomerProfile] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.document)


#: the PostgreSQL advisory lock that lets imports run one at a time
IMPORT_LOCK = 40_0041


def prepare_import(dbs: Session, raw: bytes, file_name: str) -> ImportPlan:
    """Parse and check a document against the spec and the database; raise DocumentRejected.

    Call it before the session's first query: the import writes, so on SQLite its transaction
    takes the write lock from the start and a second import waits for the first."""
    will_write()
    started_at = utcnow()
    name = PurePath(file_name).name
    try:
        document = validate_document(load_json(raw))
    except DocumentRejected as rejected:
        _log_rejection(name, rejected.problems)
        raise
    plan = ImportPlan(document, started_at)
    if dbs.get_bind().dialect.name == "postgresql":
        # one import at a time, until its transaction ends: a second one waits, then finds the
        # first one's records by ref and updates them, instead of inserting them twice
        # (on SQLite, will_write makes write transactions take turns)
        dbs.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    org_refs = {o["ref"] for o in document.organisations} | {
        p["organisation"] for p in document.places
    }
    plan.organisations = _by_ref(dbs, Organisation, org_refs)
    plan.places = _by_ref(dbs, Place, [p["ref"] for p in document.places])
    plan.newcomers = _by_ref(
        dbs,
        NewcomerProfile,
        [n["ref"] for n in document.newcomers],
        selectinload(NewcomerProfile.user),
    )
    problems = check_references(document, plan.organisations)
    problems += _spots_problems(plan) + _email_problems(dbs, plan)
    if problems:
        _log_rejection(name, problems)
        raise DocumentRejected(problems)
    return plan


def run_import(
    dbs: Session, plan: ImportPlan, file_name: str, progress: Callable[[int], None] | None = None
) -> ImportRun:
    """Upsert every record of a checked document and record the run; flushes, never commits."""
    name = PurePath(file_name).name
    now = plan.started_at
    counts: dict[str, dict[str, int]] = {
        section: {"created": 0, "updated": 0, "unchanged": 0} for section in SECTIONS
    }
    tick = progress or (lambda _n: None)
    log.info("import %r: %d records", name, len(plan))
    for record in plan.document.organisations:
        outcome = upsert_organisation(dbs, record, plan.organisations, now)
        _count(counts, "organisations", outcome, record["ref"])
        tick(1)
    dbs.flush()  # the places need the organisations' ids
    review_comment = f"Imported from {name}"
    for record in plan.document.places:
        outcome = upsert_place(dbs, record, plan, now, review_comment)
        _count(counts, "places", outcome, record["ref"])
        tick(1)
    for record in plan.document.newcomers:
        outcome = upsert_newcomer(dbs, record, plan.newcomers)
        _count(counts, "newcomers", outcome, record["ref"])
        tick(1)
    run = ImportRun(file_name=name, started_at=plan.started_at, finished_at=utcnow(), counts=counts)
    dbs.add(run)
    dbs.flush()
    log.info("import %r done (run %d): %s", name, run.id, counts)
    return run


def import_document(
    dbs: Session, raw: bytes, file_name: str, progress: Callable[[int], None] | None = None
) -> ImportRun:
    """Check a whole document, then upsert every record by ref; flushes, never commits."""
    return run_import(dbs, prepare_import(dbs, raw, file_name), file_name, progress)


# --- one record each --------------------------------------------------------------------------


def upsert_organisation(
    dbs: Session, record: dict[str, Any], existing: dict[str, Organisation], now: datetime
) -> str:
    """Create or update one organisation; returns created, updated or unchanged."""
    org = existing.get(record["ref"])
    created = org is None
    if org is None:
        org = existing[record["ref"]] = Organisation()
        dbs.add(org)
    changed = _assign(org, {name: record[name] for name in ORGANISATION_COLUMNS})
    if record["verified"] and org.verified_at is None:
        org.verified_at, changed = now, True
    elif not record["verified"] and org.verified_at is not None:
        org.verified_at, changed = None, True
    return _outcome(created, changed)


def upsert_place(
    dbs: Session, record: dict[str, Any], plan: ImportPlan, now: datetime, review_comment: str
) -> str:
    """Create or update one place, published as if reviewed with the import as the reviewer."""
    place = plan.places.get(record["ref"])
    created = place is None
    if place is None:
        place = plan.places[record["ref"]] = Place(spots_taken=0)
        dbs.add(place)
    values = {name: record[name] for name in PLACE_COLUMNS}
    values["organisation_id"] = plan.organisations[record["organisation"]].id
    changed = _assign(place, values)
    changed = _apply_status(dbs, place, record["status"], now, review_comment) or changed
    return _outcome(created, changed)


def upsert_newcomer(
    dbs: Session, record: dict[str, Any], existing: dict[str, NewcomerProfile]
) -> str:
    """Create or update one newcomer: a profile and an account that cannot log in yet."""
    profile = existing.get(record["ref"])
    created = profile is None
    if profile is None:
        user = User(
            email=placeholder_email(record["ref"]),
            name=record["name"],
            role=Role.NEWCOMER,
            password_hash=None,  # no password: signing in waits for a consultant's invitation
        )
        profile = existing[record["ref"]] = NewcomerProfile(user=user)
        dbs.add_all([user, profile])
    # only the name: the address, password and role may have changed since the first import
    changed = _assign(profile.user, {"name": record["name"]})
    changed = _assign(profile, {name: record[name] for name in NEWCOMER_COLUMNS}) or changed
    return _outcome(created, changed)


def _apply_status(
    dbs: Session, place: Place, status: PlaceStatus, now: datetime, comment: str
) -> bool:
    changed = _assign(place, {"status": status})
    if status in EVER_PUBLISHED and place.published_at is None:
        place.submitted_at = place.submitted_at or now
        place.reviewed_at, place.reviewed_by_id, place.review_comment = now, None, comment
        place.published_at = now
        dbs.add(
            PlaceReview(
                place=place,
                decision=ReviewDecision.PUBLISHED,
                comment=comment,
                flags=[],
                reviewer_id=None,
                decided_at=now,
            )
        )
        changed = True
    closed_at = (place.closed_at or now) if status == PlaceStatus.CLOSED else None
    return _assign(place, {"closed_at": closed_at}) or changed


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set each attribute whose value differs; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _outcome(created: bool, changed: bool) -> str:
    return "created" if created else "updated" if changed else "unchanged"


def _count(counts: dict[str, dict[str, int]], section: str, outcome: str, ref: str) -> None:
    counts[section][outcome] += 1
    if outcome != "unchanged":
        log.debug("import: %s %s %s", section, ref, outcome)


# --- checks against the database --------------------------------------------------------------


def _by_ref(dbs: Session, model: Any, refs: Iterable[str], *options: Any) -> dict[str, Any]:
    """The rows of ``model`` with these refs, by ref, fetched in chunks."""
    wanted = sorted(set(refs))
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), CHUNK):
        stmt = sa.select(model).where(model.ref.in_(wanted[start : start + CHUNK]))
        found.update({row.ref: row for row in dbs.scalars(stmt.options(*options))})
    return found


def _spots_problems(plan: ImportPlan) -> list[Problem]:
    """A place cannot have fewer spots than the newcomers placed there now."""
    problems = []
    for index, record in enumerate(plan.document.places):
        place = plan.places.get(record["ref"])
        if place is not None and record["spots"] < place.spots_taken:
            message = f"must be at least {place.spots_taken}, the newcomers placed there now"
            problems.append(Problem("places", index, record["ref"], "spots", message))
    return problems


def _email_problems(dbs: Session, plan: ImportPlan) -> list[Problem]:
    """A new newcomer's placeholder address must not belong to an account already."""
    new = {placeholder_email(n["ref"]): i for i, n in enumerate(plan.document.newcomers)}
    for ref in plan.newcomers:
        new.pop(placeholder_email(ref), None)
    taken: set[str] = set()
    emails = sorted(new)
    for start in range(0, len(emails), CHUNK):
        chunk = emails[start : start + CHUNK]
        taken.update(dbs.scalars(sa.select(User.email).where(User.email.in_(chunk))))
    message = "another account already has this newcomer's placeholder e-mail address"
    return [
        Problem("newcomers", new[email], plan.document.newcomers[new[email]]["ref"], "ref", message)
        for email in sorted(taken, key=new.__getitem__)
    ]


def _log_rejection(file_name: str, problems: list[Problem]) -> None:
    refs = sorted({p.ref for p in problems if p.ref})
    log.warning("import %r rejected: %d problem(s), refs %s", file_name, len(problems), refs[:50])
