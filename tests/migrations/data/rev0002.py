"""Drafts may be incomplete; reviews of places."""

from __future__ import annotations

from marketplace import models as m
from tests.migrations.data import AT, insert, row


def load(conn) -> None:
    # a draft with only a title: allowed from 0002 on
    insert(
        conn,
        "place",
        id=201,
        organisation_id=101,
        title="Nog niet af",
        skills_wanted="[]",
        skills_learned="[]",
        education_offered="[]",
        languages="[]",
        schedule="[]",
        remote=False,
        spots_taken=0,
        mentor=False,
        status="draft",
        version=1,
        created_at=AT,
        updated_at=AT,
    )
    insert(
        conn,
        "place_review",
        id=201,
        place_id=101,
        decision="published",
        comment="Ziet er goed uit.",
        flags='["few_hours"]',
        reviewer_id=102,
        decided_at=AT,
    )


def at_head(session) -> None:
    draft = session.get(m.Place, 201)
    assert (draft.title, draft.status, draft.description, draft.spots) == (
        "Nog niet af",
        "draft",
        None,
        None,
    )
    review = session.get(m.PlaceReview, 201)
    assert (review.decision, review.flags, review.reviewer_id) == ("published", ["few_hours"], 102)


def after_downgrade(conn) -> None:
    assert row(conn, "place", 201, "title", "status") == ("Nog niet af", "draft")
    assert row(conn, "place_review", 201, "comment") == ("Ziet er goed uit.",)
