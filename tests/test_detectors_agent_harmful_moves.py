"""Agent moves that make a call worse: each found in phrasings that mean it, and not in
near misses that a careless rule would confuse with it."""

from __future__ import annotations

import pytest

from calmline.conversation import Role
from calmline.detectors.pipeline import DetectorPipeline
from calmline.signals import labels_of

from .detecting import detect_turn, role_pipeline, table_rows


@pytest.fixture(scope="module")
def pipeline() -> DetectorPipeline:
    return role_pipeline(Role.AGENT)


def agent_labels(pipeline: DetectorPipeline, text: str) -> frozenset[str]:
    return labels_of(detect_turn(pipeline, Role.AGENT, text))


POSITIVE: dict[str, list[str]] = {
    "non_apology": [
        "I'm sorry you feel that way.",
        "Sorry if you were upset.",
        "Sorry, but that's the policy.",
        "I'm sorry if this caused any confusion.",
        "We apologise for any inconvenience.",
        "I'm sorry you're unhappy with the decision.",
        "sorry you feel like that",
        "I apologise if that came across badly.",
        "Sorry you think we got it wrong.",
        "I'm sorry that's how you feel.",
        "Sorry however the offer has ended.",
        "I'm sorry you were disappointed.",
    ],
    "blame": [
        "You should have read the terms.",
        "You must have entered it wrong.",
        "You didn't follow the instructions.",
        "That's your fault, not ours.",
        "You forgot to update your card.",
        "If you had read the email you'd know.",
        "You were supposed to return it within 30 days.",
        "You typed the wrong address.",
        "you must have clicked the wrong button",
        "You agreed to the terms when you signed up.",
        "You need to read the contract properly.",
        "You never checked the confirmation.",
    ],
    "dismissive": [
        "Calm down.",
        "There's nothing I can do.",
        "That's not my problem.",
        "You're overreacting.",
        "Just relax, it's only a small fee.",
        "It's not a big deal.",
        "What do you want me to do?",
        "It is what it is.",
        "I already told you that.",
        "you need to calm down sir",
        "I don't know what to tell you.",
        "You'll just have to wait like everyone else.",
    ],
    "negative_language": [
        "That's against our policy.",
        "We don't do that.",
        "I can't.",
        "Unfortunately there's no way to change it.",
        "Sorry, but that's our policy.",
        "That's not possible.",
        "We're not allowed to refund opened items.",
        "I'm unable to change the date.",
        "The system won't let me do that.",
        "It's out of my hands.",
        "i cant do that for you",
        "We cannot offer refunds after 30 days.",
    ],
    "arguing": [
        "That's not true.",
        "No, you're wrong.",
        "That's not what happened.",
        "You're mistaken about the date.",
        "That never happened.",
        "I never said that.",
        "Actually, you did agree to it.",
        "Our records show otherwise.",
        "thats not correct",
        "That is simply wrong.",
        "With all due respect, you're confused.",
        "You're not listening to me.",
        "The letter would have gone out last week.",
        "It must have been sent to your old address.",
        "You must have received the reminder.",
        "It would've gone out on Monday.",
    ],
    "jargon": [
        "The ticket was escalated to L2.",
        "Provisioning failed on our side.",
        "That's outside the SLA.",
        "I've raised an RMA for the handset.",
        "It's an ACH reversal.",
        "The chargeback reason code is 4837.",
        "I've logged it in the CRM.",
        "Your port-in is still pending.",
        "The ONT needs a firmware push.",
        "The auth hold will drop off in a few days.",
        "It failed at the settlement batch.",
        "The back end hasn't synced yet.",
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "non_apology": [
        "I'm sorry we charged you twice.",
        "I apologise for the mistake.",
        "Sorry for the mix-up with your order.",
        "I'm so sorry, that was our error.",
        "I'm sorry you had to wait so long.",
        "Sorry about the delay.",
        "I'm really sorry we let you down.",
        "I understand how frustrating this is.",
        "Please accept my apologies.",
        "I'm sorry to hear that.",
        "I'll fix it now.",
        "Sorry we missed your call.",
    ],
    "blame": [
        "It's not your fault.",
        "You should have received an email yesterday.",
        "You must have been so frustrated.",
        "You did nothing wrong.",
        "You shouldn't have had to call again.",
        "That was our mistake.",
        "You should try restarting it.",
        "If you had any trouble, call us.",
        "You entered the right code.",
        "You have every right to be upset.",
        "I understand you followed the steps.",
        "Thank you for reading the terms so carefully.",
    ],
    "dismissive": [
        "I won't tell you to calm down.",
        "I'm not going to ask you to relax.",
        "It's not a problem at all.",
        "No problem, I can help.",
        "That's a big deal and I'll treat it that way.",
        "I'll deal with it right now.",
        "Whatever works best for you.",
        "There's nothing I can't do to fix this.",
        "I can help you with that.",
        "I understand this matters to you.",
        "Let's take a look together.",
        "I'm here to help.",
    ],
    "negative_language": [
        "I can't believe that happened to you.",
        "I can't thank you enough for your patience.",
        "I can refund that today.",
        "No problem at all.",
        "We can do that for you.",
        "I'm able to change the date.",
        "That's possible, let me set it up.",
        "Don't worry, we'll fix it.",
        "You can't go wrong with the new plan.",
        "The policy number is on your letter.",
        "I'll make an exception this time.",
        "Here's what we can do.",
    ],
    "arguing": [
        "You're right.",
        "That's true, and I'm sorry.",
        "I'm not saying you're wrong.",
        "You're not wrong about that.",
        "That's not right, we should have refunded you.",
        "Correct me if I'm wrong.",
        "That's correct.",
        "I understand what happened.",
        "Let me check our records.",
        "That's what happened, yes.",
        "I see what you mean.",
        "Thank you for explaining.",
        "It should have arrived by now, I'm sorry.",
        "I'll make sure it goes out today.",
    ],
    "jargon": [
        "Your refund is on its way.",
        "I've opened a ticket for you.",
        "Please put it in the bin.",
        "We'll have it by mid-week.",
        "I'll send a new router.",
        "Your account is active.",
        "The engineer will visit on Friday.",
        "Let me check your bill.",
        "Your order number is 1234.",
        "I'll call you back tomorrow.",
        "The pod is in the box.",
        "Your card payment went through.",
    ],
}


@pytest.mark.parametrize(("label", "text"), table_rows(POSITIVE))
def test_harmful_move_is_found(pipeline: DetectorPipeline, label: str, text: str) -> None:
    assert label in agent_labels(pipeline, text)


@pytest.mark.parametrize(("label", "text"), table_rows(NEGATIVE))
def test_harmful_move_is_not_found_in_near_miss(
    pipeline: DetectorPipeline, label: str, text: str
) -> None:
    assert label not in agent_labels(pipeline, text)


@pytest.mark.parametrize("label", sorted(POSITIVE))
def test_every_harmful_move_has_a_full_table(label: str) -> None:
    assert len(POSITIVE[label]) >= 12
    assert len(NEGATIVE[label]) >= 12
