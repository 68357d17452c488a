"""`calmline train` and `calmline eval`: retrain on your own labels, compare
configurations side by side, and see the worst errors — with clear errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmline.cli import app

from .conftest import EXAMPLES
from .test_learned_models import labelled_file

RUNNER = CliRunner()
CALL = EXAMPLES / "calls" / "billing_double_charge.json"


def run(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("train")
    code, out, err = run("train", str(labelled_file(folder)), "--out", str(folder / "m"))
    assert code == 0, err
    assert "empathy" in out and "wrote" in out
    return folder / "m"


def test_train_writes_a_model_directory_analyze_can_use(model_dir: Path) -> None:
    assert {p.name for p in model_dir.iterdir()} == {"model.json", "agent.npz"}
    code, out, err = run("analyze", str(CALL), "--models", str(model_dir), "-f", "json")
    assert code == 0, err
    assert json.loads(out)["conversation_id"] == "billing-double-charge"


def test_eval_compares_configurations_side_by_side(model_dir: Path, tmp_path: Path) -> None:
    labelled = EXAMPLES / "labelled" / "sample_agent.jsonl"
    errors = tmp_path / "errors.md"
    code, out, err = run("eval", str(labelled), "-c", "rules", "-c", str(model_dir), "--json",
                         "--errors", str(errors))
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"rules", str(model_dir)}
    # The toy model only knows empathy: every other label is the rules' verdict.
    assert result["rules"]["labels"]["timeline"] == result[str(model_dir)]["labels"]["timeline"]
    summary = errors.read_text()
    assert summary.count("# Worst errors") == 2
    assert "## empathy" in summary


def test_errors_summary_lists_false_positives_and_misses(tmp_path: Path) -> None:
    labelled = tmp_path / "x.jsonl"
    labelled.write_text(json.dumps({"role": "agent", "text": "Let me check that.",
                                    "labels": ["empathy"]}) + "\n"
                        + json.dumps({"role": "agent", "text": "What is your order number?",
                                      "labels": []}) + "\n", encoding="utf-8")
    (tmp_path / "x.scope.json").write_text('{"role": "agent", "labels": ["empathy", "question"]}')
    errors = tmp_path / "e.md"
    code, _, err = run("eval", str(labelled), "-c", "rules", "--errors", str(errors))
    assert code == 0, err
    text = errors.read_text()
    assert "Misses (least confident)" in text and "Let me check that." in text
    assert "False positives (most confident)" in text and "What is your order number?" in text


def test_train_refuses_to_overwrite_something_else(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    code, _, err = run("train", str(labelled_file(tmp_path)), "--out", str(target))
    assert code == 1
    assert "not a calmline model directory" in err
    assert (target / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize(("content", "problem"), [
    (b'{"role": "agent", "text": "hi", "labels": ["empathyy"]}\n', "empathyy"),
    (b'{"role": "agent", "text": \n', "invalid JSON"),
    (b"\xff\xfe\x00bad", "not UTF-8"),
])
def test_train_bad_labelled_file_is_a_one_line_error(tmp_path: Path, content: bytes,
                                                     problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    code, _, err = run("train", str(path), "--out", str(tmp_path / "m"))
    assert code == 1
    assert problem in err and "bad.jsonl" in err
    assert not (tmp_path / "m").exists()


def test_train_without_data_says_what_to_do(tmp_path: Path) -> None:
    code, _, err = run("train", "--out", str(tmp_path / "m"))
    assert code == 1
    assert "--include-shipped" in err


def test_train_on_utterances_with_no_labels_in_scope(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"role": "agent", "text": "hello", "labels": []}\n', encoding="utf-8")
    (tmp_path / "x.scope.json").write_text('{"role": "agent", "labels": []}')
    code, _, err = run("train", str(path), "--out", str(tmp_path / "m"))
    assert code == 1
    assert "no labelled utterances" in err


def test_analyze_with_a_missing_model_directory(tmp_path: Path) -> None:
    code, _, err = run("analyze", str(CALL), "--models", str(tmp_path / "nope"))
    assert code == 1
    assert "model.json" in err


def test_overrule_rules_is_recorded_in_the_card_and_obeyed(tmp_path: Path) -> None:
    from calmline.learned import LearnedStage, load_models

    code, _, err = run("train", str(labelled_file(tmp_path)), "--out", str(tmp_path / "m"),
                       "--overrule-rules")
    assert code == 0, err
    assert json.loads((tmp_path / "m" / "model.json").read_text())["overrule_rules"] is True
    assert LearnedStage(load_models(tmp_path / "m")).veto is True


def test_markdown_scorecard_shows_each_verdicts_confidence() -> None:
    code, out, _ = run("analyze", str(CALL), "-f", "md")
    assert code == 0
    assert "| Confidence |" in out
    assert "(lexicon.agent) |" in out
