"""Live assist: feed a call turn by turn, get nudges at once, and a report at the end
that equals ``analyze`` on the whole call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from calmline.conversation import Channel, Conversation, Role, Turn
from calmline.detectors.pipeline import DetectorPipeline
from calmline.engine import build_report, default_playbook, pipeline_for, track_turn
from calmline.errors import UsageError
from calmline.nudges import Nudge
from calmline.playbook import Playbook
from calmline.report import Report
from calmline.signals import Signal
from calmline.tracker import CallTracker

# A hook sees each turn after the detectors (with the call so far) and may add nudges of
# its own, e.g. the customer's history (calmline.tasks.history). The report is unchanged.
TurnHook = Callable[[Turn, tuple[Turn, ...]], list[Nudge]]


class Session:
    """One live call. ``feed`` each final turn as it happens; ``close`` for the report."""

    def __init__(
        self,
        playbook: Playbook | None = None,
        *,
        conversation_id: str = "live",
        channel: Channel = Channel.VOICE,
        agent_id: str | None = None,
        customer_id: str | None = None,
        customer_name: str | None = None,
        started_at: datetime | None = None,
        metadata: dict[str, Any] | None = None,
        pipeline: DetectorPipeline | None = None,
        hooks: Sequence[TurnHook] = (),
        earlier_calls: int = 0,
    ) -> None:
        self.playbook = playbook or default_playbook()
        self._hooks = tuple(hooks)
        self._earlier_calls = earlier_calls
        self._pipeline = pipeline or pipeline_for(self.playbook)
        self._tracker = CallTracker(self.playbook)
        self._conversation = Conversation(
            id=conversation_id, turns=(), channel=channel, agent_id=agent_id,
            customer_id=customer_id, customer_name=customer_name, started_at=started_at,
            metadata=dict(metadata or {}),
        )
        self._report: Report | None = None

    @classmethod
    def for_conversation(cls, conversation: Conversation, playbook: Playbook | None = None,
                         pipeline: DetectorPipeline | None = None, hooks: Sequence[TurnHook] = (),
                         earlier_calls: int = 0) -> Session:
        """A session with a known call's metadata (and none of its turns yet)."""
        session = cls(playbook, pipeline=pipeline, hooks=hooks, earlier_calls=earlier_calls)
        session._conversation = conversation.with_turns(())
        return session

    @property
    def temperature(self) -> float:
        return self._tracker.temperature

    @property
    def turns(self) -> tuple[Turn, ...]:
        return self._conversation.turns

    @property
    def closed(self) -> bool:
        return self._report is not None

    @property
    def nudges(self) -> tuple[Nudge, ...]:
        return tuple(self._tracker.nudges)

    @property
    def temperatures(self) -> tuple[float, ...]:
        """The customer's temperature after each turn so far."""
        return tuple(self._tracker.temperatures)

    @property
    def signals(self) -> tuple[tuple[Signal, ...], ...]:
        """What the detectors found in each turn so far."""
        return tuple(self._tracker.signals)

    @property
    def moves_made(self) -> dict[str, int]:
        """The playbook's good moves made so far: technique id → the latest turn that made it."""
        return dict(self._tracker.met_at)

    def feed(self, turn: Turn | tuple[Role | str, str]) -> list[Nudge]:
        """Analyse the next final turn; return the nudges it triggers (often none)."""
        if self._report is not None:
            raise UsageError("this session is closed; start a new Session for a new call")
        turn = self._normalise(turn)
        self._conversation = self._conversation.with_turns((*self._conversation.turns, turn))
        nudges = track_turn(self._tracker, self._pipeline, turn, self._conversation)
        for hook in self._hooks:
            nudges = [*nudges, *hook(turn, self._conversation.turns)]
        return nudges

    def close(self) -> Report:
        """End the call and return its report (the same on every later call)."""
        if self._report is None:
            self._report = build_report(self._conversation, self._tracker,
                                        earlier_calls=self._earlier_calls)
        return self._report

    def _normalise(self, turn: Turn | tuple[Role | str, str]) -> Turn:
        index = len(self._conversation.turns)
        if isinstance(turn, Turn):
            return turn if turn.index == index else replace(turn, index=index)
        role, text = turn
        return Turn(index=index, role=Role(role), text=text)
