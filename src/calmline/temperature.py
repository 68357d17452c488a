"""Customer temperature (0–100): how heated the customer is after each turn.

A customer turn moves the temperature toward the heat its signals and valence express;
an agent turn nudges it a little (harmful moves heat, good moves cool), because the
customer reacts to the agent before they speak again.
"""

from __future__ import annotations

from collections.abc import Sequence

from calmline.conversation import Role
from calmline.labels import HARMFUL_LABELS
from calmline.signals import Signal

# Where a caller with a problem starts before saying anything heated.
BASELINE = 20.0
# Heat each customer state adds to the turn's target temperature. Hand-tuned on the
# sample calls so that an openly angry turn reads ~65-75 and abuse with a threat ~90+.
STATE_HEAT: dict[str, float] = {
    "anger": 32.0,
    "abuse": 38.0,
    "threat": 24.0,
    "escalation_request": 18.0,
    "frustration": 20.0,
    "repeat_contact": 10.0,
    "venting": 14.0,
    "confusion": 6.0,
    "satisfaction": -30.0,
}
# VADER compound is -1..1; a strongly negative turn adds up to this much heat.
VALENCE_HEAT = 16.0
# How far one customer turn moves the temperature toward its target (0..1): the
# customer's mood has inertia, one calm sentence does not erase a furious one.
CUSTOMER_PULL = 0.6
# An agent's harmful move (blame, "calm down"...) heats; a good move cools, a little.
HARMFUL_MOVE_HEAT = 7.0
GOOD_MOVE_COOLING = 2.0
MAX_GOOD_MOVE_COOLING = 6.0
# Agent labels that neither heat nor cool on their own.
NEUTRAL_MOVES = frozenset({"question"})
# Temperatures at or above these are "hot" and "heated" for phases, risks and outcomes.
HOT = 60.0
HEATED = 50.0


def customer_target(signals: Sequence[Signal], valence: float) -> float:
    """The temperature a customer turn expresses on its own."""
    heat = sum(STATE_HEAT.get(label, 0.0) * _strength(signals, label) for label in STATE_HEAT)
    heat += max(0.0, -valence) * VALENCE_HEAT - max(0.0, valence) * VALENCE_HEAT / 2
    return _clamp(BASELINE + heat)


def next_temperature(
    current: float, role: Role, signals: Sequence[Signal], valence: float = 0.0
) -> float:
    """The temperature after a turn of ``role`` with these signals."""
    if role is Role.CUSTOMER:
        target = customer_target(signals, valence)
        return round(_clamp(current + CUSTOMER_PULL * (target - current)), 1)
    if role is Role.AGENT:
        labels = {s.label for s in signals}
        harmful = len(labels & HARMFUL_LABELS)
        good = len(labels - HARMFUL_LABELS - NEUTRAL_MOVES)
        cooling = min(MAX_GOOD_MOVE_COOLING, good * GOOD_MOVE_COOLING)
        return round(_clamp(current + harmful * HARMFUL_MOVE_HEAT - cooling), 1)
    return current


def _strength(signals: Sequence[Signal], label: str) -> float:
    return max((s.score for s in signals if s.label == label), default=0.0)


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))
