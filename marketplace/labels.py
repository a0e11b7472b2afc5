"""Words for the values of closed lists, in the reader's language.

One table for every closed list: templates use the `label` filter, forms the `choices_for`
lists, so a value is named the same everywhere.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from flask import Flask
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from marketplace.accounts.models import Role
from marketplace.feedback.models import FeedbackAbout, FeedbackStage
from marketplace.newcomers.models import EducationLevel, LadderContext, PracticalLimit, TravelMode
from marketplace.notices.models import NoticeKind
from marketplace.placements.models import (
    Attendance,
    ContractKind,
    OutcomeResult,
    PlacementStatus,
)
from marketplace.places.models import (
    PaidWorkProspect,
    PlaceKind,
    PlaceStatus,
    ReviewDecision,
    Sector,
    WorksCouncil,
)
from marketplace.plans.models import ActivityKind, ActivityStatus
from marketplace.privacy.models import ErasureStatus
from marketplace.vocab import DutchLevel, LearningRoute, PhysicalDemand, Schedule

#: every closed list, value by value; keyed by list, since lists share values ("none")
LABELS: dict[type[Enum], dict[Enum, object]] = {
    Role: {
        Role.NEWCOMER: _l("Newcomer"),
        Role.EMPLOYER: _l("Employer"),
        Role.CONSULTANT: _l("Consultant"),
        Role.ADMIN: _l("Administrator"),
    },
    FeedbackAbout: {
        FeedbackAbout.PLACE: _l("A place"),
        FeedbackAbout.SERVICE: _l("The help of the municipality"),
    },
    Attendance: {
        Attendance.GOOD: _l("Almost always there"),
        Attendance.SOMETIMES_ABSENT: _l("Sometimes absent"),
        Attendance.OFTEN_ABSENT: _l("Often absent"),
    },
    OutcomeResult: {
        OutcomeResult.PAID_JOB_HOST: _l("Paid work at the same place"),
        OutcomeResult.PAID_JOB: _l("Paid work somewhere else"),
        OutcomeResult.EDUCATION: _l("Started an education"),
        OutcomeResult.CONTINUED_PARTICIPATION: _l("A new participation place"),
        OutcomeResult.STOPPED: _l("Stopped"),
    },
    ContractKind: {
        ContractKind.PERMANENT: _l("Permanent contract"),
        ContractKind.TEMPORARY: _l("Temporary contract"),
        ContractKind.ON_CALL: _l("On-call contract"),
        ContractKind.SELF_EMPLOYED: _l("Self-employed"),
    },
    LadderContext: {
        LadderContext.INTAKE: _l("First conversation"),
        LadderContext.CHECK_IN: _l("Talk about how it goes"),
        LadderContext.FOLLOW_UP: _l("Follow-up after a placement"),
    },
    NoticeKind: {
        NoticeKind.DEADLINE: _l("Reminder of a date in your plan"),
        NoticeKind.APPOINTMENT: _l("Reminder of an appointment"),
        NoticeKind.PLAN_TO_AGREE: _l("A new plan to agree to"),
        NoticeKind.PROPOSAL: _l("A place proposed to you"),
        NoticeKind.CHECK_IN_DUE: _l("A check-in is due"),
        NoticeKind.FOLLOW_UP_DUE: _l("A follow-up is due"),
        NoticeKind.OVERDUE_OVERVIEW: _l("Weekly overview of what is overdue"),
    },
    ErasureStatus: {
        ErasureStatus.REQUESTED: _l("Asked, waiting for your consultant"),
        ErasureStatus.CARRIED_OUT: _l("Carried out"),
        ErasureStatus.CANCELLED: _l("Cancelled"),
    },
    FeedbackStage: {
        FeedbackStage.DURING: _l("During the placement"),
        FeedbackStage.AFTER: _l("After the placement"),
    },
    PlacementStatus: {
        PlacementStatus.INTERESTED: _l("You showed interest"),
        PlacementStatus.PROPOSED: _l("Proposed by your consultant"),
        PlacementStatus.INTRODUCED: _l("Introduction planned"),
        PlacementStatus.ACCEPTED_BY_HOST: _l("Accepted by the place"),
        PlacementStatus.APPROVED: _l("Approved by the municipality"),
        PlacementStatus.ACTIVE: _l("Started"),
        PlacementStatus.COMPLETED: _l("Finished"),
        PlacementStatus.ENDED_EARLY: _l("Stopped early"),
        PlacementStatus.DECLINED: _l("Declined"),
        PlacementStatus.WITHDRAWN: _l("Withdrawn"),
    },
    PlaceStatus: {
        PlaceStatus.DRAFT: _l("Draft"),
        PlaceStatus.SUBMITTED: _l("Waiting for review"),
        PlaceStatus.PUBLISHED: _l("Published"),
        PlaceStatus.PAUSED: _l("Paused"),
        PlaceStatus.CLOSED: _l("Closed"),
        PlaceStatus.REJECTED: _l("Not approved"),
    },
    DutchLevel: {
        DutchLevel.NONE: _l("No Dutch"),
        DutchLevel.A1: "A1",
        DutchLevel.A2: "A2",
        DutchLevel.B1: "B1",
        DutchLevel.B2: "B2",
        DutchLevel.C1: "C1",
    },
    PlaceKind: {
        PlaceKind.VOLUNTEER: _l("Volunteer work"),
        PlaceKind.WORK_EXPERIENCE: _l("Work-experience place"),
        PlaceKind.INTERNSHIP: _l("Internship"),
        PlaceKind.LEARN_WORK: _l("Learn-work place"),
        PlaceKind.TRIAL_PLACEMENT: _l("Trial placement"),
        PlaceKind.LANGUAGE_PRACTICE: _l("Language practice"),
    },
    Sector: {
        Sector.CARE: _l("Care and welfare"),
        Sector.HOSPITALITY: _l("Hotels, restaurants and catering"),
        Sector.RETAIL: _l("Shops"),
        Sector.LOGISTICS: _l("Transport and warehouse"),
        Sector.TECHNICAL: _l("Technology and repair"),
        Sector.CONSTRUCTION: _l("Building"),
        Sector.GREEN: _l("Gardens, parks and farming"),
        Sector.CLEANING: _l("Cleaning"),
        Sector.FOOD: _l("Food production"),
        Sector.ADMINISTRATION: _l("Office and administration"),
        Sector.ICT: _l("Computers and IT"),
        Sector.EDUCATION: _l("Education and childcare"),
        Sector.CREATIVE: _l("Art, media and design"),
        Sector.SPORTS: _l("Sport and recreation"),
        Sector.COMMUNITY: _l("Neighbourhood and community"),
        Sector.OTHER: _l("Other"),
    },
    Schedule: {
        Schedule.WEEKDAY_MORNING: _l("Weekday mornings"),
        Schedule.WEEKDAY_AFTERNOON: _l("Weekday afternoons"),
        Schedule.WEEKDAY_EVENING: _l("Weekday evenings"),
        Schedule.WEEKEND: _l("Weekend"),
    },
    PhysicalDemand: {
        PhysicalDemand.LIGHT: _l("Light: mostly sitting or walking, nothing heavy to lift"),
        PhysicalDemand.MODERATE: _l("Moderate: standing and walking a lot, lifting now and then"),
        PhysicalDemand.HEAVY: _l("Heavy: lifting, carrying or bending most of the day"),
    },
    PaidWorkProspect: {
        PaidWorkProspect.YES: _l("Yes, there is a real chance of a paid job here"),
        PaidWorkProspect.POSSIBLE: _l("Possibly, here or elsewhere in the sector"),
        PaidWorkProspect.NO: _l("No, but the newcomer gains experience"),
    },
    WorksCouncil: {
        WorksCouncil.CONSULTED: _l("Yes, the works council agreed"),
        WorksCouncil.NOT_CONSULTED: _l("No, not yet"),
        WorksCouncil.NONE: _l("We have no works council"),
    },
    EducationLevel: {
        EducationLevel.NONE: _l("No school diploma"),
        EducationLevel.PRIMARY: _l("Primary school"),
        EducationLevel.SECONDARY: _l("Secondary school"),
        EducationLevel.VOCATIONAL: _l("Vocational training (like MBO)"),
        EducationLevel.BACHELOR: _l("Bachelor (college or university)"),
        EducationLevel.MASTER: _l("Master or higher"),
    },
    TravelMode: {
        TravelMode.WALK: _l("On foot"),
        TravelMode.BIKE: _l("By bike"),
        TravelMode.PUBLIC_TRANSPORT: _l("By bus or train"),
        TravelMode.CAR: _l("By car"),
    },
    PracticalLimit: {
        PracticalLimit.LIGHT_WORK_ONLY: _l("Light physical work only"),
        PracticalLimit.NO_NIGHT_SHIFTS: _l("No evening or night work"),
        PracticalLimit.REDUCED_HOURS: _l("Fewer hours for now"),
        PracticalLimit.SCHOOL_HOURS_ONLY: _l("Only during school hours"),
        PracticalLimit.NO_LONG_STANDING: _l("Not standing for a long time"),
        PracticalLimit.DISCUSS_WITH_CONSULTANT: _l("Something else, to discuss with my consultant"),
    },
    LearningRoute: {
        LearningRoute.B1: _l("B1 route: learning Dutch to level B1"),
        LearningRoute.EDUCATION: _l("Education route: Dutch and then a study"),
        LearningRoute.Z: _l("Z route: learning to take part, with Dutch practice"),
    },
    ActivityKind: {
        ActivityKind.MAP: _l("Labour market and participation module (MAP)"),
        ActivityKind.PVT: _l("Participation statement (PVT)"),
        ActivityKind.KNM: _l("Knowledge of Dutch society (KNM)"),
        ActivityKind.LANGUAGE: _l("Dutch lessons"),
        ActivityKind.PARTICIPATION: _l("Participation place"),
        ActivityKind.EDUCATION: _l("Education"),
        ActivityKind.OTHER: _l("Other"),
    },
    ActivityStatus: {
        ActivityStatus.PLANNED: _l("Not started yet"),
        ActivityStatus.IN_PROGRESS: _l("Busy with it"),
        ActivityStatus.DONE: _l("Done"),
    },
    ReviewDecision: {
        ReviewDecision.PUBLISHED: _l("Publish"),
        ReviewDecision.REJECTED: _l("Reject"),
        ReviewDecision.CHANGES_REQUESTED: _l("Ask for a change"),
        ReviewDecision.CHANGE_APPROVED: _l("Approve the change"),
        ReviewDecision.CHANGE_REJECTED: _l("Reject the change"),
    },
}

#: the Dutch level a place asks for, explained with an everyday example
DUTCH_LEVEL_EXAMPLES = [
    SelectChoice(
        DutchLevel.NONE.value, _l("No Dutch: we show what to do, or use another language")
    ),
    SelectChoice(
        DutchLevel.A1.value,
        _l("A1: understands short instructions like 'put the boxes here, please'"),
    ),
    SelectChoice(
        DutchLevel.A2.value,
        _l("A2: can ask a colleague a simple question and understands the answer"),
    ),
    SelectChoice(
        DutchLevel.B1.value,
        _l("B1: can talk with customers about everyday things and read a short email"),
    ),
    SelectChoice(
        DutchLevel.B2.value, _l("B2: can explain things, write a short report, follow a meeting")
    ),
    SelectChoice(DutchLevel.C1.value, _l("C1: works fully in Dutch, also with difficult texts")),
]

#: languages often spoken by newcomers and at work, named in Dutch/English (ISO 639-1)
LANGUAGE_NAMES = {
    "en": _l("English"),
    "ar": _l("Arabic"),
    "ti": _l("Tigrinya"),
    "fa": _l("Persian/Dari"),
    "ps": _l("Pashto"),
    "tr": _l("Turkish"),
    "ku": _l("Kurdish"),
    "so": _l("Somali"),
    "uk": _l("Ukrainian"),
    "ru": _l("Russian"),
    "fr": _l("French"),
    "es": _l("Spanish"),
    "de": _l("German"),
    "pl": _l("Polish"),
}


def choices_for(enum_cls: type[Enum]) -> list[SelectChoice]:
    """Form options for every value of a closed list, with their words."""
    return [SelectChoice(member.value, LABELS[enum_cls][member]) for member in enum_cls]


PLACE_KIND_LABELS = choices_for(PlaceKind)
SECTOR_LABELS = choices_for(Sector)
SCHEDULE_LABELS = choices_for(Schedule)
PHYSICAL_DEMAND_LABELS = choices_for(PhysicalDemand)
PAID_WORK_PROSPECT_LABELS = choices_for(PaidWorkProspect)
WORKS_COUNCIL_LABELS = choices_for(WorksCouncil)
LANGUAGE_LABELS = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


#: the reviewer's warnings about a place (see places.rules.review_flags)
REVIEW_FLAGS = {
    "paid_vacancy": _l("The employer says this would otherwise be a paid job"),
    "replaces_dismissed_worker": _l("Replaces a worker who was dismissed"),
    "replaces_absent_worker": _l("Replaces a worker who is away"),
    "structural_work": _l("Structural work that must be done anyway"),
    "works_council_not_consulted": _l("The works council has not agreed yet"),
    "long_hours": _l("36 hours a week or more"),
    "b1_without_mentor": _l("Asks for B1 Dutch or more but has no mentor"),
    "no_supervisor": _l("No named supervisor"),
    "no_learning_goals": _l("No learning goals"),
    "long_duration": _l("Longer than a year"),
    "trial_without_prospect": _l(
        "A trial or work-experience place without a prospect of paid work"
    ),
    "organisation_unverified": _l("The organisation has not been checked yet"),
    "change_to_published_place": _l("A change to a place that is already published"),
}

#: the words on an employer's button that moves a place from one status to another
STATUS_ACTIONS = {
    (PlaceStatus.DRAFT, PlaceStatus.CLOSED): _l("Throw this draft away"),
    (PlaceStatus.SUBMITTED, PlaceStatus.DRAFT): _l("Take back from review"),
    (PlaceStatus.REJECTED, PlaceStatus.DRAFT): _l("Change and try again"),
    (PlaceStatus.PUBLISHED, PlaceStatus.PAUSED): _l("Pause: hide the place for now"),
    (PlaceStatus.PAUSED, PlaceStatus.PUBLISHED): _l("Show the place again"),
    (PlaceStatus.PUBLISHED, PlaceStatus.CLOSED): _l("Close the place for good"),
    (PlaceStatus.PAUSED, PlaceStatus.CLOSED): _l("Close the place for good"),
}


def status_action(source: PlaceStatus, target: PlaceStatus) -> str:
    """The button text for moving a place from ``source`` to ``target``."""
    return str(STATUS_ACTIONS[(source, target)])


#: lists whose values are stored as plain strings (in JSON lists), by the name templates use
PLAIN_LISTS = {"schedule": Schedule}


def label(value, list_name: str | None = None) -> str:
    """The reader's word for a value; the raw value where no word is known.

    Enum members know their list; a plain string needs the list's name, e.g.
    ``{{ slot|label("schedule") }}`` or ``{{ code|label("language") }}``.
    """
    if value is None:
        return ""
    if list_name == "language":
        return str(LANGUAGE_NAMES.get(value, value))
    if list_name == "flag":
        return str(REVIEW_FLAGS.get(value, value))
    if list_name is not None:
        value = PLAIN_LISTS[list_name](value)
    words = LABELS.get(type(value), {})
    return str(words.get(value, getattr(value, "value", value)))


def show_value(value, field_name: str = "") -> str:
    """Any stored value as the reader sees it: words for lists, yes/no, dates, or a dash."""
    if value is None or value == "" or value == []:
        return str(_l("(not filled in)"))
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, date):
        return format_date(value, "long")
    if isinstance(value, list):
        list_name = {"schedule": "schedule", "languages": "language"}.get(field_name)
        return ", ".join(label(item, list_name) if list_name else str(item) for item in value)
    return str(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["show_value"] = show_value
    app.jinja_env.globals["status_action"] = status_action
