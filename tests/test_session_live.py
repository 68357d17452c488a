"""The live session: nudges as turns arrive, a closed session refuses more, and the
report it gives equals the post-call analysis."""

from __future__ import annotations

import pytest

from calmline.conversation import Conversation, Role, Turn
from calmline.engine import analyze
from calmline.errors import UsageError
from calmline.session import Session


def test_feed_returns_nudges_as_the_call_goes() -> None:
    session = Session(customer_name="Marcus")
    assert session.feed(("agent", "Thanks for calling, how can I help?")) == []
    nudges = session.feed(("customer", "You charged me twice and I'm furious about it!"))
    assert [n.technique_id for n in nudges][:1] == ["empathy"]
    assert session.temperature > 40
    assert all(n.reason and n.text for n in nudges)


def test_turns_are_numbered_in_arrival_order() -> None:
    session = Session()
    session.feed(Turn(index=99, role=Role.AGENT, text="Hello"))
    session.feed(("customer", "Hi"))
    assert [t.index for t in session.turns] == [0, 1]


def test_closed_session_refuses_more_turns_and_keeps_its_report() -> None:
    session = Session()
    session.feed(("customer", "Hi"))
    first = session.close()
    with pytest.raises(UsageError, match="closed"):
        session.feed(("customer", "again"))
    assert session.close() is first


def test_unknown_role_is_rejected() -> None:
    with pytest.raises(ValueError, match="robot"):
        Session().feed(("robot", "beep"))


def test_session_metadata_reaches_the_report() -> None:
    session = Session(conversation_id="c-42", agent_id="a-7", customer_id="cu-1")
    session.feed(("customer", "Hello"))
    report = session.close()
    assert (report.conversation_id, report.agent_id, report.customer_id) == ("c-42", "a-7", "cu-1")


def test_equivalence_with_analyze_on_a_heated_call() -> None:
    lines = [("agent", "Hi, you're through to billing."),
             ("customer", "This is the third time I'm calling! You idiots charged me twice."),
             ("agent", "I'm sorry you feel that way. Calm down please."),
             ("customer", "Get me your manager. Now."),
             ("agent", "I can bring my supervisor in right away.")]
    conversation = Conversation("eq", tuple(Turn(i, Role(r), t) for i, (r, t) in enumerate(lines)))
    session = Session.for_conversation(conversation)
    for turn in conversation.turns:
        session.feed(turn)
    live = session.close()
    assert live.to_dict() == analyze(conversation).to_dict()
    assert {r.code for r in live.risks} >= {"dismissive", "non_apology", "abuse_without_boundary"}
