"""Scenario files are validated like playbooks: every mistake with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.errors import ErrorCode
from calmline.simulator import ScenarioError, curriculum, find_scenario, load_scenario, parse_scenario
from calmline.simulator.loader import SCENARIO_DIR

VALID = (SCENARIO_DIR / "01_double_billing.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# (the broken file, a line the error must name, words the error must contain)
BROKEN = [
    (broken("labels: [solution, options]", "labels: [solution, hugging]"), "labels: [solution",
     "unknown label 'hugging'"),
    (broken("labels: [solution, options]", "labels: [solution, anger]"), "labels: [solution",
     "customer label"),
    (broken("  start: 62", "  start: hot"), "start: hot", "valid number"),
    (broken("  start: 62", "  start: 99"), "  start: 99", "hang_up_at"),
    (broken("  accept_below: 45", "  accept_below: 90"), "  start: 62", "accept_below < manager_at"),
    (broken("level: 1", "level: 9"), "level: 9", "less than or equal to 5"),
    (broken("id: double_billing", "id: Double Billing"), "id: Double", "pattern"),
    (broken("title: Charged twice for one order\n", ""), "id: double_billing", "title: required"),
    (broken("{order}, {amount} both", "{order}, {amonut} both"), "{amonut}", "is not a fact"),
    (broken("  opening:", "  openin:"), "  openin:", "unknown line pool"),
    (broken("persona:", "persona:\n  mood: grumpy"), "mood: grumpy", "unknown field"),
    (broken("  press:", "  press: {}\n  other:"), "press: {}", "valid tuple"),
    (broken("  order: A-20417", "  order: [1]"), "order: [1]", "valid string"),
]


@pytest.mark.parametrize(("text", "needle", "words"), BROKEN)
def test_scenario_files_errors_name_their_line(text: str, needle: str, words: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, source="bad.yaml")
    error = caught.value
    assert error.code is ErrorCode.E401_SCENARIO
    line = f"line {line_of(text, needle)},"
    assert any(issue.startswith(line) and words in issue for issue in error.issues), error.issues
    assert "bad.yaml" in error.message


@pytest.mark.parametrize(("text", "words"), [
    ("", "expected a mapping"),
    ("- a\n- b\n", "expected a mapping"),
    ("id: [unclosed\n", "line 2"),
    ("id: x\n\ttitle: tab\n", "YAML syntax error"),
])
def test_scenario_files_malformed_yaml(text: str, words: str) -> None:
    with pytest.raises(ScenarioError, match="invalid scenario") as caught:
        parse_scenario(text)
    assert any(words in issue for issue in caught.value.issues), caught.value.issues


def test_scenario_files_numbers_are_facts_too() -> None:
    assert parse_scenario(broken("  order: A-20417", "  order: 20417")).facts["order"] == "20417"


def test_scenario_files_every_problem_is_listed() -> None:
    text = broken("level: 1", "level: 0").replace("  start: 62", "  start: -5")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    assert len(caught.value.issues) == 2


def test_scenario_files_unreadable_inputs(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(VALID.encode("utf-8") + "caf\xe9".encode("latin-1"))
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * 1_000_001)
    for path, words in ((latin, "not UTF-8"), (huge, "larger than"),
                        (tmp_path / "missing.yaml", "cannot read"), (tmp_path, "cannot read")):
        with pytest.raises(ScenarioError, match=words):
            load_scenario(path)


def test_scenario_files_find_by_id_or_path(tmp_path: Path) -> None:
    copy = tmp_path / "mine.yaml"
    copy.write_text(broken("id: double_billing", "id: my_copy"), encoding="utf-8")
    assert find_scenario("double_billing") is curriculum()["double_billing"]
    assert find_scenario(copy).id == "my_copy"
    with pytest.raises(ScenarioError, match="no shipped scenario 'nope'"):
        find_scenario("nope")


def test_scenario_files_shipped_ones_use_their_facts() -> None:
    for scenario in curriculum().values():
        assert len(scenario.lines["opening"]) >= 2
        assert scenario.outcomes
