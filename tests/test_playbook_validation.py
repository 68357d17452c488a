"""The playbook file: the default validates; every mistake is explained with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.errors import PlaybookError
from calmline.labels import AGENT_LABELS
from calmline.playbook import (
    DEFAULT_PLAYBOOK_PATH,
    Condition,
    Kind,
    load_playbook,
    parse_playbook,
    playbook_fingerprint,
)

DEFAULT_TEXT = DEFAULT_PLAYBOOK_PATH.read_text(encoding="utf-8")


def test_default_playbook_is_valid_and_covers_the_agent_labels() -> None:
    book = load_playbook()
    covered = {label for t in book.techniques for label in t.labels}
    expected = set(AGENT_LABELS) - {"question"}  # any question is neither good nor bad alone
    assert expected <= covered
    assert all(t.nudge is not None for t in book.techniques
               if t.kind is Kind.HARMFUL), "every harmful move has a live correction"


def test_every_good_technique_says_when_it_is_expected_or_is_optional() -> None:
    book = load_playbook()
    for technique in book.techniques:
        assert technique.coaching_tip
        assert technique.why
        assert technique.description
        if technique.kind is Kind.HARMFUL:
            assert technique.expected_when == (Condition.ALWAYS,)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("labels: [empathy]", "labels: [empathyy]", "techniques[1].labels: unknown label 'empathyy'"),
        ("labels: [empathy]", "labels: [anger]", "is a customer label"),
        ("expected_when: [customer_emotional]\n    weight: 3",
         "expected_when: [when_angry]\n    weight: 3", "'when_angry' is not one of"),
        ("    weight: 2\n    description: Restates", "    weight: -2\n    description: Restates",
         "techniques[2].weight: Input should be greater than 0"),
        ("    name: Name the feeling\n", "", "techniques[1].name: required field is missing"),
        ("coaching_tip: >\n      Swap", "coachin_tip: >\n      Swap",
         "techniques[4].coachin_tip: unknown field"),
        ("- id: options\n", "- id: empathy\n", "duplicate technique id 'empathy'"),
        ("kind: harmful\n    labels: [blame]", "kind: awful\n    labels: [blame]",
         "'awful' is not one of"),
        ('version: "2026.11"', "", "version: required field is missing"),
        ("    confusion: {verdict: never, live: never}", "    confusio: {verdict: never, live: never}",
         "unknown label(s): confusio"),
        ("  verdict: precision\n  live: balanced", "  verdict: precise\n  live: balanced",
         "detection.verdict: 'precise' is not one of: 'precision', 'balanced', 'recall' or 'never'"),
        ("    boundary: {verdict: never, live: never}", "    boundary: {verdict: never, live: loud}",
         "detection.labels.boundary.live: 'loud' is not one of"),
    ],
)
def test_playbook_mistake_is_explained(old: str, new: str, expected: str) -> None:
    assert old in DEFAULT_TEXT
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(DEFAULT_TEXT.replace(old, new, 1), source="team.yaml")
    assert any(expected in issue for issue in caught.value.issues), caught.value.issues
    assert "team.yaml" in caught.value.message


def test_mistake_names_the_line_it_is_on() -> None:
    broken = DEFAULT_TEXT.replace("labels: [boundary]", "labels: [bondary]")
    line = broken.splitlines().index("    labels: [bondary]") + 1
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(broken)
    assert caught.value.issues[0].startswith(f"line {line}, ")


def test_all_mistakes_are_reported_at_once() -> None:
    broken = DEFAULT_TEXT.replace("labels: [boundary]", "labels: [x]").replace(
        "labels: [timeline]", "labels: [y]")
    with pytest.raises(PlaybookError) as caught:
        parse_playbook(broken)
    assert len(caught.value.issues) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "expected a mapping"),
        (b"- just\n- a list\n", "expected a mapping"),
        (b"name: x\n  bad: indent: here\n", "YAML syntax error"),
        (b"name: caf\xe9\n", "not UTF-8"),
        (b"name: x\nversion: '1'\ntechniques: []\n", "techniques"),
    ],
)
def test_broken_playbook_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert expected in caught.value.message
    assert str(path) in caught.value.message


def test_missing_playbook_file(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="cannot read"):
        load_playbook(tmp_path / "nope.yaml")


def test_fingerprint_changes_with_content() -> None:
    book = load_playbook()
    edited = parse_playbook(DEFAULT_TEXT.replace("weight: 3", "weight: 4", 1))
    assert playbook_fingerprint(book) == playbook_fingerprint(load_playbook())
    assert playbook_fingerprint(book) != playbook_fingerprint(edited)
