"""The report of one analysed call, and its JSON form (schema in docs/report-schema.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from calmline.conversation import Channel, Role
from calmline.notes import CallNotes, Commitment, Quote
from calmline.nudges import Nudge
from calmline.outcome import DeescalationOutcome, Phase
from calmline.risks import Risk
from calmline.scorecard import CriterionResult, Evidence, Scorecard
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
        """The report as JSON-ready Python values: what ``to_plain`` gives, built field by field
        because the service and batch jobs serialise every report."""
        return {
            "conversation_id": self.conversation_id,
            "channel": self.channel.value,
            "agent_id": self.agent_id,
            "customer_id": self.customer_id,
            "customer_name": self.customer_name,
            "started_at": None if self.started_at is None else self.started_at.isoformat(),
            "playbook": _plain_playbook(self.playbook),
            "turns": [_plain_turn(turn) for turn in self.turns],
            "phases": [_plain_phase(phase) for phase in self.phases],
            "outcome": _plain_outcome(self.outcome),
            "scorecard": _plain_scorecard(self.scorecard),
            "risks": [_plain_risk(risk) for risk in self.risks],
            "notes": _plain_notes(self.notes),
            "nudges": [_plain_nudge(nudge) for nudge in self.nudges],
            "schema_version": self.schema_version,
        }

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


# Field-by-field conversions for ``Report.to_dict``. They must give what ``to_plain`` gives
# (tests/test_report_serialisation_fast.py holds them to it): keys in field order, enums as
# their values, tuples as lists.


def _plain_playbook(playbook: PlaybookRef) -> dict[str, Any]:
    return {"name": playbook.name, "version": playbook.version, "fingerprint": playbook.fingerprint}


def _plain_turn(turn: TurnAnalysis) -> dict[str, Any]:
    return {
        "index": turn.index,
        "role": turn.role.value,
        "speaker": turn.speaker,
        "text": turn.text,
        "begin_ms": turn.begin_ms,
        "end_ms": turn.end_ms,
        "temperature": turn.temperature,
        "phase": turn.phase,
        "signals": [_plain_signal(signal) for signal in turn.signals],
    }


def _plain_signal(signal: Signal) -> dict[str, Any]:
    return {
        "label": signal.label,
        "score": signal.score,
        "turn_index": signal.turn_index,
        "start": signal.start,
        "end": signal.end,
        "evidence": signal.evidence,
        "detector": signal.detector,
    }


def _plain_phase(phase: Phase) -> dict[str, Any]:
    return {"name": phase.name, "start_turn": phase.start_turn, "end_turn": phase.end_turn}


def _plain_outcome(outcome: DeescalationOutcome) -> dict[str, Any]:
    return {
        "start": outcome.start,
        "peak": outcome.peak,
        "peak_turn": outcome.peak_turn,
        "end": outcome.end,
        "heated": outcome.heated,
        "deescalated": outcome.deescalated,
        "resolution": outcome.resolution.value,
    }


def _plain_scorecard(scorecard: Scorecard) -> dict[str, Any]:
    return {
        "criteria": [_plain_criterion(criterion) for criterion in scorecard.criteria],
        "overall": scorecard.overall,
        "strengths": list(scorecard.strengths),
        "coaching_tips": list(scorecard.coaching_tips),
    }


def _plain_criterion(criterion: CriterionResult) -> dict[str, Any]:
    return {
        "technique_id": criterion.technique_id,
        "name": criterion.name,
        "kind": criterion.kind.value,
        "verdict": criterion.verdict.value,
        "weight": criterion.weight,
        "expected_because": criterion.expected_because,
        "opportunity_turn": criterion.opportunity_turn,
        "evidence": [_plain_evidence(evidence) for evidence in criterion.evidence],
        "coaching_tip": criterion.coaching_tip,
    }


def _plain_evidence(evidence: Evidence) -> dict[str, Any]:
    return {
        "turn_index": evidence.turn_index,
        "quote": evidence.quote,
        "label": evidence.label,
        "score": evidence.score,
        "detector": evidence.detector,
    }


def _plain_risk(risk: Risk) -> dict[str, Any]:
    return {
        "code": risk.code,
        "severity": risk.severity.value,
        "description": risk.description,
        "turn_index": risk.turn_index,
        "quote": risk.quote,
    }


def _plain_notes(notes: CallNotes) -> dict[str, Any]:
    return {
        "issue": None if notes.issue is None else _plain_quote(notes.issue),
        "complaints": [_plain_quote(quote) for quote in notes.complaints],
        "steps_taken": [_plain_quote(quote) for quote in notes.steps_taken],
        "outcome": notes.outcome.value,
        "commitments": [_plain_commitment(commitment) for commitment in notes.commitments],
    }


def _plain_quote(quote: Quote) -> dict[str, Any]:
    return {"turn_index": quote.turn_index, "text": quote.text}


def _plain_commitment(commitment: Commitment) -> dict[str, Any]:
    return {
        "owner": commitment.owner.value,
        "what": commitment.what,
        "due_phrase": commitment.due_phrase,
        "turn_index": commitment.turn_index,
    }


def _plain_nudge(nudge: Nudge) -> dict[str, Any]:
    return {
        "technique_id": nudge.technique_id,
        "kind": nudge.kind.value,
        "text": nudge.text,
        "phrasing": nudge.phrasing,
        "reason": nudge.reason,
        "turn_index": nudge.turn_index,
        "priority": nudge.priority,
    }
