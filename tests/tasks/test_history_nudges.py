"""Customer history in the live session: a repeat caller gets one nudge naming which
contact this is and what about, with open tasks and the last outcome as the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from calmline.conversation import Role, Turn
from calmline.session import Session
from calmline.tasks.history import CustomerHistory, HistoryWatch, OpenTask, PastCall, history_nudge
from calmline.topics import TopicMatcher, load_taxonomy

MATCHER = TopicMatcher.of(load_taxonomy())
WHEN = datetime(2026, 3, 1, tzinfo=UTC)
NAMES = {"billing": "Billing", "delivery": "Delivery"}


def _history(*topics: tuple[str, ...], tasks: int = 0, outcome: str = "unresolved") -> CustomerHistory:
    calls = tuple(PastCall(f"c{i}", WHEN, t, outcome) for i, t in enumerate(topics))
    owed = tuple(OpenTask(f"call back #{i}", WHEN, overdue=i == 0) for i in range(tasks))
    return CustomerHistory("cu-1", calls, owed, NAMES)


@pytest.mark.parametrize(
    ("history", "topics", "text"),
    [
        (_history(("billing",), ("billing",)), ("billing",),
         "Third contact this month about billing: acknowledge it"),
        (_history(("billing",)), ("billing",), "Second contact this month about billing: acknowledge it"),
        (_history(("delivery",), ("billing",)), ("billing",),
         "Second contact this month about billing: acknowledge it"),
        (_history(("delivery",), ("billing",)), (), "Third contact this month: acknowledge it"),
        (_history(tasks=1), ("billing",),
         "Something is still owed to this customer: mention it before they have to"),
    ],
)
def test_history_nudge_text(history: CustomerHistory, topics: tuple[str, ...], text: str) -> None:
    nudge = history_nudge(history, 2, topics)
    assert nudge is not None
    assert (nudge.text, nudge.turn_index, nudge.technique_id) == (text, 2, "customer_history")


def test_reason_names_open_tasks_and_last_outcome() -> None:
    nudge = history_nudge(_history(("billing",), tasks=2), 0, ())
    assert nudge is not None
    assert nudge.reason == ("1 earlier call in 30 days; last one unresolved; "
                            "2 open tasks (1 overdue): “call back #0”")


def test_first_contact_with_nothing_owed_gets_no_nudge() -> None:
    assert history_nudge(_history(), 0, ("billing",)) is None


def test_live_session_nudges_once_when_the_topic_is_known() -> None:
    watch = HistoryWatch(_history(("billing",), ("billing",)), MATCHER)
    session = Session(hooks=[watch])
    first = session.feed(("agent", "Thanks for calling, how can I help?"))
    second = session.feed(("customer", "You've charged me twice again on my bill."))
    third = session.feed(("customer", "The bill is wrong, again."))
    assert [n.technique_id for n in first] == []
    assert [n.text for n in second if n.technique_id == "customer_history"] == [
        "Third contact this month about billing: acknowledge it"]
    assert all(n.technique_id != "customer_history" for n in third)


def test_without_a_topic_match_the_nudge_waits_two_customer_turns() -> None:
    watch = HistoryWatch(_history(("delivery",)), MATCHER)
    fed = [watch(Turn(i, Role.CUSTOMER, "Hello there."), tuple(Turn(j, Role.CUSTOMER, "Hello there.")
                                                           for j in range(i + 1))) for i in range(3)]
    assert [len(n) for n in fed] == [0, 1, 0]


def test_hooks_leave_the_report_unchanged() -> None:
    turns = [("customer", "You charged me twice on my bill!"), ("agent", "I'm sorry, I'll refund it today.")]
    plain, hooked = Session(), Session(hooks=[HistoryWatch(_history(("billing",)), MATCHER)])
    for turn in turns:
        plain.feed(turn)
        hooked.feed(turn)
    assert plain.close().to_dict() == hooked.close().to_dict()
