"""Live nudges: the next right move, chosen from the playbook and paced so the agent
is not flooded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from calmline.opportunities import Opportunity
from calmline.playbook.model import POST_CALL_CONDITIONS, Condition, Kind, Playbook, Technique
from calmline.signals import Signal


class NudgeKind(StrEnum):
    DO = "do"  # a move is due
    AVOID = "avoid"  # the agent just made a harmful move


@dataclass(frozen=True, slots=True)
class Nudge:
    """One piece of live advice, and why it fired."""

    technique_id: str
    kind: NudgeKind
    text: str
    phrasing: str | None
    reason: str
    turn_index: int
    priority: float


def due_nudges(
    playbook: Playbook,
    turn_index: int,
    opportunities: Mapping[Condition, Opportunity],
    met_at: Mapping[str, int],
    last_nudged: Mapping[str, int],
) -> list[Nudge]:
    """Good moves whose opportunity has come and that the agent has not yet made."""
    found: list[Nudge] = []
    for technique in playbook.techniques:
        if technique.kind is not Kind.GOOD or technique.nudge is None:
            continue
        opportunity = _live_opportunity(technique, opportunities)
        if opportunity is None or met_at.get(technique.id, -1) >= opportunity.turn_index:
            continue
        if turn_index - opportunity.turn_index > playbook.live.stale_after_turns:
            continue
        if _debounced(technique.id, turn_index, last_nudged, playbook.live.debounce_turns):
            continue
        found.append(_nudge(technique, NudgeKind.DO, _reason(opportunity), turn_index))
    return _top(found, playbook.live.max_nudges_per_turn)


def breach_nudges(
    playbook: Playbook, turn_index: int, signals: Sequence[Signal], last_nudged: Mapping[str, int]
) -> list[Nudge]:
    """Harmful moves the agent just made, each with the words that gave it away."""
    found: list[Nudge] = []
    for technique in playbook.techniques:
        if technique.kind is not Kind.HARMFUL or technique.nudge is None:
            continue
        hits = [s for s in signals if s.label in technique.labels]
        if not hits or _debounced(technique.id, turn_index, last_nudged,
                                  playbook.live.debounce_turns):
            continue
        reason = f"turn {turn_index}: “{hits[0].evidence}”"
        found.append(_nudge(technique, NudgeKind.AVOID, reason, turn_index))
    return _top(found, playbook.live.max_nudges_per_turn)


def _live_opportunity(
    technique: Technique, opportunities: Mapping[Condition, Opportunity]
) -> Opportunity | None:
    live = [opportunities[c] for c in technique.expected_when
            if c not in POST_CALL_CONDITIONS and c is not Condition.ALWAYS and c in opportunities]
    return min(live, key=lambda o: o.turn_index) if live else None


def _debounced(technique_id: str, turn_index: int, last: Mapping[str, int], window: int) -> bool:
    previous = last.get(technique_id)
    return previous is not None and turn_index - previous <= window


def _reason(opportunity: Opportunity) -> str:
    label = opportunity.condition.value.replace("_", " ")
    return f"{label} — turn {opportunity.turn_index}: “{opportunity.evidence}”"


def _nudge(technique: Technique, kind: NudgeKind, reason: str, turn_index: int) -> Nudge:
    assert technique.nudge is not None
    priority = technique.nudge.priority
    return Nudge(technique.id, kind, technique.nudge.text, technique.nudge.phrasing, reason,
                 turn_index, technique.weight if priority is None else priority)


def _top(nudges: list[Nudge], limit: int) -> list[Nudge]:
    return sorted(nudges, key=lambda n: -n.priority)[:limit]
