"""The synthetic archive generator behind the batch benchmark: reproducible, readable by
calmline, and made of turns whose texts seldom repeat (the detectors cache by text, so a
repetitive archive would overstate the scoring rate)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from calmline.conversation import Role
from calmline.formats import read_conversations

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "make_archive.py"


@pytest.fixture(scope="module")
def make_archive() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_archive", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_same_seed_gives_the_same_archive(make_archive: ModuleType, tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    make_archive.write_jsonl(first, 30, seed=8)
    make_archive.write_jsonl(again, 30, seed=8)
    make_archive.write_jsonl(other, 30, seed=9)
    assert first.read_bytes() == again.read_bytes() != other.read_bytes()


def test_calls_read_back_with_about_forty_turns(make_archive: ModuleType, tmp_path: Path) -> None:
    archive = tmp_path / "calls.jsonl"
    make_archive.write_jsonl(archive, 60, seed=8)
    calls = list(read_conversations(archive))
    assert len(calls) == 60
    assert 34 <= sum(len(c.turns) for c in calls) / len(calls) <= 46


def test_turn_texts_seldom_repeat(make_archive: ModuleType) -> None:
    spoken = [t.text for call in make_archive.calls(200, seed=8) for t in call.turns
              if t.role is not Role.SYSTEM]
    assert len(set(spoken)) >= 0.6 * len(spoken)
