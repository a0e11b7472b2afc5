"""Who may use which endpoint: the one role x endpoint table (security.md R01-R02, R08, R20).

Every (endpoint, method) of the app is a key. Its value says who may use it: ``PUBLIC``
(anyone, signed in or not) or a set of roles. A new route fails ``test_routes.py`` until it is
classified here. URL parameters are sample values; a ``Sample`` is made real by the tests
(an object or a token created in the test's rolled-back transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from marketplace.accounts.models import Role
from tests.factories import PASSWORD

#: a date the forms accept (they refuse dates years away), whatever today is
A_YEAR_AHEAD = (date.today() + timedelta(days=365)).isoformat()

PUBLIC = "public"


class Sample(StrEnum):
    """A URL parameter that the tests replace with a real object's id or a working token."""

    UNVERIFIED_ORGANISATION_ID = "unverified_organisation_id"
    NEWCOMER_USER_ID = "newcomer_user_id"
    RESET_TOKEN = "reset_token"
    INVITATION_TOKEN = "invitation_token"
    #: a published place titled ``SAMPLE_PLACE_TITLE`` (its URL slug is ``SAMPLE_PLACE_SLUG``)
    PUBLISHED_PLACE_ID = "published_place_id"
    #: a complete draft of the signed-in employer's organisation (of another one for others)
    OWN_DRAFT_PLACE_ID = "own_draft_place_id"
    #: a published place of the signed-in employer's organisation, titled ``SAMPLE_PLACE_TITLE``
    OWN_PUBLISHED_PLACE_ID = "own_published_place_id"
    #: a place waiting for a consultant's review
    SUBMITTED_PLACE_ID = "submitted_place_id"
    #: an interest of the signed-in newcomer (of someone else for other roles)
    OWN_PLACEMENT_ID = "own_placement_id"
    #: a placement after the introduction, of a newcomer of the signed-in consultant's
    #: caseload, at a place of the signed-in employer's organisation (unrelated to others)
    STEP_PLACEMENT_ID = "step_placement_id"
    #: like STEP_PLACEMENT_ID, but started
    ACTIVE_HOSTED_PLACEMENT_ID = "active_hosted_placement_id"
    #: a check-in of an ACTIVE_HOSTED_PLACEMENT_ID
    HOSTED_CHECK_IN_ID = "hosted_check_in_id"
    #: a version of the signed-in newcomer's plan waiting for their yes (someone else's for others)
    OWN_PLAN_TO_AGREE_ID = "own_plan_to_agree_id"
    #: a place proposed to the signed-in newcomer, not answered yet (someone else's for others)
    OWN_PROPOSED_PLACEMENT_ID = "own_proposed_placement_id"
    #: the signed-in newcomer's own ref; a newcomer of the signed-in consultant's caseload
    OWN_NEWCOMER_REF = "own_newcomer_ref"
    #: an open request to erase data: the signed-in newcomer's own, or of a newcomer of the
    #: signed-in consultant's caseload (someone's for others); for "cancel", whose URL names no
    #: request, it is sent as a query parameter the view ignores, so there is one to cancel
    OPEN_ERASURE_REQUEST_ID = "open_erasure_request_id"
    #: an unread message of the signed-in newcomer (of someone else for other roles); sent as
    #: a query parameter the view ignores, so that "mark all read" has something to change
    OWN_UNREAD_NOTICE_ID = "own_unread_notice_id"
    #: a placement of the signed-in newcomer that has started (of someone else for other roles)
    OWN_ACTIVE_PLACEMENT_ID = "own_active_placement_id"
    #: a finished placement of a newcomer of the signed-in consultant's caseload (of someone
    #: else's newcomer for others)
    ENDED_PLACEMENT_ID = "ended_placement_id"
    #: a follow-up, due long ago, of the outcome of such a finished placement
    FOLLOW_UP_ID = "follow_up_id"
    #: a version of the signed-in newcomer's plan; for a consultant, of the newcomer of their
    #: caseload that OWN_NEWCOMER_REF named just before (someone else's for others)
    OWN_PLAN_ID = "own_plan_id"
    #: an active consultant (not the one signed in), sent as form data
    ACTIVE_CONSULTANT_ID = "active_consultant_id"
    #: a code of the signed-in user's authenticator app, not used yet, sent as form data
    TOTP_CODE = "totp_code"
    #: an unused recovery code of the signed-in user, sent as form data
    RECOVERY_CODE = "recovery_code"


SAMPLE_PLACE_TITLE = "Kok in de buurtkeuken"
SAMPLE_PLACE_SLUG = "kok-in-de-buurtkeuken"


@dataclass(frozen=True)
class Access:
    """Who may use one (endpoint, method), and the URL parameters to call it with."""

    who: str | frozenset[Role]
    params: dict[str, object] = field(default_factory=dict)
    #: form data the matrix test sends, for a POST that needs some to be a valid request
    data: dict[str, str] = field(default_factory=dict)
    #: a consultant or administrator who has not set up the authenticator app yet signs in
    setting_up: bool = False

    @property
    def public(self) -> bool:
        return self.who == PUBLIC

    def allows(self, role: Role | None) -> bool:
        """Whether this identity (None: anonymous) may use the endpoint."""
        if self.public:
            return True
        return role is not None and role in self.who


ANY_ROLE = frozenset(Role)
NEWCOMER = frozenset({Role.NEWCOMER})
EMPLOYER = frozenset({Role.EMPLOYER})
CONSULTANT = frozenset({Role.CONSULTANT})
ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.CONSULTANT, Role.ADMIN})

MATRIX: dict[tuple[str, str], Access] = {
    # public pages
    ("static", "GET"): Access(PUBLIC, {"filename": "css/app.css"}),
    ("pages.home", "GET"): Access(PUBLIC),
    ("pages.about", "GET"): Access(PUBLIC),
    ("pages.privacy", "GET"): Access(PUBLIC),
    ("pages.accessibility", "GET"): Access(PUBLIC),
    ("pages.health", "GET"): Access(PUBLIC),
    ("pages.set_language", "POST"): Access(PUBLIC),
    # accounts
    ("accounts.login", "GET"): Access(PUBLIC),
    ("accounts.login", "POST"): Access(PUBLIC),
    ("accounts.logout", "POST"): Access(ANY_ROLE),
    ("accounts.account", "GET"): Access(ANY_ROLE),
    ("accounts.change_password", "GET"): Access(ANY_ROLE),
    ("accounts.change_password", "POST"): Access(ANY_ROLE),
    ("accounts.confirm_password", "GET"): Access(ANY_ROLE),
    ("accounts.confirm_password", "POST"): Access(ANY_ROLE, data={"password": PASSWORD}),
    ("accounts.forgot_password", "GET"): Access(PUBLIC),
    ("accounts.forgot_password", "POST"): Access(PUBLIC),
    ("accounts.reset_password", "GET"): Access(PUBLIC, {"token": Sample.RESET_TOKEN}),
    ("accounts.reset_password", "POST"): Access(PUBLIC, {"token": Sample.RESET_TOKEN}),
    ("accounts.accept_invitation", "GET"): Access(PUBLIC, {"token": Sample.INVITATION_TOKEN}),
    ("accounts.accept_invitation", "POST"): Access(PUBLIC, {"token": Sample.INVITATION_TOKEN}),
    ("accounts.register_employer", "GET"): Access(PUBLIC),
    ("accounts.register_employer", "POST"): Access(PUBLIC),
    # the second login step (consultants and administrators)
    ("mfa.verify", "GET"): Access(STAFF),
    ("mfa.verify", "POST"): Access(STAFF, data={"code": Sample.TOTP_CODE}),
    ("mfa.recovery", "GET"): Access(STAFF),
    ("mfa.recovery", "POST"): Access(STAFF, data={"code": Sample.RECOVERY_CODE}),
    ("mfa.setup", "GET"): Access(STAFF, setting_up=True),
    ("mfa.setup", "POST"): Access(STAFF),
    ("mfa.qr_code", "GET"): Access(STAFF, setting_up=True),
    ("mfa.manage", "GET"): Access(STAFF),
    ("mfa.new_recovery_codes", "POST"): Access(STAFF, data={"password": PASSWORD}),
    ("mfa.reset", "POST"): Access(STAFF, data={"password": PASSWORD}),
    # employers
    ("organisations.dashboard", "GET"): Access(EMPLOYER),
    ("organisations.edit", "GET"): Access(EMPLOYER),
    ("organisations.edit", "POST"): Access(EMPLOYER),
    ("organisations.colleagues", "GET"): Access(EMPLOYER),
    ("organisations.colleagues", "POST"): Access(EMPLOYER),
    # places: the public list and page, and the employer's own places
    ("places.index", "GET"): Access(PUBLIC),
    ("places.detail", "GET"): Access(
        PUBLIC, {"place_id": Sample.PUBLISHED_PLACE_ID, "slug": SAMPLE_PLACE_SLUG}
    ),
    ("places.new", "GET"): Access(EMPLOYER),
    ("places.new", "POST"): Access(EMPLOYER),
    ("places.edit", "GET"): Access(
        EMPLOYER, {"place_id": Sample.OWN_DRAFT_PLACE_ID, "step": "work"}
    ),
    ("places.edit", "POST"): Access(
        EMPLOYER, {"place_id": Sample.OWN_DRAFT_PLACE_ID, "step": "work"}
    ),
    ("places.submit", "GET"): Access(EMPLOYER, {"place_id": Sample.OWN_DRAFT_PLACE_ID}),
    ("places.submit", "POST"): Access(EMPLOYER, {"place_id": Sample.OWN_DRAFT_PLACE_ID}),
    ("places.set_status", "POST"): Access(
        EMPLOYER, {"place_id": Sample.OWN_PUBLISHED_PLACE_ID}, data={"target": "paused"}
    ),
    # the consultants' review of places
    ("review.queue", "GET"): Access(CONSULTANT),
    ("review.place", "GET"): Access(CONSULTANT, {"place_id": Sample.SUBMITTED_PLACE_ID}),
    ("review.place", "POST"): Access(CONSULTANT, {"place_id": Sample.SUBMITTED_PLACE_ID}),
    # verification of organisations by staff
    ("organisations.unverified", "GET"): Access(STAFF),
    ("organisations.verify", "POST"): Access(
        STAFF, {"organisation_id": Sample.UNVERIFIED_ORGANISATION_ID}
    ),
    # newcomers and caseload
    ("newcomers.dashboard", "GET"): Access(NEWCOMER),
    ("newcomers.welcome", "GET"): Access(NEWCOMER),
    ("newcomers.for_you", "GET"): Access(NEWCOMER),
    ("newcomers.why", "GET"): Access(NEWCOMER, {"place_id": Sample.PUBLISHED_PLACE_ID}),
    ("newcomers.show_interest", "POST"): Access(
        NEWCOMER, {"place_id": Sample.PUBLISHED_PLACE_ID}, data={"message": "Ik kook graag."}
    ),
    ("newcomers.withdraw", "POST"): Access(NEWCOMER, {"placement_id": Sample.OWN_PLACEMENT_ID}),
    ("newcomers.placement", "GET"): Access(NEWCOMER, {"placement_id": Sample.OWN_PLACEMENT_ID}),
    ("newcomers.answer", "POST"): Access(
        NEWCOMER, {"placement_id": Sample.OWN_PROPOSED_PLACEMENT_ID}, data={"answer": "yes"}
    ),
    # the newcomer's messages (reminders and news)
    ("notices.index", "GET"): Access(frozenset({Role.NEWCOMER, Role.CONSULTANT})),
    ("notices.mark_read", "POST"): Access(
        frozenset({Role.NEWCOMER, Role.CONSULTANT}), {"notice": Sample.OWN_UNREAD_NOTICE_ID}
    ),
    # the newcomer's feedback on a placement's place and on the service
    ("feedback.place_feedback", "GET"): Access(
        NEWCOMER, {"placement_id": Sample.OWN_ACTIVE_PLACEMENT_ID}
    ),
    ("feedback.place_feedback", "POST"): Access(
        NEWCOMER, {"placement_id": Sample.OWN_ACTIVE_PLACEMENT_ID}, data={"meaningful": "4"}
    ),
    ("feedback.service_feedback", "GET"): Access(NEWCOMER),
    ("feedback.service_feedback", "POST"): Access(NEWCOMER, data={"respect": "5"}),
    ("path.my_path", "GET"): Access(NEWCOMER),
    ("path.agree", "POST"): Access(NEWCOMER, {"plan_id": Sample.OWN_PLAN_TO_AGREE_ID}),
    # the plan (PIP): the consultant's versions and new version, the printed plan
    ("plans.of_newcomer", "GET"): Access(CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF}),
    ("plans.new_version", "GET"): Access(CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF}),
    ("plans.new_version", "POST"): Access(
        CONSULTANT,
        {"ref": Sample.OWN_NEWCOMER_REF},
        data={"based_on": "0", "learning_route": "b1", "integration_deadline": A_YEAR_AHEAD},
    ),
    ("plans.print_for_newcomer", "GET"): Access(
        CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF, "plan_id": Sample.OWN_PLAN_ID}
    ),
    ("plans.print_mine", "GET"): Access(NEWCOMER, {"plan_id": Sample.OWN_PLAN_ID}),
    # the newcomer's profile: their own, and the same pages for their consultant
    ("profile.mine", "GET"): Access(NEWCOMER),
    ("profile.edit_mine", "GET"): Access(NEWCOMER, {"part": "work"}),
    ("profile.edit_mine", "POST"): Access(
        NEWCOMER, {"part": "work"}, data={"skills": "koken, fietsen"}
    ),
    ("profile.history_mine", "GET"): Access(NEWCOMER),
    ("profile.of_newcomer", "GET"): Access(CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF}),
    ("profile.edit_for_newcomer", "GET"): Access(
        CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF, "part": "work"}
    ),
    ("profile.edit_for_newcomer", "POST"): Access(
        CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF, "part": "work"}, data={"skills": "koken"}
    ),
    ("profile.history_of_newcomer", "GET"): Access(CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF}),
    # my data: the newcomer's export and request to erase, the consultant's decision
    ("privacy.my_data", "GET"): Access(NEWCOMER),
    ("privacy.my_data_json", "GET"): Access(NEWCOMER),
    ("privacy.erase", "GET"): Access(NEWCOMER),
    ("privacy.erase", "POST"): Access(NEWCOMER, data={"reason": "Ik verhuis."}),
    ("privacy.cancel_erasure", "POST"): Access(
        NEWCOMER, {"request": Sample.OPEN_ERASURE_REQUEST_ID}
    ),
    ("privacy.erasure_requests", "GET"): Access(CONSULTANT),
    ("privacy.carry_out", "POST"): Access(
        CONSULTANT, {"request_id": Sample.OPEN_ERASURE_REQUEST_ID}
    ),
    ("newcomers.caseload", "GET"): Access(CONSULTANT),
    ("newcomers.new_newcomer", "GET"): Access(CONSULTANT),
    ("newcomers.new_newcomer", "POST"): Access(CONSULTANT),
    # the intake: the first conversation, written by the consultant, read by the newcomer
    ("intake.record", "GET"): Access(CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF}),
    ("intake.record", "POST"): Access(
        CONSULTANT,
        {"ref": Sample.OWN_NEWCOMER_REF},
        data={
            "held_on": "2026-01-05",
            "hours_available": "12",
            "rung": "2",
            "rung_reason": "Contact met buren.",
        },
    ),
    ("intake.mine", "GET"): Access(NEWCOMER),
    # placing: the consultant's placements of a newcomer, the host's candidates, every step
    ("placing.of_newcomer", "GET"): Access(CONSULTANT, {"ref": Sample.OWN_NEWCOMER_REF}),
    ("placing.propose", "POST"): Access(
        CONSULTANT, {"place_id": Sample.PUBLISHED_PLACE_ID}, data={"newcomer": "nobody"}
    ),
    ("placing.take_step", "POST"): Access(
        CONSULTANT,
        {"placement_id": Sample.STEP_PLACEMENT_ID, "step": "decline"},
        data={"reason": "Past niet bij de planning."},
    ),
    ("placing.host_step", "POST"): Access(
        EMPLOYER,
        {"placement_id": Sample.STEP_PLACEMENT_ID, "step": "host_decline"},
        data={"reason": "Geen begeleider vrij."},
    ),
    ("placing.candidates", "GET"): Access(EMPLOYER),
    ("placing.check_in", "GET"): Access(
        CONSULTANT, {"placement_id": Sample.ACTIVE_HOSTED_PLACEMENT_ID}
    ),
    ("placing.check_in", "POST"): Access(
        CONSULTANT,
        {"placement_id": Sample.ACTIVE_HOSTED_PLACEMENT_ID},
        data={
            "held_on": "2026-11-02",
            "ladder_rung": "4",
            "attendance": "good",
            "hours_worked": "8",
        },
    ),
    ("placing.host_view", "POST"): Access(
        EMPLOYER, {"check_in_id": Sample.HOSTED_CHECK_IN_ID}, data={"view": "Gaat goed."}
    ),
    # outcomes: how a finished placement ended, and the follow-ups after 3, 6 and 12 months
    ("outcomes.record", "GET"): Access(CONSULTANT, {"placement_id": Sample.ENDED_PLACEMENT_ID}),
    ("outcomes.record", "POST"): Access(
        CONSULTANT, {"placement_id": Sample.ENDED_PLACEMENT_ID}, data={"result": "education"}
    ),
    ("outcomes.follow_up", "GET"): Access(CONSULTANT, {"follow_up_id": Sample.FOLLOW_UP_ID}),
    ("outcomes.follow_up", "POST"): Access(
        CONSULTANT,
        {"follow_up_id": Sample.FOLLOW_UP_ID},
        data={"in_paid_work": "no", "in_education": "yes"},
    ),
    # the JSON API
    ("api.newcomer_matches", "GET"): Access(
        frozenset({Role.NEWCOMER, Role.CONSULTANT}), {"ref": Sample.OWN_NEWCOMER_REF}
    ),
    # dashboards: figures for the consultant's caseload and the municipality, and exports
    ("dashboards.consultant", "GET"): Access(CONSULTANT),
    ("dashboards.municipality", "GET"): Access(STAFF),
    ("dashboards.export", "GET"): Access(
        STAFF, {"scope": "municipality", "table": "placements", "fmt": "csv"}
    ),
    # administration
    ("admin.dashboard", "GET"): Access(ADMIN),
    ("admin.users", "GET"): Access(ADMIN),
    ("admin.new_user", "GET"): Access(ADMIN),
    ("admin.new_user", "POST"): Access(ADMIN),
    ("admin.toggle_active", "POST"): Access(ADMIN, {"user_id": Sample.NEWCOMER_USER_ID}),
    ("admin.reset_second_step", "POST"): Access(ADMIN, {"user_id": Sample.ACTIVE_CONSULTANT_ID}),
    # administration of caseloads: which consultant guides which newcomer
    ("assignments.index", "GET"): Access(ADMIN),
    ("assignments.assign", "POST"): Access(
        ADMIN, {"ref": Sample.OWN_NEWCOMER_REF}, data={"consultant": Sample.ACTIVE_CONSULTANT_ID}
    ),
}

#: the identities every cell is tried with; None is an anonymous visitor
IDENTITIES: tuple[Role | None, ...] = (None, *Role)


def identity_name(role: Role | None) -> str:
    return "anonymous" if role is None else role.value


def cell_id(key: tuple[str, str]) -> str:
    endpoint, method = key
    return f"{method} {endpoint}"
