"""Load the demo into an empty database: staff, organisations, places, newcomers, placements."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.db import utcnow
from marketplace.demo import data
from marketplace.demo.data_newcomers_a import NEWCOMERS_A
from marketplace.demo.data_newcomers_b import NEWCOMERS_B
from marketplace.demo.data_placements import PLACEMENTS_OPEN, SERVICE_FEEDBACK
from marketplace.demo.data_placements_past import PLACEMENTS_PAST
from marketplace.demo.data_places_business import PLACES_BUSINESS
from marketplace.demo.data_places_community import PLACES_COMMUNITY
from marketplace.demo.data_places_public import PLACES_PUBLIC
from marketplace.demo.data_places_services import PLACES_SERVICES
from marketplace.demo.services_history import add_ladder, add_placements, add_plan
from marketplace.demo.services_intake import add_intakes
from marketplace.demo.services_path import add_appointments, add_messages, add_new_plan_version
from marketplace.newcomers.models import (
    EducationLevel,
    NewcomerLimit,
    NewcomerProfile,
    PracticalLimit,
    TravelMode,
)
from marketplace.organisations.models import Organisation, OrganisationKind
from marketplace.permissions import needs_second_step
from marketplace.places.models import (
    PaidWorkProspect,
    Place,
    PlaceKind,
    PlaceStatus,
    Sector,
    WorksCouncil,
)
from marketplace.vocab import DutchLevel, LearningRoute, PhysicalDemand

PLACES = PLACES_BUSINESS + PLACES_SERVICES + PLACES_COMMUNITY + PLACES_PUBLIC
NEWCOMERS = NEWCOMERS_A + NEWCOMERS_B
PLACEMENTS = PLACEMENTS_OPEN + PLACEMENTS_PAST

#: place fields copied from the data as they are
_PLACE_COPY = (
    "ref", "title", "description", "skills_wanted", "skills_learned", "education_offered",
    "languages", "schedule", "postcode", "city", "spots", "duration_weeks", "mentor",
    "accessibility", "supervisor_name", "learning_goals",
)  # fmt: skip
#: newcomer profile fields copied from the data as they are
_PROFILE_COPY = (
    "ref", "postcode", "city", "municipality", "languages", "education_field",
    "diploma_recognised", "experience", "skills", "interests", "education_goals", "work_goals",
    "motivation", "hours_available", "schedule", "max_travel_km",
)  # fmt: skip
_REVIEWED = {PlaceStatus.PUBLISHED, PlaceStatus.PAUSED, PlaceStatus.CLOSED, PlaceStatus.REJECTED}
_DEFAULT_REVIEW = "Akkoord: geen verdringing, leerdoelen en begeleiding zijn helder."


class DemoError(Exception):
    """The demo cannot be loaded (the database is not empty, or the demo data is inconsistent)."""


class DatabaseNotEmpty(DemoError):
    """The database has users already; the demo never mixes with real data."""


def load_demo(session: Session, today: date) -> list[tuple[str, str, str]]:
    """Add the demo to an empty database and flush; returns (role, email, password) per login."""
    if session.scalar(sa.select(sa.func.count()).select_from(User)):
        raise DatabaseNotEmpty(
            "The database already has users. The demo loads only into an empty database."
        )
    loader = DemoLoader(session, today)
    loader.add_staff()
    loader.add_organisations()
    session.flush()
    loader.add_places()
    loader.add_newcomers()
    session.flush()
    add_placements(loader, PLACEMENTS, SERVICE_FEEDBACK)
    for ref, newcomer in loader.newcomer_data.items():
        add_plan(loader, loader.profiles[ref], newcomer, PLACEMENTS)
        add_ladder(loader, loader.profiles[ref], newcomer)
    add_intakes(loader)
    session.flush()
    profiles = list(loader.profiles.values())
    add_appointments(loader, profiles)
    add_new_plan_version(loader, profiles[0])
    session.flush()
    add_messages(loader)
    session.flush()
    return loader.logins


class DemoLoader:
    """What the demo has added so far, by key, and the dates it counts from."""

    def __init__(self, session: Session, today: date):
        self.session = session
        self.today = today
        self.logins: list[tuple[str, str, str]] = []
        self.consultants: dict[str, User] = {}
        self.organisations: dict[str, Organisation] = {}
        self.employers: dict[str, list[User]] = {}
        self.places: dict[str, Place] = {}
        self.profiles: dict[str, NewcomerProfile] = {}
        self.newcomer_data: dict[str, dict] = {}
        #: (profile ref, day, rung, reason, context) gathered for the ladder
        self.ladder_events: list[tuple[str, date, int, str, str]] = []

    def day(self, days_ago: int) -> date:
        """The date ``days_ago`` days before today (negative: in the future)."""
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: float, hour: int = 10) -> datetime:
        """A UTC moment ``days_ago`` days before today, never later than now."""
        moment = datetime.combine(self.day(int(days_ago)), time(hour), tzinfo=UTC)
        return min(moment, utcnow())

    def add_user(self, role: Role, local: str, name: str, language: str, age: int, **kw) -> User:
        """A demo account with the role's password; remembered for the printed list of logins."""
        email = f"{local}@{data.EMAIL_DOMAIN}"
        password = data.PASSWORDS[role.value]
        user = User(
            email=email,
            name=name,
            role=role,
            language=language,
            password_hash=hash_password(password),
            active=True,
            created_at=self.at(age),
            **kw,
        )
        if needs_second_step(user):
            user.totp_secret = data.TOTP_SECRET
            user.mfa_enabled_at = user.created_at
        self.session.add(user)
        self.logins.append((role.value, email, password))
        return user

    def add_staff(self) -> None:
        """The administrator and the consultants."""
        admin = data.ADMIN
        self.add_user(Role.ADMIN, admin["email"], admin["name"], admin["language"], 900)
        for consultant in data.CONSULTANTS:
            self.consultants[consultant["key"]] = self.add_user(
                Role.CONSULTANT,
                consultant["email"],
                consultant["name"],
                consultant["language"],
                800,
            )

    def add_organisations(self) -> None:
        """The organisations and their employer users."""
        for item in data.ORGANISATIONS:
            verified = item["verified"]
            users = item["users"]
            org = Organisation(
                ref=item["ref"],
                name=item["name"],
                kind=OrganisationKind(item["kind"]),
                kvk=item["kvk"],
                address=item["address"],
                postcode=item["postcode"],
                city=item["city"],
                website=item["website"],
                description=item["description"],
                contact_name=users[0][1],
                contact_email=f"werkgever.{users[0][0]}@{data.EMAIL_DOMAIN}",
                verified_at=self.at(verified) if verified is not None else None,
                created_at=self.at(item["age"]),
                updated_at=self.at(verified if verified is not None else item["age"]),
            )
            self.session.add(org)
            self.organisations[item["ref"]] = org
            self.employers[item["ref"]] = [
                self.add_user(
                    Role.EMPLOYER, f"werkgever.{local}", name, "nl", item["age"], organisation=org
                )
                for local, name in users
            ]

    def add_places(self) -> None:
        """The places, with the displacement check and review that their status implies."""
        reviewers = list(self.consultants.values())
        taken = Counter(p["place"] for p in PLACEMENTS if p["status"] in ("approved", "active"))
        for index, item in enumerate(PLACES):
            place = Place(**{key: item.get(key) for key in _PLACE_COPY})
            place.organisation = self.organisations[item["org"]]
            place.kind = PlaceKind(item["kind"])
            place.sector = Sector(item["sector"])
            place.dutch_level = DutchLevel(item["dutch_level"])
            place.physical_demand = PhysicalDemand(item["physical_demand"])
            place.paid_work_prospect = PaidWorkProspect(item["paid_work_prospect"])
            place.status = PlaceStatus(item["status"])
            place.hours_min, place.hours_max = item["hours"]
            place.remote = item.get("remote", False)
            # set before the first flush, so taking the spots is not an update of the place
            place.spots_taken = taken[item["ref"]]
            self.check(place.spots_taken <= place.spots, f"{item['ref']} is over-booked")
            if item["start_in"] is not None:
                place.start_date = self.day(-item["start_in"])
            self._review_place(place, item, reviewers[index % len(reviewers)])
            self.session.add(place)
            self.places[item["ref"]] = place

    def _review_place(self, place: Place, item: dict, reviewer: User) -> None:
        """Fill the displacement check, submission, review and publication dates."""
        age = item["age"]
        place.created_at = place.updated_at = self.at(age, 9)
        if place.status is PlaceStatus.DRAFT:
            return
        place.would_be_paid_vacancy = item.get("would_be_paid_vacancy", False)
        place.replaces_absent_worker = False
        place.replaces_dismissed_worker = False
        place.structural_work = item.get("structural_work", False)
        place.works_council = WorksCouncil(item["works_council"])
        place.submitted_at = place.updated_at = self.at(age - 2, 11)
        if place.status not in _REVIEWED:
            return
        place.reviewed_at = place.updated_at = self.at(age - 4, 14)
        place.reviewed_by_id = reviewer.id
        place.review_comment = item.get("review_comment", _DEFAULT_REVIEW)
        if place.status is not PlaceStatus.REJECTED:
            place.published_at = place.reviewed_at
        if place.status is PlaceStatus.CLOSED:
            place.closed_at = place.updated_at = self.at(item["closed"], 16)
            place.end_date = self.day(item["closed"])

    def add_newcomers(self) -> None:
        """The newcomers: account, profile and practical limits."""
        for item in NEWCOMERS:
            consultant = self.consultants[item["consultant"]]
            user = self.add_user(
                Role.NEWCOMER, item["email"], item["name"], item["language"], item["started"]
            )
            profile = NewcomerProfile(**{key: item[key] for key in _PROFILE_COPY})
            profile.user = user
            profile.consultant = consultant
            profile.dutch_level = DutchLevel(item["dutch_level"])
            reading, listening, speaking, writing = (DutchLevel(v) for v in item["dutch_skills"])
            profile.dutch_reading, profile.dutch_listening = reading, listening
            profile.dutch_speaking, profile.dutch_writing = speaking, writing
            profile.learning_route = LearningRoute(item["learning_route"])
            profile.education_level = EducationLevel(item["education_level"])
            profile.travel_mode = TravelMode(item["travel_mode"])
            profile.physical_capacity = PhysicalDemand(item["physical_capacity"])
            profile.shares_with_employers = list(item["shares"])
            profile.allows_matching = True
            profile.integration_started_on = self.day(item["started"])
            profile.created_at = profile.updated_at = self.at(item["started"], 9)
            profile.limits = [NewcomerLimit(kind=PracticalLimit(k)) for k in item["limits"]]
            self.session.add(profile)
            self.profiles[item["ref"]] = profile
            self.newcomer_data[item["ref"]] = item

    def check(self, condition: bool, message: str) -> None:
        """Refuse demo data that breaks a rule of the domain (a bug in the data modules)."""
        if not condition:
            raise DemoError(f"inconsistent demo data: {message}")
