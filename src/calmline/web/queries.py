"""The reads behind the pages: a few indexed queries each, scoped to what the viewer may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from calmline.report import to_plain
from calmline.storage.calls import CLOSED, stored_report, stored_turns, team_of
from calmline.storage.feedback import feedback_for
from calmline.storage.models import (
    Agent,
    Call,
    CallComplaintTopic,
    CallFacts,
    CallFeedback,
    CallOutcome,
    CallRisk,
    StoredTurn,
)
from calmline.web.views import SCORE_BUCKETS, Json, Tally, TeamSummary, histogram

# The team page looks at this many days back from the newest call.
TEAM_WINDOW_DAYS = 30
# Closed calls counted for hit rates, the calls worth reviewing and complaint topics: the newest
# this many (from the page facts stored with each report, never the reports themselves).
AGENT_REPORTS = 50
TEAM_REPORTS = 150


@dataclass(frozen=True, slots=True)
class CallView:
    call: Call
    team: str | None
    turns: list[StoredTurn]
    report: Json | None
    feedback: list[CallFeedback]


def call_view(db: Session, where: ColumnElement[bool], call_id: str) -> CallView | None:
    """One call with everything the drill-down shows, or None when the viewer may not see it."""
    call = db.scalar(select(Call).where(Call.id == call_id, where))
    if call is None:
        return None
    return CallView(call, team_of(db, call.agent_id), stored_turns(db, call_id),
                    stored_report(db, call_id), feedback_for(db, call_id))


def latest_calls(db: Session, where: ColumnElement[bool], limit: int = 50,
                 agent_id: str | None = None) -> list[Call]:
    query = select(Call).where(where)
    if agent_id is not None:
        query = query.where(Call.agent_id == agent_id)
    return list(db.scalars(query.order_by(Call.occurred_at.desc(), Call.id).limit(limit)))


def newest_closed(db: Session, where: ColumnElement[bool], limit: int,
                  agent_id: str | None = None) -> list[str]:
    """The ids of the newest ``limit`` closed calls within ``where``: the window the hit rates,
    the calls worth reviewing and the complaint topics are counted over. Fetched first, so each
    count is a lookup by call id on every backend (given the window as a subquery, PostgreSQL
    may plan a scan of the whole facts table)."""
    newest = select(Call.id).where(where, Call.status == CLOSED)
    if agent_id is not None:
        newest = newest.where(Call.agent_id == agent_id)
    return list(db.scalars(newest.order_by(Call.occurred_at.desc(), Call.id).limit(limit)))


def outcome_tallies(db: Session, where: ColumnElement[bool], limit: int,
                    agent_id: str | None = None) -> list[Tally]:
    """How often each good move was expected and met in the newest ``limit`` closed calls,
    counted by the database from the stored outcomes (a renamed move shows its newest name)."""
    window = newest_closed(db, where, limit, agent_id)
    met = func.sum(case((CallOutcome.verdict == "met", 1), else_=0))
    rows = db.execute(select(CallOutcome.technique_id, CallOutcome.name, func.count(), met,
                             func.max(Call.occurred_at))
                      .join(Call, Call.id == CallOutcome.call_id)
                      .where(CallOutcome.call_id.in_(window), Call.id.in_(window),
                             CallOutcome.kind == "good", CallOutcome.verdict != "not_applicable")
                      .group_by(CallOutcome.technique_id, CallOutcome.name))
    found: dict[str, tuple[Tally, Any]] = {}
    for technique_id, name, expected, hits, newest in rows:
        seen = found.get(technique_id)
        if seen is None:
            found[technique_id] = (Tally(technique_id, name, int(expected), int(hits or 0)), newest)
            continue
        tally, at = seen
        name = name if (newest, name) > (at, tally.name) else tally.name
        found[technique_id] = (Tally(technique_id, name, tally.expected + int(expected),
                                     tally.met + int(hits or 0)), max(at, newest))
    return [tally for tally, _ in found.values()]


def review_candidates(db: Session, where: ColumnElement[bool], agent_id: str,
                      limit: int) -> list[tuple[Call, Json]]:
    """The agent's newest ``limit`` closed calls with what :func:`review_priority` weighs and the
    page shows (score, risks, outcome), in the shape of a report; newest first."""
    window = newest_closed(db, where, limit, agent_id)
    rows = db.execute(select(Call, CallFacts.risk_codes).join(CallFacts, CallFacts.call_id == Call.id)
                      .where(Call.id.in_(window)).order_by(Call.occurred_at.desc(), Call.id))
    return [(call, _review_summary(call, codes)) for call, codes in rows]


def _review_summary(call: Call, risk_codes: str) -> Json:
    scorecard = {} if call.score is None else {"overall": call.score}
    return {"scorecard": scorecard, "risks": [{"code": code} for code in risk_codes.split()],
            "outcome": {"deescalated": call.deescalated}}


def complaint_topic_counts(db: Session, where: ColumnElement[bool], limit: int,
                           count: int = 6) -> tuple[list[tuple[str, int]], int]:
    """The most frequent complaint topics in the newest ``limit`` closed calls (the calls
    naming each; ties by name), and how many of those calls were looked at."""
    window = newest_closed(db, where, limit)
    calls = db.scalar(select(func.count()).select_from(CallFacts).where(CallFacts.call_id.in_(window))) or 0
    n = func.count()
    rows = db.execute(select(CallComplaintTopic.topic, n).where(CallComplaintTopic.call_id.in_(window))
                      .group_by(CallComplaintTopic.topic).order_by(n.desc(), CallComplaintTopic.topic)
                      .limit(count))
    return [(topic, int(found)) for topic, found in rows], int(calls)


def agent_row(db: Session, where: ColumnElement[bool], agent_id: str) -> Agent | None:
    return db.scalar(select(Agent).where(Agent.id == agent_id, where))


def score_points(db: Session, where: ColumnElement[bool], agent_id: str,
                 limit: int = 200) -> list[tuple[datetime, float, str]]:
    """The agent's latest scores, oldest first: (when, score, call id)."""
    rows = db.execute(select(Call.occurred_at, Call.score, Call.id)
                      .where(where, Call.agent_id == agent_id, Call.score.is_not(None))
                      .order_by(Call.occurred_at.desc()).limit(limit))
    return sorted((at, float(score or 0.0), call_id) for at, score, call_id in rows)


def team_scope(where: ColumnElement[bool], team: str | None) -> ColumnElement[bool]:
    """``where`` narrowed to one team's agents (all visible calls when ``team`` is None)."""
    if team is None:
        return where
    return where & Call.agent_id.in_(select(Agent.id).where(Agent.team == team))


def window_start(db: Session, where: ColumnElement[bool], days: int = TEAM_WINDOW_DAYS) -> datetime | None:
    newest = db.scalar(select(func.max(Call.occurred_at)).where(where, Call.status == CLOSED))
    if newest is None:
        return None
    if isinstance(newest, str):  # SQLite hands aggregates back as text
        newest = datetime.fromisoformat(newest)
    return newest - timedelta(days=days)


def team_summary(db: Session, where: ColumnElement[bool], since: datetime) -> TeamSummary:
    """Calls per day, the average and spread of scores, and how many heated calls cooled down,
    counted by the database (scored calls since ``since`` within ``where``)."""
    scope = (where, Call.occurred_at >= since, Call.status == CLOSED)
    day = func.date(Call.occurred_at)
    per_day = [(str(d), int(n)) for d, n in db.execute(select(day, func.count()).where(*scope)
                                                         .group_by(day).order_by(day))]
    bucket = case(*((Call.score < b + 10, b) for b in SCORE_BUCKETS[:-1]), else_=SCORE_BUCKETS[-1])
    counted = select(bucket, func.count()).where(*scope, Call.score.is_not(None)).group_by(bucket)
    buckets = {int(b): int(n) for b, n in db.execute(counted)}
    heated = func.sum(case((Call.deescalated.is_not(None), 1), else_=0))
    cooled = func.sum(case((Call.deescalated.is_(True), 1), else_=0))
    calls, average, hot, calmer = db.execute(select(func.count(), func.avg(Call.score), heated, cooled)
                                             .where(*scope)).one()
    return TeamSummary(int(calls), float(average) if average is not None else None, per_day,
                       histogram(buckets), int(hot or 0), int(calmer or 0))


def top_risks(db: Session, where: ColumnElement[bool], since: datetime,
              limit: int = 6) -> list[tuple[str, int]]:
    count = func.count(CallRisk.call_id)
    rows = db.execute(select(CallRisk.code, count).join(Call, Call.id == CallRisk.call_id)
                      .where(where, Call.occurred_at >= since)
                      .group_by(CallRisk.code).order_by(count.desc(), CallRisk.code).limit(limit))
    return [(code, int(n)) for code, n in rows]


def teams(db: Session, where: ColumnElement[bool]) -> list[str]:
    rows = db.scalars(select(Agent.team).where(where, Agent.team.is_not(None)).distinct())
    return sorted(t for t in rows if t is not None)


def agents_of_team(db: Session, where: ColumnElement[bool], team: str | None) -> list[str]:
    query = select(Agent.id).where(where)
    if team is not None:
        query = query.where(Agent.team == team)
    return list(db.scalars(query.order_by(Agent.id)))


def as_json(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` block (safe inside HTML)."""
    return json.dumps(to_plain(value), ensure_ascii=False, default=str).replace("<", "\\u003c")
