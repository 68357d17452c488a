"""The customer's history in the scorecard: earlier calls on record make a call a repeat
contact from its first turn, so knowing the customer's story is expected, and the live
session's report equals post-call analysis with the same history."""

from __future__ import annotations

import pytest

from calmline.conversation import Conversation, Role, Turn
from calmline.engine import analyze
from calmline.formats import read_conversation
from calmline.report import Report
from calmline.scorecard import Verdict
from calmline.session import Session

from .conftest import EXAMPLES

PLAIN = Conversation(id="plain", customer_id="cu-1", turns=(
    Turn(0, Role.AGENT, "Thanks for calling, how can I help?"),
    Turn(1, Role.CUSTOMER, "My order hasn't arrived yet."),
    Turn(2, Role.AGENT, "Let me check. It is out for delivery and will arrive by 6pm today."),
    Turn(3, Role.CUSTOMER, "Great, thanks."),
))
KNOWING = PLAIN.with_turns((*PLAIN.turns[:2],
                            Turn(2, Role.AGENT, "I can see you called about this order last week. "
                                                "It is out for delivery and will arrive by 6pm today."),
                            PLAIN.turns[3]))


def _personalisation(report: Report) -> tuple[Verdict, str | None]:
    criterion = report.scorecard.criterion("personalisation")
    return criterion.verdict, criterion.expected_because


@pytest.mark.parametrize(
    ("conversation", "earlier_calls", "verdict"),
    [
        (PLAIN, 0, Verdict.NOT_APPLICABLE),
        (PLAIN, 2, Verdict.MISSED),
        (KNOWING, 1, Verdict.MET),
    ],
)
def test_earlier_calls_make_knowing_the_history_expected(conversation: Conversation, earlier_calls: int,
                                                         verdict: Verdict) -> None:
    assert _personalisation(analyze(conversation, earlier_calls=earlier_calls))[0] is verdict


def test_the_reason_names_the_records_and_the_count() -> None:
    _, because = _personalisation(analyze(PLAIN, earlier_calls=2))
    assert because == ("repeat contact at turn 0: “the records show 2 earlier calls from this customer "
                       "in the last 30 days”")


def test_no_earlier_calls_changes_nothing() -> None:
    call = read_conversation(EXAMPLES / "calls" / "billing_double_charge.json")
    assert analyze(call, earlier_calls=0).to_dict() == analyze(call).to_dict()


def test_the_customers_own_words_in_the_first_turn_are_kept_as_the_reason() -> None:
    said = PLAIN.with_turns((Turn(0, Role.CUSTOMER, "This is the third time I'm calling about my order."),
                             *(Turn(t.index + 1, t.role, t.text) for t in PLAIN.turns[1:])))
    because = _personalisation(analyze(said, earlier_calls=2))[1]
    assert because is not None and "third time" in because


def test_live_session_report_equals_analysis_with_the_same_history() -> None:
    call = read_conversation(EXAMPLES / "calls" / "repeat_account_number.csv")
    session = Session.for_conversation(call, earlier_calls=3)
    for turn in call.turns:
        session.feed(turn)
    assert session.close().to_dict() == analyze(call, earlier_calls=3).to_dict()
