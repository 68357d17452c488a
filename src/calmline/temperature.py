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
# Heat each customer state adds to the turn's target temperature (times the signal's
# score). Hand-tuned on the sample calls so that a plainly frustrated turn reads ~45-55,
# an openly angry one ~65-75 and abuse with a threat 90+.
STATE_HEAT: dict[str, float] = {
    "anger": 45.0,
    "abuse": 50.0,
    "threat": 35.0,
    "escalation_request": 30.0,
    "frustration": 40.0,
    "repeat_contact": 20.0,
    "venting": 25.0,
    "confusion": 12.0,
    "satisfaction": -35.0,
}
# VADER compound is -1..1; a strongly negative turn adds up to this much heat.
VALENCE_HEAT = 20.0
# How far one customer turn moves the temperature toward its target (0..1): the
# customer's mood has inertia, one calm sentence does not erase a furious one.
CUSTOMER_PULL = 0.75
# A customer turn with no emotional signal and no clearly negative valence ("No.",
# "Okay", "yeah, please") says little about their mood: it moves the temperature only
# this much.
NEUTRAL_PULL = 0.2
NEUTRAL_VALENCE = 0.3
# An agent's harmful move (blame, "calm down"...) heats; a good move cools, a little.
HARMFUL_MOVE_HEAT = 7.0
GOOD_MOVE_COOLING = 2.0
MAX_GOOD_MOVE_COOLING = 6.0
# Agent labels that neither heat nor cool on their own.
NEUTRAL_MOVES = frozenset({"question"})
# A call is "heated" once the customer is plainly upset (any open frustration reaches
# it); "hot" is anger the agent must bring down before anything else works.
HOT = 65.0
HEATED = 40.0


def customer_target(signals: Sequence[Signal], valence: float) -> float:
    """The temperature a customer turn expresses on its own."""
    return _target(_strongest_states(signals), valence)


def next_temperature(
    current: float, role: Role, signals: Sequence[Signal], valence: float = 0.0
) -> float:
    """The temperature after a turn of ``role`` with these signals."""
    if role is Role.CUSTOMER:
        strongest = _strongest_states(signals)
        target = _target(strongest, valence)
        telling = bool(strongest) or valence <= -NEUTRAL_VALENCE
        pull = CUSTOMER_PULL if telling else NEUTRAL_PULL
        return round(_clamp(current + pull * (target - current)), 1)
    if role is Role.AGENT:
        labels = {s.label for s in signals}
        harmful = len(labels & HARMFUL_LABELS)
        good = len(labels - HARMFUL_LABELS - NEUTRAL_MOVES)
        cooling = min(MAX_GOOD_MOVE_COOLING, good * GOOD_MOVE_COOLING)
        return round(_clamp(current + harmful * HARMFUL_MOVE_HEAT - cooling), 1)
    return current


def _strongest_states(signals: Sequence[Signal]) -> dict[str, float]:
    """The best score of each customer state among the signals (one pass)."""
    strongest: dict[str, float] = {}
    for s in signals:
        if s.label in STATE_HEAT:
            best = strongest.get(s.label)
            strongest[s.label] = s.score if best is None else max(best, s.score)
    return strongest


def _target(strongest: dict[str, float], valence: float) -> float:
    # Summed in STATE_HEAT order, as the states' heats always have been: an absent state
    # adds zero, so skipping it leaves the float sum unchanged.
    heat = sum(STATE_HEAT[label] * strongest[label] for label in STATE_HEAT if label in strongest)
    heat += max(0.0, -valence) * VALENCE_HEAT
    if not strongest:
        # VADER reads pleasantries in a complaint ("hi, yeah, please") as positive: a
        # positive tone only cools a turn that voices no grievance.
        heat -= max(0.0, valence) * VALENCE_HEAT / 2
    return _clamp(BASELINE + heat)


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))
