"""Phases of a call and its de-escalation outcome, from the temperature curve and the
moves made."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from calmline.conversation import Role, Turn
from calmline.signals import Signal
from calmline.temperature import HEATED, HOT

# A heated call counts as de-escalated when it ends at least this far below its peak.
DEESCALATION_MARGIN = 15.0
RESOLUTION_LABELS = frozenset({"solution", "options", "callback_offer", "escalation_offer"})
# Agent moves that fix the problem on the call (a follow-up alone does not).
FIX_LABELS = frozenset({"solution", "options", "extra_mile"})
GRIEVANCE_STATES = frozenset({"anger", "frustration", "abuse", "threat", "escalation_request",
                              "repeat_contact", "venting", "confusion"})
# A callback or hand-off made after a fix, only to check it landed or to find the cause.
FOLLOW_UP_ONLY = re.compile(
    r"\b(?:to (?:make sure|check|confirm) (?:that )?(?:the|it|it's|everything|your)|"
    r"(?:so|to|and) (?:we|they) (?:can )?(?:find out|look into|work out) why)",
    re.IGNORECASE,
)
# Promises of news still to come: an update, a result, an answer once someone has looked.
PENDING = re.compile(
    r"\b(?:with an update|(?:get|come) back to you|once (?:i|we|they) (?:hear|know|have)|"
    r"as soon as (?:i|we|they) (?:hear|know|have)|the (?:trace|investigation) (?:shows|finds)|"
    r"still (?:waiting|investigating)|pending (?:the|a|an) )",
    re.IGNORECASE,
)
# The closing phase is looked for in the last part of the call only.
CLOSING_SHARE = 2 / 3


class Resolution(StrEnum):
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
    if temperatures and temperatures[-1] >= HOT:
        return Resolution.UNRESOLVED  # whatever was offered, the customer left angry
    handed_on = _handed_on(turns, signals, agent & FIX_LABELS != frozenset())
    if "escalation_offer" in handed_on:
        return Resolution.ESCALATED
    if "callback_offer" in handed_on:
        return Resolution.CALLBACK
    last_customer = [i for i, t in enumerate(turns) if t.role is Role.CUSTOMER][-2:]
    thanked = any("satisfaction" in _labels(signals[i]) for i in last_customer)
    calm_end = bool(temperatures) and temperatures[-1] < HEATED
    fixed = bool(agent & FIX_LABELS)
    grievance = any(_labels(s) & GRIEVANCE_STATES for s in signals)
    if pending_on_the_call(turns):
        return Resolution.UNRESOLVED
    if calm_end and (fixed or (thanked and not grievance)):
        return Resolution.RESOLVED
    return Resolution.UNRESOLVED


def _handed_on(turns: Sequence[Turn], signals: Sequence[Sequence[Signal]], fixed: bool) -> frozenset[str]:
    """The callback and escalation offers that decide the outcome: once the agent has fixed
    the problem, a call to check the fix landed or a hand-off to find the cause is a
    follow-up, not where the problem went."""
    found: set[str] = set()
    for turn, turn_signals in zip(turns, signals, strict=True):
        if turn.role is not Role.AGENT:
            continue
        offers = _labels(turn_signals) & {"callback_offer", "escalation_offer"}
        if offers and not (fixed and FOLLOW_UP_ONLY.search(turn.text)):
            found |= offers
    return frozenset(found)


def pending_on_the_call(turns: Sequence[Turn]) -> bool:
    """The agent's last words promise news still to come: the problem is open."""
    agent = [t for t in turns if t.role is Role.AGENT][-4:]
    return any(PENDING.search(t.text) for t in agent)


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
