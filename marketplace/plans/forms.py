"""The consultant's plan form: the plan's facts and activity rows that work without JavaScript.

The form shows the rows of the newest version and a few empty rows below them. An empty row
is skipped; a row is taken out with its "remove" box. Each kept row carries the id of the
activity it comes from, so the hours already done go with it to the new version.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
)
from wtforms.validators import AnyOf, InputRequired, ValidationError

from marketplace.forms import BaseForm, WholeNumberField, choices, date_field, text_area
from marketplace.labels import choices_for
from marketplace.plans.editing import MAX_HOURS, ActivityRow, PlanDraft
from marketplace.plans.models import ActivityKind, ActivityStatus
from marketplace.vocab import LearningRoute

#: empty rows under the existing ones, and the most rows a form may send
EMPTY_ROWS = 3
MAX_ROWS = 40
DESCRIPTION_LENGTH = 1000


class ActivityRowForm(Form):
    """One agreed activity. No CSRF of its own: it is part of the plan form."""

    source = HiddenField()
    kind = SelectField(
        _l("Activity"),
        choices=[*choices([("", _l("(choose)"))]), *choices_for(ActivityKind)],
        validate_choice=False,
        validators=[
            AnyOf(["", *ActivityKind], message=_l("Choose from the list.")),
        ],
    )
    description = text_area(_l("What exactly"), length=DESCRIPTION_LENGTH)
    hours_required = WholeNumberField(_l("Hours needed"), 0, MAX_HOURS, required=False)
    due_on = date_field(_l("Ready by"))
    status = SelectField(
        _l("Status"),
        choices=choices_for(ActivityStatus),
        default=ActivityStatus.PLANNED.value,
        validate_choice=False,
        validators=[AnyOf(list(ActivityStatus), message=_l("Choose from the list."))],
    )
    remove = BooleanField(_l("Remove this activity from the plan"))

    def validate(self, extra_validators=None) -> bool:
        """A removed row is not checked: it will not be in the plan."""
        if self.remove.data:
            return True
        return super().validate(extra_validators)

    def validate_kind(self, field) -> None:
        if not field.data and not is_empty(self):
            raise ValidationError(_l("Choose what kind of activity this is."))


class PlanForm(BaseForm):
    """A new version of the plan, made from the newest one."""

    #: the version this form was made from (0 for a first plan)
    based_on = HiddenField()
    learning_route = RadioField(
        _l("Learning route"),
        choices=choices_for(LearningRoute),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose a learning route.")),
            AnyOf(list(LearningRoute), message=_l("Choose a learning route.")),
        ],
    )
    integration_deadline = date_field(
        _l("End of the integration term"),
        required=_l("Fill in the end date of the integration term."),
    )
    preconditions = text_area(
        _l("What must be arranged first"),
        description=_l("For example childcare, or travel costs. Practical, never medical."),
    )
    activities = FieldList(FormField(ActivityRowForm), max_entries=MAX_ROWS)
    support = text_area(_l("Support"), description=_l("Who helps, and how."))
    progress_followup = text_area(
        _l("How progress is followed"), description=_l("For example a talk every six weeks.")
    )


def is_empty(row: ActivityRowForm) -> bool:
    """A row the consultant left empty (the status alone does not count)."""
    typed = [row.hours_required.raw_data, row.due_on.raw_data]
    return not (row.kind.data or row.description.data or any(raw and raw[0] for raw in typed))


def plan_form(draft: PlanDraft, based_on: int) -> PlanForm:
    """The form filled from a draft, with empty rows to add activities."""
    rows = [
        {
            "source": row.source,
            "kind": row.kind.value,
            "description": row.description,
            "hours_required": row.hours_required,
            "due_on": row.due_on,
            "status": row.status.value,
        }
        for row in draft.activities
    ]
    empty = {"kind": "", "status": ActivityStatus.PLANNED.value}
    return PlanForm(
        formdata=None,
        data={
            "based_on": based_on,
            "learning_route": draft.learning_route.value if draft.learning_route else None,
            "integration_deadline": draft.integration_deadline,
            "preconditions": draft.preconditions,
            "support": draft.support,
            "progress_followup": draft.progress_followup,
            "activities": rows + [dict(empty) for _ in range(EMPTY_ROWS)],
        },
    )


def draft_of(form: PlanForm) -> tuple[PlanDraft, list[ActivityRowForm]]:
    """The draft a valid form describes, and the form row of each of its activities."""
    rows, used = [], []
    for entry in form.activities:
        row = entry.form
        if row.remove.data or is_empty(row):
            continue
        rows.append(
            ActivityRow(
                kind=ActivityKind(row.kind.data),
                description=row.description.data or "",
                hours_required=row.hours_required.data,
                due_on=row.due_on.data,
                status=ActivityStatus(row.status.data),
                source=_number(row.source.data),
            )
        )
        used.append(row)
    draft = PlanDraft(
        learning_route=LearningRoute(form.learning_route.data),
        integration_deadline=form.integration_deadline.data,
        preconditions=form.preconditions.data or "",
        support=form.support.data or "",
        progress_followup=form.progress_followup.data or "",
        activities=rows,
    )
    return draft, used


def based_on(form: PlanForm) -> int:
    """The version the form was made from; -1 when the form does not say (never the newest)."""
    return _number(form.based_on.data) if _number(form.based_on.data) is not None else -1


def show_problems(form: PlanForm, rows: list[ActivityRowForm], problems) -> None:
    """Put each broken rule at its field: ``activities-N-name`` is row N of the draft."""
    for name, message in problems:
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "activities":
            target = rows[int(parts[1])][parts[2]]
        else:
            target = form[name]
        target.errors = [*target.errors, message]


def _number(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdecimal() and len(text) < 19 else None
