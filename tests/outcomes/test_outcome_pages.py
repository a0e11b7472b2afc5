"""Outcomes and follow-ups through the pages: the consultant records, the newcomer reads."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import Role
from marketplace.audit.models import AuditEvent
from marketplace.newcomers.models import LadderStep
from marketplace.placements.models import FollowUp, Outcome, PlacementStatus
from marketplace.search.output import newcomer_ref
from tests.factories import make_user

PAID = {"result": "paid_job_host", "hours_per_week": "32", "contract": "permanent"}
WORKING = {"in_paid_work": "yes", "hours_per_week": "32", "contract": "permanent"}
FOLLOW_UP = {**WORKING, "in_education": "no", "ladder_rung": "6", "notes": "Werkt als kok."}


def _url(ended) -> str:
    return f"/caseload/placements/{ended.placement.id}/outcome"


def _pages_read(dbs) -> list[str]:
    events = dbs.scalars(sa.select(AuditEvent).filter_by(action="newcomer_profile_read"))
    return [event.detail["page"] for event in events]


def _follow_ups(dbs) -> dict[int, FollowUp]:
    return {f.months: f for f in dbs.scalars(sa.select(FollowUp))}


def test_ending_a_placement_leads_to_its_outcome_and_the_follow_ups(
    db_session, client, auth, ended
):
    ended.placement.status = PlacementStatus.ACTIVE
    ended.placement.ended_on = None
    db_session.flush()
    auth.login(ended.consultant.email)
    done = client.post(
        f"/caseload/placements/{ended.placement.id}/complete", data={"on": "2027-01-31"}
    )
    assert done.status_code == 302 and done.location.endswith(_url(ended))
    page = client.get(_url(ended)).get_data(as_text=True)
    assert "How did the placement end?" in page and "outcome" in _pages_read(db_session)

    saved = client.post(_url(ended), data=PAID)

    file = f"/caseload/{newcomer_ref(ended.profile)}/placements"
    assert saved.status_code == 302 and saved.location.endswith(file)
    db_session.expire_all()
    assert ended.placement.outcome.result.value == "paid_job_host"
    first = _follow_ups(db_session)[3]
    assert (first.hours_per_week, first.contract.value) == (32, "permanent")
    placements = client.get(file).get_data(as_text=True)
    assert "Outcome: Paid work at the same place" in placements
    assert "After 3 months" in placements and "Due on April 30, 2027" in placements
    assert "After 12 months" in placements and "Due on January 31, 2028" in placements


def test_a_stopped_placement_needs_a_reason(db_session, client, auth, ended):
    auth.login(ended.consultant.email)
    response = client.post(_url(ended), data={"result": "stopped", "explanation": ""})
    assert response.status_code == 400
    assert "Say why the newcomer stopped." in response.get_data(as_text=True)
    assert db_session.scalars(sa.select(Outcome)).all() == []
    assert "outcome" in _pages_read(db_session)  # the opening stays logged


def test_bad_input_is_shown_at_the_field(db_session, client, auth, ended):
    auth.login(ended.consultant.email)
    response = client.post(_url(ended), data={**PAID, "hours_per_week": "veel"})
    assert response.status_code == 400
    assert "Fill in a number from 0 to 80." in response.get_data(as_text=True)
    response = client.post(_url(ended), data={"result": "education", "contract": "on_call"})
    assert response.status_code == 400
    assert "Fill this in only for paid work." in response.get_data(as_text=True)
    assert db_session.scalars(sa.select(Outcome)).all() == []


def test_a_double_submit_gets_a_message_and_saving_again_corrects(db_session, client, auth, ended):
    auth.login(ended.consultant.email)
    assert client.post(_url(ended), data=PAID).status_code == 302
    again = client.post(_url(ended), data={"result": "education"})
    page = again.get_data(as_text=True)
    assert again.status_code == 400 and "saved already" in page
    db_session.expire_all()
    outcome = db_session.scalars(sa.select(Outcome)).one()
    assert outcome.result.value == "paid_job_host" and len(_follow_ups(db_session)) == 3
    assert f'name="outcome_id" type="hidden" value="{outcome.id}"' in page

    corrected = client.post(_url(ended), data={"result": "education", "outcome_id": outcome.id})
    assert corrected.status_code == 302
    db_session.expire_all()
    assert outcome.result.value == "education" and _follow_ups(db_session)[3].contract is None


def test_no_outcome_before_the_placement_ended(db_session, client, auth, ended):
    ended.placement.status = PlacementStatus.ACTIVE
    db_session.flush()
    auth.login(ended.consultant.email)
    page = client.get(_url(ended)).get_data(as_text=True)
    assert "This placement has not ended yet." in page and "Save the outcome" not in page
    response = client.post(_url(ended), data={"result": "education"})
    assert response.status_code == 400
    assert "This placement has not ended yet." in response.get_data(as_text=True)
    assert db_session.scalars(sa.select(Outcome)).all() == []


def test_another_consultant_gets_404_and_changes_nothing(db_session, client, auth, ended):
    auth.login(ended.consultant.email)
    client.post(_url(ended), data=PAID)
    auth.logout()
    db_session.expire_all()
    three = _follow_ups(db_session)[3]
    auth.login(make_user(Role.CONSULTANT).email)
    assert client.get(_url(ended)).status_code == 404
    stopped = {"result": "stopped", "explanation": "x"}
    assert client.post(_url(ended), data=stopped).status_code == 404
    assert client.get(f"/caseload/follow-ups/{three.id}").status_code == 404
    assert client.post(f"/caseload/follow-ups/{three.id}", data=FOLLOW_UP).status_code == 404
    db_session.expire_all()
    assert ended.placement.outcome.result.value == "paid_job_host"
    assert three.recorded_at is None and db_session.scalars(sa.select(LadderStep)).all() == []


def test_a_follow_up_is_recorded_and_corrected(app, db_session, client, auth, ended, monkeypatch):
    auth.login(ended.consultant.email)
    client.post(_url(ended), data={"result": "paid_job"})
    db_session.expire_all()
    three = _follow_ups(db_session)[3]  # due 30 April 2027; today is 1 February
    url = f"/caseload/follow-ups/{three.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Does the newcomer have paid work?" in page
    assert "You can record it from April 16, 2027" in page
    assert "follow_up" in _pages_read(db_session)
    early = client.post(url, data=FOLLOW_UP)
    assert early.status_code == 400
    assert "You can record it from April 16, 2027." in early.get_data(as_text=True)

    monkeypatch.setitem(app.config, "FIXED_TODAY", "2027-05-02")
    assert client.post(url, data=FOLLOW_UP).status_code == 302
    assert client.post(url, data={**FOLLOW_UP, "ladder_rung": "5"}).status_code == 302
    db_session.expire_all()
    assert (three.in_paid_work, three.hours_per_week, three.ladder_rung) == (True, 32, 5)
    (step,) = db_session.scalars(sa.select(LadderStep)).all()
    assert (step.rung, step.reason) == (5, "Werkt als kok.")
    placements = client.get(f"/caseload/{newcomer_ref(ended.profile)}/placements")
    shown = " ".join(placements.get_data(as_text=True).split())
    assert f'--done"> <a href="{url}">After 3 months' in shown
    assert "Due on July 31, 2027" in shown


def test_a_contract_only_when_working(app, db_session, client, auth, ended, monkeypatch):
    monkeypatch.setitem(app.config, "FIXED_TODAY", "2027-05-02")
    auth.login(ended.consultant.email)
    client.post(_url(ended), data={"result": "education"})
    db_session.expire_all()
    three = _follow_ups(db_session)[3]
    not_working = {**FOLLOW_UP, "in_paid_work": "no", "hours_per_week": ""}
    response = client.post(f"/caseload/follow-ups/{three.id}", data=not_working)
    assert response.status_code == 400
    assert "Contract (only for paid work): Fill this in only for paid work." in (
        response.get_data(as_text=True)
    )
    missing = client.post(f"/caseload/follow-ups/{three.id}", data={"ladder_rung": "9"})
    assert missing.status_code == 400 and "Choose yes or no." in missing.get_data(as_text=True)
    db_session.expire_all()
    assert three.recorded_at is None and three.contract is None


def test_the_newcomer_reads_how_it_ended(db_session, client, auth, ended):
    auth.login(ended.consultant.email)
    client.post(_url(ended), data={"result": "stopped", "explanation": "Te zwaar werk."})
    auth.logout()
    auth.login(ended.newcomer.email)
    page = client.get(f"/me/placements/{ended.placement.id}").get_data(as_text=True)
    assert "How it ended" in page and "You stopped with this place." in page
    assert "Te zwaar werk." not in page  # the consultant's explanation stays in the file
