"""Cost of the follow-up step on top of analysis: complaint topics + task planning per
finished call, due-date resolution per phrase, and CSV/iCalendar export per task.

    python benchmarks/followups.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from calmline.commitments import CallFacts, Schedule, plan_tasks, resolve_due
from calmline.engine import analyze
from calmline.formats import read_conversation
from calmline.tasks.exports import tasks_csv, tasks_ical
from calmline.tasks.model import TaskRecord, TaskStatus
from calmline.topics import TopicMatcher, find_topics, load_taxonomy

CALLS = Path(__file__).resolve().parents[1] / "examples" / "calls"
SUFFIXES = {".json", ".txt", ".csv", ".vtt", ".srt"}
PHRASES = ("tomorrow", "within 3 to 5 business days", "by Friday", "in 48 hours", "next week", "end of day",
           "first thing Monday", "by four p.m. today", "on your next bill", None)
START = datetime(2026, 3, 5, 10, 21, tzinfo=UTC)


def _per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s ({seconds / count * 1e6:,.1f} µs each)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    schedule = Schedule("Europe/London")
    matcher = TopicMatcher.of(load_taxonomy())
    calls = [read_conversation(p) for p in sorted(CALLS.iterdir()) if p.suffix in SUFFIXES]
    reports = [analyze(c) for c in calls]
    began = time.perf_counter()
    for _ in range(rounds):
        for call, report in zip(calls, reports, strict=True):
            find_topics(call.turns, matcher)
            quotes = {t.index: t.text for t in call.turns}
            plan_tasks(CallFacts(call.started_at or START, report.notes, quotes), schedule)
    print(f"python {platform.python_version()} on {platform.machine()}")
    print("topics + tasks per call:", _per_second(rounds * len(calls), time.perf_counter() - began))
    began = time.perf_counter()
    for _ in range(rounds * 10):
        for phrase in PHRASES:
            resolve_due(phrase, START, schedule)
    print("due-date resolution:", _per_second(rounds * 10 * len(PHRASES), time.perf_counter() - began))
    tasks = [TaskRecord(f"{n:032x}", "call", "callback", "agent", "ag", "cu", "I'll call you back by Friday",
                        "I'll call you back by Friday with an update.", 4, "by Friday",
                        START + timedelta(hours=n), TaskStatus.OPEN, START) for n in range(5000)]
    for name, export in (("csv", tasks_csv), ("ics", lambda t: tasks_ical(t, START))):
        began = time.perf_counter()
        export(tasks)
        print(f"{name} export of {len(tasks)} tasks:", _per_second(len(tasks), time.perf_counter() - began))


if __name__ == "__main__":
    main()
