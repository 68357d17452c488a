"""The agent and team pages count page facts in SQL: the hit rates, the calls worth reviewing and
the complaint topics equal what the pages used to work out from the stored report JSON, on the
sample calls, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import ColumnElement, select, true

from calmline import analyze, read_conversation
from calmline.conversation import Conversation
from calmline.errors import CalmlineError
from calmline.report import Report
from calmline.storage import Database
from calmline.storage.accounts import ensure_agent
from calmline.storage.calls import add_turns, create_call, new_call_id, store_report
from calmline.storage.facts import page_facts
from calmline.storage.models import Call, CallComplaintTopic, CallFacts, CallOutcome, StoredReport
from calmline.storage.playbooks import active_version
from calmline.web import queries
from calmline.web.views import (
    complaint_texts,
    complaint_topics,
    hit_rates,
    rates_against_team,
    review_priority,
)
from tests.service.conftest import EXAMPLES

Json = dict[str, Any]
TEAM_OF = {"ann": "east", "bob": "east", "cat": "west"}
NEWEST = datetime(2026, 11, 20, 17, tzinfo=UTC)


@dataclass(frozen=True)
class Sample:
    conversation: Conversation
    report: Report


@pytest.fixture(scope="module")
def samples() -> list[Sample]:
    """Every sample call, analysed once."""
    found = []
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in {".json", ".txt", ".csv", ".vtt", ".srt"}:
            conversation = read_conversation(path)
            found.append(Sample(conversation, analyze(conversation)))
    return found


def store(database: Database, samples: list[Sample], copies: int = 3) -> None:
    """The samples stored through the service's store path, ``copies`` times over three agents,
    an hour apart."""
    agents = list(TEAM_OF)
    with database.session() as db:
        version = active_version(db).id
        for agent, team in TEAM_OF.items():
            ensure_agent(db, agent, team)
        for n in range(copies * len(samples)):
            sample = samples[n % len(samples)]
            conversation = replace(sample.conversation, agent_id=agents[n % len(agents)],
                                   started_at=NEWEST - timedelta(hours=n))
            call = create_call(db, conversation, call_id=new_call_id(), source="test",
                               playbook_version_id=version, redacted=False, submitted_by=None)
            add_turns(db, call, conversation.turns)
            store_report(db, call, sample.report)


def reference_window(database: Database, limit: int, agent: str | None = None,
                     team: str | None = None) -> list[tuple[Call, Json]]:
    """The newest ``limit`` closed calls with their parsed reports, found in Python."""
    with database.session() as db:
        rows = list(db.execute(select(Call, StoredReport.body)
                               .join(StoredReport, StoredReport.call_id == Call.id)))
    chosen = [(c, json.loads(body)) for c, body in rows
              if (agent is None or c.agent_id == agent)
              and (team is None or TEAM_OF[c.agent_id or ""] == team)]
    chosen.sort(key=lambda cr: cr[0].id)
    chosen.sort(key=lambda cr: cr[0].occurred_at, reverse=True)
    return chosen[:limit]


def scope(team: str | None) -> ColumnElement[bool]:
    return queries.team_scope(true(), team)


@pytest.mark.parametrize(("agent", "mine", "theirs"), [("ann", 50, 150), ("bob", 4, 7), ("cat", 1, 2)])
def test_hit_rates_in_sql_equal_the_reports(database: Database, samples: list[Sample], agent: str,
                                            mine: int, theirs: int) -> None:
    store(database, samples)
    team = TEAM_OF[agent]
    expected = hit_rates([r for _, r in reference_window(database, mine, agent)],
                         [r for _, r in reference_window(database, theirs, team=team)])
    with database.session() as db:
        found = rates_against_team(queries.outcome_tallies(db, scope(team), mine, agent),
                                   queries.outcome_tallies(db, scope(team), theirs))
    assert found == expected
    assert found and any(r.team is not None and 0 < r.team < 1 for r in found)  # not all met or missed


@pytest.mark.parametrize(("agent", "limit"), [("ann", 50), ("bob", 5), ("cat", 2)])
def test_calls_worth_reviewing_equal_the_reports(database: Database, samples: list[Sample], agent: str,
                                                 limit: int) -> None:
    store(database, samples)
    window = reference_window(database, limit, agent)
    with database.session() as db:
        found = queries.review_candidates(db, true(), agent, limit)
    assert [c.id for c, _ in found] == [c.id for c, _ in window]
    for (_, summary), (_, report) in zip(found, window, strict=True):
        assert review_priority(summary) == review_priority(report)
        assert [r["code"] for r in summary["risks"]] == [r["code"] for r in report["risks"]]
        assert summary["scorecard"]["overall"] == report["scorecard"]["overall"]


@pytest.mark.parametrize(("team", "limit"), [(None, 150), ("east", 150), ("west", 5), ("east", 1)])
def test_complaint_topics_in_sql_equal_the_reports(database: Database, samples: list[Sample],
                                                   team: str | None, limit: int) -> None:
    store(database, samples)
    window = reference_window(database, limit, team=team)
    every = dict(complaint_topics((complaint_texts(r) for _, r in window), count=100))
    with database.session() as db:
        top, calls = queries.complaint_topic_counts(db, scope(team), limit)
        all_topics, _ = queries.complaint_topic_counts(db, scope(team), limit, count=100)
    assert calls == len(window)
    assert dict(all_topics) == every
    assert top == sorted(every.items(), key=lambda tn: (-tn[1], tn[0]))[:6]


def test_storing_a_report_again_replaces_its_facts(database: Database, samples: list[Sample]) -> None:
    store(database, samples, copies=1)
    with database.session() as db:
        call = db.scalars(select(Call)).first()
        assert call is not None
        before = _facts_of(db, call.id)
        sample = next(s for s in samples if s.conversation.id == call.external_id)
        store_report(db, call, sample.report)
        assert _facts_of(db, call.id) == before
    facts = page_facts(sample.report.to_dict())
    assert before[0] == " ".join(facts.risks)
    assert before[1] == sorted((o.technique_id, o.verdict) for o in facts.outcomes)
    assert before[2] == sorted(facts.topics)


def _facts_of(db: Any, call_id: str) -> tuple[str | None, list[tuple[str, str]], list[str]]:
    risks = db.scalar(select(CallFacts.risk_codes).where(CallFacts.call_id == call_id))
    outcomes = sorted((t, v) for t, v in db.execute(select(CallOutcome.technique_id, CallOutcome.verdict)
                                                    .where(CallOutcome.call_id == call_id)))
    topics = sorted(db.scalars(select(CallComplaintTopic.topic).where(CallComplaintTopic.call_id == call_id)))
    return risks, outcomes, topics


@pytest.mark.parametrize("report", [
    {"scorecard": {"criteria": [{"name": "Name it", "kind": "good", "verdict": "met"}]}},
    {"risks": [{"severity": "high"}]},
    {"scorecard": ["not", "an", "object"]},
])
def test_a_report_outside_the_schema_is_a_clear_error(report: Json) -> None:
    with pytest.raises(CalmlineError, match=r"call 7: the report does not follow the report schema"):
        page_facts(report, "call 7")
