"""The cheap checks that let agent detectors skip a turn never skip one the full regex would
have matched, and the lower-cased fast path of a case-insensitive regex finds what the
case-insensitive regex finds, at the same offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calmline.detectors import questions
from calmline.detectors.agent import JARGON_FILE, JargonDetector, compile_terms
from calmline.text import Caseless, ascii_fold

# Characters that case-insensitive matching treats specially, or that sit at word edges.
ODD = ["\u212a", "\u017f", "\u0131", "\u0130", "é", "’", "_", "-", "#", "@", ".", ",", "'", "\u00a0"]
SEPARATORS = [" ", "  ", "-", " - ", "\n", ", ", "/", "(", ")", ""]


def _words_of(source: str) -> list[str]:
    return sorted({w for w in re.split(r"[^A-Za-z0-9]+", source) if w})


JARGON_WORDS = _words_of(JARGON_FILE.read_text(encoding="utf-8"))
ITEM_WORDS = ["account", "order", "number", "no", "id", "email", "e", "mail", "your", "full", "name",
              "who", "am", "i", "speaking", "to", "the", "address", "post", "code", "zip", "date",
              "of", "birth", "dob", "card", "membership", "ref", "spell", "last", "please"]


def _texty(words: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(words), st.sampled_from(words).map(str.upper),
                      st.sampled_from(words).map(str.title), st.sampled_from(ODD), st.text(max_size=3))
    return st.lists(st.tuples(piece, st.sampled_from(SEPARATORS)), max_size=12).map(
        lambda parts: "".join(p + s for p, s in parts))


@pytest.mark.parametrize(("text", "folded"), [
    ("Hello, WORLD-42!", b"hello  world 42 "),
    ("e-mail: ANA@x.com", b"e mail  ana x com"),
    ("Caf\u00e9 \u212aelvin \u017fign", b"caf  kelvin sign"),
    ("", b""),
])
def test_ascii_fold_keeps_only_lower_case_letters_and_digits(text: str, folded: bytes) -> None:
    assert ascii_fold(text) == folded


@settings(max_examples=400, deadline=None)
@given(_texty(JARGON_WORDS))
def test_jargon_precheck_never_skips_a_term(text: str) -> None:
    terms = JargonDetector()._terms
    if terms.regex.search(text):
        assert terms.may_occur(text)


@pytest.mark.parametrize("text", [
    "Your SLA is 4 hours.", "the pre-auth hold", "PRE AUTH hold", "it's an ONT fault",
    "tier\u00a02 support", "the \u017fync job ran", "our back-end team", "(RMA)",
])
def test_jargon_precheck_lets_terms_through(text: str) -> None:
    terms = JargonDetector()._terms
    assert terms.regex.search(text)
    assert terms.may_occur(text)


@pytest.mark.parametrize("text", ["Your refund is on its way.", "Thanks for waiting.", "I'll call you back."])
def test_jargon_precheck_skips_turns_without_terms(text: str) -> None:
    assert not JargonDetector()._terms.may_occur(text)


def test_jargon_terms_that_are_not_words_turn_the_precheck_off() -> None:
    terms = compile_terms(["SLA", "e.g. code"], 0.5)
    assert terms.always and terms.may_occur("nothing here")
    assert not compile_terms(["SLA"], 0.5).may_occur("nothing here")


@settings(max_examples=400, deadline=None)
@given(_texty(ITEM_WORDS))
def test_detail_precheck_never_skips_a_request(text: str) -> None:
    if questions._ITEM_ASK.search(text):
        assert not questions._ITEM_WORDS.isdisjoint(ascii_fold(text).split())


CASELESS = [questions._ITEM_ASK, questions._ASK_CUE, questions._QUESTION_START,
            questions._OPEN_QUESTION, questions._RHETORICAL, questions._CLOSED_WH]


@settings(max_examples=300, deadline=None)
@given(_texty([*ITEM_WORDS, "what", "how", "why", "can", "you", "tell", "me", "do", "so", "would"]))
def test_caseless_matches_like_ignorecase(text: str) -> None:
    for caseless in CASELESS:
        general = caseless._general
        assert [m.span() for m in caseless.finditer(text)] == [m.span() for m in general.finditer(text)]
        assert bool(caseless.match(text)) == bool(general.match(text))


def test_caseless_refuses_upper_case_patterns() -> None:
    with pytest.raises(ValueError, match="lower case"):
        Caseless(r"\bSLA\b")
    assert Caseless(r"(?P<word>\w+)\b").search("Hi")
