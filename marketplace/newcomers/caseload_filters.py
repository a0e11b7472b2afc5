"""The caseload page's newcomers and filters (a GET form: a filtered list has an address).

A caseload holds up to about a hundred newcomers, and the page works out what needs
attention for all of them anyway (for the counts), so the filters are applied to those rows.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length

from marketplace.forms import BaseForm, choices
from marketplace.labels import choices_for
from marketplace.newcomers.caseload import CaseloadRow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.plans.path import RUNGS
from marketplace.vocab import LearningRoute

NAME_LENGTH = 100

#: the status filter: which newcomers each choice keeps
STATUSES = {
    "attention": (_l("Needs attention"), lambda row: bool(row.items)),
    "placed": (_l("In a placement"), lambda row: row.placed),
    "looking": (_l("Looking for a place"), lambda row: not row.placed),
    "no_plan": (_l("No plan yet"), lambda row: not row.has_plan),
}


def choice_field(label, options=None) -> SelectField:
    """A select whose value must be one of its options, with a plain message otherwise."""
    message = _l("Choose from the list.")
    return SelectField(
        label,
        choices=options,
        default="",
        invalid_choice_message=message,
        invalid_value_message=message,
    )


class CaseloadFilterForm(BaseForm):
    """Which of their newcomers the consultant wants to see; every field may stay empty."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    q = StringField(
        _l("Name"),
        description=_l("Part of the name is enough."),
        validators=[Length(max=NAME_LENGTH, message=_l("Use at most %(max)d characters."))],
        render_kw={"type": "search", "autocomplete": "off"},
    )
    status = choice_field(
        _l("Status"), choices([("", _l("Everyone"))] + [(k, v[0]) for k, v in STATUSES.items()])
    )
    route = choice_field(
        _l("Learning route"), [*choices([("", _l("Every route"))]), *choices_for(LearningRoute)]
    )
    rung = choice_field(
        _l("Step on the ladder"),
        choices([("", _l("Every step"))] + [(str(n), RUNGS[n]) for n in RUNGS]),
    )
    municipality = choice_field(_l("Municipality"))

    def __init__(self, formdata, municipalities: list[str]):
        super().__init__(formdata)
        everywhere = [("", _l("Every municipality"))]
        self.municipality.choices = choices(everywhere + [(m, m) for m in municipalities])

    def has_filters(self) -> bool:
        return any(self[name].data for name in ("q", "status", "route", "rung", "municipality"))

    def keeps(self, row: CaseloadRow) -> bool:
        """Whether a newcomer's row matches every filter that was filled in."""
        profile, name = row.profile, (self.q.data or "").casefold()
        return (
            (not name or name in profile.user.name.casefold())
            and (not self.status.data or STATUSES[self.status.data][1](row))
            and (not self.route.data or profile.learning_route == self.route.data)
            and (not self.rung.data or row.rung == int(self.rung.data))
            and (not self.municipality.data or profile.municipality == self.municipality.data)
        )


def municipalities_in(profiles: list[NewcomerProfile]) -> list[str]:
    """The distinct municipalities of the caseload, for the filter's choices."""
    return sorted({p.municipality for p in profiles if p.municipality}, key=str.casefold)
