"""Throughput and peak memory of archive scoring: `calmline batch` with 1 and 2 workers, and
Spark local[2] over the same pure function, on a synthetic archive (make_archive.py).

    python benchmarks/batch.py [--calls 20000] [--workdir /tmp/calmline-batch] [--no-spark]

Each run is a fresh process started from scratch (model loading included in its time) on a
fresh output. Peak memory is the highest total PSS of the run's process tree (the command,
its workers, and for Spark the JVM and its Python workers), sampled every 0.2 s; PSS
counts pages shared between forked workers once, split among them. CPU seconds are the
user + system time of the whole tree, so calls per CPU-second is the rate one dedicated
core would give, even on a machine shared with other work.

A run's CPU time is a fixed cost (imports, loading the models) plus a cost per call. Each
`calmline batch` configuration also runs on the archive's first SMALL calls, and the
difference between the two runs gives the steady rate (calls per CPU-second once loaded,
what a long run approaches) and the fixed cost, so a short run projects a long one.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_archive

SMALL = 20  # calls in the short run that measures the fixed cost

SPARK_RUN = """
import os, sys, time
os.environ["PYSPARK_PYTHON"] = sys.executable
from pyspark.sql import SparkSession
from calmline.batch.spark import score_dataframe
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "2").config("spark.driver.memory", "512m")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
frame = spark.read.parquet(sys.argv[1]).repartition(8)
score_dataframe(frame).write.mode("overwrite").parquet(sys.argv[2])
spark.stop()
"""


def tree_usage(root: int) -> tuple[int, float]:
    """Total PSS (kB) and CPU seconds so far of ``root`` and every live process below it."""
    pss, cpu, todo = 0, 0.0, [root]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        pid = todo.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += sum(int(v) for v in stat[11:15]) / tick  # utime, stime, cutime, cstime
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return pss, cpu


def measure(command: list[str]) -> tuple[float, float, float]:
    """Run ``command``; return (seconds, CPU seconds of its whole tree, peak MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, sampled_cpu = 0, 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        pss, cpu = tree_usage(process.pid)
        peak, sampled_cpu = max(peak, pss), max(sampled_cpu, cpu)
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed:\n{process.stderr.read().decode() if process.stderr else ''}")
    process.returncode = 0
    # Spark's Python workers are never waited for, so their CPU shows only in the samples.
    return elapsed, max(usage.ru_utime + usage.ru_stime, sampled_cpu), peak / 1024


def report(label: str, calls: int, seconds: float, cpu: float, peak: float) -> None:
    print(f"{label:<28} {calls / seconds:7.1f} calls/s wall ({seconds:6.1f} s), "
          f"{calls / cpu:6.1f} calls per CPU-second, peak memory {peak:5.0f} MB")


def batch_run(archive: Path, out: Path, workers: int) -> tuple[float, float, float]:
    """One fresh ``calmline batch`` run on a fresh output: (seconds, CPU seconds, peak MB)."""
    shutil.rmtree(out, ignore_errors=True)
    return measure([sys.executable, "-c", "from calmline.cli import main; main()", "batch",
                    str(archive), "--out", str(out / "scores.parquet"), "--workers", str(workers),
                    "--no-progress"])


def steady(calls: int, cpu: float, small_cpu: float, small_peak: float) -> None:
    """The per-call rate and the fixed cost, from a run and the short run (whose peak
    memory shows how much of the run's peak comes with the archive's size)."""
    if calls <= SMALL or cpu <= small_cpu:
        print(f"{'':<28} (too few calls or too noisy to split fixed cost from per-call cost)")
        return
    per_call = (cpu - small_cpu) / (calls - SMALL)
    print(f"{'':<28} steady {1 / per_call:6.1f} calls per CPU-second, fixed cost "
          f"{small_cpu - SMALL * per_call:5.1f} CPU-seconds; {SMALL}-call run: "
          f"peak memory {small_peak:5.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/calmline-batch-bench"))
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    archive = args.workdir / f"archive-{args.calls}.jsonl"
    table = args.workdir / f"archive-{args.calls}.parquet"
    if not archive.exists():
        make_archive.write_jsonl(archive, args.calls, seed=8)
    if not table.exists() and not args.no_spark:
        make_archive.write_parquet(table, args.calls, seed=8)
    env_note = f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}"
    print(f"machine: {env_note}, load average before: {os.getloadavg()[0]:.1f}")
    print(f"archive: {args.calls} calls, ~{make_archive.MEAN_TURNS} turns each")
    small = args.workdir / f"archive-{SMALL}.jsonl"
    if not small.exists():
        make_archive.write_jsonl(small, SMALL, seed=8)  # the big archive's first calls
    rates: dict[str, float] = {}
    for workers in (1, 2):
        _, small_cpu, small_peak = batch_run(small, args.workdir / f"out-small-{workers}", workers)
        seconds, cpu, peak = batch_run(archive, args.workdir / f"out-{workers}", workers)
        rates[f"batch, {workers} worker(s)"] = args.calls / seconds
        report(f"calmline batch --workers {workers}", args.calls, seconds, cpu, peak)
        steady(args.calls, cpu, small_cpu, small_peak)
    if not args.no_spark:
        out = args.workdir / "out-spark"
        shutil.rmtree(out, ignore_errors=True)
        seconds, cpu, peak = measure([sys.executable, "-c", SPARK_RUN, str(table), str(out)])
        report("Spark local[2]", args.calls, seconds, cpu, peak)
    one, two = rates["batch, 1 worker(s)"], rates["batch, 2 worker(s)"]
    print(f"scaling 1 -> 2 workers (wall): x{two / one:.2f}; load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
