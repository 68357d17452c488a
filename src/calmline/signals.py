"""Signals: what a detector found in a turn, with the evidence behind it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signal:
    """A label seen in one turn. ``start``/``end`` index the turn's text;
    ``evidence`` is ``text[start:end]``; ``score`` is a confidence in 0..1."""

    label: str
    score: float
    turn_index: int
    start: int
    end: int
    evidence: str
    detector: str


def labels_of(signals: list[Signal] | tuple[Signal, ...]) -> frozenset[str]:
    return frozenset(s.label for s in signals)


# A learned finding sure enough for live nudges but below the playbook's verdict
# operating point: it drives the live assist, never a scorecard verdict.
LIVE_ONLY_DETECTOR = "learned.live"


def counts_for_verdict(signal: Signal) -> bool:
    return signal.detector != LIVE_ONLY_DETECTOR
