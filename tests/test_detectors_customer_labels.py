"""Customer labels from the lexicon and its Python companions: each label fires on its
phrasings (terse, casual, non-native, unpunctuated speech-to-text) and stays quiet on
look-alikes, negations and hard negatives."""

from __future__ import annotations

import pytest

from calmline.conversation import Role
from calmline.detectors.pipeline import DetectorPipeline
from calmline.signals import Signal, labels_of

from .detecting import detect_turn, role_pipeline


@pytest.fixture(scope="module")
def pipeline() -> DetectorPipeline:
    return role_pipeline(Role.CUSTOMER)


def detect(pipeline: DetectorPipeline, text: str, agent: str | None = None) -> tuple[Signal, ...]:
    return detect_turn(pipeline, Role.CUSTOMER, text, agent)


POSITIVE: dict[str, list[str]] = {
    "anger": [
        "I am absolutely furious right now",
        "this is outrageous",
        "im so mad about this",
        "I'm livid, you charged me three times",
        "This is unacceptable!",
        "how dare you cut off my service",
        "are you kidding me",
        "you have got to be joking",
        "I've had enough of this company",
        "this is a complete scam",
        "what the hell is going on with my bill",
        "THIS IS COMPLETELY UNACCEPTABLE",
        "i am pissed off honestly",
        "thanks for nothing",
        "the engineer never turned up. again!",
        "and now it's down again!",
        "that's ridiculous, I paid for express",
    ],
    "frustration": [
        "I'm really frustrated with this",
        "honestly very disappointed in the service",
        "i am fed up",
        "I'm sick and tired of waiting",
        "this is such a waste of my time",
        "I've been waiting for three weeks",
        "it still isn't fixed",
        "the app keeps crashing",
        "nobody ever calls back",
        "ugh not again",
        "this is ridiculous",
        "I don't understand why this keeps happening",
        "you're not listening to me",
        "thanks for nothing",
        "still no refund",
        "you're kidding, another fee?",
        "you must be joking",
        "i lost a whole afternoon to this",
        "that's my entire morning wasted",
        "I was in all day and no one came",
        "we stayed home the whole day for the fitter",
        "I arranged my week around that appointment",
        "I had to take a day off for this",
        "the app says it was delivered but it isn't here",
        "tracking shows arrived and they have not arrived",
        "nothing came",
        'honestly gutted, it was meant to be a birthday present',
        "I've been going round in circles with your website all week.",
        "this is the fourth time I've rung about it",
        'Nobody tells me anything, I just get letters.',
        'still being charged for the old flat. again.',
        "I'm not getting anywhere with this, am I?",
        "for gods sake it's dropped out again",
        'I expected better than this from a bank.',
    ],
    "confusion": [
        "I don't understand what that means",
        "im confused",
        "sorry, I'm lost",
        "that doesn't make sense",
        "what does that mean",
        "what do you mean by prorated",
        "I have no idea what you're talking about",
        "can you explain that again please",
        "i dont get it",
        "you lost me there",
        "which one do you mean",
        "not sure what I need to do",
        "i am a bit confused about the fee",
        "huh",
        "Sorry, what means 'pending authorisation'?",
        "Port it? I've never come across that term.",
        "I'm not sure what you mean by a pro-rata credit.",
        'What does that even mean for my money?',
        "i don't even know what an executor is",
    ],
    "satisfaction": [
        "thank you so much",
        "thanks, that fixed it",
        "thx",
        "I really appreciate your help",
        "perfect, that works",
        "what a relief",
        "you've been very helpful",
        "it works now",
        "I'm happy with that",
        "great service, cheers",
        "problem solved",
        "ty",
        "you're a lifesaver",
        "oh it's green now",
        "we're back online",
        "ok the light is connected again",
        "the router says connected",
        "it's up and running now",
    ],
    "escalation_request": [
        "I want to speak to your manager",
        "get me a supervisor",
        "let me talk to someone else",
        "put me through to a manager now",
        "i need to speak with a supervisor",
        "can i talk to somebody in charge",
        "I want this escalated",
        "escalate this please",
        "who is your supervisor",
        "transfer me to someone who can actually help",
        "supervisor please",
        "i demand to speak to the manager",
        "connect me to your supervisor",
    ],
    "threat": [
        "I'm going to cancel my account",
        "cancel my subscription then",
        "fix it or I cancel",
        "I'll take my business elsewhere",
        "I'm switching to another provider",
        "you just lost a customer",
        "I'm calling my lawyer",
        "I will take legal action",
        "see you in court",
        "I'm going to report you to the BBB",
        "I'll be leaving a one star review",
        "i will post this all over twitter",
        "I'm doing a chargeback",
        "I'll dispute the charge with my bank",
        "ill never buy from you again",
    ],
    "repeat_contact": [
        "this is the third time im calling about this",
        "I've called five times already",
        "I already called last week",
        "every time I call I get a different answer",
        "I keep having to call you",
        "second time I'm contacting you about the same bill",
        "how many times do I have to explain this",
        "I spoke to someone yesterday about it",
        "I told the last agent all of this",
        "i have been calling for weeks",
        "called three times now",
        "I already explained this",
        "the previous rep I spoke to promised a refund",
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "anger": [
        "I'm not angry, just tired",
        "im not mad at you",
        "no need to get angry",
        "I'm not even that upset",
        "my husband was furious but I'm fine",
        "just kidding",
        "I'm not kidding, it broke again",
        "can you check my balance",
        "I'd like to update my address",
        "the mad hatter party is on saturday",
        "I love the angry birds game",
        "thank you for your help",
        "you're kidding, right? that was quick",
        "thank you so much again!",
        "it's working again!",
        "lovely to hear from you again!",
        "let me try again!",
    ],
    "frustration": [
        "I'm not frustrated, just curious",
        "no need to be upset",
        "I'm tired today, long week",
        "that's not a problem at all",
        "how do I pay my bill",
        "I would like to order a new router",
        "it works now, thanks",
        "come on in, the door is open",
        "I'm not disappointed at all",
        "thank you for fixing it",
        "can you send me the invoice",
        "my account number is 4421",
        "I'm not kidding, it's the flat on the left",
        "I'll be home all day tomorrow",
        "I'm taking the afternoon off next week",
        "if it's not here by friday I'll call back",
        'It blinks red three times and then goes off.',
        'The parcel came on Tuesday. The screen was cracked.',
        'I called last week about this as well, the reference was 4471.',
        'Is this the right number to report a fault?',
    ],
    "confusion": [
        "can you explain?",
        "I understand",
        "that makes sense now",
        "I get it, thanks",
        "I lost my card",
        "I don't get a refund?",
        "what is my balance",
        "I don't know what else to tell you",
        "I didn't get your email",
        "ok got it",
        "I'm not confused, just annoyed",
        "how long will the delivery take",
        'When will the new card arrive?',
        "I don't know what to do any more, I'm so stressed.",
        'No idea why it stopped working, it was fine last night.',
        "What's the cheapest broadband deal you've got?",
    ],
    "satisfaction": [
        "thanks for nothing",
        "no thanks",
        "thanks but that doesn't help",
        "I'm not happy with this",
        "great, just great, it broke again",
        "oh great another fee",
        "it worked for a day and stopped",
        "I'd be happy if you actually fixed it",
        "that's not helpful",
        "it was perfect until the update",
        "thanks in advance",
        "I am not satisfied at all",
        "thank god",
        "is it green now?",
        "it's connected now?",
        "it says connected but nothing loads",
        "it was online yesterday",
    ],
    "escalation_request": [
        "my manager asked me to call",
        "I don't need a supervisor",
        "no need to escalate",
        "I am a manager at a bakery",
        "your supervisor already approved the refund",
        "I already spoke to a supervisor",
        "transfer my balance to savings",
        "can you transfer me my points",
        "my boss wants the invoice",
        "I'll ask my supervisor",
        "the manager at the store said to call",
        "no, you're fine, no manager needed",
    ],
    "threat": [
        "I'm not going to cancel",
        "no need to cancel anything",
        "I don't want to cancel",
        "can I cancel my order",
        "how do I cancel the appointment",
        "I'll leave a message",
        "I'm leaving for work soon",
        "can you switch it off and on",
        "I'd like to switch to paperless billing",
        "my lawyer said this is fine",
        "I'm done, thanks for your help",
        "I just want to review the charges",
        "I am not threatening you",
    ],
    "repeat_contact": [
        "this is my first time calling",
        "I've never called before",
        "I'll call back tomorrow",
        "please call me back",
        "you called me yesterday",
        "I was charged three times",
        "the third time I tried the card it worked",
        "can I call you again later",
        "hi I need help with my bill",
        "my order arrived damaged",
        "someone called me this morning",
        "I'll contact you next week",
    ],
}

POSITIVE_ROWS = [(label, text) for label, texts in POSITIVE.items() for text in texts]
NEGATIVE_ROWS = [(label, text) for label, texts in NEGATIVE.items() for text in texts]


@pytest.mark.parametrize("label", sorted(POSITIVE))
def test_every_label_has_a_full_table(label: str) -> None:
    assert len(POSITIVE[label]) >= 12
    assert len(NEGATIVE[label]) >= 12


@pytest.mark.parametrize(("label", "text"), POSITIVE_ROWS)
def test_label_found(pipeline: DetectorPipeline, label: str, text: str) -> None:
    assert label in labels_of(detect(pipeline, text))


@pytest.mark.parametrize(("label", "text"), NEGATIVE_ROWS)
def test_label_not_found(pipeline: DetectorPipeline, label: str, text: str) -> None:
    assert label not in labels_of(detect(pipeline, text))


@pytest.mark.parametrize(
    ("text", "label", "evidence"),
    [
        ("honestly I'm not angry, I'm furious", "anger", "furious"),
        ("ok this is the third time im calling about this", "repeat_contact",
         "third time im calling"),
        ("fine. get me a supervisor.", "escalation_request", "get me a supervisor"),
        ("i dont understand what that means", "confusion", "i dont understand what that means"),
        ("thank you so much!", "satisfaction", "thank you so much"),
        ("then I'll take my business elsewhere", "threat", "take my business elsewhere"),
        ("sorry but this is ridiculous", "frustration", "this is ridiculous"),
    ],
)
def test_evidence_is_the_cue_words(
    pipeline: DetectorPipeline, text: str, label: str, evidence: str
) -> None:
    found = [s.evidence for s in detect(pipeline, text) if s.label == label]
    assert evidence in found


@pytest.mark.parametrize("text", [text for _, text in POSITIVE_ROWS + NEGATIVE_ROWS])
def test_evidence_is_the_text_slice(pipeline: DetectorPipeline, text: str) -> None:
    for signal in detect(pipeline, text):
        assert signal.evidence == text[signal.start:signal.end]
        assert signal.start < signal.end
        assert 0.0 < signal.score <= 1.0
