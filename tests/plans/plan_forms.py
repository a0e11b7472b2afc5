"""Helpers for the plan tests: fill the plan form as a browser does, and build versions."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import sqlalchemy as sa

from marketplace import db
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.notices.models import Notice, NoticeKind
from marketplace.plans.models import ActivityKind, ActivityStatus, Plan, PlanActivity
from marketplace.vocab import LearningRoute

TODAY = date(2026, 12, 1)


class FormValues(HTMLParser):
    """What a browser sends for the first form on a page that posts (hidden fields included)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._in_post_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._in_post_form = a.get("method") == "post" and "/plan/new" in a.get("action", "")
        if not self._in_post_form:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "y")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.values:  # the first option by default
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:  # a browser drops the newline that opens a text area
            start = not self.values[self._textarea]
            self.values[self._textarea] += data.removeprefix("\r\n") if start else data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_of(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    reader = FormValues()
    reader.feed(response.get_data(as_text=True))
    return reader.values


def row_of(values: dict[str, str], kind: ActivityKind) -> str:
    """The name prefix of the form row holding an activity of this kind (``activities-0-``)."""
    for name, value in values.items():
        if name.endswith("-kind") and value == kind.value:
            return name.removesuffix("kind")
    raise AssertionError(f"no row for {kind}")


def empty_row(values: dict[str, str]) -> str:
    for name, value in values.items():
        if name.endswith("-kind") and value == "":
            return name.removesuffix("kind")
    raise AssertionError("no empty row")


def first_plan(db_session, profile, agreed=True, version=1) -> Plan:
    plan = Plan(
        profile_id=profile.id,
        version=version,
        learning_route=LearningRoute.B1,
        integration_deadline=date(2029, 3, 15),
        preconditions="Kinderopvang op dinsdag.",
        support="Een taalmaatje.",
        agreed_at=utcnow() if agreed else None,
    )
    plan.activities = [
        PlanActivity(
            kind=ActivityKind.MAP,
            description="Oefenen in de buurtkeuken.",
            hours_required=40,
            hours_done=12,
            due_on=date(2027, 6, 1),
            status=ActivityStatus.IN_PROGRESS,
        ),
        PlanActivity(
            kind=ActivityKind.KNM,
            description="KNM-examen",
            due_on=date(2026, 10, 1),
            status=ActivityStatus.DONE,
        ),
        PlanActivity(
            kind=ActivityKind.EDUCATION,
            description="Cursus HACCP",
            hours_required=60,
            hours_done=25,
            due_on=date(2027, 9, 1),
            status=ActivityStatus.IN_PROGRESS,
        ),
    ]
    db_session.add(plan)
    db_session.flush()
    return plan


def versions(db_session, profile) -> list[Plan]:
    db_session.expire_all()
    query = sa.select(Plan).filter_by(profile_id=profile.id).order_by(Plan.version)
    return list(db_session.scalars(query))


def plan_notices(db_session, profile) -> list[Notice]:
    query = sa.select(Notice).filter_by(user_id=profile.user_id, kind=NoticeKind.PLAN_TO_AGREE)
    return list(db_session.scalars(query))


def profile_of(user) -> NewcomerProfile:
    return db.session.scalars(sa.select(NewcomerProfile).filter_by(user_id=user.id)).one()
