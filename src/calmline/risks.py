"""Risks a supervisor should see: abuse left unchecked, a manager asked for and never
offered, harmful moves, a call that ended hot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from calmline.conversation import Role, Turn
from calmline.opportunities import Opportunity
from calmline.playbook.model import Condition
from calmline.signals import Signal
from calmline.temperature import HOT


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Risk:
    code: str
    severity: Severity
    description: str
    turn_index: int | None
    quote: str | None


# Harmful agent moves that are risks in their own right.
_MOVE_RISKS: tuple[tuple[str, Severity, str], ...] = (
    ("blame", Severity.HIGH, "The agent blamed the customer."),
    ("dismissive", Severity.HIGH, "The agent dismissed the customer."),
    ("non_apology", Severity.MEDIUM, "The agent used a non-apology."),
    ("interruption", Severity.MEDIUM, "The agent talked over the customer."),
    ("arguing", Severity.MEDIUM, "The agent argued with the customer."),
)
# Customer situations that need an answering move: (condition, answers, code, severity, text).
_UNANSWERED: tuple[tuple[Condition, frozenset[str], str, Severity, str], ...] = (
    (Condition.ABUSE_SEEN, frozenset({"boundary"}), "abuse_without_boundary", Severity.HIGH,
     "The customer was abusive and no boundary was set."),
    (Condition.ESCALATION_REQUESTED, frozenset({"escalation_offer", "callback_offer"}),
     "escalation_not_offered", Severity.HIGH,
     "The customer asked for a manager and no escalation or callback was offered."),
)


def find_risks(
    turns: Sequence[Turn],
    signals: Sequence[Sequence[Signal]],
    temperatures: Sequence[float],
    opportunities: Mapping[Condition, Opportunity],
) -> tuple[Risk, ...]:
    """Every risk in the call, most severe first."""
    risks = [*_unanswered(turns, signals, opportunities), *_moves(turns, signals)]
    if Condition.THREAT_MADE in opportunities:
        threat = opportunities[Condition.THREAT_MADE]
        risks.append(Risk("churn_threat", Severity.MEDIUM, "The customer threatened to leave "
                          "or take action.", threat.turn_index, threat.evidence))
    if temperatures and temperatures[-1] >= HOT:
        risks.append(Risk("ended_hot", Severity.HIGH, "The call ended with the customer still "
                          "heated.", len(temperatures) - 1, None))
    order = list(Severity)
    return tuple(sorted(risks, key=lambda r: order.index(r.severity)))


def _unanswered(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]],
    opportunities: Mapping[Condition, Opportunity],
) -> list[Risk]:
    risks: list[Risk] = []
    for condition, answers, code, severity, text in _UNANSWERED:
        seen = opportunities.get(condition)
        if seen is None:
            continue
        answered = any(t.role is Role.AGENT and t.index >= seen.turn_index
                       and any(s.label in answers for s in sig)
                       for t, sig in zip(turns, signals, strict=True))
        if not answered:
            risks.append(Risk(code, severity, text, seen.turn_index, seen.evidence))
    return risks


def _moves(turns: Sequence[Turn], signals: Sequence[Sequence[Signal]]) -> list[Risk]:
    risks: list[Risk] = []
    for label, severity, text in _MOVE_RISKS:
        hit = next((s for t, sig in zip(turns, signals, strict=True) if t.role is Role.AGENT
                    for s in sig if s.label == label), None)
        if hit is not None:
            risks.append(Risk(label, severity, text, hit.turn_index, hit.evidence))
    return risks
