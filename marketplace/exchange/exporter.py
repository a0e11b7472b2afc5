"""Exporting every organisation, place and newcomer as one exchange document.

Only the spec's keys are written (a key whose value is empty in the database is left out), lists
in the order they are stored, records in id order. A row created on the site has no ``ref``; it
gets one made from its id (``place-17``), stable from one export to the next. Each record is
checked with the importer's own rules, so that what is exported can be imported again; a record
that cannot be (a draft place not yet filled in) is left out and named in ``skipped``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from marketplace.exchange.schema import (
    FORMAT,
    NEWCOMER,
    ORGANISATION,
    PLACE,
    SECTIONS,
    Problem,
    check_record,
)
from marketplace.newcomers.models import NewcomerProfile
from marketplace.organisations.models import Organisation
from marketplace.places.models import Place, PlaceStatus

log = logging.getLogger(__name__)

#: statuses the exchange format does not have, and the one each is written as
STATUS_AS = {PlaceStatus.SUBMITTED: PlaceStatus.DRAFT, PlaceStatus.REJECTED: PlaceStatus.DRAFT}


@dataclass
class Export:
    """The document, and the rows left out because they cannot be imported (by id, why)."""

    document: dict[str, Any]
    skipped: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {section: len(self.document[section]) for section in SECTIONS}


def export_document(dbs: Session) -> Export:
    """Every organisation, place and newcomer in the exchange format, read-only."""
    export = Export({"format": FORMAT, "organisations": [], "places": [], "newcomers": []})
    organisations = list(dbs.scalars(sa.select(Organisation).order_by(Organisation.id)))
    org_refs = _refs(organisations, "organisation")
    for org in organisations:
        values = {name: getattr(org, name) for name in ORGANISATION}
        values.update(ref=org_refs[org.id], verified=org.verified)
        if not _add(export, "organisations", org.id, values):
            del org_refs[org.id]  # its places cannot refer to it
    places = list(dbs.scalars(sa.select(Place).order_by(Place.id)))
    place_refs = _refs(places, "place")
    for place in places:
        if place.organisation_id not in org_refs:
            export.skipped.append(f"places id {place.id}: its organisation was left out")
            continue
        values = {name: getattr(place, name) for name in PLACE if name != "organisation"}
        values.update(
            ref=place_refs[place.id],
            organisation=org_refs[place.organisation_id],
            status=STATUS_AS.get(place.status, place.status),
        )
        _add(export, "places", place.id, values)
    profiles = list(
        dbs.scalars(
            sa.select(NewcomerProfile)
            .options(selectinload(NewcomerProfile.user))
            .order_by(NewcomerProfile.id)
        )
    )
    profile_refs = _refs(profiles, "newcomer")
    for profile in profiles:
        values = {name: getattr(profile, name) for name in NEWCOMER if name != "name"}
        values.update(ref=profile_refs[profile.id], name=profile.user.name)
        _add(export, "newcomers", profile.id, values)
    log.info("export: %s, %d left out", export.counts(), len(export.skipped))
    return export


def write_document(path: Path, document: dict[str, Any]) -> None:
    """Write the document as UTF-8 JSON, readable by its owner only, replacing PATH at once."""
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    directory = path.resolve().parent
    # NamedTemporaryFile creates the file with mode 0600: the export holds personal data
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, path)


def _add(export: Export, section: str, row_id: int, values: dict[str, Any]) -> bool:
    """Add a record if the importer would take it; else note it as left out."""
    spec = {"organisations": ORGANISATION, "places": PLACE, "newcomers": NEWCOMER}[section]
    record = {name: _plain(values[name]) for name in spec if values[name] is not None}
    _cleaned, problems = check_record(section, len(export.document[section]), record)
    if problems:
        export.skipped.append(f"{section} id {row_id}: {_reasons(problems)}")
        return False
    export.document[section].append(record)
    return True


def _refs(rows: list[Any], prefix: str) -> dict[int, str]:
    """Each row's ref; a row without one gets ``prefix-id`` (made unique if a ref has it)."""
    used = {row.ref for row in rows if row.ref}
    refs = {}
    for row in rows:
        ref = row.ref
        if not ref:
            ref, n = f"{prefix}-{row.id}", 1
            while ref in used:
                n += 1
                ref = f"{prefix}-{row.id}-{n}"
            used.add(ref)
        refs[row.id] = ref
    return refs


def _plain(value: Any) -> Any:
    """A stored value as JSON: enums as their value, dates as ISO text, lists copied."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _reasons(problems: list[Problem]) -> str:
    return "; ".join(f"{p.field} {p.message}" for p in problems)
