"""The command line: reports in three formats, one-line errors, non-zero exits, and
nothing lost when one input of many is bad."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmline.cli import app
from calmline.playbook import DEFAULT_PLAYBOOK_PATH

from .conftest import EXAMPLES

RUNNER = CliRunner()
CALL = EXAMPLES / "calls" / "billing_double_charge.json"
BAD_CALL = EXAMPLES / "calls" / "non_apology_blame_cancel.csv"


def run(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_analyze_prints_a_readable_report() -> None:
    code, out, _ = run("analyze", str(CALL))
    assert code == 0
    for heading in ("Score", "Scorecard", "Transcript", "Name the feeling", "Risks"):
        assert heading in out


def test_analyze_json_is_one_report_object_per_line() -> None:
    code, out, _ = run("analyze", str(CALL), str(BAD_CALL), "--format", "json")
    reports = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert code == 0
    assert [r["conversation_id"] for r in reports] == ["billing-double-charge",
                                                       "non_apology_blame_cancel"]
    assert all(0 <= r["scorecard"]["overall"] <= 100 for r in reports)


def test_analyze_markdown() -> None:
    code, out, _ = run("analyze", str(CALL), "-f", "md")
    assert code == 0
    assert out.startswith("# Call ") and "## Scorecard" in out and "| Criterion |" in out


@pytest.mark.parametrize(("fmt", "suffix"), [("json", ".json"), ("md", ".md"), ("text", ".txt")])
def test_analyze_writes_one_file_per_call(tmp_path: Path, fmt: str, suffix: str) -> None:
    code, _, _ = run("analyze", str(CALL), str(BAD_CALL), "-f", fmt, "--out", str(tmp_path))
    written = sorted(p.name for p in tmp_path.iterdir())
    assert code == 0
    assert written == sorted(["billing-double-charge" + suffix,
                              "non_apology_blame_cancel" + suffix])


def test_bad_input_is_one_line_error_and_others_still_analysed(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"turns": [{"role": "agent", "text": "hi"', encoding="utf-8")
    code, out, err = run("analyze", str(broken), str(CALL), "-f", "json")
    assert code == 1
    assert len([line for line in out.splitlines() if line.strip()]) == 1
    error_lines = [line for line in err.splitlines() if line.strip()]
    assert len(error_lines) == 1 and "broken.json" in error_lines[0] and "[E004]" in error_lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "code_word"),
    [(b"", "E003"), (b"\x89PNG\r\n\x1a\n\x00\x00", "E002"), (b"caf\xe9: hi\n", "E002"),
     (b"hello there, no speakers here\n", "E00")],
)
def test_hostile_files_get_a_clear_error(tmp_path: Path, content: bytes, code_word: str) -> None:
    path = tmp_path / "call.txt"
    path.write_bytes(content)
    code, _, err = run("analyze", str(path))
    assert code == 1
    assert code_word in err and "call.txt" in err and "Traceback" not in err


def test_missing_file() -> None:
    code, _, err = run("analyze", "/nonexistent/call.json")
    assert code == 1
    assert "E001" in err


def test_unknown_input_format_is_named() -> None:
    code, _, err = run("analyze", str(CALL), "--input-format", "pdf")
    assert code == 1
    assert "pdf" in err


def test_custom_playbook_is_used(tmp_path: Path) -> None:
    edited = tmp_path / "team.yaml"
    edited.write_text(DEFAULT_PLAYBOOK_PATH.read_text(encoding="utf-8").replace(
        'version: "2026.11"', 'version: "team-7"'), encoding="utf-8")
    code, out, _ = run("analyze", str(CALL), "-f", "json", "--playbook", str(edited))
    assert code == 0
    assert json.loads(out)["playbook"]["version"] == "team-7"


def test_invalid_playbook_stops_analyze_with_usage_code(tmp_path: Path) -> None:
    broken = tmp_path / "p.yaml"
    broken.write_text("name: x\n", encoding="utf-8")
    code, _, err = run("analyze", str(CALL), "--playbook", str(broken))
    assert code == 2
    assert "p.yaml" in err


def test_playbook_validate_good_and_bad(tmp_path: Path) -> None:
    code, out, _ = run("playbook", "validate", str(DEFAULT_PLAYBOOK_PATH))
    assert code == 0 and "valid" in out
    broken = tmp_path / "p.yaml"
    broken.write_text(DEFAULT_PLAYBOOK_PATH.read_text(encoding="utf-8").replace(
        "labels: [boundary]", "labels: [bondary]").replace("weight: 3", "weight: zero", 1),
        encoding="utf-8")
    code, _, err = run("playbook", "validate", str(broken))
    assert code == 1
    assert "2 problem(s)" in err and "bondary" in err and "weight" in err and "line " in err


def test_playbook_show_lists_techniques(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = run("playbook", "show")
    assert code == 0
    assert "ownership_apology" in out and "abuse_seen" in out


def test_eval_json_shape_and_values() -> None:
    labelled = EXAMPLES / "labelled" / "sample_agent.jsonl"
    code, out, _ = run("eval", str(labelled), "--json", "-c", "rules")
    result = json.loads(out)["rules"]
    scope = json.loads((EXAMPLES / "labelled" / "sample_agent.scope.json").read_text())
    assert code == 0
    assert set(result) == {"labels", "macro_f1", "utterances_per_second", "turns_per_second",
                           "load_seconds"}
    assert set(result["labels"]) == set(scope["labels"])
    for scores in result["labels"].values():
        assert set(scores) == {"precision", "recall", "f1", "support"}
        assert 0.0 <= scores["f1"] <= 1.0
    assert result["utterances_per_second"] > 0
    # every utterance is detected after its context turns: never fewer turns than utterances
    assert result["turns_per_second"] >= result["utterances_per_second"]
    assert result["load_seconds"] > 0


def test_eval_by_a_field_shows_each_group(tmp_path: Path) -> None:
    rows = [{"role": "agent", "text": "Please calm down.", "labels": ["dismissive"], "team": "east"},
            {"role": "agent", "text": "I'm sorry we lost it.", "labels": ["apology"], "team": "west"}]
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    code, out, _ = run("eval", str(path), "-c", "rules", "--by", "team")
    assert code == 0
    assert "by team" in out and "east" in out and "west" in out
    code, out, _ = run("eval", str(path), "-c", "rules", "--by", "team", "--json")
    groups = json.loads(out)["rules"]["groups"]
    assert {v: g["utterances"] for v, g in groups.items()} == {"east": 1, "west": 1}
    assert groups["east"]["labels"]["dismissive"]["support"] == 1
    for extra in ([], ["--json"]):
        code, _, stderr = run("eval", str(path), "-c", "rules", "--by", "region", *extra)
        assert code == 0 and "no line has a text field 'region'" in stderr


def test_eval_table() -> None:
    code, out, _ = run("eval", str(EXAMPLES / "labelled" / "sample_customer.jsonl"))
    assert code == 0
    assert "macro" in out and "abuse" in out


def test_eval_bad_labelled_file(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"role": "agent", "text": "hi", "labels": ["empathy"]}\n'
                    '{"role": "agent", "text": "hi", "labels": ["empathyy"]}\n', encoding="utf-8")
    code, _, err = run("eval", str(path))
    assert code == 1
    assert "line 2" in err and "empathyy" in err


@pytest.mark.parametrize("command", [["formats"], ["labels"]])
def test_listings(command: list[str]) -> None:
    code, out, _ = run(*command)
    assert code == 0
    assert ("contact_lens" in out) if command == ["formats"] else ("escalation_request" in out)


def test_installed_entry_point_runs() -> None:
    script = Path(sys.executable).parent / "calmline"
    done = subprocess.run([str(script), "analyze", str(CALL), "-f", "json"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["conversation_id"] == "billing-double-charge"


def test_analyze_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "a.txt").write_text("Agent: Hello, how can I help?\nCustomer: My bill is wrong.\n",
                                  encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4 ignored: not a transcript extension")
    code, out, _ = run("analyze", str(folder), "-f", "json")
    assert code == 0
    assert [json.loads(line)["conversation_id"] for line in out.splitlines()] == ["a"]


def test_analyze_an_empty_folder(tmp_path: Path) -> None:
    code, _, err = run("analyze", str(tmp_path))
    assert code == 1
    assert "E003" in err and "no transcript files" in err
