"""The scorecard: each playbook technique met, missed or not applicable — with the
turn and the words behind every verdict. A move is only expected when the call gave
the agent the opportunity for it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from calmline.conversation import Role, Turn
from calmline.opportunities import Opportunity
from calmline.playbook.model import POST_CALL_CONDITIONS, Condition, Kind, Playbook, Technique
from calmline.signals import Signal, counts_for_verdict

MAX_EVIDENCE = 3


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quote behind a verdict: which turn, which words, which detector, how sure."""

    turn_index: int
    quote: str
    label: str
    score: float
    detector: str


@dataclass(frozen=True, slots=True)
class CriterionResult:
    technique_id: str
    name: str
    kind: Kind
    verdict: Verdict
    weight: float
    expected_because: str | None
    opportunity_turn: int | None
    evidence: tuple[Evidence, ...]
    coaching_tip: str | None


@dataclass(frozen=True, slots=True)
class Scorecard:
    criteria: tuple[CriterionResult, ...]
    overall: int
    strengths: tuple[str, ...]
    coaching_tips: tuple[str, ...]

    def criterion(self, technique_id: str) -> CriterionResult:
        return next(c for c in self.criteria if c.technique_id == technique_id)


def build_scorecard(
    playbook: Playbook,
    turns: Sequence[Turn],
    signals: Sequence[Sequence[Signal]],
    opportunities: Mapping[Condition, Opportunity],
) -> Scorecard:
    """Score every technique of the playbook against one call."""
    moves = agent_moves(turns, signals)
    criteria = tuple(_judge(t, moves, opportunities) for t in playbook.techniques)
    return Scorecard(criteria, _overall(criteria), _strengths(criteria), _tips(criteria))


def agent_moves(turns: Sequence[Turn], signals: Sequence[Sequence[Signal]]) -> dict[str, list[Signal]]:
    """The agent's signals by label, in turn order (live-only findings do not count
    towards a verdict)."""
    moves: dict[str, list[Signal]] = {}
    for turn, turn_signals in zip(turns, signals, strict=True):
        if turn.role is Role.AGENT:
            for signal in turn_signals:
                if counts_for_verdict(signal):
                    moves.setdefault(signal.label, []).append(signal)
    return moves


def _judge(
    technique: Technique,
    moves: Mapping[str, list[Signal]],
    opportunities: Mapping[Condition, Opportunity],
) -> CriterionResult:
    if technique.kind is Kind.HARMFUL:
        found = _evidence(technique, moves, since=0)
        verdict = Verdict.MISSED if found else Verdict.MET
        return _result(technique, verdict, None, found)
    opportunity = _first_opportunity(technique, opportunities)
    if opportunity is None:
        found = _evidence(technique, moves, since=0)
        if technique.optional and found:
            return _result(technique, Verdict.MET, None, found)
        return _result(technique, Verdict.NOT_APPLICABLE, None, ())
    since = 0 if opportunity.condition in POST_CALL_CONDITIONS else opportunity.turn_index
    found = _evidence(technique, moves, since=since)
    return _result(technique, Verdict.MET if found else Verdict.MISSED, opportunity, found)


def _first_opportunity(
    technique: Technique, opportunities: Mapping[Condition, Opportunity]
) -> Opportunity | None:
    held = [opportunities[c] for c in technique.expected_when if c in opportunities]
    return min(held, key=lambda o: o.turn_index) if held else None


def _evidence(
    technique: Technique, moves: Mapping[str, list[Signal]], since: int
) -> tuple[Evidence, ...]:
    found = sorted((s for label in technique.labels for s in moves.get(label, ())
                    if s.turn_index >= since), key=lambda s: (s.turn_index, s.start))
    return tuple(Evidence(s.turn_index, s.evidence, s.label, s.score, s.detector)
                 for s in found[:MAX_EVIDENCE])


def _result(
    technique: Technique,
    verdict: Verdict,
    opportunity: Opportunity | None,
    evidence: tuple[Evidence, ...],
) -> CriterionResult:
    because = None
    if opportunity is not None:
        because = (f"{opportunity.condition.value.replace('_', ' ')} at turn "
                   f"{opportunity.turn_index}: “{opportunity.evidence}”")
    tip = technique.coaching_tip if verdict is Verdict.MISSED else None
    turn = opportunity.turn_index if opportunity else None
    return CriterionResult(technique.id, technique.name, technique.kind, verdict,
                           technique.weight, because, turn, evidence, tip)


def _overall(criteria: Sequence[CriterionResult]) -> int:
    """Weighted share of applicable criteria met, 0–100 (100 when none applied)."""
    applicable = [c for c in criteria if c.verdict is not Verdict.NOT_APPLICABLE]
    total = sum(c.weight for c in applicable)
    met = sum(c.weight for c in applicable if c.verdict is Verdict.MET)
    return round(100 * met / total) if total else 100


def _strengths(criteria: Sequence[CriterionResult]) -> tuple[str, ...]:
    done = [c for c in criteria
            if c.kind is Kind.GOOD and c.verdict is Verdict.MET and c.evidence]
    done.sort(key=lambda c: -c.weight)
    return tuple(f"{c.name} — turn {c.evidence[0].turn_index}: “{c.evidence[0].quote}”"
                 for c in done)


def _tips(criteria: Sequence[CriterionResult]) -> tuple[str, ...]:
    missed = sorted((c for c in criteria if c.verdict is Verdict.MISSED), key=lambda c: -c.weight)
    return tuple(c.coaching_tip for c in missed if c.coaching_tip)
