"""What a newcomer keeps private never reaches the employer whose place they showed interest in."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.newcomers.models import NewcomerLimit, NewcomerProfile, PracticalLimit
from marketplace.places.slugs import slugify
from tests.factories import make_organisation, make_place, make_user
from tests.search.indexing import NEAR_AREAS, add_postcode_areas

MOTIVATION = "Mijn dochter is vaak ziek"


def test_an_employers_pages_never_show_a_newcomers_limits_week_or_words(db_session, client, auth):
    add_postcode_areas(db_session, NEAR_AREAS)
    organisation = make_organisation("Buurtkeuken")
    employer = make_user(Role.EMPLOYER, organisation=organisation, language="en")
    place = make_place(organisation, title="Koken voor de buurt", postcode="3531 AB")
    newcomer = make_user(Role.NEWCOMER, language="en")
    profile = db_session.scalars(sa.select(NewcomerProfile).filter_by(user_id=newcomer.id)).one()
    profile.motivation = MOTIVATION
    profile.schedule = ["weekend"]
    profile.limits = [NewcomerLimit(kind=PracticalLimit.SCHOOL_HOURS_ONLY)]
    db_session.flush()
    auth.login(newcomer.email)
    client.post(f"/me/places/{place.id}/interest", data={"message": "Graag op zaterdag."})
    auth.logout()

    auth.login(employer.email)
    pages = [
        "/organisation",
        "/organisation/edit",
        f"/places/{place.id}/{slugify(place.title)}",
        f"/places/{place.id}/send",
        *(f"/places/{place.id}/edit/{step}" for step in ("work", "time", "support")),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        for private in (newcomer.name, newcomer.email, MOTIVATION, "Only during school hours"):
            assert private not in text, f"{private!r} on {path}"
