"""Call notes: every promise becomes a commitment with its owner and due phrase."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calmline import notes
from calmline.conversation import Role, Turn
from calmline.notes import DUE_PHRASE, Owner, find_commitments, promise_clauses
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


_PROMISE_WORDS = ["I'll", "I will", "we'll", "You'll", "our", "team", "will", "Someone", "the", "a",
                  "engineer", "it", "ships", "arrives", "goes out", "let me", "I can", "arrange",
                  "i'm", "sending", "you're", "booked", "please", "send", "need to", "and then",
                  "call", "email", "get back", "by", "Friday", "tomorrow", "within", "3", "to", "5",
                  "business", "days", "next week", "4 p.m.", "o'clock", "\u212a", "\u017f", "é",
                  "\u0130", ",", "-"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PROMISE_WORDS) | st.text(max_size=2), max_size=14).map(" ".join),
       st.integers(min_value=0, max_value=40))
def test_caseless_note_patterns_match_like_ignorecase(sentence: str, pos: int) -> None:
    for caseless in (notes._PROMISE, notes._CUSTOMER_TASK, notes._DUE, notes._AND_ACTION,
                     notes._AND_ACTION_START):
        general = caseless._general
        assert [m.span() for m in caseless.finditer(sentence)] == [
            m.span() for m in general.finditer(sentence)]
        fast, slow = caseless.search(sentence, pos), general.search(sentence, pos)
        assert (fast and fast.span()) == (slow and slow.span())
        assert bool(caseless.match(sentence)) == bool(general.match(sentence))
    assert notes._DUE._general.pattern == DUE_PHRASE.pattern
    assert DUE_PHRASE.flags & re.IGNORECASE


@pytest.mark.parametrize(("sentence", "clauses"), [
    ("I'm marking it as a priority refund so it goes out in tonight's batch, and I'll call you.",
     ["I'm marking it as a priority refund", "it goes out in tonight's batch", "I'll call you."]),
    ("I'll refund it today and I'll email you in an hour",
     ["I'll refund it today", "I'll email you in an hour"]),
    ("I'll fix it, and then I'll ring you back", ["I'll fix it", "I'll ring you back"]),
    ("I'll check, but I'll need your order number", ["I'll check", "I'll need your order number"]),
    ("I'll sort it so that I'll have it ready", ["I'll sort it", "I'll have it ready"]),
    # the last clause keeps its words: nothing was cut after it
    ("I'll do so", ["I'll do so"]),
    ("I'll refund it and", ["I'll refund it and"]),
    # words inside a clause stay
    ("I'll refund it and credit the fee", ["I'll refund it and credit the fee"]),
    ("I'll email you so you have it in writing", ["I'll email you so you have it in writing"]),
])
def test_a_cut_clause_loses_the_word_that_joined_it_to_the_next(sentence: str,
                                                                 clauses: list[str]) -> None:
    assert promise_clauses(sentence) == clauses
