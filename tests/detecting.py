"""Shared helpers for detector tests: a real pipeline per role, and one turn detected
after an optional previous turn of the other side."""

from __future__ import annotations

import calmline.detectors.agent as agent_detectors
import calmline.detectors.customer as customer_detectors
from calmline.conversation import Role, Turn
from calmline.detectors.base import registered_detectors
from calmline.detectors.pipeline import DetectorPipeline
from calmline.signals import Signal


def role_pipeline(role: Role) -> DetectorPipeline:
    """The lexicon and Python detectors of one role, as the default pipeline runs them."""
    names = (("lexicon.agent", *agent_detectors.AGENT_DETECTORS) if role is Role.AGENT
             else ("lexicon.customer", *customer_detectors.CUSTOMER_DETECTORS))
    registry = registered_detectors()
    return DetectorPipeline([registry[name]() for name in names])


def detect_turn(pipeline: DetectorPipeline, role: Role, text: str,
                previous: str | None = None) -> tuple[Signal, ...]:
    """Signals for one turn of ``role``, after ``previous`` said by the other side."""
    other = Role.CUSTOMER if role is Role.AGENT else Role.AGENT
    history = [Turn(0, other, previous)] if previous else []
    return pipeline.detect(Turn(len(history), role, text), history, [()] * len(history))


def table_rows(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(label, text) rows of a {label: [phrasings]} table, for parametrize."""
    return [(label, text) for label, texts in table.items() for text in texts]
