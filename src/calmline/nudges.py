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


@dataclass(frozen=True, slots=True)
class NudgePlan:
    """A playbook's techniques as the live fold reads them on every turn, sorted out once
    per playbook: each good move's labels, the good moves that can be nudged with the
    conditions that make them due live, and the harmful moves that can be nudged."""

    good_moves: tuple[tuple[str, frozenset[str]], ...]
    due: tuple[tuple[Technique, tuple[Condition, ...]], ...]
    breaches: tuple[tuple[Technique, frozenset[str]], ...]
    breach_labels: frozenset[str]  # a turn with none of these breaches nothing

    @classmethod
    def of(cls, playbook: Playbook) -> NudgePlan:
        good = [t for t in playbook.techniques if t.kind is Kind.GOOD]
        harmful = [t for t in playbook.techniques if t.kind is Kind.HARMFUL and t.nudge is not None]
        due = [(t, tuple(c for c in t.expected_when
                         if c not in POST_CALL_CONDITIONS and c is not Condition.ALWAYS))
               for t in good if t.nudge is not None]
        return cls(tuple((t.id, frozenset(t.labels)) for t in good),
                   tuple((t, conditions) for t, conditions in due if conditions),
                   tuple((t, frozenset(t.labels)) for t in harmful),
                   frozenset(label for t in harmful for label in t.labels))


# Playbooks are immutable, so a plan is made once per playbook object.
_PLANS: dict[int, tuple[Playbook, NudgePlan]] = {}


def nudge_plan(playbook: Playbook) -> NudgePlan:
    """The (cached) plan of ``playbook``."""
    cached = _PLANS.get(id(playbook))
    if cached is None or cached[0] is not playbook:
        cached = _PLANS[id(playbook)] = (playbook, NudgePlan.of(playbook))
    return cached[1]


def due_nudges(
    playbook: Playbook,
    turn_index: int,
    opportunities: Mapping[Condition, Opportunity],
    met_at: Mapping[str, int],
    last_nudged: Mapping[str, int],
) -> list[Nudge]:
    """Good moves whose opportunity has come and that the agent has not yet made."""
    found: list[Nudge] = []
    live = playbook.live
    for technique, conditions in nudge_plan(playbook).due:
        opportunity = _live_opportunity(conditions, opportunities)
        if opportunity is None or met_at.get(technique.id, -1) >= opportunity.turn_index:
            continue
        if turn_index - opportunity.turn_index > live.stale_after_turns:
            continue
        if _debounced(technique.id, turn_index, last_nudged, live.debounce_turns):
            continue
        found.append(_nudge(technique, NudgeKind.DO, _reason(opportunity), turn_index))
    return _top(found, live.max_nudges_per_turn)


def breach_nudges(
    playbook: Playbook, turn_index: int, signals: Sequence[Signal], last_nudged: Mapping[str, int]
) -> list[Nudge]:
    """Harmful moves the agent just made, each with the words that gave it away."""
    plan = nudge_plan(playbook)
    if all(s.label not in plan.breach_labels for s in signals):
        return []
    found: list[Nudge] = []
    for technique, labels in plan.breaches:
        hits = [s for s in signals if s.label in labels]
        if not hits or _debounced(technique.id, turn_index, last_nudged,
                                  playbook.live.debounce_turns):
            continue
        reason = f"turn {turn_index}: “{hits[0].evidence}”"
        found.append(_nudge(technique, NudgeKind.AVOID, reason, turn_index))
    return _top(found, playbook.live.max_nudges_per_turn)


def _live_opportunity(
    conditions: tuple[Condition, ...], opportunities: Mapping[Condition, Opportunity]
) -> Opportunity | None:
    """The earliest opportunity among ``conditions`` (the first listed on a tie)."""
    earliest: Opportunity | None = None
    for condition in conditions:
        opportunity = opportunities.get(condition)
        if opportunity is not None and (earliest is None
                                        or opportunity.turn_index < earliest.turn_index):
            earliest = opportunity
    return earliest


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
