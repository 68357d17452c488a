"""Call notes: every promise becomes a commitment with its owner and due phrase."""

from __future__ import annotations

import pytest

from calmline.conversation import Role, Turn
from calmline.notes import DUE_PHRASE, Owner, find_commitments
from calmline.signals import Signal


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("The refund will reach you within 3 to 5 business days.", "within 3 to 5 business days"),
        ("You'll have it within three to five working days.", "within three to five working days"),
        ("I'll call you back tomorrow.", "tomorrow"),
        ("I'll call you tomorrow morning.", "tomorrow morning"),
        ("We'll have an answer by Friday.", "by Friday"),
        ("It will be fixed in 48 hours.", "in 48 hours"),
        ("I'll email you by end of day.", "by end of day"),
        ("Someone will be in touch next week.", "next week"),
        ("I'll update you by the end of the week.", "by the end of the week"),
        ("The engineer will visit on Tuesday.", "on Tuesday"),
        ("I'll ring you this afternoon.", "this afternoon"),
        ("You should see it in a few days.", "in a few days"),
        ("I'll confirm by 5pm.", "by 5pm"),
        ("We'll credit it by the 15th.", "by the 15th"),
        ("I'll call you next business day.", "next business day"),
    ],
)
def test_due_phrase_is_found(sentence: str, due: str) -> None:
    match = DUE_PHRASE.search(sentence)
    assert match is not None
    assert match.group(0) == due


@pytest.mark.parametrize(
    "sentence",
    ["I bought it last year.", "It stopped working on its own.", "Thanks so much for calling.",
     "The days are getting shorter.", "Within reason, yes."],
)
def test_no_due_phrase(sentence: str) -> None:
    assert DUE_PHRASE.search(sentence) is None


def _agent(text: str, *labels: str) -> tuple[list[Turn], list[tuple[Signal, ...]]]:
    signals = tuple(Signal(label, 0.9, 0, 0, len(text), text, "test") for label in labels)
    return [Turn(0, Role.AGENT, text)], [signals]


@pytest.mark.parametrize(
    ("text", "labels", "owner", "due"),
    [
        ("I'll call you back by Friday with an update.", ("follow_up",), Owner.AGENT, "by Friday"),
        ("Our billing team will refund it within 5 days.", ("solution",), Owner.TEAM,
         "within 5 days"),
        ("I'll send you the label.", ("solution",), Owner.AGENT, None),
        ("You'll need to send the photos by tomorrow.", (), Owner.CUSTOMER, "by tomorrow"),
    ],
)
def test_commitment_owner_and_due(text: str, labels: tuple[str, ...], owner: Owner,
                                  due: str | None) -> None:
    turns, signals = _agent(text, *labels)
    (commitment,) = find_commitments(turns, signals)
    assert (commitment.owner, commitment.due_phrase, commitment.turn_index) == (owner, due, 0)


@pytest.mark.parametrize(
    "text", ["I'll be honest, that's odd.", "Let me see.", "I understand how that feels."]
)
def test_no_commitment_without_a_promise(text: str) -> None:
    turns, signals = _agent(text)
    assert find_commitments(turns, signals) == ()
