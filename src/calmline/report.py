"""The report of one analysed call, and its JSON form (schema in docs/report-schema.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from calmline.conversation import Channel, Role
from calmline.notes import CallNotes
from calmline.nudges import Nudge
from calmline.outcome import DeescalationOutcome, Phase
from calmline.risks import Risk
from calmline.scorecard import Scorecard
from calmline.signals import Signal

REPORT_SCHEMA_VERSION = "1"


@dataclass(frozen=True, slots=True)
class PlaybookRef:
    """Which playbook scored the call: name, version and content fingerprint."""

    name: str
    version: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class TurnAnalysis:
    index: int
    role: Role
    speaker: str | None
    text: str
    begin_ms: int | None
    end_ms: int | None
    temperature: float
    phase: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything calmline concludes about one call."""

    conversation_id: str
    channel: Channel
    agent_id: str | None
    customer_id: str | None
    customer_name: str | None
    started_at: datetime | None
    playbook: PlaybookRef
    turns: tuple[TurnAnalysis, ...]
    phases: tuple[Phase, ...]
    outcome: DeescalationOutcome
    scorecard: Scorecard
    risks: tuple[Risk, ...]
    notes: CallNotes
    nudges: tuple[Nudge, ...]
    schema_version: str = REPORT_SCHEMA_VERSION

    @property
    def temperatures(self) -> list[float]:
        return [t.temperature for t in self.turns]

    def to_dict(self) -> dict[str, Any]:
        plain = to_plain(self)
        assert isinstance(plain, dict)
        return plain

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def to_plain(value: Any) -> Any:
    """Dataclasses, enums, tuples and datetimes as JSON-ready Python values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value
