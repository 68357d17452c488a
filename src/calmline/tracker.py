"""The call tracker: the one incremental fold that live sessions and post-call analysis
share, turn by turn, so both always reach the same verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field

from calmline.conversation import Role, Turn
from calmline.nudges import Nudge, breach_nudges, due_nudges, nudge_plan
from calmline.opportunities import Opportunity, conditions_in_turn, is_hot
from calmline.playbook.model import Condition, Playbook
from calmline.signals import Signal
from calmline.temperature import BASELINE, next_temperature


@dataclass(slots=True)
class CallTracker:
    """Running state of one call: turns, signals, temperatures, opportunities, nudges."""

    playbook: Playbook
    turns: list[Turn] = field(default_factory=list)
    signals: list[tuple[Signal, ...]] = field(default_factory=list)
    temperatures: list[float] = field(default_factory=list)
    opportunities: dict[Condition, Opportunity] = field(default_factory=dict)
    met_at: dict[str, int] = field(default_factory=dict)
    last_nudged: dict[str, int] = field(default_factory=dict)
    nudges: list[Nudge] = field(default_factory=list)
    hot_turns: int = 0

    @property
    def temperature(self) -> float:
        return self.temperatures[-1] if self.temperatures else BASELINE

    def advance(self, turn: Turn, signals: tuple[Signal, ...], valence: float) -> list[Nudge]:
        """Take one analysed turn into the state; return the nudges it triggers."""
        temperature = next_temperature(self.temperature, turn.role, signals, valence)
        if not self.turns:
            self.opportunities[Condition.ALWAYS] = Opportunity(Condition.ALWAYS, turn.index, "")
        self.turns.append(turn)
        self.signals.append(signals)
        self.temperatures.append(temperature)
        if turn.role is Role.CUSTOMER and is_hot(temperature):
            self.hot_turns += 1
        for found in conditions_in_turn(turn, signals, temperature, self.hot_turns):
            self.opportunities.setdefault(found.condition, found)
        self._record_moves(turn, signals)
        fired = self._nudges_for(turn, signals)
        for nudge in fired:
            self.last_nudged[nudge.technique_id] = turn.index
        self.nudges.extend(fired)
        return fired

    def _record_moves(self, turn: Turn, signals: tuple[Signal, ...]) -> None:
        if turn.role is not Role.AGENT or not signals:
            return
        labels = {s.label for s in signals}
        for technique_id, technique_labels in nudge_plan(self.playbook).good_moves:
            if not labels.isdisjoint(technique_labels):
                self.met_at[technique_id] = turn.index

    def _nudges_for(self, turn: Turn, signals: tuple[Signal, ...]) -> list[Nudge]:
        if turn.role is Role.AGENT:
            return breach_nudges(self.playbook, turn.index, signals, self.last_nudged)
        if turn.role is Role.CUSTOMER:
            return due_nudges(self.playbook, turn.index, self.opportunities, self.met_at,
                              self.last_nudged)
        return []
