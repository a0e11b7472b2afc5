"""The place search form: a GET form, so every search has an address that can be shared."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from marketplace.forms import BaseForm, MultiCheckboxField, choices, postcode_field
from marketplace.geo.services import locate
from marketplace.labels import (
    PAID_WORK_PROSPECT_LABELS,
    PLACE_KIND_LABELS,
    SCHEDULE_LABELS,
    SECTOR_LABELS,
    label,
)
from marketplace.places.models import PaidWorkProspect, PlaceKind, Sector
from marketplace.search.filters import Filters, Near
from marketplace.search.finder import MAX_PAGE, SortOrder
from marketplace.search.userquery import MAX_LENGTH
from marketplace.vocab import DutchLevel, Schedule

DISTANCES = (5, 10, 15, 25, 50)


def _level_name(level: DutchLevel):
    return _l("No Dutch needed") if level is DutchLevel.NONE else level.value


def _dutch_choices(counts: dict[str, int] | None = None):
    def shown(level: DutchLevel) -> str:
        name = str(_level_name(level))
        return name if counts is None else f"{name} ({counts.get(level.value, 0)})"

    return choices([("", _l("Any level"))] + [(level.value, shown(level)) for level in DutchLevel])


class PlaceSearchForm(BaseForm):
    """What a visitor searches for; every field optional. Read from the query string."""

    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(
        _l("What are you looking for?"),
        description=_l("For example: kitchen, warehouse, care for the elderly, bike repair."),
        validators=[
            Length(max=MAX_LENGTH, message=_l("Use at most %(max)d characters.")),
        ],
        render_kw={"type": "search", "enterkeyhint": "search"},
    )
    #: for a signed-in newcomer: measure from their home, without their postcode in the address
    home = BooleanField(_l("Near my home"))
    postcode = postcode_field(_l("Near postcode"))
    km = SelectField(
        _l("Distance"),
        choices=choices((str(n), _l("Within %(km)d km", km=n)) for n in DISTANCES),
        default="15",
    )
    kind = MultiCheckboxField(_l("Kind of place"), choices=PLACE_KIND_LABELS)
    sector = MultiCheckboxField(_l("Sector"), choices=SECTOR_LABELS)
    dutch = SelectField(_l("Dutch asked, at most"), choices=_dutch_choices(), default="")
    hours = IntegerField(
        _l("Hours a week you have"),
        validators=[
            Optional(),
            NumberRange(1, 40, message=_l("Fill in a number of hours from 1 to 40.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    schedule = MultiCheckboxField(_l("When"), choices=SCHEDULE_LABELS)
    prospect = MultiCheckboxField(_l("Paid work later"), choices=PAID_WORK_PROSPECT_LABELS)
    mentor = BooleanField(_l("Only with a mentor or buddy"))
    remote = BooleanField(_l("Only from home"))
    sort = SelectField(
        _l("Order"),
        choices=choices(
            [
                (SortOrder.RELEVANCE.value, _l("Best match first")),
                (SortOrder.DISTANCE.value, _l("Nearest first")),
                (SortOrder.NEWEST.value, _l("Newest first")),
            ]
        ),
        default=SortOrder.RELEVANCE.value,
    )
    page = IntegerField(
        validators=[Optional(), NumberRange(1, MAX_PAGE, message=_l("This page does not exist."))],
        default=1,
    )

    #: the fields that narrow the list (for "remove all filters")
    FILTER_FIELDS = ("home", "postcode", "kind", "sector", "dutch", "hours", "schedule", "prospect")
    FILTER_FIELDS += ("mentor", "remote")

    def has_filters(self) -> bool:
        fields = (getattr(self, name, None) for name in self.FILTER_FIELDS)
        return any(field.data for field in fields if field is not None)

    def filters(self, session: Session, home: str | None = None) -> Filters | None:
        """The filters asked for; None (with an error at the postcode) for an unknown postcode.

        ``home`` is the signed-in newcomer's own postcode, used when they tick "near my home"
        and typed no other postcode.
        """
        near = None
        origin = self.postcode.data or (home if home and self.home.data else None)
        if origin:
            point = locate(session, origin)
            if point is None and not self.postcode.data:
                self.home.data = False  # their home is not on the map: search without distance
            elif point is None:
                self.postcode.errors = [
                    *self.postcode.errors,
                    _l("We do not know this postcode. Check it, or leave it empty."),
                ]
                return None
            else:
                near = Near(point[0], point[1], float(self.km.data or 15))
        return Filters(
            kinds=tuple(self.kind.data or ()),
            sectors=tuple(self.sector.data or ()),
            dutch_max=DutchLevel(self.dutch.data).rank if self.dutch.data else None,
            hours=self.hours.data,
            schedule=tuple(self.schedule.data or ()),
            near=near,
            mentor=bool(self.mentor.data),
            remote=bool(self.remote.data),
            prospects=tuple(self.prospect.data or ()),
        )

    def show_counts(self, facets: dict[str, dict[str, int]]) -> None:
        """Put the number of places next to each choice ("Care (12)")."""
        for name, group, vocabulary in (
            ("kind", "kind", PlaceKind),
            ("sector", "sector", Sector),
            ("schedule", "schedule", Schedule),
            ("prospect", "paid_work_prospect", PaidWorkProspect),
        ):
            counts = facets.get(group, {})
            getattr(self, name).choices = choices(
                (member.value, f"{label(member)} ({counts.get(member.value, 0)})")
                for member in vocabulary
            )
        self.dutch.choices = _dutch_choices(facets.get("dutch_level", {}))
        extras = facets.get("extras", {})
        for name in ("mentor", "remote"):
            field = getattr(self, name)
            field.label.text = f"{field.label.text} ({extras.get(name, 0)})"
