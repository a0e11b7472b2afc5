"""The employer's dashboard: their places with spots and interest, and what to do first."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.db import utcnow
from marketplace.newcomers.models import NewcomerProfile
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.places import services
from marketplace.places.models import PlaceStatus, ReviewDecision
from tests.factories import make_place, make_user
from tests.places.helpers import signed_in

S = PlaceStatus
P = PlacementStatus


def add_placements(db_session, place, *statuses: PlacementStatus) -> None:
    for status in statuses:
        newcomer = make_user(Role.NEWCOMER)
        profile = db_session.scalars(
            sa.select(NewcomerProfile).where(NewcomerProfile.user_id == newcomer.id)
        ).one()
        db_session.add(Placement(profile_id=profile.id, place_id=place.id, status=status))
    db_session.flush()


def table_row(html: str, title: str) -> list[str]:
    """The cells of the dashboard's row for one place, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        if f">{title}</a>" in row:
            cells = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
            return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]
    raise AssertionError(f"no row for {title}")


def todo_items(html: str) -> list[str]:
    """The "for you to do" list, item by item, as text."""
    section = html.split("For you to do", 1)[1].split("<h2>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


@pytest.fixture
def employer(auth):
    return signed_in(auth, Role.EMPLOYER)


def test_each_place_with_status_spots_interest_and_running_placements(db_session, client, employer):
    organisation = employer.organisation
    busy = make_place(organisation, title="Koken", spots=3, spots_taken=1)
    add_placements(db_session, busy, P.INTERESTED, P.INTERESTED, P.PROPOSED, P.ACTIVE, P.DECLINED)
    full = make_place(organisation, title="Tuinieren", spots=2, spots_taken=2)
    add_placements(db_session, full, P.ACTIVE, P.ACTIVE)
    make_place(organisation, S.PAUSED, title="Fietsen maken", spots=1)
    make_place(organisation, S.SUBMITTED, title="Winkel", spots=4)
    make_place(organisation, S.DRAFT, title="Nog niet af", spots=None)
    make_place(organisation, title="Met wijziging", pending_changes={"spots": 5})

    html = client.get("/organisation").get_data(as_text=True)

    assert table_row(html, "Koken") == ["Koken", "Published", "1 of 3", "3", "1"]
    assert table_row(html, "Tuinieren") == ["Tuinieren", "Published · Full", "2 of 2", "0", "2"]
    assert table_row(html, "Fietsen maken") == ["Fietsen maken", "Paused", "0 of 1", "0", "0"]
    assert table_row(html, "Winkel") == ["Winkel", "Waiting for review", "0 of 4", "0", "0"]
    assert table_row(html, "Nog niet af") == ["Nog niet af", "Draft", "–", "0", "0"]
    assert table_row(html, "Met wijziging")[1] == "Published · changes waiting"


def test_what_needs_doing_comes_first_in_order(db_session, client, employer):
    organisation = employer.organisation
    consultant = make_user(Role.CONSULTANT)
    rejected = make_place(organisation, S.SUBMITTED, title="Afgewezen plek")
    services.decide(
        db_session, consultant, rejected, ReviewDecision.REJECTED, "Dit is betaald werk."
    )
    asked = make_place(organisation, S.SUBMITTED, title="Aan te passen plek")
    services.decide(
        db_session,
        consultant,
        asked,
        ReviewDecision.CHANGES_REQUESTED,
        "Noem een begeleider.",
    )
    proposed = make_place(organisation, title="Plek met voorstellen")
    add_placements(db_session, proposed, P.PROPOSED, P.PROPOSED, P.INTERESTED)
    make_place(organisation, title="Niet verstuurd", pending_changes={"spots": 5})
    make_place(organisation, S.DRAFT, title="Half ingevuld")
    # nothing to do for these
    make_place(organisation, title="Loopt gewoon")
    make_place(
        organisation,
        title="Wijziging ligt bij de gemeente",
        pending_changes={"spots": 5},
        changes_submitted_at=utcnow(),
    )
    make_place(organisation, S.SUBMITTED, title="Wacht op de gemeente")

    items = todo_items(client.get("/organisation").get_data(as_text=True))

    assert items == [
        "Not approved: Afgewezen plek. The municipality says: “Dit is betaald werk.”",
        "Please change: Aan te passen plek. The municipality says: “Noem een begeleider.”",
        "2 newcomers are waiting for an introduction at: Plek met voorstellen",
        "Changes not sent yet: Niet verstuurd",
        "Draft to finish: Half ingevuld",
    ]


def test_nothing_to_do(db_session, client, employer):
    make_place(employer.organisation, title="Loopt gewoon")
    html = client.get("/organisation").get_data(as_text=True)
    assert todo_items(html) == []
    assert "Nothing right now." in html


def test_a_draft_sent_again_after_a_change_request_is_no_longer_a_todo(
    db_session, client, employer
):
    place = make_place(employer.organisation, S.SUBMITTED, title="Opnieuw verstuurd")
    services.decide(
        db_session, make_user(Role.CONSULTANT), place, ReviewDecision.CHANGES_REQUESTED, "Uren?"
    )
    services.submit_place(
        db_session,
        employer,
        place,
        {
            "would_be_paid_vacancy": False,
            "replaces_absent_worker": False,
            "replaces_dismissed_worker": False,
            "structural_work": False,
            "works_council": place.works_council,
        },
    )
    assert todo_items(client.get("/organisation").get_data(as_text=True)) == []


def test_the_dashboard_links_to_the_places_and_a_new_one(db_session, client, employer):
    place = make_place(employer.organisation, S.DRAFT, title="Concept")
    html = client.get("/organisation").get_data(as_text=True)
    assert 'href="/organisation/places/new"' in html
    assert f'href="/places/{place.id}/send"' in html
    assert client.get(f"/places/{place.id}").status_code == 200
