"""Golden tests: the key verdicts a QA analyst pinned on every bundled sample call
(examples/calls/EXPECTED.yaml), and live sessions equal to post-call analysis."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from calmline.engine import analyze
from calmline.formats import read_conversation
from calmline.report import Report
from calmline.session import Session

from .conftest import EXAMPLES, SAMPLE_CALLS

EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (EXAMPLES / "calls" / "EXPECTED.yaml").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)


@cache
def report_for(name: str) -> Report:
    return analyze(read_conversation(EXAMPLES / "calls" / name))


def test_every_sample_call_has_expectations() -> None:
    assert len(SAMPLE_CALLS) >= 15
    assert {p.name for p in SAMPLE_CALLS} == set(EXPECTED)


@pytest.mark.parametrize("name", NAMES)
def test_turn_count(name: str) -> None:
    assert len(report_for(name).turns) == EXPECTED[name]["n_turns"]


def _pins(kind: str) -> list[tuple[str, str, int]]:
    return [(name, pin["label"], pin["turn"]) for name in NAMES
            for pin in EXPECTED[name].get(kind) or []]


@pytest.mark.parametrize(("name", "label", "turn"), _pins("must_have"))
def test_pinned_label_is_detected(name: str, label: str, turn: int) -> None:
    found = {s.label for s in report_for(name).turns[turn].signals}
    assert label in found, f"turn {turn}: {report_for(name).turns[turn].text!r} -> {found}"


@pytest.mark.parametrize(("name", "label"),
                         [(n, label) for n in NAMES for label in EXPECTED[n].get("must_not_have") or []])
def test_forbidden_label_is_absent(name: str, label: str) -> None:
    hits = [(t.index, s.evidence) for t in report_for(name).turns for s in t.signals
            if s.label == label]
    assert hits == []


@pytest.mark.parametrize("name", NAMES)
def test_outcome(name: str) -> None:
    assert report_for(name).outcome.resolution.value == EXPECTED[name]["outcome"]


@pytest.mark.parametrize("name", NAMES)
def test_deescalation(name: str) -> None:
    assert report_for(name).outcome.deescalated == EXPECTED[name]["deescalated"]


@pytest.mark.parametrize("name", NAMES)
def test_abuse_boundary_risk(name: str) -> None:
    codes = {r.code for r in report_for(name).risks}
    abused = EXPECTED[name]["abuse"]
    boundary = any(pin["label"] == "boundary" for pin in EXPECTED[name].get("must_have") or [])
    assert ("abuse_without_boundary" in codes) == (abused and not boundary)


@pytest.mark.parametrize(("name", "turn", "due"),
                         [(n, c["turn"], c["due_phrase"]) for n in NAMES
                          for c in EXPECTED[n].get("commitments") or []])
def test_commitment_is_noted(name: str, turn: int, due: str | None) -> None:
    notes = report_for(name).notes
    at_turn = [c for c in notes.commitments if c.turn_index == turn]
    assert at_turn, f"no commitment at turn {turn}: {notes.commitments}"
    if due is not None:
        assert any(c.due_phrase and _same_phrase(c.due_phrase, due) for c in at_turn), at_turn


def _same_phrase(found: str, expected: str) -> bool:
    """The due phrase as found covers the one a person marked, or lies inside it."""
    found, expected = found.lower(), expected.lower()
    return found in expected or expected in found


@pytest.mark.parametrize("path", SAMPLE_CALLS, ids=lambda p: p.name)
def test_live_session_equals_analyze(path: Path) -> None:
    conversation = read_conversation(path)
    session = Session.for_conversation(conversation)
    live_nudges = [n for turn in conversation.turns for n in session.feed(turn)]
    report = session.close()
    assert report.to_dict() == analyze(conversation).to_dict()
    assert tuple(live_nudges) == report.nudges
