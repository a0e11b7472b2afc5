"""Each consultant read of a newcomer's file is in the audit log with the part read and the
reader's origin, stored only as a keyed pseudonym (security.md R34)."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.audit.services import ip_pseudonym
from marketplace.search.output import newcomer_ref
from tests.factories import make_user
from tests.search.indexing import cooking_newcomer

ORIGIN = "198.51.100.23"
#: a page of the file, and the part of it its audit row must name
READS = [
    ("/caseload/{ref}/profile", "newcomer_profile_read", "profile"),
    ("/caseload/{ref}/profile/history", "newcomer_profile_read", "profile/history"),
    ("/caseload/{ref}/intake", "newcomer_profile_read", "intake"),
    ("/caseload/{ref}/plan", "newcomer_profile_read", "plan"),
    ("/caseload/{ref}/placements", "newcomer_profile_read", "placements"),
    ("/api/v1/newcomers/{ref}/matches", "newcomer_matches_read", "api/matches"),
]


def test_each_read_names_the_part_and_the_origin_as_a_pseudonym(db_session, client, auth):
    consultant = make_user(Role.CONSULTANT, language="en")
    newcomer, profile = cooking_newcomer(db_session)
    profile.consultant_id = consultant.id
    db_session.flush()
    auth.login(consultant.email)
    ref = newcomer_ref(profile)

    for url, _action, _part in READS:
        response = client.get(url.format(ref=ref), environ_base={"REMOTE_ADDR": ORIGIN})
        assert response.status_code == 200, url

    rows = db_session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action.in_({action for _url, action, _part in READS}))
        .order_by(AuditEvent.id)
    ).all()
    assert [(row.action, row.detail.get("page")) for row in rows] == [
        (action, part) for _url, action, part in READS
    ]
    for row in rows:
        assert (row.actor_id, row.subject_user_id) == (consultant.id, newcomer.id)
        assert row.ip == ip_pseudonym(ORIGIN) != ip_pseudonym("127.0.0.1")
        assert ORIGIN not in row.ip
