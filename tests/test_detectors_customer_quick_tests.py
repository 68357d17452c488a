"""The quick tests that spare most turns the customer detectors' full passes: each may only
rule out a turn that the full test would also reject, so results never change."""

from __future__ import annotations

import pytest

from calmline.conversation import Role, Turn
from calmline.detectors.base import TurnContext
from calmline.detectors.context import _CAPITALS, SHOUTING, ContextCues, CustomerContextDetector
from calmline.detectors.customer import AbuseCues, WordGate
from calmline.detectors.patterns import LexiconMatcher
from calmline.detectors.resources import shared_resources

from .test_detectors_customer_abuse import ABUSIVE, NOT_ABUSIVE

# Turns with and without cues, typed every way a customer might (case, symbols, non-ASCII).
TURNS = [
    *ABUSIVE,
    *NOT_ABUSIVE,
    "can you check my balance please",
    "STFU and fix it",
    "what the fck is this",
    "Fuuuxk this",
    "ſtfu",  # long s: case-folds to "s" under re.IGNORECASE only
    "ＳＴＦＵ",
    "Ich möchte bitte mit Ihrem SUPERVISOR sprechen",
    "can I speak to the team  leader",
    "Would you like a ſupervisor?",
    "THIS IS COMPLETELY UNACCEPTABLE",
    "I said NO, NOT NOW",
    "OK TV",
    "Shut   UP",
    "kiss my ass",
    "go back to where you came from",
    "i hope u die",
    "",
    "?!",
]


@pytest.fixture(scope="module")
def abuse_cues() -> AbuseCues:
    return AbuseCues.load()


@pytest.fixture(scope="module")
def context_cues() -> ContextCues:
    return ContextCues.load()


@pytest.mark.parametrize("text", TURNS)
def test_profanity_scan_agrees_with_the_full_pattern(abuse_cues: AbuseCues, text: str) -> None:
    expected = abuse_cues.obfuscated_in_text.search(text) is not None
    assert abuse_cues.hides_profanity(text) == expected


@pytest.mark.parametrize("text", TURNS)
def test_escalation_scan_agrees_with_the_full_pattern(context_cues: ContextCues, text: str) -> None:
    expected = context_cues.escalation_words.search(text) is not None
    assert context_cues.mentions_escalation(text) == expected


@pytest.mark.parametrize("text", TURNS)
def test_capitals_scan_is_needed_for_shouting(text: str) -> None:
    if SHOUTING.search(text):
        assert _CAPITALS.search(text)


@pytest.mark.parametrize("text", [*TURNS, "listen you f***ing idiot", "sh#t, a b c d e f"])
def test_word_count_is_the_length_of_the_word_list(text: str) -> None:
    context = TurnContext(Turn(0, Role.CUSTOMER, text), (), (), shared_resources())
    assert CustomerContextDetector()._word_count(context) == len(context.words)


@pytest.mark.parametrize("text", TURNS)
def test_phrase_gate_admits_every_phrase_match(abuse_cues: AbuseCues, text: str) -> None:
    nlp = shared_resources().nlp
    gate = WordGate.for_patterns(nlp, abuse_cues.phrases[0].patterns)
    doc = nlp.make_doc(text)
    if LexiconMatcher(nlp, [abuse_cues.phrases[0]]).matches(doc):
        assert gate.admits({t.norm_ for t in doc})


@pytest.mark.parametrize(
    ("patterns", "text", "admitted"),
    [
        (("you suck|stink",), "you really suck", True),
        (("you suck|stink",), "this sucks", False),  # "sucks" is another word
        (("you suck|stink",), "you are fine", False),
        (("go to hell",), "go to the shop", False),
        (("go to hell",), "hell, go to bed", True),  # all words present: the matcher decides
        (("shut up|it",), "shut it", True),
        (("#num",), "anything at all", True),  # no required word: nothing can be ruled out
    ],
)
def test_phrase_gate_table(patterns: tuple[str, ...], text: str, admitted: bool) -> None:
    nlp = shared_resources().nlp
    gate = WordGate.for_patterns(nlp, patterns)
    assert gate.admits({t.norm_ for t in nlp.make_doc(text)}) == admitted
