"""Throughput of `analyze` and latency of `Session.feed` on the sample calls.

Prints utterances/s and calls/s for post-call analysis over the sample calls repeated
to at least --utterances turns, and p50/p99 latency of one `Session.feed`. Caches are
cleared before every call so a repeat costs what a new call would. Runs on one core:
    python benchmarks/analyze.py [--utterances 10000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from calmline.conversation import Conversation
from calmline.engine import analyze, default_pipeline, default_playbook
from calmline.formats import read_conversations
from calmline.session import Session
from calmline.text import sentences

CALLS = Path(__file__).resolve().parents[1] / "examples" / "calls"
SUFFIXES = {".json", ".jsonl", ".txt", ".csv", ".vtt", ".srt"}


def forget(resources: object) -> None:
    """Drop every per-text cache so a repeated call costs what a new one would."""
    resources.clear_caches()  # type: ignore[attr-defined]
    sentences.cache_clear()


def load_calls() -> list[Conversation]:
    return [c for p in sorted(CALLS.iterdir()) if p.suffix in SUFFIXES
            for c in read_conversations(p)]


def bench_analyze(calls: list[Conversation], minimum: int) -> tuple[int, int, float]:
    resources = default_pipeline().resources
    turns = calls_done = 0
    started = time.perf_counter()
    while turns < minimum:
        for call in calls:
            forget(resources)
            analyze(call)
            turns += len(call.turns)
            calls_done += 1
    return turns, calls_done, time.perf_counter() - started


def bench_feed(calls: list[Conversation], rounds: int) -> list[float]:
    resources = default_pipeline().resources
    latencies: list[float] = []
    for _ in range(rounds):
        for call in calls:
            forget(resources)
            session = Session.for_conversation(call)
            for turn in call.turns:
                started = time.perf_counter()
                session.feed(turn)
                latencies.append((time.perf_counter() - started) * 1000)
            session.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--utterances", type=int, default=10_000)
    parser.add_argument("--feed-rounds", type=int, default=5)
    parser.add_argument("--cpu", type=int, default=None, help="core to pin to (default: the last)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))})
    calls = load_calls()
    default_playbook()
    analyze(calls[0])  # load models outside the timed region
    turns, done, seconds = bench_analyze(calls, args.utterances)
    latencies = sorted(bench_feed(calls, args.feed_rounds))
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"machine: {platform.machine()} {platform.processor() or ''} "
          f"python {sys.version.split()[0]}, 1 core pinned")
    print(f"sample calls: {len(calls)} ({sum(len(c.turns) for c in calls)} turns)")
    print(f"analyze: {turns} utterances in {seconds:.2f}s = {turns / seconds:,.0f} utterances/s, "
          f"{done / seconds:,.1f} calls/s")
    print(f"Session.feed: {len(latencies)} turns, p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
          f"max {latencies[-1]:.2f} ms")


if __name__ == "__main__":
    main()
