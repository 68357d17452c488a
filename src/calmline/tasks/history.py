"""The customer's history in a live call: their earlier calls this month, what those were
about, what is still owed to them and how the last one ended, turned into one nudge
("third contact this month about billing: acknowledge it"). Pure."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from calmline.conversation import Role, Turn
from calmline.nudges import Nudge, NudgeKind
from calmline.opportunities import HISTORY_WINDOW_DAYS
from calmline.topics import TopicMatcher, find_topics

TECHNIQUE_ID = "customer_history"
# Above the playbook's ordinary nudges: a repeat caller hears it in the first seconds.
HISTORY_PRIORITY = 5.0
# Without a topic match, the nudge waits this many customer turns before it names the count.
TURNS_BEFORE_GENERIC = 2
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


@dataclass(frozen=True, slots=True)
class PastCall:
    call_id: str
    occurred_at: datetime
    topics: tuple[str, ...]
    outcome: str | None


@dataclass(frozen=True, slots=True)
class OpenTask:
    what: str
    due_at: datetime
    overdue: bool


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """A customer's earlier calls within the window (newest first) and their open tasks."""

    customer_id: str
    calls: tuple[PastCall, ...] = ()
    open_tasks: tuple[OpenTask, ...] = ()
    topic_names: dict[str, str] = field(default_factory=dict)

    @property
    def last_outcome(self) -> str | None:
        return self.calls[0].outcome if self.calls else None

    def topic_counts(self) -> Counter[str]:
        return Counter(topic for call in self.calls for topic in call.topics)


def ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 0 < n <= len(_ORDINALS) else f"{n}th"


def history_nudge(history: CustomerHistory, turn_index: int, topics: tuple[str, ...]) -> Nudge | None:
    """The nudge for this contact: which one it is this month and about what, with the
    open tasks and last outcome as the reason. None for a first contact with nothing owed."""
    if not history.calls and not history.open_tasks:
        return None
    counts = history.topic_counts()
    repeated = next((t for t in topics if counts[t]), None)
    contact = (counts[repeated] if repeated else len(history.calls)) + 1
    about = f" about {history.topic_names.get(repeated, repeated).lower()}" if repeated else ""
    if history.calls:
        text = f"{ordinal(contact).capitalize()} contact this month{about}: acknowledge it"
    else:
        text = "Something is still owed to this customer: mention it before they have to"
    phrasing = ("I can see you've been in touch about this before, and I'm sorry it has taken more than "
                "one call." if history.calls else None)
    return Nudge(TECHNIQUE_ID, NudgeKind.DO, text, phrasing, _reason(history), turn_index, HISTORY_PRIORITY)


def _reason(history: CustomerHistory) -> str:
    parts = [f"{len(history.calls)} earlier call{'s' if len(history.calls) != 1 else ''} "
             f"in {HISTORY_WINDOW_DAYS} days"]
    if history.last_outcome:
        parts.append(f"last one {history.last_outcome}")
    if history.open_tasks:
        late = sum(t.overdue for t in history.open_tasks)
        first = history.open_tasks[0]
        parts.append(f"{len(history.open_tasks)} open task{'s' if len(history.open_tasks) != 1 else ''}"
                     + (f" ({late} overdue)" if late else "") + f": “{first.what}”")
    return "; ".join(parts)


class HistoryWatch:
    """A live-session hook: nudges once, as soon as the customer's topic is known (or after
    a couple of customer turns when it matches nothing earlier)."""

    def __init__(self, history: CustomerHistory, matcher: TopicMatcher) -> None:
        self.history = history
        self.matcher = matcher
        self.fired = False

    def __call__(self, turn: Turn, turns: tuple[Turn, ...]) -> list[Nudge]:
        if self.fired or turn.role is not Role.CUSTOMER:
            return []
        topics = tuple(t.topic for t in find_topics([t for t in turns if t.role is Role.CUSTOMER],
                                                    self.matcher))
        counts = self.history.topic_counts()
        customer_turns = sum(t.role is Role.CUSTOMER for t in turns)
        if not any(counts[t] for t in topics) and customer_turns < TURNS_BEFORE_GENERIC:
            return []
        nudge = history_nudge(self.history, turn.index, topics)
        self.fired = True
        return [nudge] if nudge is not None else []
