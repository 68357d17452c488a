"""Venting (a long turn full of feeling) and the cues that need the agent's turn before:
an echoed term or a bare "what?" (confusion), a yes to an offered supervisor
(escalation request), and shouting in capitals (anger)."""

from __future__ import annotations

import pytest

from calmline.conversation import Role
from calmline.detectors.pipeline import DetectorPipeline
from calmline.signals import Signal, labels_of

from .detecting import detect_turn, role_pipeline

# Long enough to pass the word minimum, so only the feeling decides.
_FACTS = ("I ordered the blue sofa in March and it was meant to arrive in April, then the "
          "courier moved it to May, and now the tracking page says it is sitting in a depot "
          "two states away from my house")


@pytest.fixture(scope="module")
def pipeline() -> DetectorPipeline:
    return role_pipeline(Role.CUSTOMER)


def detect(pipeline: DetectorPipeline, text: str, agent: str | None = None) -> tuple[Signal, ...]:
    return detect_turn(pipeline, Role.CUSTOMER, text, agent)


VENTS = [
    f"{_FACTS} and honestly I am furious, it is a disgrace and nobody cares at all",
    f"{_FACTS}, I am sick of it, I am angry and upset and I feel completely ignored",
    f"{_FACTS}!! I am so fed up!! nobody ever calls me back!!",
    f"{_FACTS} and I have wasted hours of my life on hold with useless people, awful",
    f"{_FACTS} this is the worst service I have ever had and I hate dealing with you",
    f"{_FACTS} my kids were crying, my whole weekend was ruined, it is a terrible mess",
    f"{_FACTS}. It is horrible. I am stressed, exhausted, and honestly heartbroken about it.",
    f"{_FACTS} and every single person lied to me, I am disgusted and angry beyond words",
    f"{_FACTS} so I am furious and humiliated and I want someone to finally take this "
    "seriously because this is a joke",
    f"{_FACTS} im so angry i cant sleep this is awful nobody helps nobody cares",
    f"{_FACTS} and the last agent was rude and dismissive and I am absolutely livid",
    f"{_FACTS}, THIS IS RIDICULOUS, I AM DONE WAITING, it is unacceptable!",
]

NOT_VENTS = [
    _FACTS,
    f"{_FACTS}, could you check where it is and when it will come please",
    f"{_FACTS}, but the driver just called and it arrives tomorrow, so thank you so much",
    "I am absolutely furious",
    "this is a disgrace and nobody cares",
    "I hate this, it is awful, terrible, horrible",
    "my account number is 44 21 and the postcode is the same as before",
    f"{_FACTS}, I am not angry, I just want to know the new date",
    f"{_FACTS}, which is fine, I understand deliveries get delayed, no problem at all",
    f"{_FACTS} so can you tell me the depot phone number and the opening hours",
    f"{_FACTS}, the new date works for me and I really appreciate your help today",
    "thanks",
]


@pytest.mark.parametrize("text", VENTS)
def test_venting_found(pipeline: DetectorPipeline, text: str) -> None:
    assert "venting" in labels_of(detect(pipeline, text))


@pytest.mark.parametrize("text", NOT_VENTS)
def test_venting_not_found(pipeline: DetectorPipeline, text: str) -> None:
    assert "venting" not in labels_of(detect(pipeline, text))


def test_venting_evidence_spans_the_words_of_the_turn(pipeline: DetectorPipeline) -> None:
    text = f"  {VENTS[0]}.  "
    (vent,) = [s for s in detect(pipeline, text) if s.label == "venting"]
    assert vent.evidence == VENTS[0]


AGENT_JARGON = "Your account shows an ACH return on the last payment."
AGENT_OFFER = "Would you like me to bring in my supervisor?"

# (agent turn before, customer turn, label, present?)
CONTEXT_CASES = [
    (AGENT_JARGON, "ACH return?", "confusion", True),
    (AGENT_JARGON, "ach return??", "confusion", True),
    (AGENT_JARGON, "what?", "confusion", True),
    (AGENT_JARGON, "huh?", "confusion", True),
    (AGENT_JARGON, "sorry?", "confusion", True),
    (AGENT_JARGON, "ACH return", "confusion", False),
    (AGENT_JARGON, "which card?", "confusion", False),
    (AGENT_JARGON, "ok, on which date?", "confusion", False),
    (None, "ACH return?", "confusion", False),
    (AGENT_OFFER, "yes please", "escalation_request", True),
    (AGENT_OFFER, "yeah", "escalation_request", True),
    (AGENT_OFFER, "ok go ahead", "escalation_request", True),
    (AGENT_OFFER, "definitely", "escalation_request", True),
    (AGENT_OFFER, "no thanks, just fix it", "escalation_request", False),
    (AGENT_JARGON, "yes please", "escalation_request", False),
    ("I can't get a supervisor right now.", "ok", "escalation_request", False),
    (None, "yes please", "escalation_request", False),
    (None, "THIS IS COMPLETELY USELESS", "anger", True),
    (None, "I WANT MY MONEY BACK NOW", "anger", True),
    (None, "my PIN for the ATM is not working", "anger", False),
    (None, "I live in the USA", "anger", False),
]


@pytest.mark.parametrize(("agent", "text", "label", "present"), CONTEXT_CASES)
def test_context_cue(
    pipeline: DetectorPipeline, agent: str | None, text: str, label: str, present: bool
) -> None:
    assert (label in labels_of(detect(pipeline, text, agent))) is present


@pytest.mark.parametrize(
    ("agent", "text", "label", "evidence"),
    [
        (AGENT_JARGON, "ACH return?", "confusion", "ACH return"),
        (AGENT_OFFER, "Yes please, now", "escalation_request", "Yes please"),
        (None, "well THIS IS COMPLETELY USELESS", "anger", "THIS IS COMPLETELY USELESS"),
    ],
)
def test_context_evidence(
    pipeline: DetectorPipeline, agent: str | None, text: str, label: str, evidence: str
) -> None:
    assert evidence in [s.evidence for s in detect(pipeline, text, agent) if s.label == label]


@pytest.mark.parametrize(
    ("agent", "text"),
    [(a, t) for a, t, _, _ in CONTEXT_CASES] + [(None, t) for t in VENTS + NOT_VENTS],
)
def test_evidence_is_the_text_slice(
    pipeline: DetectorPipeline, agent: str | None, text: str
) -> None:
    for signal in detect(pipeline, text, agent):
        assert signal.evidence == text[signal.start:signal.end]
