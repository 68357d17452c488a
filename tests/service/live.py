"""Helpers for live-assist tests: a sample call as segments, and a small protocol client."""

from __future__ import annotations

import json
from typing import Any, Protocol

from calmline.formats import read_conversation
from tests.service.conftest import EXAMPLES


class TextSocket(Protocol):
    def send_text(self, data: str) -> None: ...

    def receive_text(self) -> str: ...


def sample_segments(name: str = "billing_double_charge.json") -> list[dict[str, Any]]:
    """Final segments replaying a sample call, each with a stable segment id."""
    conversation = read_conversation(EXAMPLES / name)
    return [{"type": "segment", "segment_id": f"seg-{t.index}", "role": t.role.value, "text": t.text,
             "speaker": t.speaker, "begin_ms": t.begin_ms, "end_ms": t.end_ms, "final": True}
            for t in conversation.turns]


def exchange(socket: TextSocket, frame: dict[str, Any] | str) -> dict[str, Any]:
    socket.send_text(frame if isinstance(frame, str) else json.dumps(frame))
    answer: dict[str, Any] = json.loads(socket.receive_text())
    return answer


def without_identity(report: dict[str, Any]) -> dict[str, Any]:
    """A report minus the call's own id, to compare two runs of the same call."""
    return {k: v for k, v in report.items() if k != "conversation_id"}
