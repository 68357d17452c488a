"""The live-assist WebSocket protocol: the frames a client sends, parsed and checked, and
the frames the server answers with.

Client → server (JSON text frames)::

    {"type": "start", "agent_id": "a-17", "customer_id": "c-9", "customer_name": "Marcus",
     "channel": "voice", "started_at": "2026-11-23T10:00:00Z"}        (all fields optional)
    {"type": "segment", "segment_id": "s-4", "role": "customer", "text": "…", "final": false}
    {"type": "segment", "segment_id": "s-4", "role": "customer", "text": "…", "final": true,
     "speaker": "Marcus", "begin_ms": 5400, "end_ms": 9100}
    {"type": "end"}
    {"type": "ping"}

Server → client: ``started``, ``nudges`` (one per final segment, after it is stored),
``report`` (after ``end``), ``pong`` and ``error`` (the connection stays open).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from calmline.conversation import Channel, Role
from calmline.formats import MAX_TURN_CHARS

_ID = Field(min_length=1, max_length=128)


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class StartFrame(_Frame):
    type: Literal["start"]
    agent_id: Annotated[str, _ID] | None = None
    customer_id: Annotated[str, _ID] | None = None
    customer_name: Annotated[str, Field(max_length=255)] | None = None
    channel: Literal["voice", "chat"] = "voice"
    started_at: Annotated[datetime, Field(strict=False)] | None = None

    @property
    def channel_value(self) -> Channel:
        return Channel(self.channel)


class SegmentFrame(_Frame):
    type: Literal["segment"]
    segment_id: Annotated[str, _ID] | None = None
    role: Literal["agent", "customer", "system"]
    text: Annotated[str, Field(max_length=MAX_TURN_CHARS)]
    final: bool = True
    speaker: Annotated[str, Field(max_length=255)] | None = None
    begin_ms: Annotated[int, Field(ge=0)] | None = None
    end_ms: Annotated[int, Field(ge=0)] | None = None

    @property
    def role_value(self) -> Role:
        return Role(self.role)


class EndFrame(_Frame):
    type: Literal["end"]


class PingFrame(_Frame):
    type: Literal["ping"]


ClientFrame = Annotated[StartFrame | SegmentFrame | EndFrame | PingFrame, Field(discriminator="type")]
_FRAMES: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


class FrameError(Exception):
    """A frame the server cannot use; ``code`` and ``problem`` go back in an error frame."""

    def __init__(self, code: str, problem: str) -> None:
        super().__init__(problem)
        self.code = code
        self.problem = problem


def parse_frame(text: str) -> StartFrame | SegmentFrame | EndFrame | PingFrame:
    """One client frame, or FrameError naming what is wrong with it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise FrameError("malformed_json", f"not JSON: {exc.msg} at {where}") from None
    if not isinstance(data, dict):
        raise FrameError("invalid_frame", f"a frame must be a JSON object, not {type(data).__name__}")
    if data.get("type") not in {"start", "segment", "end", "ping"}:
        got = data.get("type")
        raise FrameError("invalid_frame",
                         f"field 'type': expected 'start', 'segment', 'end' or 'ping', got {got!r}")
    try:
        return _FRAMES.validate_python(data)
    except ValidationError as exc:
        raise FrameError("invalid_frame", "; ".join(_describe(e) for e in exc.errors())) from None


def _describe(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"][1:]) or "frame"
    return f"field '{where}': {error['msg']}"


def error_frame(code: str, problem: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "problem": problem}
