"""Worker processes: forked workers score with the parent's scorer, its models loaded once
before the fork, and warming a scorer changes no result."""

from __future__ import annotations

import gc
import multiprocessing

import pytest

from calmline.batch import Scorer, Transcript, runner, score_transcript
from calmline.engine import default_playbook
from tests.batch.conftest import CALLS, FILES


def _probe(_: int) -> tuple[int, int]:
    """In a worker: which scorer it holds, and how many objects the parent froze."""
    return id(runner._WORKER_SCORER[0]), gc.get_freeze_count()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_forked_workers_share_the_parents_warmed_scorer() -> None:
    scorer = Scorer(default_playbook())
    gc.unfreeze()  # a service started by an earlier test in this process may have frozen some
    with runner._pool(scorer, 2) as pool:
        seen = list(pool.map(_probe, range(8)))
    assert {scorer_id for scorer_id, _ in seen} == {id(scorer)}
    assert all(frozen > 0 for _, frozen in seen)
    # the parent lets go of both once the workers are gone
    assert runner._WORKER_SCORER == []
    assert gc.get_freeze_count() == 0


def test_a_pool_leaves_what_others_froze_frozen() -> None:
    scorer = Scorer(default_playbook())
    gc.freeze()  # as a service does at start
    frozen_before = gc.get_freeze_count()
    try:
        with runner._pool(scorer, 1) as pool:
            assert list(pool.map(_probe, range(2)))
        assert gc.get_freeze_count() >= frozen_before > 0
    finally:
        gc.unfreeze()


def test_warming_a_scorer_changes_no_row() -> None:
    scorer = Scorer(default_playbook())
    transcripts = [Transcript(name, name, (CALLS / name).read_bytes()) for name in FILES]
    before = [score_transcript(t, scorer) for t in transcripts]
    scorer.warm()
    after = [score_transcript(t, scorer) for t in transcripts]
    assert after == before
    assert all(scored.rows for scored in after)
