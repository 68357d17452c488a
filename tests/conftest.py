"""Shared fixtures: the sample calls and small conversation builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.conversation import Conversation, Role, make_turns

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SAMPLE_CALLS = sorted(p for p in (EXAMPLES / "calls").glob("*")
                      if p.suffix in {".json", ".jsonl", ".txt", ".csv", ".vtt", ".srt"})


def call(*lines: tuple[str, str], conversation_id: str = "t") -> Conversation:
    """A conversation from ('agent'|'customer', text) pairs."""
    return Conversation(conversation_id, make_turns([(Role(r), t) for r, t in lines]))


@pytest.fixture(scope="session")
def sample_calls() -> list[Path]:
    assert SAMPLE_CALLS, "no sample calls under examples/calls"
    return SAMPLE_CALLS
