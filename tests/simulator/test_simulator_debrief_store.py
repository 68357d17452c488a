"""The debrief of a practice call, sessions stored as JSONL, and the trainer's view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmline.cli import app
from calmline.simulator import PracticeOutcome, curriculum, debrief, replay
from calmline.simulator.store import load_sessions, practice_dir, progress, save_session
from tests.simulator.scripts import DISMISSIVE, GOOD, POOR

RUNNER = CliRunner()


def test_debrief_has_the_curve_the_outcome_and_advice() -> None:
    session = replay(curriculum()["abusive_caller"], 0, DISMISSIVE)
    result = debrief(session)
    assert result.outcome is PracticeOutcome.HUNG_UP
    assert len(result.curve) == len(session.curve) >= 1
    assert result.curve[0].moves and result.curve[0].after > result.curve[0].before
    assert {m.cause for m in result.curve[0].moves} >= {"dismissive", "abuse"}
    assert any("boundary" in advice for advice in result.helpful_moves)
    assert json.loads(json.dumps(result.to_dict()))["outcome"] == "hung_up"


@pytest.mark.parametrize(("script", "verdict"), [(GOOD, "met"), (POOR, "missed")])
def test_debrief_scorecard_reads_the_simulated_abuse(script: dict[str, list[str]], verdict: str) -> None:
    result = debrief(replay(curriculum()["abusive_caller"], 0, script["abusive_caller"]))
    assert result.report.scorecard.criterion("boundary").verdict.value == verdict


def test_debrief_hints_are_the_engines_nudges() -> None:
    session = replay(curriculum()["double_billing"], 0, ["You must have entered it wrong."])
    nudges = session.new_nudges()
    assert nudges and any("blam" in n.lower() or "fault" in n.lower() for n in nudges)
    assert session.new_nudges() == []


def test_debrief_of_a_good_call() -> None:
    result = debrief(replay(curriculum()["customer_is_right"], 0, GOOD["customer_is_right"]))
    assert result.outcome is PracticeOutcome.RESOLVED
    assert result.end_temper < result.start_temper
    assert result.score >= 70
    assert not any("admission" in advice for advice in result.helpful_moves)


def test_debrief_quitting_is_abandoned() -> None:
    session = replay(curriculum()["double_billing"], 0, ["Hello."])
    session.quit()
    assert debrief(session).outcome is PracticeOutcome.ABANDONED


def _store(folder: Path, scenario: str, script: list[str], trainee: str) -> Path:
    session = replay(curriculum()[scenario], 0, script)
    session.trainee = trainee
    return save_session(debrief(session), folder)


def test_store_sessions_and_progress(tmp_path: Path) -> None:
    _store(tmp_path, "double_billing", POOR["double_billing"], "ana")
    path = _store(tmp_path, "double_billing", GOOD["double_billing"], "ana")
    _store(tmp_path, "manager_demand", GOOD["manager_demand"], "ben")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in records[:2]] == ["session", "turn"] and records[-1]["type"] == "debrief"
    sessions, problems = load_sessions(tmp_path)
    assert problems == [] and len(sessions) == 3
    ana = next(p for p in progress(sessions) if p.trainee == "ana")
    assert (ana.attempts, ana.resolved, ana.last_outcome) == (2, 1, "resolved")
    assert ana.best_score >= ana.last_score


@pytest.mark.parametrize("content", [b"", b"{not json\n", b"\xff\xfe\x00", b"[1, 2]\n",
                                     b'{"type": "session"}\n', b'{"type": "turn"}\n'])
def test_store_bad_files_are_reported_and_left_alone(tmp_path: Path, content: bytes) -> None:
    _store(tmp_path, "double_billing", GOOD["double_billing"], "ana")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    sessions, problems = load_sessions(tmp_path)
    assert len(sessions) == 1
    assert len(problems) == 1 and "bad.jsonl" in problems[0]
    assert bad.read_bytes() == content


def test_store_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALMLINE_PRACTICE_DIR", str(tmp_path / "env"))
    assert practice_dir() == tmp_path / "env"
    assert practice_dir(tmp_path) == tmp_path
    assert load_sessions() == ([], [])


def test_cli_practice_report_lists_sessions(tmp_path: Path) -> None:
    _store(tmp_path, "third_time_caller", GOOD["third_time_caller"], "cleo")
    result = RUNNER.invoke(app, ["practice", "report", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "cleo" in result.output and "third_time_caller" in result.output
    assert "resolved" in result.output


def test_cli_practice_list_and_validate(tmp_path: Path) -> None:
    listed = RUNNER.invoke(app, ["practice", "list"])
    assert listed.exit_code == 0 and "double_billing" in listed.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: t\nlevel: 12\n", encoding="utf-8")
    checked = RUNNER.invoke(app, ["practice", "validate", str(bad)])
    assert checked.exit_code == 1
    assert "line 3, level" in checked.output
    from calmline.simulator.loader import SCENARIO_DIR

    good = RUNNER.invoke(app, ["practice", "validate", str(SCENARIO_DIR / "01_double_billing.yaml")])
    assert good.exit_code == 0 and "valid" in good.output


def test_cli_practice_unknown_scenario(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["practice", "no_such_scenario", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "E401" in result.output and "double_billing" in result.output


def test_cli_practice_whole_call_from_stdin(tmp_path: Path) -> None:
    script = "\n".join([*GOOD["double_billing"], ""])
    result = RUNNER.invoke(app, ["practice", "double_billing", "--seed", "4", "--trainee", "dee",
                                 "--dir", str(tmp_path), "--hide-gauge"], input=script)
    assert result.exit_code == 0, result.output
    assert "call ended: resolved" in result.output and "temper ███" not in result.output
    assert len(list(tmp_path.glob("*.jsonl"))) == 1


def test_cli_practice_quit_midway_is_stored_as_abandoned(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["practice", "venting_caller", "--seed", "2", "--trainee", "pat",
                                 "--dir", str(tmp_path)], input="Mm-hmm.\n/bogus\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "unknown command /bogus" in result.output
    assert "abandoned" in result.output
    stored = list(tmp_path.glob("*.jsonl"))
    assert len(stored) == 1 and '"outcome": "abandoned"' in stored[0].read_text(encoding="utf-8")


def test_cli_practice_end_of_input_quits(tmp_path: Path) -> None:
    result = RUNNER.invoke(app, ["practice", "double_billing", "--no-save", "--dir", str(tmp_path)],
                           input="")
    assert result.exit_code == 0, result.output
    assert "abandoned" in result.output and not list(tmp_path.iterdir())


def test_cli_practice_hostile_trainee_text(tmp_path: Path) -> None:
    turns = ["[/bold] [red]sorry[/red] \x1b[2J", "/[oops]", "Ça ne va pas 😡 " * 20, "/quit", ""]
    result = RUNNER.invoke(app, ["practice", "double_billing", "--seed", "1", "--dir", str(tmp_path)],
                           input="\n".join(turns))
    assert result.exit_code == 0, result.output
    assert "[/bold] [red]sorry[/red]" in result.output
    assert "unknown command /[oops]" in result.output
    text = next(tmp_path.glob("*.jsonl")).read_text(encoding="utf-8")
    assert "Ça ne va pas 😡" in text
