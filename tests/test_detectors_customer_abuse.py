"""Abuse: insults and profanity aimed at the agent, with evidence on the offending words;
swearing about the situation, self-deprecation and third parties are not abuse."""

from __future__ import annotations

import pytest

from calmline.conversation import Role, Turn
from calmline.detectors.pipeline import DetectorPipeline
from calmline.signals import Signal, labels_of

from .detecting import role_pipeline

SORRY = "I'm sorry, I can't issue a refund on that order."


@pytest.fixture(scope="module")
def pipeline() -> DetectorPipeline:
    return role_pipeline(Role.CUSTOMER)


def detect(pipeline: DetectorPipeline, text: str) -> tuple[Signal, ...]:
    history = [Turn(0, Role.AGENT, SORRY)]
    return pipeline.detect(Turn(1, Role.CUSTOMER, text), history, [()])


ABUSIVE = [
    "you idiot",
    "you people are useless",
    "you're a fucking moron",
    "fuck you",
    "f*** off",
    "screw you and your refund policy",
    "oh shut up",
    "go to hell",
    "are you stupid or something",
    "u r so incompetent",
    "useless bitch",
    "you are the most clueless person I have ever spoken to",
    "listen you f***ing idiot",
    "your an idiot",
    "what is wrong with you people",
    "I hope you get fired",
]

NOT_ABUSIVE = [
    "this is fucking ridiculous",
    "shit, I forgot my password",
    "my idiot brother changed the password",
    "I feel so stupid, I typed it wrong",
    "that's a stupid policy",
    "you're killing me here",
    "what the hell is going on",
    "are you fucking kidding me",
    "I hate that you have to deal with this",
    "you know this is stupid right",
    "you guys are great",
    "the app is garbage",
    "I'm not calling you an idiot",
    "damn this router",
    "shit!",
    "you're not stupid, the system is",
    "shut up and take my money",
]


@pytest.mark.parametrize("text", ABUSIVE)
def test_abuse_found(pipeline: DetectorPipeline, text: str) -> None:
    assert "abuse" in labels_of(detect(pipeline, text))


@pytest.mark.parametrize("text", NOT_ABUSIVE)
def test_abuse_not_found(pipeline: DetectorPipeline, text: str) -> None:
    assert "abuse" not in labels_of(detect(pipeline, text))


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("honestly you idiot, I asked for a refund", "you idiot"),
        ("ok f*** off then", "f*** off"),
        ("I swear you people are completely useless at this", "you people are completely useless"),
        ("whatever, shut up and fix it", "shut up"),
        ("it's broken again you morons", "you morons"),
    ],
)
def test_abuse_evidence_is_the_offending_words(
    pipeline: DetectorPipeline, text: str, evidence: str
) -> None:
    assert [s.evidence for s in detect(pipeline, text) if s.label == "abuse"] == [evidence]


@pytest.mark.parametrize(
    ("stronger", "weaker"),
    [("you fucking idiot", "you are clueless"), ("fuck you", "you are clueless")],
)
def test_profanity_model_raises_the_score(
    pipeline: DetectorPipeline, stronger: str, weaker: str
) -> None:
    def score(text: str) -> float:
        return max(s.score for s in detect(pipeline, text) if s.label == "abuse")

    assert score(stronger) > score(weaker)


@pytest.mark.parametrize("text", ABUSIVE + NOT_ABUSIVE)
def test_abuse_evidence_is_the_text_slice(pipeline: DetectorPipeline, text: str) -> None:
    for signal in detect(pipeline, text):
        assert signal.evidence == text[signal.start:signal.end]


def test_batch_warm_gives_the_same_signals(pipeline: DetectorPipeline) -> None:
    turns = [Turn(i, Role.CUSTOMER, text) for i, text in enumerate(ABUSIVE + NOT_ABUSIVE)]
    cold = [pipeline.detect(t, [], []) for t in turns]
    pipeline.warm(turns)
    assert [pipeline.detect(t, [], []) for t in turns] == cold


def test_abuse_cancels_the_overlapping_frustration(pipeline: DetectorPipeline) -> None:
    labels = labels_of(detect(pipeline, "you are so useless"))
    assert "abuse" in labels
    assert "frustration" not in labels
