"""Opportunities: the situations in a call that make a playbook move expected.

Each condition is recorded the first time it holds, with the turn and the words that
created it, so a scorecard can say *why* a move was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calmline.conversation import Role, Turn
from calmline.playbook.model import Condition
from calmline.signals import Signal
from calmline.temperature import HEATED, HOT

GRIEVANCE_LABELS = frozenset(
    {"anger", "frustration", "abuse", "threat", "escalation_request", "repeat_contact", "venting"}
)
EMOTIONAL_LABELS = frozenset({"anger", "frustration", "venting", "abuse"})
SOLUTION_LABELS = frozenset({"solution", "options", "extra_mile", "callback_offer"})
# Customer turns at or above HOT before de-escalation counts as failed: the agent has
# had a fair chance to calm the call and an offer of escalation is now due.
HOT_TURNS_BEFORE_FAILED = 3
# How far back a customer's earlier calls make this one a repeat contact (a calendar month,
# the span contact centers count "contacts this month" over).
HISTORY_WINDOW_DAYS = 30

_BY_LABEL: dict[str, Condition] = {
    "confusion": Condition.CUSTOMER_CONFUSED,
    "abuse": Condition.ABUSE_SEEN,
    "escalation_request": Condition.ESCALATION_REQUESTED,
    "threat": Condition.THREAT_MADE,
    "repeat_contact": Condition.REPEAT_CONTACT,
    "venting": Condition.VENTING,
}


@dataclass(frozen=True, slots=True)
class Opportunity:
    """The first time a condition held: which turn, and the words behind it."""

    condition: Condition
    turn_index: int
    evidence: str


def conditions_in_turn(
    turn: Turn, signals: Sequence[Signal], temperature: float, hot_turns: int
) -> list[Opportunity]:
    """Conditions this turn makes true (``hot_turns``: customer turns at HOT so far)."""
    found: list[Opportunity] = []
    labels = {s.label: s.evidence for s in signals}
    if turn.role is Role.CUSTOMER:
        found.extend(_customer_conditions(turn, labels, temperature, hot_turns))
    elif turn.role is Role.AGENT:
        found.extend(_agent_conditions(turn, labels))
    return found


def _customer_conditions(
    turn: Turn, labels: dict[str, str], temperature: float, hot_turns: int
) -> list[Opportunity]:
    i = turn.index
    found = [Opportunity(c, i, labels[label]) for label, c in _BY_LABEL.items() if label in labels]
    grievance = [labels[label] for label in labels if label in GRIEVANCE_LABELS]
    if grievance:
        found.append(Opportunity(Condition.GRIEVANCE, i, grievance[0]))
    emotional = [labels[label] for label in labels if label in EMOTIONAL_LABELS]
    if emotional or temperature >= HEATED:
        found.append(Opportunity(Condition.CUSTOMER_EMOTIONAL, i, (emotional or [_clip(turn)])[0]))
    if "escalation_request" in labels or hot_turns >= HOT_TURNS_BEFORE_FAILED:
        evidence = labels.get("escalation_request") or _clip(turn)
        found.append(Opportunity(Condition.DEESCALATION_FAILED, i, evidence))
    return found


def _agent_conditions(turn: Turn, labels: dict[str, str]) -> list[Opportunity]:
    found: list[Opportunity] = []
    offered = [labels[label] for label in labels if label in SOLUTION_LABELS]
    if offered:
        found.append(Opportunity(Condition.SOLUTION_OFFERED, turn.index, offered[0]))
    if "options" in labels:
        found.append(Opportunity(Condition.OPTIONS_OFFERED, turn.index, labels["options"]))
    return found


def history_opportunity(earlier_calls: int, turn_index: int) -> Opportunity | None:
    """A repeat contact known from the records before anyone speaks: the customer's
    ``earlier_calls`` within the window make knowing their history expected from the
    first turn (None for a first contact)."""
    if earlier_calls <= 0:
        return None
    plural = "s" if earlier_calls != 1 else ""
    evidence = (f"the records show {earlier_calls} earlier call{plural} from this customer "
                f"in the last {HISTORY_WINDOW_DAYS} days")
    return Opportunity(Condition.REPEAT_CONTACT, turn_index, evidence)


def is_hot(temperature: float) -> bool:
    return temperature >= HOT


def _clip(turn: Turn, limit: int = 80) -> str:
    text = turn.text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
