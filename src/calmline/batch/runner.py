"""``calmline batch``: score a whole archive on every local core, streaming, resumable,
with bad inputs collected instead of stopping the run."""

from __future__ import annotations

import gc
import json
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

from calmline.batch.inputs import archive_files, count_transcripts, transcripts
from calmline.batch.parquet import arrow_schema
from calmline.batch.row import Row, Scored, Scorer, columns, one_thread_per_process, score_transcript
from calmline.batch.store import PartStore, key_digest
from calmline.batch.transcript import Transcript
from calmline.playbook import Playbook

# Transcripts sent to a worker at a time: enough to make the hand-off cheap next to the
# scoring (~10 ms a call), few enough that a slow chunk does not hold up the progress bar.
CHUNK = 8
# Chunks in flight per worker: keeps every worker busy while bounding memory.
WINDOW_PER_WORKER = 4
DEFAULT_COMMIT_EVERY = 1000
# Full reports held before a commit, at most: a long call's report is ~100 KB of JSON.
MAX_PENDING_REPORT_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """What to score and where the results go."""

    inputs: tuple[str, ...]
    out: Path
    playbook: Playbook
    workers: int = 1
    reports: Path | None = None
    errors: Path | None = None
    commit_every: int = DEFAULT_COMMIT_EVERY

    @property
    def errors_path(self) -> Path:
        return self.errors or self.out.with_name(self.out.stem + ".errors.jsonl")


@dataclass
class BatchSummary:
    """What a run did: calls scored now, transcripts skipped as already done, failures."""

    total: int = 0
    skipped: int = 0
    scored: int = 0
    failed: int = 0
    rows_out: int = 0


Progress = Callable[[int], None]


@dataclass
class _Pending:
    """Results not yet committed to a part."""

    rows: list[Row] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    report_bytes: int = 0

    def full(self, commit_every: int) -> bool:
        return len(self.rows) >= commit_every or self.report_bytes >= MAX_PENDING_REPORT_BYTES


def run_batch(options: BatchOptions, *, on_total: Progress | None = None,
              on_done: Progress | None = None) -> BatchSummary:
    """Score every transcript in ``options.inputs`` not already scored with this playbook,
    commit results part by part, then write the output; return the summary."""
    one_thread_per_process()
    scorer = Scorer(options.playbook, with_reports=options.reports is not None)
    store = PartStore(options.out, scorer.fingerprint, arrow_schema(columns(options.playbook)))
    done = store.open()
    summary = BatchSummary(total=count_transcripts(archive_files(options.inputs)))
    if on_total:
        on_total(summary.total)
    todo = _not_done(transcripts(archive_files(options.inputs)), done, summary, on_done)
    with options.errors_path.open("w", encoding="utf-8") as errors:
        _score_all(todo, scorer, options, store, summary, errors, on_done)
    summary.rows_out = store.merge(options.reports)
    return summary


def _not_done(items: Iterable[Transcript], done: set[int], summary: BatchSummary,
              on_done: Progress | None) -> Iterator[Transcript]:
    for transcript in items:
        digest = key_digest(transcript.key)
        if digest in done:  # scored before, or named twice in this run's inputs
            summary.skipped += 1
            if on_done:
                on_done(1)
            continue
        done.add(digest)
        yield transcript


def _score_all(todo: Iterator[Transcript], scorer: Scorer, options: BatchOptions, store: PartStore,
               summary: BatchSummary, errors: IO[str], on_done: Progress | None) -> None:
    pending = _Pending()
    for outcomes in _outcomes(todo, scorer, options.workers):
        for scored in outcomes:
            _collect(scored, pending, summary, errors)
        if on_done:
            on_done(len(outcomes))
        if pending.full(options.commit_every):
            pending = _commit(store, pending)
    if pending.keys:
        _commit(store, pending)


def _collect(scored: Scored, pending: _Pending, summary: BatchSummary, errors: IO[str]) -> None:
    if scored.error is not None:
        summary.failed += 1
        errors.write(json.dumps(scored.error.to_dict(), ensure_ascii=False) + "\n")
        errors.flush()
        return
    summary.scored += 1
    pending.rows.extend(scored.rows)
    pending.reports.extend(scored.reports)
    pending.report_bytes += sum(len(report) for report in scored.reports)
    pending.keys.append(scored.key)


def _commit(store: PartStore, pending: _Pending) -> _Pending:
    store.commit(store.next_part(), pending.rows, pending.reports, pending.keys)
    return _Pending()


def _outcomes(todo: Iterator[Transcript], scorer: Scorer, workers: int) -> Iterator[list[Scored]]:
    """Scored chunks, in this process for one worker, else from a pool of processes fed
    through a bounded window so the input is never read far ahead of the scoring."""
    chunks = iter(lambda: list(islice(todo, CHUNK)), [])
    if workers <= 1:
        yield from ([score_transcript(t, scorer) for t in chunk] for chunk in chunks)
        return
    with _pool(scorer, workers) as pool:
        in_flight: set[Future[list[Scored]]] = set()
        for chunk in chunks:
            if len(in_flight) >= workers * WINDOW_PER_WORKER:
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in finished)
            in_flight.add(pool.submit(_score_chunk, chunk))
        for future in in_flight:
            yield future.result()


@contextmanager
def _pool(scorer: Scorer, workers: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that each hold a scorer. Forked workers inherit the parent's scorer
    with its models already loaded (shared copy-on-write, loaded once for all workers);
    where fork is missing, each spawned worker builds its own."""
    if "fork" not in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_start_worker,
                                 initargs=(scorer.playbook, scorer.with_reports)) as pool:
            yield pool
        return
    scorer.warm()
    _WORKER_SCORER[:] = [scorer]
    # Out of the collector's sight, the loaded models' objects are not written to by a
    # collection in a worker, so their pages stay shared. (Objects someone else froze
    # before stay frozen.)
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=one_thread_per_process) as pool:
            yield pool
    finally:
        if not frozen_before:
            gc.unfreeze()
        _WORKER_SCORER.clear()


_WORKER_SCORER: list[Scorer] = []


def _start_worker(playbook: Playbook, with_reports: bool) -> None:
    one_thread_per_process()
    _WORKER_SCORER[:] = [Scorer(playbook, with_reports)]


def _score_chunk(chunk: list[Transcript]) -> list[Scored]:
    scorer = _WORKER_SCORER[0]
    return [score_transcript(t, scorer) for t in chunk]
