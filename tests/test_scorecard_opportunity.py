"""The scorecard judges a move only when the call called for it, and always shows the
turn and the words behind each verdict."""

from __future__ import annotations

import pytest

from calmline.conversation import Conversation, Role, Turn
from calmline.engine import build_report
from calmline.playbook import load_playbook
from calmline.scorecard import Verdict
from calmline.signals import Signal
from calmline.tracker import CallTracker

PLAYBOOK = load_playbook()


def _sig(label: str, turn: int, text: str) -> Signal:
    return Signal(label, 0.9, turn, 0, len(text), text, "test")


def score(*turns: tuple[str, str, list[str]]) -> dict[str, tuple[Verdict, list[str]]]:
    """Run the tracker over (role, text, labels) turns; verdict + quotes per technique."""
    tracker = CallTracker(PLAYBOOK)
    built: list[Turn] = []
    for i, (role, text, labels) in enumerate(turns):
        turn = Turn(i, Role(role), text)
        built.append(turn)
        tracker.advance(turn, tuple(_sig(label, i, text) for label in labels), 0.0)
    report = build_report(Conversation("t", tuple(built)), tracker)
    return {c.technique_id: (c.verdict, [e.quote for e in c.evidence])
            for c in report.scorecard.criteria}


def test_no_boundary_expected_without_abuse() -> None:
    verdicts = score(("customer", "My bill is wrong.", ["frustration"]),
                     ("agent", "Let me fix that for you.", ["solution"]))
    assert verdicts["boundary"][0] is Verdict.NOT_APPLICABLE


def test_boundary_expected_after_abuse_and_missing_is_missed() -> None:
    verdicts = score(("customer", "You useless idiot.", ["abuse", "anger"]),
                     ("agent", "I can fix the bill.", ["solution"]))
    assert verdicts["boundary"][0] is Verdict.MISSED


def test_boundary_met_with_its_quote() -> None:
    words = "I want to help, and I need us to keep this respectful."
    verdicts = score(("customer", "You useless idiot.", ["abuse"]), ("agent", words, ["boundary"]))
    assert verdicts["boundary"] == (Verdict.MET, [words])


def test_boundary_before_abuse_does_not_count() -> None:
    verdicts = score(("agent", "Please keep it respectful.", ["boundary"]),
                     ("customer", "You useless idiot.", ["abuse"]),
                     ("agent", "Okay.", []))
    assert verdicts["boundary"][0] is Verdict.MISSED


@pytest.mark.parametrize("technique", ["empathy", "ownership_apology", "acknowledgment"])
def test_grievance_moves_not_expected_on_a_calm_call(technique: str) -> None:
    verdicts = score(("customer", "Hi, I'd like to update my address please.", []),
                     ("agent", "Sure, what's the new address?", ["question", "open_question"]))
    assert verdicts[technique][0] is Verdict.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("label", "technique"),
    [("non_apology", "avoid_non_apology"), ("blame", "avoid_blame"),
     ("dismissive", "avoid_dismissing"), ("interruption", "no_interrupting"),
     ("repeat_question", "no_repeat_questions"), ("jargon", "positive_language")],
)
def test_harmful_move_is_missed_with_quote(label: str, technique: str) -> None:
    words = "the words that gave it away"
    verdicts = score(("customer", "Hello.", []), ("agent", words, [label]))
    assert verdicts[technique] == (Verdict.MISSED, [words])


def test_harmful_move_avoided_is_met() -> None:
    verdicts = score(("customer", "Hello.", []), ("agent", "Hi!", []))
    assert verdicts["avoid_blame"][0] is Verdict.MET


def test_escalation_expected_when_manager_requested() -> None:
    missed = score(("customer", "Get me a manager.", ["escalation_request"]),
                   ("agent", "I can't.", []))
    met = score(("customer", "Get me a manager.", ["escalation_request"]),
                ("agent", "I can bring in my supervisor.", ["escalation_offer"]))
    assert missed["escalation_path"][0] is Verdict.MISSED
    assert met["escalation_path"][0] is Verdict.MET


def test_optional_move_is_credited_never_missed() -> None:
    done = score(("customer", "It broke.", ["frustration"]),
                 ("agent", "I've added a credit.", ["extra_mile"]))
    not_done = score(("customer", "It broke.", ["frustration"]), ("agent", "Ok.", []))
    assert done["extra_mile"][0] is Verdict.MET
    assert not_done["extra_mile"][0] is Verdict.NOT_APPLICABLE


def test_overall_score_counts_only_applicable_criteria() -> None:
    tracker = CallTracker(PLAYBOOK)
    turns = (Turn(0, Role.CUSTOMER, "Hi."), Turn(1, Role.AGENT, "Anything else I can do?"))
    tracker.advance(turns[0], (), 0.0)
    tracker.advance(turns[1], (_sig("resolution_check", 1, turns[1].text),), 0.0)
    report = build_report(Conversation("t", turns), tracker)
    assert report.scorecard.overall == 100
    missed = [c for c in report.scorecard.criteria if c.verdict is Verdict.MISSED]
    assert missed == []
