"""Live calls in memory: one analysis session per active call, and the live board's
subscribers. Storage stays the source of truth: a call missing here is rebuilt from its
stored turns when a client reconnects."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from anyio import CapacityLimiter

from calmline.nudges import Nudge
from calmline.session import Session
from calmline.storage.access import can_see
from calmline.storage.accounts import Principal
from calmline.storage.types import utcnow

# Board events a slow subscriber may fall behind by before it is dropped (it reconnects and
# gets a fresh snapshot).
SUBSCRIBER_BACKLOG = 1000


@dataclass(eq=False)
class LiveCall:
    """One active call: its session, its turns' segment ids, and what the board shows."""

    call_id: str
    agent_id: str | None
    team: str | None
    customer_name: str | None
    session: Session
    segments: dict[str, int]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    connections: int = 0
    peak: float = 0.0
    last_nudges: list[str] = field(default_factory=list)
    updated_at: datetime = field(default_factory=utcnow)

    def board_entry(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "agent_id": self.agent_id, "customer_name": self.customer_name,
                "turns": len(self.session.turns), "temperature": self.session.temperature,
                "peak_temperature": self.peak, "last_nudges": list(self.last_nudges),
                "connections": self.connections, "updated_at": self.updated_at.isoformat()}

    def note_turn(self, nudges: list[Nudge]) -> None:
        self.peak = max(self.peak, self.session.temperature)
        if nudges:
            self.last_nudges = [n.text for n in nudges]
        self.updated_at = utcnow()


@dataclass(eq=False)
class Subscriber:
    who: Principal
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = field(
        default_factory=lambda: asyncio.Queue(SUBSCRIBER_BACKLOG))
    dropped: bool = False


class LiveHub:
    """The registry of live calls and the fan-out of their changes to the board."""

    def __init__(self) -> None:
        self.calls: dict[str, LiveCall] = {}
        self._subscribers: set[Subscriber] = set()
        self._opening: dict[str, asyncio.Lock] = {}
        # Opening and closing calls (replaying stored turns, building and storing reports)
        # run one at a time in a worker thread: Python work in many threads at once would
        # take the interpreter from the event loop that answers every live segment.
        self.background = CapacityLimiter(1)

    def opening_lock(self, call_id: str) -> asyncio.Lock:
        """Serialises the first open of a call, so two connections build one session."""
        return self._opening.setdefault(call_id, asyncio.Lock())

    def add(self, call: LiveCall) -> None:
        self.calls[call.call_id] = call
        self._opening.pop(call.call_id, None)
        self.publish("call", call)

    def remove(self, call: LiveCall) -> None:
        self.calls.pop(call.call_id, None)
        self.publish("ended", call)

    def snapshot(self, who: Principal) -> list[dict[str, Any]]:
        return [c.board_entry() for c in self.calls.values() if can_see(who, c.agent_id, c.team)]

    def subscribe(self, who: Principal) -> Subscriber:
        subscriber = Subscriber(who)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    def publish(self, event: str, call: LiveCall) -> None:
        data = call.board_entry() if event == "call" else {"call_id": call.call_id}
        for subscriber in list(self._subscribers):
            if not can_see(subscriber.who, call.agent_id, call.team):
                continue
            try:
                subscriber.queue.put_nowait((event, data))
            except asyncio.QueueFull:
                subscriber.dropped = True
                self._subscribers.discard(subscriber)
