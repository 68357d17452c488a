"""Live-assist load: N concurrent WebSocket calls against `calmline serve` on loopback.

Each call replays a sample call, sending one final segment every ``--interval`` seconds (the
calls start staggered across the first interval), and times each nudge answer. Afterwards it
checks that every sent turn is in the database. Prints p50/p99 nudge latency and errors.

    python benchmarks/live_load.py                     # 200 calls, a segment every 2 s, 10 each
    python benchmarks/live_load.py --calls 50 --turns 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a call's segments")
    parser.add_argument("--turns", type=int, default=10, help="final segments per call")
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/load.db"
        token = _agent_token(url)
        server = _start_server(url, Path(folder) / "serve.log")
        try:
            port = server[1]
            latencies, errors = asyncio.run(_load(port, token, args))
        finally:
            server[0].terminate()
            server[0].wait(timeout=30)
        stored = _stored_turns(url)
    _report(args, latencies, errors, stored)


def _agent_token(url: str) -> str:
    from calmline.storage import open_database, upgrade_to_head
    from calmline.storage.accounts import UserRole, create_user, issue_token

    database = open_database(url)
    upgrade_to_head(database.engine)
    with database.session() as db:
        token = issue_token(db, create_user(db, f"load-{os.getpid()}", UserRole.AGENT))
    database.dispose()
    return token


def _start_server(url: str, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    from service.server import ServerProcess

    server = ServerProcess(url, log, log_level="warning")
    return server.process, server.port


def _segments() -> list[list[tuple[str, str]]]:
    from calmline.formats import read_conversation

    calls = sorted((ROOT / "examples" / "calls").glob("*.json"))
    return [[(t.role.value, t.text) for t in read_conversation(p).turns] for p in calls]


async def _load(port: int, token: str, args: argparse.Namespace) -> tuple[list[float], list[str]]:
    samples = _segments()
    latencies: list[float] = []
    errors: list[str] = []
    tasks = [_call(port, token, f"load-{i}", samples[i % len(samples)], args, latencies, errors)
             for i in range(args.calls)]
    await asyncio.gather(*tasks)
    return latencies, errors


async def _call(port: int, token: str, call_id: str, sample: list[tuple[str, str]], args: argparse.Namespace,
                latencies: list[float], errors: list[str]) -> None:
    await asyncio.sleep(random.uniform(0, args.interval))
    try:
        async with connect(f"ws://127.0.0.1:{port}/v1/live/calls/{call_id}", open_timeout=60,
                           additional_headers={"Authorization": f"Bearer {token}"}) as socket:
            await socket.send(json.dumps({"type": "start"}))
            await socket.recv()
            tick = time.monotonic()
            for n in range(args.turns):
                role, text = sample[n % len(sample)]
                sent = time.perf_counter()
                await socket.send(json.dumps({"type": "segment", "segment_id": f"s{n}", "role": role,
                                              "text": text, "final": True}))
                answer = json.loads(await socket.recv())
                latencies.append(time.perf_counter() - sent)
                if answer.get("type") != "nudges":
                    errors.append(f"{call_id}: {answer}")
                tick += args.interval
                await asyncio.sleep(max(0.0, tick - time.monotonic()))
            await socket.send(json.dumps({"type": "end"}))
            if json.loads(await socket.recv()).get("type") != "report":
                errors.append(f"{call_id}: no report")
    except Exception as exc:  # every failure is counted, none stops the run
        errors.append(f"{call_id}: {type(exc).__name__}: {exc}")


def _stored_turns(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from calmline.storage import open_database
    from calmline.storage.models import StoredTurn

    database = open_database(url)
    with database.session() as db:
        rows = db.execute(select(StoredTurn.call_id, func.count()).group_by(StoredTurn.call_id))
        found = {str(call_id): int(count) for call_id, count in rows}
    database.dispose()
    return found


def _report(args: argparse.Namespace, latencies: list[float], errors: list[str],
            stored: dict[str, int]) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    lost = sum(max(0, args.turns - stored.get(f"load-{i}", 0)) for i in range(args.calls))
    ms = sorted(x * 1000 for x in latencies)
    print(f"machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}")
    print(f"{args.calls} concurrent calls, a final segment every {args.interval:g} s, {args.turns} each "
          f"({args.calls / args.interval:.0f} segments/s)")
    if ms:
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(f"nudge latency: p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms "
              f"({len(ms)} answers)")
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print(f"  {error}")
    print(f"turns sent {args.calls * args.turns}, stored {sum(stored.values())}, lost {lost}")


if __name__ == "__main__":
    main()
