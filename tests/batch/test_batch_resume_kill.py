"""A batch run killed halfway (SIGKILL, no chance to clean up) and run again finishes the
job with every call scored exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from calmline.batch.runner import BatchOptions, run_batch
from calmline.batch.store import LEDGER
from calmline.engine import default_playbook
from tests.batch.conftest import jsonl_line
from tests.conftest import SAMPLE_CALLS

COMMITTED_BEFORE_KILL = 2  # ledger lines (parts) to wait for before killing
# The sample calls this many times over (each line its own call): enough work left after
# the commits waited for that the run cannot finish before the kill lands.
ROUNDS = 6


def wait_for_commits(ledger: Path, process: subprocess.Popen[bytes], count: int) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        if ledger.exists() and ledger.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the run ended or stalled before {count} commits")


def test_killed_run_resumes_and_scores_every_call_exactly_once(tmp_path: Path) -> None:
    archive = tmp_path / "calls.jsonl"
    archive.write_bytes(b"".join(jsonl_line(path.name) for path in SAMPLE_CALLS) * ROUNDS)
    out = tmp_path / "scores.parquet"
    command = [sys.executable, "-c", "from calmline.cli import main; main()", "batch", str(archive),
               "--out", str(out), "--workers", "2", "--commit-every", "2", "--no-progress"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_for_commits(out.with_name(out.name + ".parts") / LEDGER, process, COMMITTED_BEFORE_KILL)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, mid-flight
        process.wait()
    assert not out.exists(), "the run finished before it could be killed"

    summary = run_batch(BatchOptions((str(archive),), out, default_playbook(), commit_every=2))
    keys = pq.read_table(out, columns=["key"]).column("key").to_pylist()
    assert summary.skipped >= COMMITTED_BEFORE_KILL * 2
    assert sorted(keys) == sorted(set(keys))
    assert len(keys) == len(SAMPLE_CALLS) * ROUNDS
