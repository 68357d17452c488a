"""Starting a practice call from the practice page writes one audit event, on SQLite and on
PostgreSQL: ``practice.start`` by the trainee, naming the scenario and the session; a start
that is refused writes none."""

from __future__ import annotations

from sqlalchemy import select

from calmline.storage.models import AuditEvent
from tests.web import test_practice_pages
from tests.web.test_practice_pages import Practice

# The practice page tests' service with its users (its own copy for this module: module scope).
practice = test_practice_pages.practice


def _start_events(practice: Practice) -> list[AuditEvent]:
    with practice.database.session() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "practice.start")
                               .order_by(AuditEvent.id)))


def test_starting_a_practice_call_records_one_event_for_the_trainee(practice: Practice) -> None:
    before = {e.id for e in _start_events(practice)}
    session_id = practice.start("bob", "broken_product")
    fresh = [e for e in _start_events(practice) if e.id not in before]
    assert [(e.username, e.call_id, e.detail) for e in fresh] == [
        ("bob", None, f"broken_product (session {session_id})")]
    assert fresh[0].user_id == practice.row(session_id).user_id


def test_a_refused_start_records_nothing(practice: Practice) -> None:
    before = len(_start_events(practice))
    answer = practice.as_user("cat").post("/practice/start", data={"scenario": "no_such_scenario"})
    assert answer.status_code == 404
    answer = practice.as_user("cat").post("/practice/start", data={"scenario": "double_billing"},
                                          headers={"Origin": "https://elsewhere.example"})
    assert answer.status_code == 403
    assert len(_start_events(practice)) == before
