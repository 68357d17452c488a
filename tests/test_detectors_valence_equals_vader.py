"""calmline's VADER compound score equals the library's ``polarity_scores`` on every
sample-call turn, on the library's own tricky constructions and on generated text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

from calmline.detectors.valence import Valence
from calmline.formats import read_conversation

from .conftest import SAMPLE_CALLS

VADER = SentimentIntensityAnalyzer()
OURS = Valence(VADER)
LEXICON = sorted(VADER.lexicon)
CUES = ["no", "not", "never", "so", "this", "without", "doubt", "least", "at", "very", "but", "kind",
        "of", "or", "nor", "the", "shit", "bomb", "yeah", "right", "kiss", "death", "to", "die", "for",
        "bad", "ass", "bus", "stop", "beating", "heart", "sort", "just", "enough", "cut", "mustard",
        *NEGATE[::3], *list(BOOSTER_DICT)[::4], "!", "!!!", "?", "??", "????", ":)", ":(", ":-D",
        "'", "...", "😀", "😡", "é", "\u212a", "ſ", "N'T", "isn't."]


def _assert_equal(text: str) -> None:
    assert OURS.compound(text) == float(VADER.polarity_scores(text)["compound"]), text


def test_every_sample_turn_scores_as_vader_does() -> None:
    for path in SAMPLE_CALLS:
        for turn in read_conversation(path).turns:
            _assert_equal(turn.text)


@pytest.mark.parametrize("text", [
    "", "   ", "ok", "not bad", "NOT BAD at all", "no no no", "no problem", "never so happy",
    "never this good", "without doubt the best", "at least it works", "the least helpful",
    "very least", "good but terrible", "bad but good but bad", "kind of good", "sort of bad",
    "yeah right", "the shit", "it's kind of bad", "I LOVE it, I HATE it", "GREAT!!!", "awful???",
    "😀 great", "so 😡", "not the bomb", "no or nor good", "good, good, good!",
])
def test_tricky_constructions_score_as_vader_does(text: str) -> None:
    _assert_equal(text)


_WORD = st.sampled_from(LEXICON) | st.sampled_from(CUES) | st.text(max_size=3)
_CASED = st.tuples(_WORD, st.sampled_from([str, str.upper, str.title])).map(lambda w: w[1](w[0]))


@settings(max_examples=800, deadline=None)
@given(st.lists(_CASED, max_size=24), st.sampled_from(["", ".", "!", "!!", "?", "??", "???", "!?"]))
def test_generated_text_scores_as_vader_does(words: list[str], end: str) -> None:
    _assert_equal(" ".join(words) + end)
