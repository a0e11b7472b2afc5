"""Words for the values of closed lists, in the reader's language (the `label` template filter)."""

from __future__ import annotations

from enum import Enum

from flask import Flask
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import Role
from marketplace.places.models import PlaceStatus
from marketplace.vocab import DutchLevel

LABELS: dict[Enum, object] = {
    Role.NEWCOMER: _l("Newcomer"),
    Role.EMPLOYER: _l("Employer"),
    Role.CONSULTANT: _l("Consultant"),
    Role.ADMIN: _l("Administrator"),
    PlaceStatus.DRAFT: _l("Draft"),
    PlaceStatus.SUBMITTED: _l("Waiting for review"),
    PlaceStatus.PUBLISHED: _l("Published"),
    PlaceStatus.PAUSED: _l("Paused"),
    PlaceStatus.CLOSED: _l("Closed"),
    PlaceStatus.REJECTED: _l("Not approved"),
    DutchLevel.NONE: _l("No Dutch yet"),
    DutchLevel.A1: "A1",
    DutchLevel.A2: "A2",
    DutchLevel.B1: "B1",
    DutchLevel.B2: "B2",
    DutchLevel.C1: "C1",
}


def label(value: Enum) -> str:
    """The reader's word for a value; the raw value where no word is known."""
    return str(LABELS.get(value, getattr(value, "value", value)))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["label"] = label
