"""Agent signals carry tight, exact evidence, and the hard cases resolve the right way."""

from __future__ import annotations

import pytest

import calmline.detectors.agent as agent_detectors
from calmline.conversation import Conversation, Role, Turn
from calmline.detectors.base import registered_detectors
from calmline.detectors.pipeline import DetectorPipeline, detect_conversation
from calmline.labels import AGENT_LABELS
from calmline.signals import Signal, labels_of

from .detecting import detect_turn, role_pipeline


@pytest.fixture(scope="module")
def pipeline() -> DetectorPipeline:
    return role_pipeline(Role.AGENT)


def detect(pipeline: DetectorPipeline, text: str) -> tuple[Signal, ...]:
    return detect_turn(pipeline, Role.AGENT, text)


# (text, labels that must be there, labels that must not)
HARD_CASES = [
    ("I'm sorry you feel that way.", {"non_apology"}, {"apology"}),
    ("I'm sorry we charged you twice.", {"apology"}, {"non_apology"}),
    ("Calm down.", {"dismissive"}, set()),
    ("I won't tell you to calm down.", set(), {"dismissive"}),
    ("Sorry, but that's our policy.", {"non_apology", "negative_language"}, {"apology"}),
    ("I understand.", {"active_listening"}, {"empathy"}),
    ("I understand how frustrating that must be.", {"empathy"}, {"active_listening"}),
    ("Could you tell me what happened?", {"question", "open_question"}, set()),
    ("Is your account number 1234?", {"question"}, {"open_question"}),
    ("im really sorry we messed up your order", {"apology", "admission"}, {"non_apology"}),
    ("what do you want me to do?", {"question", "dismissive"}, {"open_question"}),
    ("I want to help, but I can't continue if the language continues.", {"boundary"},
     {"negative_language"}),
    ("so can you tell me what happened with the delivery", {"question", "open_question"}, set()),
    ("i dont understand why it was sent twice", set(), {"active_listening", "empathy"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), HARD_CASES)
def test_hard_case_resolves_to_the_right_labels(
    pipeline: DetectorPipeline, text: str, present: set[str], absent: set[str]
) -> None:
    found = labels_of(detect(pipeline, text))
    assert present <= found
    assert not absent & found


# (text, label, the exact evidence expected for it)
EVIDENCE = [
    ("Thanks for waiting. I'm sorry you feel that way.", "non_apology",
     "sorry you feel that way"),
    ("Okay. Calm down, please.", "dismissive", "Calm down"),
    ("It will arrive within 3 to 5 business days.", "timeline", "within 3 to 5 business days"),
    ("Right. Could you tell me what happened? I'll note it.", "open_question",
     "Could you tell me what happened?"),
    ("We sent it. Is your account number 1234?", "question", "Is your account number 1234?"),
    ("The case went to L2 yesterday.", "jargon", "L2"),
    ("You should have read the terms, sir.", "blame", "You should have read"),
    ("Good news: I'll waive the late fee.", "extra_mile", "waive the late fee"),
    ("Would you like me to call you back later?", "callback_offer",
     "Would you like me to call you back"),
    ("I can transfer you to a supervisor now.", "escalation_offer",
     "I can transfer you to a supervisor"),
]


@pytest.mark.parametrize(("text", "label", "evidence"), EVIDENCE)
def test_evidence_is_the_matched_phrase(
    pipeline: DetectorPipeline, text: str, label: str, evidence: str
) -> None:
    assert evidence in [s.evidence for s in detect(pipeline, text) if s.label == label]


def _timed(index: int, role: Role, text: str, begin_ms: int, end_ms: int) -> Turn:
    return Turn(index, role, text, begin_ms=begin_ms, end_ms=end_ms)


SAMPLE_CALL = Conversation(
    "evidence",
    (
        _timed(0, Role.CUSTOMER, "Hi, my name is Dana and my account number is 44556677.",
               0, 4000),
        _timed(1, Role.AGENT, "Thanks Dana. What's your account number?", 3500, 6000),
        _timed(2, Role.CUSTOMER, "I just told you! This is the third time, it's a joke.",
               6000, 9000),
        _timed(3, Role.AGENT, "I understand how frustrating that must be, Dana. To confirm, "
               "you were charged twice? I'm sorry we did that; it was our mistake.", 9500, 15000),
        _timed(4, Role.CUSTOMER, "Yes. Twice!", 15000, 16000),
        _timed(5, Role.AGENT, "I'll refund it now and waive the fee. You'll see it within 48 "
               "hours, and I'll email you once it's done. Anything else I can help with?",
               16500, 24000),
        _timed(6, Role.AGENT, "sorry but thats our policy the SLA is ten days calm down",
               24000, 27000),
    ),
    customer_name="Dana Reyes",
)


def test_every_evidence_is_the_text_it_points_at(pipeline: DetectorPipeline) -> None:
    per_turn = detect_conversation(pipeline, SAMPLE_CALL)
    signals = [s for turn_signals in per_turn for s in turn_signals]
    assert len(signals) >= 20
    for signal in signals:
        text = SAMPLE_CALL.turns[signal.turn_index].text
        assert signal.evidence == text[signal.start:signal.end]
        assert signal.evidence.strip() == signal.evidence
        assert 0.0 < signal.score <= 1.0
        assert signal.label in AGENT_LABELS


def test_sample_call_shows_the_expected_moves(pipeline: DetectorPipeline) -> None:
    per_turn = detect_conversation(pipeline, SAMPLE_CALL)
    assert {"personalisation", "repeat_question", "interruption"} <= labels_of(per_turn[1])
    assert {"empathy", "acknowledgment", "apology", "admission"} <= labels_of(per_turn[3])
    assert {"solution", "extra_mile", "timeline", "follow_up",
            "resolution_check"} <= labels_of(per_turn[5])
    assert {"non_apology", "negative_language", "jargon", "dismissive"} <= labels_of(per_turn[6])


def test_detectors_are_registered_by_name() -> None:
    registry = registered_detectors()
    for name in agent_detectors.AGENT_DETECTORS:
        detector = registry[name]()
        assert detector.name == name
        assert detector.roles == frozenset({Role.AGENT})
        assert set(detector.labels) <= set(AGENT_LABELS)
