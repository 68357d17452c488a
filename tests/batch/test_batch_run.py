"""`calmline batch` end to end: mixed inputs in, one Parquet row per call out, errors
collected, the same rows on one worker or two, and re-runs that resume."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from calmline.batch.runner import BatchOptions, run_batch
from calmline.batch.store import LEDGER
from calmline.cli import app
from calmline.engine import default_playbook
from calmline.playbook import load_playbook
from tests.batch.conftest import BAD_INPUTS, GOOD_CALLS


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rows(path: Path) -> list[dict[str, Any]]:
    return sorted(pq.read_table(path).to_pylist(), key=lambda row: row["key"])


def options(archive: Path, out: Path, **changes: Any) -> BatchOptions:
    settings: dict[str, Any] = {"playbook": default_playbook(), "commit_every": 4, **changes}
    return BatchOptions((str(archive),), out, **settings)


@pytest.fixture
def first_run(archive: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "scores.parquet"
    out.parent.mkdir()
    run_batch(options(archive, out, reports=tmp_path / "out" / "reports.jsonl"))
    return out


def test_every_call_once_and_every_bad_input_in_the_errors_file(first_run: Path) -> None:
    scored = rows(first_run)
    errors = lines(first_run.with_name("scores.errors.jsonl"))
    assert len(scored) == len({r["key"] for r in scored}) == GOOD_CALLS
    assert len(errors) == BAD_INPUTS
    assert all(e["message"].startswith(f"[{e['code']}]") for e in errors)


def test_reports_file_holds_one_report_per_row(first_run: Path) -> None:
    reports = lines(first_run.with_name("reports.jsonl"))
    expected = sorted(r["conversation_id"] for r in rows(first_run))
    assert sorted(r["conversation_id"] for r in reports) == expected


def test_two_workers_give_the_same_rows_as_one(archive: Path, first_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "two" / "scores.parquet"
    out.parent.mkdir()
    summary = run_batch(options(archive, out, workers=2))
    assert (summary.scored + summary.failed, summary.rows_out) == (GOOD_CALLS + BAD_INPUTS, GOOD_CALLS)
    assert rows(out) == rows(first_run)


def test_a_rerun_skips_what_is_scored_and_retries_errors(archive: Path, first_run: Path) -> None:
    before = rows(first_run)
    summary = run_batch(options(archive, first_run))
    assert (summary.scored, summary.skipped, summary.failed) == (0, GOOD_CALLS, BAD_INPUTS)
    assert rows(first_run) == before


def test_a_new_playbook_rescores_everything(archive: Path, first_run: Path, tmp_path: Path) -> None:
    text = load_playbook().model_dump_json()
    changed = load_playbook().model_validate_json(text.replace('"version":"', '"version":"x', 1))
    summary = run_batch(options(archive, first_run, playbook=changed))
    assert summary.skipped == 0
    assert {r["playbook_version"] for r in rows(first_run)} == {changed.version}
    assert len(rows(first_run)) == GOOD_CALLS


def test_new_files_are_scored_on_a_rerun(archive: Path, first_run: Path) -> None:
    (archive / "later.json").write_bytes((archive / "nested" / "billing_double_charge.json").read_bytes())
    summary = run_batch(options(archive, first_run))
    assert summary.scored == 1
    assert len(rows(first_run)) == GOOD_CALLS + 1


def test_a_torn_ledger_line_and_an_uncommitted_part_are_redone(archive: Path, first_run: Path) -> None:
    parts = first_run.with_name(first_run.name + ".parts")
    ledger = parts / LEDGER
    lines = ledger.read_bytes().splitlines(keepends=True)
    ledger.write_bytes(b"".join(lines[:-1]) + lines[-1][:25])  # as if killed mid-write
    summary = run_batch(options(archive, first_run))
    assert summary.scored > 0
    assert len(rows(first_run)) == len({r["key"] for r in rows(first_run)}) == GOOD_CALLS


@pytest.mark.parametrize(("inputs", "expected"), [
    (["nested/*.json", "nested/*.txt"], 2),
    (["nested", "nested/*.csv", "nested/../nested/dismissive_agent.txt"], 5),  # named twice: once
    (["calls.jsonl"], 3),
    (["table.parquet"], 2),
    (["nested"], 5),
])
def test_inputs_of_every_kind(archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              inputs: list[str], expected: int) -> None:
    monkeypatch.chdir(archive)
    out = tmp_path / "scores.parquet"
    run_batch(BatchOptions(tuple(inputs), out, default_playbook()))
    assert len(rows(out)) == expected


def test_command_line_writes_parquet_and_exits_1_on_bad_inputs(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.parquet"
    result = CliRunner().invoke(app, ["batch", str(archive), "--out", str(out), "--workers", "1",
                                      "--no-progress"])
    assert result.exit_code == 1, result.output
    assert f"{GOOD_CALLS} calls in" in result.output
    assert len(rows(out)) == GOOD_CALLS


@pytest.mark.parametrize(("inputs", "message"), [
    (["no-such-dir/*.json"], "no file matches"),
])
def test_unusable_input_stops_with_a_clear_error(tmp_path: Path, inputs: list[str], message: str) -> None:
    out = str(tmp_path / "o.parquet")
    result = CliRunner().invoke(app, ["batch", *inputs, "--out", out, "--no-progress"])
    assert result.exit_code == 1
    assert message in result.output


@pytest.mark.parametrize(("name", "content", "code", "words"), [
    ("table.parquet", None, "E005", "no 'transcript' column"),
    ("broken.parquet", b"PAR1 not really", "E001", "cannot read the file"),
    ("missing.jsonl", b"", "E001", "No such file"),
    ("missing.json", b"", "E001", "No such file"),
])
def test_unreadable_inputs_are_collected_not_fatal(archive: Path, tmp_path: Path, name: str,
                                                   content: bytes | None, code: str, words: str) -> None:
    import pyarrow as pa

    bad = tmp_path / name
    if content is None:
        pq.write_table(pa.table({"text": ["Agent: hi"]}), bad)
    elif content:
        bad.write_bytes(content)
    out = tmp_path / "o.parquet"
    summary = run_batch(BatchOptions((str(bad), str(archive / "nested")), out, default_playbook()))
    (error,) = lines(tmp_path / "o.errors.jsonl")
    assert (summary.failed, len(rows(out))) == (1, 5)
    assert error["code"] == code
    assert words in error["message"]
