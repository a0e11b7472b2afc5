"""Demo history per newcomer: placements and their steps, check-ins, outcomes, plans, ladder."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from marketplace.accounts.models import User
from marketplace.clock import add_months
from marketplace.feedback.models import Feedback, FeedbackAbout
from marketplace.newcomers.models import LadderContext, LadderStep, NewcomerProfile
from marketplace.placements.models import (
    OPEN_STATUSES,
    Attendance,
    CheckIn,
    ContractKind,
    FollowUp,
    Outcome,
    OutcomeResult,
    Placement,
    PlacementEvent,
    PlacementStatus,
)
from marketplace.places.models import PlaceStatus
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.vocab import LearningRoute

if TYPE_CHECKING:
    from marketplace.demo.services import DemoLoader

S = PlacementStatus
#: the steps every placement takes after interest or a proposal, until it is under way
_FLOW = [S.INTRODUCED, S.ACCEPTED_BY_HOST, S.APPROVED, S.ACTIVE]
_FINISHED = {S.COMPLETED, S.ENDED_EARLY}
_STOPPED = {S.DECLINED, S.WITHDRAWN}
_TAKES_SPOT = {S.APPROVED, S.ACTIVE}
_RUNG_REASON = {
    3: "Neemt deel aan georganiseerde activiteiten",
    4: "Doet onbetaald werk op een participatieplek",
    5: "Werkt betaald, met ondersteuning",
    6: "Heeft betaald werk",
}
_LANGUAGE = {
    LearningRoute.B1: "Taalles Nederlands naar niveau B1, 12 uur per week.",
    LearningRoute.EDUCATION: "Schakeltraject: Nederlands naar B1 en voorbereiding op het mbo.",
    LearningRoute.Z: "Z-route: 1600 uur taal en participatie, in eigen tempo.",
}
_SUPPORT = "Maatschappelijke begeleiding in het eerste jaar; taalmaatje via de buurt."
_FOLLOWUP = "Voortgangsgesprek met de consulent elke drie maanden; check-ins op de plek."


def add_placements(loader: DemoLoader, placements: list[dict], service_feedback: list) -> None:
    """Every placement with its history, then the feedback on places and on the service."""
    added = [(item, _add_placement(loader, item)) for item in placements]
    loader.session.flush()
    for item, placement in added:
        if "feedback" in item:
            days = item.get("ended", 5) - 2
            loader.session.add(
                Feedback(
                    about=FeedbackAbout.PLACE,
                    profile_id=placement.profile.id,
                    placement_id=placement.id,
                    place_id=placement.place.id,
                    created_at=loader.at(days, 19),
                    **item["feedback"],
                )
            )
    for ref, days, meaningful, recommend, comment in service_feedback:
        loader.session.add(
            Feedback(
                about=FeedbackAbout.SERVICE,
                profile_id=loader.profiles[ref].id,
                meaningful=meaningful,
                would_recommend=recommend,
                comment=comment,
                created_at=loader.at(days, 20),
            )
        )


def _path(item: dict) -> list[PlacementStatus]:
    """The states a placement went through, first to current."""
    first = S.INTERESTED if item["origin"] == "interest" else S.PROPOSED
    status = S(item["status"])
    steps = [first, *_FLOW]
    if status in _FINISHED:
        return [*steps, status]
    if status in _STOPPED:
        return [*steps[: steps.index(S(item["after"])) + 1], status]
    return steps[: steps.index(status) + 1]


def _timeline(loader: DemoLoader, item: dict, path: list[PlacementStatus]) -> list[int]:
    """Days ago of each step: the steps before the start are spread evenly from ``opened``."""
    anchor = item["started"] if S.ACTIVE in path else item.get("ended", 0)
    before = [s for s in path if s is not S.ACTIVE and s not in _FINISHED | _STOPPED]
    gap = (item["opened"] - anchor) / len(before)
    days = [item["opened"] - round(i * gap) for i in range(len(before))]
    if S.ACTIVE in path:
        days.append(item["started"])
    if path[-1] in _FINISHED | _STOPPED:
        days.append(item["ended"])
    loader.check(
        all(a > b for a, b in zip(days, days[1:], strict=False)) and days[-1] >= 1,
        f"{item['newcomer']} at {item['place']}: steps out of order {days}",
    )
    return days


def _actor(status: S, previous: S | None, newcomer: User, consultant: User, host: User) -> User:
    """Who took a step: interest and withdrawal are the newcomer's, acceptance the host's."""
    if status in (S.INTERESTED, S.WITHDRAWN):
        return newcomer
    if status is S.ACCEPTED_BY_HOST:
        return host
    if status is S.DECLINED:
        return newcomer if previous is S.PROPOSED else host
    return consultant


def _add_placement(loader: DemoLoader, item: dict) -> Placement:
    """One placement with its steps, check-ins and outcome."""
    profile, place = loader.profiles[item["newcomer"]], loader.places[item["place"]]
    status, path = S(item["status"]), _path(item)
    label = f"{item['newcomer']} at {item['place']}"
    loader.check(
        status not in OPEN_STATUSES or place.status is PlaceStatus.PUBLISHED,
        f"{label}: open placement on a place that is not published",
    )
    loader.check(place.published_at is not None, f"{label}: the place was never published")
    days = dict(zip(path, _timeline(loader, item, path), strict=True))
    first, last = days[path[0]], days[path[-1]]
    loader.check(loader.at(first) > place.published_at, f"{label}: before publication")
    consultant, host = profile.consultant, loader.employers[place.organisation.ref][0]
    placement = Placement(
        profile=profile,
        place=place,
        status=status,
        newcomer_message=item.get("message"),
        proposed_by_id=consultant.id if path[0] is S.PROPOSED else None,
        host_reason=item.get("host_reason"),
        created_at=loader.at(first, 9),
        updated_at=loader.at(last, 9 + len(path)),
    )
    _add_events(loader, item, placement, days, (consultant, host))
    _fill_dates(loader, item, placement, days, consultant)
    _add_check_ins(loader, item, placement, consultant)
    if "outcome" in item:
        _add_outcome(loader, item, placement, consultant)
    loader.session.add(placement)
    return placement


def _add_events(
    loader: DemoLoader, item: dict, placement: Placement, days: dict, staff: tuple[User, User]
) -> None:
    """The placement's steps, each with who took it (newcomer, consultant or host) and when."""
    previous = None
    for index, (step, ago) in enumerate(days.items()):
        placement.events.append(
            PlacementEvent(
                from_status=previous,
                to_status=step,
                actor_id=_actor(step, previous, placement.profile.user, *staff).id,
                note=_note(item, step),
                at=loader.at(ago, 9 + index),
            )
        )
        previous = step


def _note(item: dict, step: PlacementStatus) -> str | None:
    """The note shown with a step: the host's reason, or why the placement ended."""
    if step is S.ACCEPTED_BY_HOST or (step is S.DECLINED and item["after"] != S.PROPOSED):
        return item.get("host_reason")
    if step in _FINISHED:
        return item["outcome"][1]
    if step in _STOPPED:
        return item["note"]
    return None


def _fill_dates(
    loader: DemoLoader, item: dict, placement: Placement, days: dict, consultant: User
) -> None:
    """Introduction, approval, start and end, from the days of the steps."""
    if S.INTRODUCED in days:
        if "introduction" in item:
            placement.introduction_on = loader.day(item["introduction"])
        else:
            after = [d for s, d in days.items() if d < days[S.INTRODUCED]]
            meeting = (days[S.INTRODUCED] + (max(after) if after else -14)) // 2
            placement.introduction_on = loader.day(meeting)
    if S.APPROVED in days:
        placement.suits_physical_demand = True
        placement.approved_by_id = consultant.id
        placement.approved_at = loader.at(days[S.APPROVED], 11)
    if S.ACTIVE in days:
        placement.started_on = loader.day(item["started"])
    if "ended" in item:
        placement.ended_on = loader.day(item["ended"])


def _add_check_ins(loader: DemoLoader, item: dict, placement: Placement, consultant: User) -> None:
    """The check-ins of a placement that got under way; each rung goes to the ladder too."""
    check_ins = item.get("check_ins", [])
    loader.check(
        not check_ins or S.ACTIVE in _path(item), f"{item['place']}: check-ins before the start"
    )
    for index, entry in enumerate(check_ins):
        held_on = loader.day(entry["days"])
        if index + 1 < len(check_ins):
            next_on = loader.day(check_ins[index + 1]["days"])
        elif placement.status is S.ACTIVE:
            next_on = max(held_on + timedelta(days=42), loader.today + timedelta(days=7))
        else:
            next_on = None
        loader.check(
            item["started"] > entry["days"] > item.get("ended", 0),
            f"{item['newcomer']} at {item['place']}: check-in outside the placement",
        )
        placement.check_ins.append(
            CheckIn(
                held_on=held_on,
                ladder_rung=entry["rung"],
                attendance=Attendance(entry["attendance"]),
                skills_gained=entry["skills_gained"],
                dutch_progress=entry["dutch_progress"],
                newcomer_words=entry["newcomer_words"],
                host_view=entry["host_view"],
                next_steps=entry["next_steps"],
                next_check_in_on=next_on,
                recorded_by_id=consultant.id,
                created_at=loader.at(entry["days"], 15),
            )
        )
        reason = f"{_RUNG_REASON[entry['rung']]} ({placement.place.title})."
        loader.ladder_events.append(
            (item["newcomer"], held_on, entry["rung"], reason, LadderContext.CHECK_IN)
        )


def _add_outcome(loader: DemoLoader, item: dict, placement: Placement, consultant: User) -> None:
    """How the placement ended, and the follow-ups 3, 6 and 12 months later."""
    result, explanation = item["outcome"]
    outcome = Outcome(
        result=OutcomeResult(result),
        explanation=explanation,
        recorded_by_id=consultant.id,
        recorded_at=loader.at(item["ended"], 16),
    )
    for months in (3, 6, 12):
        follow_up = FollowUp(months=months, due_on=add_months(placement.ended_on, months))
        if months in item["follow_ups"]:
            paid, hours, contract, education, rung, notes = item["follow_ups"][months]
            recorded_ago = (loader.today - follow_up.due_on).days - 2
            loader.check(recorded_ago >= 1, f"{item['place']}: follow-up recorded before due")
            follow_up.in_paid_work = paid
            follow_up.hours_per_week = hours
            follow_up.contract = ContractKind(contract) if contract else None
            follow_up.in_education = education
            follow_up.ladder_rung = rung
            follow_up.notes = notes
            follow_up.recorded_by_id = consultant.id
            follow_up.recorded_at = loader.at(recorded_ago, 13)
            loader.ladder_events.append(
                (item["newcomer"], loader.day(recorded_ago), rung, notes, LadderContext.FOLLOW_UP)
            )
        outcome.follow_ups.append(follow_up)
    placement.outcome = outcome


def add_plan(
    loader: DemoLoader, profile: NewcomerProfile, item: dict, placements: list[dict]
) -> None:
    """The first plan (PIP), agreed by the newcomer, with its activities and deadlines."""
    plan = Plan(
        profile_id=profile.id,
        version=1,
        learning_route=profile.learning_route,
        integration_deadline=profile.integration_started_on + timedelta(days=3 * 365),
        preconditions=item["plan"]["preconditions"],
        support=_SUPPORT,
        progress_followup=_FOLLOWUP,
        created_by_id=profile.consultant.id,
        created_at=loader.at(item["started"] - 20, 10),
        agreed_at=loader.at(item["started"] - 22, 15),
    )
    for kind, description, required, done, due_after, status in _activities(item, placements):
        plan.activities.append(
            PlanActivity(
                kind=kind,
                description=description,
                hours_required=required,
                hours_done=done,
                due_on=profile.integration_started_on + timedelta(days=due_after),
                status=ActivityStatus(status),
            )
        )
    loader.session.add(plan)


def _activities(item: dict, placements: list[dict]) -> list[tuple]:
    """(kind, description, hours required, hours done, days after the start, status)."""
    steps, route = item["plan"], LearningRoute(item["learning_route"])
    mine = {S(p["status"]) for p in placements if p["newcomer"] == item["ref"]}
    if mine & _FINISHED:
        participation = ActivityStatus.DONE
    elif mine & _TAKES_SPOT:
        participation = ActivityStatus.IN_PROGRESS
    else:
        participation = ActivityStatus.PLANNED
    map_done = steps["map_done"]
    map_status = "done" if map_done >= 40 else "in_progress" if map_done else "planned"
    activities = [
        (ActivityKind.PVT, "Participatieverklaringstraject: workshop en ondertekening.",
         None, 0, 365, steps["pvt"]),
        (ActivityKind.KNM, "Kennis van de Nederlandse Maatschappij: lessen en examen.",
         None, 0, 540, steps["knm"]),
        (ActivityKind.MAP, "Module Arbeidsmarkt en Participatie: 40 uur oriëntatie op werk.",
         40, map_done, 540, map_status),
        (ActivityKind.LANGUAGE, _LANGUAGE[route], None, 0, 3 * 365, "in_progress"),
        (ActivityKind.PARTICIPATION, "Participatieplek die past bij de werkdoelen.",
         None, 0, 730, participation),
    ]  # fmt: skip
    if route is LearningRoute.EDUCATION:
        goal, status = item["education_goals"][0], steps.get("education", "planned")
        activities.append((ActivityKind.EDUCATION, f"Instromen in {goal}.", None, 0, 900, status))
    return activities


def add_ladder(loader: DemoLoader, profile: NewcomerProfile, item: dict) -> None:
    """The rungs of the ladder: the intake, language classes, then check-ins and follow-ups."""
    rung, reason = item["intake"]
    events: list[tuple[date, int, str, LadderContext]] = [
        (loader.day(item["started"] - 14), rung, reason, LadderContext.INTAKE)
    ]
    if rung < 3:
        events.append(
            (loader.day(item["started"] - 74), 3, f"{_RUNG_REASON[3]} (taalles).",
             LadderContext.CHECK_IN)
        )  # fmt: skip
    events += [e[1:] for e in loader.ladder_events if e[0] == item["ref"]]
    for on, rung, reason, context in sorted(events, key=lambda e: e[0]):
        loader.session.add(
            LadderStep(
                profile_id=profile.id,
                rung=rung,
                recorded_on=on,
                reason=reason,
                context=context,
                recorded_by_id=profile.consultant.id,
                created_at=loader.at((loader.today - on).days, 16),
            )
        )
