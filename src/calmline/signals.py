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


def strongest(signals: list[Signal] | tuple[Signal, ...], label: str) -> Signal | None:
    """The highest-scoring signal of ``label``, or None."""
    found = [s for s in signals if s.label == label]
    return max(found, key=lambda s: s.score) if found else None


def labels_of(signals: list[Signal] | tuple[Signal, ...]) -> frozenset[str]:
    return frozenset(s.label for s in signals)
