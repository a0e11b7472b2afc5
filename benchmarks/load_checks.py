"""After the load: what the client saw succeed is in the database, and the data is whole.

* no lost writes: every interest, approval and check-in the client saw confirmed is stored
  (found by the token or placement id in the client's own log); no refused approval took a
  spot anyway;
* no over-booked place: placements holding a spot (approved, active) <= spots, and the
  place's ``spots_taken`` equals that count, for every place;
* the search index agrees with the database (``flask search status``'s check).
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa


def check_data(app, log: list) -> dict:
    """Every check's findings (empty lists when all is well) and the counts behind them."""
    from marketplace import db

    writes = {kind: [e.write for e in log if e.outcome == "ok" and kind in e.write]
              for kind in ("interest", "approved", "check_in")}  # fmt: skip
    refused = [e.write["refused"] for e in log if e.outcome == "refused"]
    with app.app_context():
        session = db.session
        report = {
            "confirmed": {kind: len(found) for kind, found in writes.items()},
            "lost_interests": _lost_interests(session, writes["interest"]),
            "lost_approvals": _lost_approvals(session, writes["approved"]),
            "lost_check_ins": _lost_check_ins(session, writes["check_in"]),
            "refused_but_approved": _refused_but_approved(session, refused),
            "overbooked": _overbooked(session),
        }
        report.update(_search(session))
    return report


def failures(report: dict) -> list[str]:
    """One line per check that failed."""
    lines = [
        f"{name}: {report[name]}"
        for name in (
            "lost_interests",
            "lost_approvals",
            "lost_check_ins",
            "refused_but_approved",
            "overbooked",
        )  # fmt: skip
        if report[name]
    ]
    if not report["index_agrees"]:
        lines.append(f"search index disagrees with the database: {report['index_problems']}")
    return lines


def _lost_interests(session, confirmed: list[dict]) -> list[str]:
    from marketplace.placements.models import Placement

    stored = set(session.scalars(sa.select(Placement.newcomer_message).where(
        Placement.newcomer_message.like("%load-%"))))  # fmt: skip
    found = {m.rsplit(" ", 1)[-1] for m in stored if m}
    return [w["interest"] for w in confirmed if w["interest"] not in found]


def _lost_check_ins(session, confirmed: list[dict]) -> list[str]:
    from marketplace.placements.models import CheckIn

    stored = Counter(
        (text.rsplit(" ", 1)[-1], placement)
        for text, placement in session.execute(
            sa.select(CheckIn.next_steps, CheckIn.placement_id).where(
                CheckIn.next_steps.like("%load-%")
            )
        )
    )
    return [w["check_in"] for w in confirmed if not stored[(w["check_in"], w["placement"])]]


def _lost_approvals(session, confirmed: list[dict]) -> list[int]:
    from marketplace.placements.models import Placement
    from marketplace.placements.workflow import HOLDS_SPOT

    ids = [w["approved"] for w in confirmed]
    held = set(session.scalars(sa.select(Placement.id).where(
        Placement.id.in_(ids), Placement.status.in_(HOLDS_SPOT),
        Placement.approved_by_id.is_not(None))))  # fmt: skip
    return [i for i in ids if i not in held]


def _refused_but_approved(session, refused: list[int]) -> list[int]:
    from marketplace.placements.models import Placement
    from marketplace.placements.workflow import HOLDS_SPOT

    return sorted(session.scalars(sa.select(Placement.id).where(
        Placement.id.in_(refused), Placement.status.in_(HOLDS_SPOT))))  # fmt: skip


def _overbooked(session) -> list[str]:
    """Places with more spot-holding placements than spots, or a count that drifted."""
    from marketplace.placements.models import Placement
    from marketplace.placements.workflow import HOLDS_SPOT
    from marketplace.places.models import Place

    holding = dict(
        session.execute(
            sa.select(Placement.place_id, sa.func.count())
            .where(Placement.status.in_(HOLDS_SPOT))
            .group_by(Placement.place_id)
        ).all()
    )
    problems = []
    for place_id, spots, taken in session.execute(
        sa.select(Place.id, Place.spots, Place.spots_taken)
    ):
        count = holding.get(place_id, 0)
        if (spots is not None and count > spots) or count != taken:
            problems.append(f"place {place_id}: {count} holding, spots {spots}, taken {taken}")
    return problems


def _search(session) -> dict:
    """Whether the index agrees; a lag is applied once and reported, a difference fails."""
    from marketplace import clock
    from marketplace.search.agreement import status
    from marketplace.search.sync import apply_outbox

    first = status(session)
    result = {"index_pending_after_run": first.pending, "index_agrees_at_once": first.agrees}
    final = first
    if not first.agrees:
        apply_outbox(session, clock.today(), timeout=30)
        session.rollback()
        final = status(session)
    result["index_agrees"] = final.agrees
    result["index_documents"] = final.documents
    result["index_problems"] = {
        "missing": final.missing[:10], "extra": final.extra[:10], "stale": final.stale[:10]
    }  # fmt: skip
    return result
