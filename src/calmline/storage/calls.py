"""Calls, their turns and reports: writing them as they happen, and finding them again."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.report import Report
from calmline.storage.accounts import ensure_agent
from calmline.storage.facts import fact_rows, page_facts
from calmline.storage.models import (
    Agent,
    Base,
    Call,
    CallComplaintTopic,
    CallFacts,
    CallLabel,
    CallOutcome,
    CallRisk,
    Customer,
    StoredReport,
    StoredTurn,
)
from calmline.storage.types import utcnow

LIVE = "live"
CLOSED = "closed"


def new_call_id() -> str:
    return uuid.uuid4().hex


def create_call(session: Session, conversation: Conversation, *, call_id: str, source: str,
                playbook_version_id: int, redacted: bool, submitted_by: int | None,
                now: datetime | None = None) -> Call:
    """Insert a call (live, with no turns yet) and make its agent and customer known;
    ``now`` is when it was received (default: the present moment)."""
    if conversation.agent_id is not None:
        ensure_agent(session, conversation.agent_id)
    if conversation.customer_id is not None and session.get(Customer, conversation.customer_id) is None:
        session.add(Customer(id=conversation.customer_id))
        session.flush()  # no ORM relationships, so the unit of work would not order the inserts
    now = now or utcnow()
    call = Call(id=call_id, external_id=conversation.id[:255], agent_id=conversation.agent_id,
                customer_id=conversation.customer_id, customer_name=conversation.customer_name,
                channel=conversation.channel.value, status=LIVE, source=source,
                started_at=conversation.started_at, occurred_at=conversation.started_at or now,
                created_at=now, playbook_version_id=playbook_version_id, redacted=redacted,
                turn_count=0, submitted_by=submitted_by)
    session.add(call)
    session.flush()
    return call


_TURNS: Table = StoredTurn.__table__  # type: ignore[assignment]
_CALLS: Table = Call.__table__  # type: ignore[assignment]
# Built once: the live path runs these two statements per turn, nothing else.
_INSERT_TURN = insert(_TURNS)
_COUNT_TURNS = update(_CALLS).where(_CALLS.c.id == bindparam("call")).values(turn_count=bindparam("count"))


def record_turn(session: Session, call_id: str, turn: Turn, segment_id: str | None) -> None:
    """Store a live call's next turn: two Core statements and no read (the hot path)."""
    connection = session.connection()
    connection.execute(_INSERT_TURN, {
        "call_id": call_id, "index": turn.index, "segment_id": segment_id, "role": turn.role.value,
        "speaker": turn.speaker, "text": turn.text, "begin_ms": turn.begin_ms, "end_ms": turn.end_ms,
        "created_at": utcnow()})
    connection.execute(_COUNT_TURNS, {"call": call_id, "count": turn.index + 1})


def add_turns(session: Session, call: Call, turns: tuple[Turn, ...]) -> None:
    """Store a finished call's turns in one go."""
    session.add_all(StoredTurn(call_id=call.id, index=t.index, role=t.role.value, speaker=t.speaker,
                               text=t.text, begin_ms=t.begin_ms, end_ms=t.end_ms) for t in turns)
    call.turn_count = len(turns)
    session.flush()


def store_report(session: Session, call: Call, report: Report, body: dict[str, Any] | None = None) -> None:
    """Keep the report (``body`` is its ``to_dict()`` when the caller has it), close the call,
    index its score, labels and risks for search, and its page facts for the agent and team
    pages."""
    # Everything worked out before the first write: on SQLite the first write takes the
    # database's one write lock, and live calls' turns wait for it until the commit.
    plain = body if body is not None else report.to_dict()
    text = json.dumps(plain, ensure_ascii=False)
    facts = fact_rows(call.id, page_facts(plain))
    labels = Counter(s.label for t in report.turns for s in t.signals)
    risks = {r.code: r.severity.value for r in report.risks}
    for indexed in (StoredReport, CallLabel, CallRisk, *_FACT_MODELS):
        session.execute(delete(indexed).where(indexed.call_id == call.id))
    session.add(StoredReport(call_id=call.id, playbook_version_id=call.playbook_version_id, body=text))
    _insert_facts(session, facts)
    session.add_all(CallLabel(call_id=call.id, label=label, count=n) for label, n in labels.items())
    session.add_all(CallRisk(call_id=call.id, code=code, severity=sev) for code, sev in risks.items())
    call.status = CLOSED
    call.ended_at = utcnow()
    call.score = float(report.scorecard.overall)
    call.deescalated = report.outcome.deescalated
    call.peak_temperature = report.outcome.peak
    call.turn_count = len(report.turns)
    session.flush()


_FACT_MODELS = (CallFacts, CallOutcome, CallComplaintTopic)


def _insert_facts(session: Session, facts: dict[str, list[dict[str, Any]]]) -> None:
    for table, rows in facts.items():
        if rows:
            session.execute(insert(Base.metadata.tables[table]), rows)


def stored_turns(session: Session, call_id: str) -> list[StoredTurn]:
    return list(session.scalars(select(StoredTurn).where(StoredTurn.call_id == call_id)
                                .order_by(StoredTurn.index)))


def turn_for_segment(session: Session, call_id: str, segment_id: str) -> StoredTurn | None:
    return session.scalar(select(StoredTurn).where(StoredTurn.call_id == call_id,
                                                   StoredTurn.segment_id == segment_id))


def stored_report(session: Session, call_id: str) -> dict[str, Any] | None:
    body = session.scalar(select(StoredReport.body).where(StoredReport.call_id == call_id))
    return json.loads(body) if body is not None else None


def team_of(session: Session, agent_id: str | None) -> str | None:
    if agent_id is None:
        return None
    return session.scalar(select(Agent.team).where(Agent.id == agent_id))


def conversation_of(call: Call, turns: list[StoredTurn]) -> Conversation:
    """The call as the core sees it, rebuilt from storage (the same on every rebuild)."""
    return Conversation(
        id=call.external_id, channel=Channel(call.channel), agent_id=call.agent_id,
        customer_id=call.customer_id, customer_name=call.customer_name, started_at=call.started_at,
        turns=tuple(Turn(index=t.index, role=Role(t.role), text=t.text, speaker=t.speaker,
                         begin_ms=t.begin_ms, end_ms=t.end_ms) for t in turns),
    )


@dataclass(frozen=True, slots=True)
class CallFilter:
    """Search terms for calls; every given term must hold."""

    agent_id: str | None = None
    customer_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    min_score: float | None = None
    max_score: float | None = None
    risk: str | None = None
    label: str | None = None
    status: str | None = None


def search_calls(session: Session, where: Any, terms: CallFilter, *, limit: int,
                 offset: int) -> tuple[list[Call], int]:
    """Calls matching ``terms`` within the ``where`` scope, newest first, and the total count."""
    query = select(Call).where(where)
    for condition in _conditions(terms):
        query = query.where(condition)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.order_by(Call.occurred_at.desc(), Call.id).limit(limit).offset(offset)
    return list(session.scalars(page)), total


def _conditions(terms: CallFilter) -> list[Any]:
    found: list[Any] = []
    simple = ((terms.agent_id, Call.agent_id), (terms.customer_id, Call.customer_id),
              (terms.status, Call.status))
    found.extend(column == value for value, column in simple if value is not None)
    if terms.since is not None:
        found.append(Call.occurred_at >= terms.since)
    if terms.until is not None:
        found.append(Call.occurred_at < terms.until)
    if terms.min_score is not None:
        found.append(Call.score >= terms.min_score)
    if terms.max_score is not None:
        found.append(Call.score <= terms.max_score)
    if terms.risk is not None:
        found.append(Call.id.in_(select(CallRisk.call_id).where(CallRisk.code == terms.risk)))
    if terms.label is not None:
        found.append(Call.id.in_(select(CallLabel.call_id).where(CallLabel.label == terms.label)))
    return found


def agent_scores(session: Session, where: Any, agent_ids: list[str],
                 per_agent: int) -> dict[str, list[tuple[datetime, float, str]]]:
    """The latest scored calls of each agent (oldest first): (when, score, call id)."""
    ranked = (select(Call.agent_id, Call.occurred_at, Call.score, Call.id,
                     func.row_number().over(partition_by=Call.agent_id,
                                            order_by=Call.occurred_at.desc()).label("n"))
              .where(where, Call.agent_id.in_(agent_ids), Call.score.is_not(None)).subquery())
    rows = session.execute(select(ranked).where(ranked.c.n <= per_agent)
                           .order_by(ranked.c.agent_id, ranked.c.occurred_at))
    found: dict[str, list[tuple[datetime, float, str]]] = {a: [] for a in agent_ids}
    for agent_id, occurred_at, score, call_id, _n in rows:
        found[agent_id].append((occurred_at, float(score), call_id))
    return found
