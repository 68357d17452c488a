"""Phases of a call and its de-escalation outcome, from the temperature curve and the
moves made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from calmline.conversation import Role, Turn
from calmline.signals import Signal
from calmline.temperature import HEATED, HOT

# A heated call counts as de-escalated when it ends at least this far below its peak.
DEESCALATION_MARGIN = 15.0
RESOLUTION_LABELS = frozenset({"solution", "options", "callback_offer", "escalation_offer"})
# The closing phase is looked for in the last part of the call only.
CLOSING_SHARE = 2 / 3


class Resolution(str, Enum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    CALLBACK = "callback"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class Phase:
    name: str  # opening, discovery, heated, resolution, closing
    start_turn: int
    end_turn: int


@dataclass(frozen=True, slots=True)
class DeescalationOutcome:
    """Start, peak and end temperature; did the customer end calmer than the peak?"""

    start: float
    peak: float
    peak_turn: int
    end: float
    heated: bool
    deescalated: bool | None  # None when the call never heated up
    resolution: Resolution


def _labels(signals: Sequence[Signal]) -> frozenset[str]:
    return frozenset(s.label for s in signals)


def phase_names(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]], temperatures: Sequence[float]
) -> list[str]:
    """One phase name per turn."""
    first_customer = next((t.index for t in turns if t.role is Role.CUSTOMER), len(turns))
    resolution = next((i for i, (t, s) in enumerate(zip(turns, signals, strict=True))
                       if t.role is Role.AGENT and _labels(s) & RESOLUTION_LABELS), None)
    closing = closing_start(turns, signals, resolution)
    names: list[str] = []
    for i, temperature in enumerate(temperatures):
        if i < first_customer:
            names.append("opening")
        elif closing is not None and i >= closing:
            names.append("closing")
        elif temperature >= HOT:
            names.append("heated")
        elif resolution is not None and i >= resolution:
            names.append("resolution")
        else:
            names.append("discovery")
    return names


def closing_start(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]], resolution: int | None
) -> int | None:
    """Where the call starts to close: a resolution check or thanks late in the call."""
    earliest = max(resolution or 0, int(len(turns) * CLOSING_SHARE))
    for i in range(earliest, len(turns)):
        if _labels(signals[i]) & {"resolution_check", "satisfaction"}:
            return i
    return None


def group_phases(names: Sequence[str]) -> list[Phase]:
    phases: list[Phase] = []
    for i, name in enumerate(names):
        if phases and phases[-1].name == name:
            phases[-1] = Phase(name, phases[-1].start_turn, i)
        else:
            phases.append(Phase(name, i, i))
    return phases


def resolution_of(turns: Sequence[Turn], signals: Sequence[Sequence[Signal]],
                  temperatures: Sequence[float]) -> Resolution:
    """How the call ended: escalated, a callback booked, resolved, or unresolved."""
    agent = frozenset().union(*(_labels(s) for t, s in zip(turns, signals, strict=True)
                                if t.role is Role.AGENT))
    if "escalation_offer" in agent:
        return Resolution.ESCALATED
    if "callback_offer" in agent:
        return Resolution.CALLBACK
    last_customer = [i for i, t in enumerate(turns) if t.role is Role.CUSTOMER][-2:]
    thanked = any("satisfaction" in _labels(signals[i]) for i in last_customer)
    calm_end = bool(temperatures) and temperatures[-1] < HEATED
    if (thanked or "solution" in agent) and calm_end and "follow_up" not in agent:
        return Resolution.RESOLVED
    return Resolution.UNRESOLVED


def deescalation_outcome(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]], temperatures: Sequence[float]
) -> DeescalationOutcome:
    customer = [i for i, t in enumerate(turns) if t.role is Role.CUSTOMER]
    start = temperatures[customer[0]] if customer else (temperatures[0] if temperatures else 0.0)
    peak_turn = max(range(len(temperatures)), key=temperatures.__getitem__, default=0)
    peak = temperatures[peak_turn] if temperatures else 0.0
    end = temperatures[-1] if temperatures else 0.0
    heated = peak >= HEATED
    deescalated = (end <= peak - DEESCALATION_MARGIN) if heated else None
    return DeescalationOutcome(start, peak, peak_turn, end, heated, deescalated,
                               resolution_of(turns, signals, temperatures))
