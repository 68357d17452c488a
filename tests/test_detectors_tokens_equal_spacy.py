"""The word-cached tokens the rule detectors read equal spaCy's tokenization of the whole
turn — every token's text, offset, norm and flags — on every sample-call turn, on turns
built from spaCy's own special cases, and on generated text."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from calmline.detectors.tokens import TurnTokens, WordTokenizer
from calmline.formats import read_conversation

from .conftest import SAMPLE_CALLS

NLP = spacy.blank("en")
WORDS = WordTokenizer(NLP)
SPECIAL_CASES = sorted(NLP.tokenizer.rules)  # type: ignore[union-attr]
PIECES = [*SPECIAL_CASES[::7], "I'm", "im", "u", "ur", "don't", "can't", "it's", "'s", "s", ".", ":",
          ")", "(", "-", "a.m.", "4pm", "10", "1st", "twenty-one", "$12.50", "e-mail", "f***",
          "sh#t", "STFU", "é", "naïve", "ſ", "\u212a", "’", "I’m", "http://x.co/a?b=1", "a@b.com",
          "...", "?!", "😀", "\u200b", "\u00a0", "\t", "\n", "  ", "#", "--", '"']


def _attributes(tokens: TurnTokens) -> list[tuple[object, ...]]:
    return [(*lexeme, start, tokens.end(i), norm, numeric, lower)
            for i, (lexeme, start, norm, numeric, lower) in enumerate(zip(
                tokens.lexemes, tokens.starts, tokens.norms, tokens.numeric, tokens.lowers,
                strict=True))]


def _assert_equal(text: str) -> None:
    assert _attributes(WORDS(text)) == _attributes(TurnTokens.of_doc(NLP.make_doc(text))), text


def _sample_texts() -> list[str]:
    return [t.text for path in SAMPLE_CALLS for t in read_conversation(path).turns]


def test_every_sample_turn_tokenizes_as_spacy_does() -> None:
    for text in _sample_texts():
        _assert_equal(text)


@pytest.mark.parametrize("text", [
    "", " ", "a", "I'm fine", "it 's", "call me at 4 p.m. today", "4 a.m .", ": )", "( :", "' s",
    "Mr . Smith", "e.g. this", "e.g . this", "10a.m. or 10 a.m.", ":) :( ;)", "(*_*) ( *_* )",
    "two  spaces", " leading", "trailing ", "tab\there", "line\nbreak", "nbsp\u00a0here",
])
def test_edge_texts_tokenize_as_spacy_does(text: str) -> None:
    _assert_equal(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=10),
       st.lists(st.sampled_from([" ", " ", " ", "", "  ", "\n"]), max_size=10))
def test_generated_text_tokenizes_as_spacy_does(pieces: list[str], gaps: list[str]) -> None:
    _assert_equal("".join(p + g for p, g in zip(pieces, gaps + [" "] * len(pieces), strict=False)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SPECIAL_CASES), min_size=2, max_size=5))
def test_special_cases_side_by_side_tokenize_as_spacy_does(specials: list[str]) -> None:
    _assert_equal(" ".join(specials))
    _assert_equal("".join(specials))
