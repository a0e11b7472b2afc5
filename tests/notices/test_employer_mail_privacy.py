"""The employer never receives a newcomer's health or practical limits, not in a notice and
not in an e-mail, also not when a placement at their place is approved (security.md R35).

The newcomer is a canary (tests/privacy/canary.py): every text about them is a marker, and
their limits and physical capacity are set, so a leak is found by searching the text.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import Role
from marketplace.mail import PENDING_KEY, queue_mail
from marketplace.newcomers.models import NewcomerLimit, PracticalLimit
from marketplace.notices.messages import render
from marketplace.notices.models import Notice, NoticeKind
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.vocab import PhysicalDemand
from tests.factories import make_organisation, make_place, make_user
from tests.privacy.canary import make_canary

TODAY = date(2026, 11, 29)
LIMITS = (PracticalLimit.LIGHT_WORK_ONLY, PracticalLimit.NO_NIGHT_SHIFTS)
#: a valid notice of each kind, as the app makes them
NOTICES = {
    NoticeKind.DEADLINE: {"activity_kind": "map", "description": "Module afronden"},
    NoticeKind.APPOINTMENT: {"what": "Gesprek", "time": "10:30", "location": "Stadskantoor"},
    NoticeKind.PLAN_TO_AGREE: {},
    NoticeKind.PROPOSAL: {"place_title": "Koken"},
    NoticeKind.CHECK_IN_DUE: {"place": "Koken", "newcomer": "Amal"},
    NoticeKind.FOLLOW_UP_DUE: {"months": 3, "place": "Koken", "newcomer": "Amal"},
    NoticeKind.OVERDUE_OVERVIEW: {"check_ins": 1, "follow_ups": 2, "deadlines": 3},
}


@pytest.fixture
def canary(app, db_session):
    """A canary newcomer with practical limits and a light physical capacity."""
    found = make_canary(db_session, "mail")
    found.profile.physical_capacity = PhysicalDemand.LIGHT
    db_session.add(NewcomerLimit(profile_id=found.profile.id, kind=PracticalLimit.NO_NIGHT_SHIFTS))
    db_session.flush()
    return found


def health_words(canary) -> list[str]:
    """The newcomer's limits and capacity as stored and as read in English and Dutch."""
    from marketplace.labels import label

    values = [*LIMITS, canary.profile.physical_capacity]
    words = [str(value) for value in values]
    for language in ("en", "nl"):
        with force_locale(language):
            words += [label(value) for value in values]
    return words


def leaks(text: str, canary) -> list[str]:
    found = [word for word in health_words(canary) if word.lower() in text.lower()]
    return found + ([canary.prefix] if canary.prefix in text else [])


def test_approving_a_placement_sends_the_host_nothing_about_health(
    app, db_session, client, auth, canary
):
    organisation = make_organisation("Buurtkeuken")
    host = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    place = make_place(organisation, spots=2)
    placement = Placement(
        profile_id=canary.profile.id, place_id=place.id, status=PlacementStatus.ACCEPTED_BY_HOST
    )
    db_session.add(placement)
    db_session.flush()
    app.extensions["sent_mail"].clear()
    auth.login(canary.consultant.email)

    response = client.post(f"/caseload/placements/{placement.id}/approve", data={})

    assert response.status_code == 302
    db_session.expire_all()
    assert placement.status is PlacementStatus.APPROVED
    to_host = [m for m in app.extensions["sent_mail"] if m["To"] == host.email]
    notices = db_session.scalars(sa.select(Notice).where(Notice.user_id == host.id)).all()
    texts = [f"{m['Subject']}\n{m.get_content()}" for m in to_host]
    with force_locale("en"):
        texts += ["\n".join(render(notice, TODAY, named=True)) for notice in notices]
    assert [leaks(text, canary) for text in texts if leaks(text, canary)] == []
    for message in app.extensions["sent_mail"]:  # nobody's mail about the approval has them
        assert leaks(message.get_content(), canary) == [], message["To"]


@pytest.mark.parametrize("kind", list(NOTICES), ids=str)
def test_no_notice_or_mail_shows_limits_even_when_they_are_passed_to_it(
    app, db_session, canary, kind
):
    """The renderer writes only the values its kind names: limits handed to it by mistake
    (or by a future notice to an employer) never reach the text or the e-mail."""
    host = make_user(Role.EMPLOYER, language="en")
    extra = {
        "limits": [str(limit) for limit in LIMITS],
        "physical_capacity": str(canary.profile.physical_capacity),
        "health": canary.markers[("newcomer_profile", "motivation")],
    }
    notice = Notice(user_id=host.id, kind=kind, key="t", params=NOTICES[kind] | extra)
    notice.due_on = TODAY

    with app.test_request_context(), force_locale("en"):
        title, body = render(notice, TODAY, named=True)
        mail = queue_mail(
            db_session,
            host.email,
            "en",
            "notice",
            user=host,
            notice=notice,
            notice_text=render,
            today=TODAY,
            link="https://example.nl/me/notices",
        )
    db_session.info.pop(PENDING_KEY, None)

    assert body  # the notice was written
    assert leaks(f"{title}\n{body}", canary) == []
    assert leaks(f"{mail['Subject']}\n{mail.get_content()}", canary) == []
