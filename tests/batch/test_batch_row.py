"""The pure scoring function: one flat row per call, or a located error, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calmline.batch import Scorer, Transcript, columns, score_transcript
from calmline.batch.row import CRITERION_PREFIX
from calmline.engine import analyze, default_playbook
from calmline.formats import read_conversation, read_conversations
from tests.batch.conftest import BAD_FILES, CALLS, FILES, jsonl_line


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(default_playbook())


@pytest.mark.parametrize("name", FILES)
def test_row_matches_the_report(scorer: Scorer, name: str) -> None:
    scored = score_transcript(Transcript("k", name, (CALLS / name).read_bytes()), scorer)
    report = analyze(read_conversation(CALLS / name))
    (row,) = scored.rows
    assert scored.error is None
    assert (row["key"], row["conversation_id"], row["overall_score"]) == (
        "k", report.conversation_id, report.scorecard.overall)
    assert row["temperature_peak"] == report.outcome.peak
    assert row["risk_flags"] == sorted({r.code for r in report.risks})
    assert {k: v for k, v in row.items() if k.startswith(CRITERION_PREFIX)} == {
        CRITERION_PREFIX + c.technique_id: c.verdict.value for c in report.scorecard.criteria}


def test_row_has_every_column_in_order(scorer: Scorer) -> None:
    name = FILES[0]
    (row,) = score_transcript(Transcript("k", name, (CALLS / name).read_bytes()), scorer).rows
    assert list(row) == [column for column, _ in columns(scorer.playbook)]


def test_jsonl_record_gets_the_id_reading_the_file_gives(scorer: Scorer, tmp_path: Path) -> None:
    record = json.loads(jsonl_line("manager_demand.txt"))
    del record["id"]
    lines = [b"\n", json.dumps(record).encode("utf-8") + b"\n"]
    (tmp_path / "calls.jsonl").write_bytes(b"".join(lines))
    expected = [c.id for c in read_conversations(tmp_path / "calls.jsonl")]
    scored = score_transcript(Transcript("k", str(tmp_path / "calls.jsonl"), lines[1], line=2), scorer)
    assert [r["conversation_id"] for r in scored.rows] == expected == ["calls-2"]


def test_reports_only_when_asked() -> None:
    name = FILES[0]
    transcript = Transcript("k", name, (CALLS / name).read_bytes())
    with_reports = score_transcript(transcript, Scorer(default_playbook(), with_reports=True))
    assert len(with_reports.reports) == 1
    assert '"conversation_id": "billing-double-charge"' in with_reports.reports[0]


def test_several_calls_in_one_transcript_get_keys_of_their_own(scorer: Scorer) -> None:
    content = jsonl_line("routine_password_reset.json") + jsonl_line("manager_demand.txt")
    scored = score_transcript(Transcript("bundle", "bundle.jsonl", content), scorer)
    conversations = list(read_conversations(CALLS / "routine_password_reset.json"))
    assert [r["key"] for r in scored.rows] == ["bundle#1", "bundle#2"]
    assert scored.rows[0]["conversation_id"] == conversations[0].id


@pytest.mark.parametrize(("name", "code"), [
    ("truncated.json", "E004"),
    ("empty.txt", "E003"),
    ("picture.json", "E002"),
    ("latin1.txt", "E002"),
])
def test_bad_input_becomes_an_error_not_an_exception(scorer: Scorer, name: str, code: str) -> None:
    scored = score_transcript(Transcript("k", name, BAD_FILES[name]), scorer)
    assert scored.rows == ()
    assert scored.error is not None
    assert (scored.error.code, scored.error.key) == (code, "k")
    assert name in scored.error.message


@pytest.mark.parametrize(("transcript", "code", "words"), [
    (Transcript("k", "gone.json", b"", problem="cannot read the file: gone"), "E001", "cannot read"),
    (Transcript("k", "a.jsonl", b'{"turns": []}\n', line=3), "E003", "line 3"),
    (Transcript("k", "a.jsonl", b'{"turns": [\n', line=2), "E004", "line 2"),
    (Transcript("k", "a.jsonl", b"   \n", line=4), "E003", "line 4"),
    (Transcript("k", "call.txt", b"x" * 60_000_000), "E008", "limit"),
    (Transcript("k", "call.json", b"{}", format="no-such-format"), "E007", "no-such-format"),
])
def test_errors_say_what_and_where(scorer: Scorer, transcript: Transcript, code: str, words: str) -> None:
    error = score_transcript(transcript, scorer).error
    assert error is not None
    assert error.code == code
    assert words in error.message
