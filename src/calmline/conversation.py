"""The conversation model: roles, turns and conversations. Immutable; no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Role(StrEnum):
    """Who speaks a turn."""

    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"


class Channel(StrEnum):
    """How the contact happened."""

    VOICE = "voice"
    CHAT = "chat"


def _empty_metadata() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Turn:
    """One utterance. ``begin_ms``/``end_ms`` are offsets from the call's start."""

    index: int
    role: Role
    text: str
    speaker: str | None = None
    begin_ms: int | None = None
    end_ms: int | None = None

    @property
    def has_offsets(self) -> bool:
        return self.begin_ms is not None and self.end_ms is not None


@dataclass(frozen=True, slots=True)
class Conversation:
    """A call or chat: its metadata and its turns, in order."""

    id: str
    turns: tuple[Turn, ...]
    channel: Channel = Channel.VOICE
    agent_id: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    started_at: datetime | None = None
    metadata: Mapping[str, Any] = field(default_factory=_empty_metadata)

    def __iter__(self) -> Iterator[Turn]:
        return iter(self.turns)

    def __len__(self) -> int:
        return len(self.turns)

    def with_turns(self, turns: tuple[Turn, ...]) -> Conversation:
        return replace(self, turns=turns)


def make_turns(items: list[tuple[Role, str]]) -> tuple[Turn, ...]:
    """Number (role, text) pairs into turns: handy for tests and simple callers."""
    return tuple(Turn(index=i, role=role, text=text) for i, (role, text) in enumerate(items))
