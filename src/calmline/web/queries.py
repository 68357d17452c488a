"""The reads behind the pages: a few indexed queries each, scoped to what the viewer may see."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from calmline.report import to_plain
from calmline.storage.calls import CLOSED, stored_report, stored_turns, team_of
from calmline.storage.feedback import feedback_for
from calmline.storage.models import Agent, Call, CallFeedback, CallRisk, StoredReport, StoredTurn
from calmline.web.views import SCORE_BUCKETS, Json, TeamSummary, histogram, report_summary

# The team page looks at this many days back from the newest call.
TEAM_WINDOW_DAYS = 30
# Reports read for hit rates and topics (each is a JSON document): the latest this many.
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


class SummaryCache:
    """Report summaries by call id (a closed call's report never changes), so a page reads and
    parses each stored report once per process; the least recently used are dropped."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._found: OrderedDict[str, Json] = OrderedDict()
        self._lock = Lock()

    def get(self, call_id: str) -> Json | None:
        with self._lock:
            found = self._found.get(call_id)
            if found is not None:
                self._found.move_to_end(call_id)
            return found

    def put(self, call_id: str, summary: Json) -> None:
        with self._lock:
            self._found[call_id] = summary
            while len(self._found) > self._size:
                self._found.popitem(last=False)


def latest_reports(db: Session, where: ColumnElement[bool], limit: int, cache: SummaryCache,
                   agent_id: str | None = None) -> list[tuple[Call, Json]]:
    """The newest scored calls with their report summaries (``report_summary``)."""
    newest = select(Call).where(where, Call.status == CLOSED)
    if agent_id is not None:
        newest = newest.where(Call.agent_id == agent_id)
    calls = list(db.scalars(newest.order_by(Call.occurred_at.desc(), Call.id).limit(limit)))
    missing = [c.id for c in calls if cache.get(c.id) is None]
    if missing:  # only these reports are read: never a scan of the reports table
        for call_id, body in db.execute(select(StoredReport.call_id, StoredReport.body)
                                        .where(StoredReport.call_id.in_(missing))):
            cache.put(call_id, report_summary(json.loads(body)))
    return [(c, found) for c in calls if (found := cache.get(c.id)) is not None]


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
