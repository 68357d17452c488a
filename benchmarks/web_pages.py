"""Web pages with 10,000 stored calls: server time per page.

Seeds a new database with ``--calls`` stored calls (the sample calls, analysed once, copied
with variations: 40 agents in 4 teams, 60 days, other customers), then asks the app
in-process (no network) for every page as an agent, a supervisor and an admin, and prints the
first request for the page in the process, then the median and 95th percentile of the rest,
per page. Every call is stored as the service stores it: with its turns, report, labels, risks,
page facts (calmline.storage.facts) and the follow-up tasks it leaves (calmline.commitments;
those due more than a week before the newest call are marked done, the rest left open, so
the tasks page has overdue, due and upcoming work). agent00 has finished practice calls too.

    python benchmarks/web_pages.py                       # 10,000 calls on a new SQLite file
    python benchmarks/web_pages.py --calls 2000 --repeat 10
    python benchmarks/web_pages.py --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from calmline import analyze, read_conversation
from calmline.api import Settings, create_app
from calmline.commitments import CallFacts, PlannedTask, Schedule, plan_tasks
from calmline.report import Report
from calmline.storage import open_database, upgrade_to_head
from calmline.storage.accounts import UserRole, create_user
from calmline.storage.facts import CALL_COMPLAINT_TOPICS, CALL_FACTS, CALL_OUTCOMES, fact_rows, page_facts
from calmline.storage.models import (
    Agent,
    Base,
    Call,
    CallLabel,
    CallRisk,
    FollowUpTask,
    StoredReport,
    StoredTurn,
)
from calmline.storage.playbooks import active_version

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password"
TEAMS = ("east", "west", "north", "south")
AGENTS = [f"agent{n:02d}" for n in range(40)]
FACT_TABLES = (CALL_FACTS, CALL_OUTCOMES, CALL_COMPLAINT_TOPICS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'web.db'}"
        started = time.perf_counter()
        call_id = seed(url, args.calls)
        print(f"seeded {args.calls:,} calls in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        measure(url, call_id, args.repeat)


def samples() -> list[tuple[Report, dict[str, Any]]]:
    found = []
    for path in sorted((ROOT / "examples" / "calls").iterdir()):
        if path.suffix in {".json", ".txt", ".csv", ".vtt", ".srt"}:
            report = analyze(read_conversation(path))
            found.append((report, report.to_dict()))
    return found


def seed(url: str, count: int) -> str:
    """``count`` stored calls; returns the id of one of agent00's calls."""
    database = open_database(url)
    upgrade_to_head(database.engine)
    reports = samples()
    rng = random.Random(7)
    newest = datetime(2026, 11, 20, 17, tzinfo=UTC)
    with database.session() as db:
        version = active_version(db).id
        for name, role, team, agent in (("admin", UserRole.ADMIN, None, None),
                                        ("lead", UserRole.SUPERVISOR, "east", None),
                                        ("agent00", UserRole.AGENT, "east", "agent00")):
            create_user(db, name, role, team=team, agent_id=agent, password=PASSWORD)
        db.execute(insert(Agent), [{"id": a, "team": TEAMS[i % len(TEAMS)], "created_at": newest}
                                   for i, a in enumerate(AGENTS) if a != "agent00"])
    first = ""
    for start in range(0, count, 1000):
        rows: dict[str, list[dict[str, Any]]] = {"calls": [], "turns": [], "reports": [], "labels": [],
                                                 "risks": [], "tasks": [], **{t: [] for t in FACT_TABLES}}
        for n in range(start, min(count, start + 1000)):
            report, body = reports[n % len(reports)]
            call_id = uuid.uuid4().hex
            first = first or call_id
            agent = AGENTS[n % len(AGENTS)]
            at = newest - timedelta(minutes=rng.randrange(60 * 24 * 60))
            _rows(rows, call_id, agent, at, version, report, body, n)
        with database.session() as db:
            db.execute(insert(Call), rows["calls"])
            db.execute(insert(StoredTurn), rows["turns"])
            db.execute(insert(StoredReport), rows["reports"])
            db.execute(insert(CallLabel), rows["labels"])
            db.execute(insert(CallRisk), rows["risks"])
            db.execute(insert(FollowUpTask), rows["tasks"])
            for table in FACT_TABLES:
                if rows[table]:
                    db.execute(insert(Base.metadata.tables[table]), rows[table])
    if not database.is_sqlite:
        # A live PostgreSQL's autovacuum analyses tables soon after a bulk load like this one;
        # measured straight away, the planner would still think the tables empty.
        with database.session() as db:
            db.execute(text("ANALYZE"))
    database.dispose()
    return first


def _rows(rows: dict[str, list[dict[str, Any]]], call_id: str, agent: str, at: datetime, version: int,
          report: Report, body: dict[str, Any], n: int) -> None:
    rows["calls"].append({
        "id": call_id, "external_id": f"{report.conversation_id}-{n}", "agent_id": agent,
        "customer_id": None, "customer_name": f"Customer {n}", "channel": report.channel.value,
        "status": "closed", "source": "benchmark", "started_at": at, "occurred_at": at, "created_at": at,
        "ended_at": at, "playbook_version_id": version, "redacted": True,
        "score": float(report.scorecard.overall), "deescalated": report.outcome.deescalated,
        "peak_temperature": report.outcome.peak, "turn_count": len(report.turns), "submitted_by": None})
    rows["turns"].extend({"call_id": call_id, "index": t.index, "segment_id": None, "role": t.role.value,
                          "speaker": t.speaker, "text": t.text, "begin_ms": t.begin_ms, "end_ms": t.end_ms,
                          "created_at": at} for t in report.turns)
    rows["reports"].append({"call_id": call_id, "playbook_version_id": version, "created_at": at,
                            "body": json.dumps({**body, "conversation_id": f"{report.conversation_id}-{n}"})})
    labels: dict[str, int] = {}
    for turn in report.turns:
        for signal in turn.signals:
            labels[signal.label] = labels.get(signal.label, 0) + 1
    rows["labels"].extend({"call_id": call_id, "label": k, "count": v} for k, v in labels.items())
    rows["risks"].extend({"call_id": call_id, "code": code, "severity": severity} for code, severity in
                         {r.code: r.severity.value for r in report.risks}.items())
    for table, found in fact_rows(call_id, page_facts(body)).items():
        rows[table].extend(found)
    quotes = {t.index: t.text for t in report.turns}
    rows["tasks"].extend(_task_row(call_id, agent, f"cu-{n % 3000}", task, at)
                         for task in plan_tasks(CallFacts(at, report.notes, quotes), SCHEDULE))


SCHEDULE = Schedule()
NEWEST = datetime(2026, 11, 20, 17, tzinfo=UTC)


def _task_row(call_id: str, agent: str, customer: str, task: PlannedTask, at: datetime) -> dict[str, Any]:
    due = task.due.at.astimezone(UTC)
    return {"id": uuid.uuid4().hex, "call_id": call_id, "type": task.type.value, "owner": task.owner.value,
            "agent_id": agent, "customer_id": customer, "what": task.what, "quote": task.quote,
            "turn_index": task.turn_index, "due_phrase": task.due_phrase, "due_at": due,
            "due_rule": task.due.rule.value, "reason": task.reason,
            "status": "done" if due < NEWEST - timedelta(days=7) else "open",
            "created_at": at, "updated_at": at, "closed_by": None}


# A trainee's lines for the seeded practice calls (each call ends when the customer is done
# or the lines run out; then the trainee ends the call).
TRAINEE_LINES = ("I'm so sorry about this, I can hear how frustrating it has been.",
                 "Let me make sure I have it right: you were charged and it isn't fixed yet?",
                 "That's on us, and I apologise. I can refund it today or send a replacement, which "
                 "would you prefer?", "I'll do that now, and you'll see it within 3 business days.",
                 "Is there anything else I can help you with today?")


def practise(client: TestClient) -> None:
    """agent00's finished practice calls, one per scenario, played through the pages."""
    from calmline.simulator import curriculum

    client.post("/login", data={"username": "agent00", "password": PASSWORD}, follow_redirects=False)
    for scenario_id in curriculum():
        started = client.post("/practice/start", data={"scenario": scenario_id}, follow_redirects=False)
        session = started.headers["location"]
        for turn, line in enumerate(TRAINEE_LINES):
            answer = client.post(f"{session}/reply", data={"text": line, "turn": str(turn)},
                                 headers={"accept": "application/json"})
            if answer.status_code != 200 or answer.json()["finished"]:
                break
        else:
            client.post(f"{session}/end", follow_redirects=False)
    client.cookies.clear()


def measure(url: str, call_id: str, repeat: int) -> None:
    pages = [("agent00", "/agents/agent00"), ("agent00", "/calls"), ("agent00", f"/calls/{call_id}"),
             ("agent00", "/assist"), ("lead", "/board"), ("lead", "/team"), ("lead", "/agents/agent00"),
             ("lead", f"/calls/{call_id}"), ("lead", "/web/live/calls"), ("admin", "/team"),
             ("admin", "/team?days=3650"), ("admin", "/calls"), ("admin", "/playbook"),
             ("agent00", "/tasks"), ("lead", "/tasks"), ("admin", "/tasks?status=overdue"),
             ("agent00", "/practice"), ("lead", "/practice/trainer")]
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
          f"{repeat} requests per page, in-process (server time only)")
    print(f"{'user':<8} {'page':<44} {'first ms':>9} {'median ms':>10} {'p95 ms':>8} {'bytes':>8}")
    with TestClient(create_app(Settings(database_url=url, redaction=False))) as client:
        practise(client)
        for user, path in pages:
            client.cookies.clear()
            client.post("/login", data={"username": user, "password": PASSWORD}, follow_redirects=False)
            times, size = [], 0
            for _ in range(repeat):
                began = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - began) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
                size = len(answer.content)
            first, rest = times[0], sorted(times[1:]) or times
            p95 = rest[min(len(rest) - 1, int(len(rest) * 0.95))]
            shown = path if len(path) < 44 else path[:41] + "…"
            median = statistics.median(rest)
            print(f"{user:<8} {shown:<44} {first:>9.1f} {median:>10.1f} {p95:>8.1f} {size:>8,}")


if __name__ == "__main__":
    main()
