"""How the simulated customer's temper moves after each trainee turn.

The input is the labels calmline's own detectors found in the trainee's turn, so the
simulator and the scorecard always agree about what the trainee did.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass

from calmline.labels import LABELS
from calmline.simulator.model import Scenario

# Cooling each good move brings the first time it is made. Hand-tuned so that three or
# four good turns bring a furious customer (~75) under a typical accept threshold (~45).
GOOD_COOLING: dict[str, float] = {
    "empathy": 9.0,
    "apology": 9.0,
    "acknowledgment": 7.0,
    "admission": 6.0,
    "open_question": 5.0,
    "options": 8.0,
    "solution": 6.0,
    "extra_mile": 5.0,
    "callback_offer": 4.0,
    "reassurance": 3.0,
    "timeline": 3.0,
    "follow_up": 3.0,
    "active_listening": 3.0,
    "personalisation": 2.0,
    "pros_cons": 2.0,
    "escalation_offer": 2.0,
}
# Heat each harmful move brings, every time: a second "calm down" stings as much as the first.
HARMFUL_HEAT: dict[str, float] = {
    "dismissive": 14.0,
    "blame": 14.0,
    "interruption": 13.0,
    "non_apology": 11.0,
    "arguing": 11.0,
    "repeat_question": 10.0,
    "jargon": 9.0,
    "negative_language": 6.0,
}
# A good move repeated counts this much less each time: the fifth "I understand" without
# a fix does not calm anyone.
REPEAT_DECAY = 0.5
MAX_COOLING_PER_TURN = 22.0
# Heat of a turn that gets the customer nowhere once their patience is spent.
STALL_HEAT = 5.0
# Abuse that meets no boundary grows each turn; until the boundary, good moves land
# at this fraction of their worth.
ABUSE_GROWTH = 5.0
ABUSE_DAMPING = 0.25
BOUNDARY_COOLING = 12.0


@dataclass(frozen=True, slots=True)
class TemperMove:
    """One thing that moved the temper on a turn, and by how much (+ heats, - cools)."""

    cause: str  # a label, or "stall" / "abuse" / "boundary"
    delta: float
    why: str


def temper_moves(scenario: Scenario, labels: Set[str], seen: Mapping[str, int], stalled: int,
                 boundary_due: bool) -> tuple[TemperMove, ...]:
    """What the trainee's turn does to the customer's temper. ``seen`` counts the good
    labels of earlier turns, ``stalled`` the turns in a row that brought no good move,
    ``boundary_due`` whether the customer is abusing and no boundary was set yet."""
    moves = [_heat(scenario, label) for label in sorted(labels) if label in HARMFUL_HEAT]
    moves += _cooling(scenario, labels, seen, damped=boundary_due and "boundary" not in labels)
    if boundary_due:
        moves.append(_boundary_move(labels))
    if not any(m.delta < 0 for m in moves) and stalled >= scenario.temper.patience:
        moves.append(TemperMove("stall", STALL_HEAT, "nothing in this turn moved the problem on"))
    return tuple(moves)


def apply_moves(temper: float, moves: tuple[TemperMove, ...]) -> float:
    """The temper after these moves, kept in 0..100."""
    return round(max(0.0, min(100.0, temper + sum(m.delta for m in moves))), 1)


def _heat(scenario: Scenario, label: str) -> TemperMove:
    extra = scenario.triggers.get(label, 0.0)
    why = LABELS[label].description + (" — this customer is sensitive to it" if extra else "")
    return TemperMove(label, HARMFUL_HEAT[label] + extra, why)


def _cooling(scenario: Scenario, labels: Set[str], seen: Mapping[str, int],
             damped: bool) -> list[TemperMove]:
    moves: list[TemperMove] = []
    budget = MAX_COOLING_PER_TURN
    for label in sorted(labels, key=lambda name: -_worth(scenario, name)):
        worth = _worth(scenario, label) * REPEAT_DECAY ** seen.get(label, 0)
        worth = min(worth * (ABUSE_DAMPING if damped else 1.0), budget)
        if worth >= 0.5:
            budget -= worth
            moves.append(TemperMove(label, -round(worth, 1), _cooling_why(label, seen, damped)))
    return moves


def _worth(scenario: Scenario, label: str) -> float:
    return GOOD_COOLING.get(label, 0.0) + scenario.calms.get(label, 0.0)


def _cooling_why(label: str, seen: Mapping[str, int], damped: bool) -> str:
    why = LABELS[label].description
    if seen.get(label, 0):
        why += " (said before: it counts less each time)"
    if damped:
        why += " (lands weakly while the abuse goes unchecked)"
    return why


def _boundary_move(labels: Set[str]) -> TemperMove:
    if "boundary" in labels:
        return TemperMove("boundary", -BOUNDARY_COOLING, LABELS["boundary"].description)
    return TemperMove("abuse", ABUSE_GROWTH, "the abuse met no boundary, so it grows")
