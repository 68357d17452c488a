"""The API's request and response bodies (reports are the JSON of docs/report-schema.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from calmline.storage.models import Call, PlaybookVersion, StoredTurn


class CallSummary(BaseModel):
    id: str
    external_id: str = Field(description="The id the transcript gave the call.")
    agent_id: str | None
    customer_id: str | None
    customer_name: str | None
    channel: str
    status: str = Field(description="'live' while the call is going on, 'closed' once it has a report.")
    source: str = Field(description="The transcript format it was read from, or 'live'.")
    started_at: datetime | None
    occurred_at: datetime
    ended_at: datetime | None
    score: float | None
    deescalated: bool | None
    peak_temperature: float | None
    turn_count: int
    playbook_version: int
    redacted: bool

    @classmethod
    def of(cls, call: Call) -> CallSummary:
        return cls(id=call.id, external_id=call.external_id, agent_id=call.agent_id,
                   customer_id=call.customer_id, customer_name=call.customer_name, channel=call.channel,
                   status=call.status, source=call.source, started_at=call.started_at,
                   occurred_at=call.occurred_at, ended_at=call.ended_at, score=call.score,
                   deescalated=call.deescalated, peak_temperature=call.peak_temperature,
                   turn_count=call.turn_count, playbook_version=call.playbook_version_id,
                   redacted=call.redacted)


class TurnOut(BaseModel):
    index: int
    role: str
    speaker: str | None
    text: str
    begin_ms: int | None
    end_ms: int | None
    segment_id: str | None

    @classmethod
    def of(cls, turn: StoredTurn) -> TurnOut:
        return cls(index=turn.index, role=turn.role, speaker=turn.speaker, text=turn.text,
                   begin_ms=turn.begin_ms, end_ms=turn.end_ms, segment_id=turn.segment_id)


class CallDetail(BaseModel):
    call: CallSummary
    turns: list[TurnOut]
    report: dict[str, Any] | None = Field(description="The report (docs/report-schema.md); null while live.")
    notes: dict[str, Any] | None = Field(description="The report's call notes, for convenience.")


class SubmittedCall(BaseModel):
    call: CallSummary
    report: dict[str, Any]


class CallPage(BaseModel):
    items: list[CallSummary]
    total: int
    limit: int
    offset: int


class ScorePoint(BaseModel):
    call_id: str
    at: datetime
    score: float


class AgentTrend(BaseModel):
    agent_id: str
    team: str | None
    calls: int = Field(description="Scored calls in the trend window.")
    average: float | None
    trend: float | None = Field(description="Average of the newer half minus the older half.")
    points: list[ScorePoint]


class PlaybookVersionOut(BaseModel):
    id: int
    name: str
    version: str
    fingerprint: str
    active: bool
    created_at: datetime
    source: str | None = Field(None, description="The playbook YAML (only on single-version reads).")

    @classmethod
    def of(cls, row: PlaybookVersion, with_source: bool = False) -> PlaybookVersionOut:
        return cls(id=row.id, name=row.name, version=row.version, fingerprint=row.fingerprint,
                   active=row.active, created_at=row.created_at, source=row.source if with_source else None)


class PlaybookCheck(BaseModel):
    valid: bool
    name: str | None = None
    version: str | None = None
    techniques: int | None = None
    issues: list[str] = Field(default_factory=list, description="Each problem, with its line.")


class LoginRequest(BaseModel):
    # No control characters: no username has them, and PostgreSQL cannot even compare a NUL.
    username: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
    password: str = Field(min_length=1, max_length=1024)


class LoginToken(BaseModel):
    token: str
    expires_at: datetime


class Me(BaseModel):
    username: str
    role: str
    team: str | None
    agent_id: str | None


class AuditOut(BaseModel):
    id: int
    at: datetime
    username: str | None
    action: str
    call_id: str | None
    detail: str | None


class LiveCallOut(BaseModel):
    call_id: str
    agent_id: str | None
    customer_name: str | None
    turns: int
    temperature: float
    peak_temperature: float
    last_nudges: list[str]
    connections: int
    updated_at: datetime
