"""The dates the retention tests live by, and helpers they share; never the real date."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import time_machine

from marketplace.accounts.models import Role
from marketplace.accounts.services import set_active
from tests.factories import make_user
from tests.privacy.canary import make_canary, stored_text

SEEDED = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
#: the latest date in a canary's file: its follow-up is due then
LAST_DATE = date(2026, 9, 26)
TODAY = date(2032, 1, 1)
#: only the whole-file rule bites in the tests of whole files
FILES_ONLY = {
    "newcomer_file_years": 5,
    "closed_account_years": 50,
    "check_in_notes_years": 50,
    "feedback_years": 50,
    "notice_days": 36500,
    "sign_in_days": 36500,
    "mail_file_days": 36500,
}


def checksum(dbs) -> str:
    dbs.expire_all()
    return hashlib.sha256(stored_text(dbs).encode()).hexdigest()


def closed_canary(dbs, tag: str, at: datetime = SEEDED):
    """A canary newcomer whose account an admin closed at ``at``."""
    with time_machine.travel(at, tick=False):
        canary = make_canary(dbs, tag)
        set_active(dbs, make_user(Role.ADMIN), canary.user, False)
        dbs.flush()
    return canary
