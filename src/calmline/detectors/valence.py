"""VADER's compound valence, computed the way ``SentimentIntensityAnalyzer.polarity_scores``
computes it, with the same lexicon, constants and arithmetic in the same order.

The library lower-cases the whole turn again for every check around every sentiment
word, which makes a long turn cost quadratic time; here each word is lower-cased once,
a turn without a sentiment word is scored 0.0 at once, and only the compound score is
computed (the one calmline reads). Turns with emoji, which the library first rewrites
into words, are left to the library. A test checks both give the same score on every
sample turn and on generated text.
"""

from __future__ import annotations

import string
from typing import Any

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    allcap_differential,
    negated,
    normalize,
    scalar_inc_dec,
)

_NEVER_BOOST = 1.25  # vader: "never so/this" intensifies
_PUNCTUATION = string.punctuation  # what SentiText strips from the ends of words
_BOOSTER_DICT: dict[str, float] = BOOSTER_DICT
_SPECIAL_CASES: dict[str, float] = SPECIAL_CASES


class Valence:
    """The compound score of a text (-1..1), as VADER gives it."""

    def __init__(self, analyzer: Any) -> None:
        self._analyzer = analyzer
        self._lexicon: dict[str, float] = analyzer.lexicon
        self._emojis: dict[str, str] = analyzer.emojis

    def compound(self, text: str) -> float:
        if not self._emojis.keys().isdisjoint(text):
            return float(self._analyzer.polarity_scores(text)["compound"])
        text = text.strip()
        words = _words(text)
        lowers = [word.lower() for word in words]
        if self._lexicon.keys().isdisjoint(lowers):
            return 0.0  # every word scores 0: so does the turn
        sentiments = self._sentiments(words, lowers)
        if "but" in lowers:
            sentiments = SentimentIntensityAnalyzer._but_check(words, sentiments)
        return _compound(sentiments, text)

    def _sentiments(self, words: list[str], lowers: list[str]) -> list[float]:
        lexicon = self._lexicon
        is_cap_diff = allcap_differential(words)
        last = len(words) - 1
        sentiments: list[float] = []
        for i, lower in enumerate(lowers):
            if lower in _BOOSTER_DICT or lower not in lexicon or (
                    i < last and lower == "kind" and lowers[i + 1] == "of"):
                sentiments.append(0)
            else:
                sentiments.append(self._word_valence(words, lowers, i, is_cap_diff))
        return sentiments

    def _word_valence(self, words: list[str], lowers: list[str], i: int,
                      is_cap_diff: bool) -> float:
        """``sentiment_valence`` for a lexicon word."""
        lexicon = self._lexicon
        lower = lowers[i]
        valence = lexicon[lower]
        if lower == "no" and i != len(words) - 1 and lowers[i + 1] in lexicon:
            valence = 0.0
        if ((i > 0 and lowers[i - 1] == "no") or (i > 1 and lowers[i - 2] == "no")
                or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ["or", "nor"])):
            valence = lexicon[lower] * N_SCALAR
        if words[i].isupper() and is_cap_diff:
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start_i in range(3):
            if i > start_i and lowers[i - (start_i + 1)] not in lexicon:
                s = scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, lowers, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, lowers, i)
        return _least_check(valence, lowers, i, lexicon)


def _words(text: str) -> list[str]:
    """The text's words as ``SentiText`` splits them: punctuation stripped from both ends,
    unless that leaves two characters or fewer (an emoticon such as ":)" stays whole)."""
    words = text.split()
    stripped = [word.strip(_PUNCTUATION) for word in words]
    return [bare if len(bare) > 2 else word for bare, word in zip(stripped, words, strict=True)]


def _negation_check(valence: float, lowers: list[str], start_i: int, i: int) -> float:
    if start_i == 0:
        if negated([lowers[i - 1]]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if lowers[i - 2] == "never" and (lowers[i - 1] == "so" or lowers[i - 1] == "this"):
            valence = valence * _NEVER_BOOST
        elif lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            pass
        elif negated([lowers[i - 2]]):
            valence = valence * N_SCALAR
    elif ((lowers[i - 3] == "never" and (lowers[i - 2] == "so" or lowers[i - 2] == "this"))
          or (lowers[i - 1] == "so" or lowers[i - 1] == "this")):
        valence = valence * _NEVER_BOOST
    elif lowers[i - 3] == "without" and (lowers[i - 2] == "doubt" or lowers[i - 1] == "doubt"):
        pass
    elif negated([lowers[i - 3]]):
        valence = valence * N_SCALAR
    return valence


def _special_idioms_check(valence: float, lowers: list[str], i: int) -> float:
    onezero = f"{lowers[i - 1]} {lowers[i]}"
    twoonezero = f"{lowers[i - 2]} {lowers[i - 1]} {lowers[i]}"
    twoone = f"{lowers[i - 2]} {lowers[i - 1]}"
    threetwoone = f"{lowers[i - 3]} {lowers[i - 2]} {lowers[i - 1]}"
    threetwo = f"{lowers[i - 3]} {lowers[i - 2]}"
    for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if sequence in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[sequence]
            break
    if len(lowers) - 1 > i:
        zeroone = f"{lowers[i]} {lowers[i + 1]}"
        if zeroone in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroone]
    if len(lowers) - 1 > i + 1:
        zeroonetwo = f"{lowers[i]} {lowers[i + 1]} {lowers[i + 2]}"
        if zeroonetwo in _SPECIAL_CASES:
            valence = _SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _BOOSTER_DICT:
            valence = valence + _BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence: float, lowers: list[str], i: int, lexicon: dict[str, float]) -> float:
    if i > 1 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        if lowers[i - 2] != "at" and lowers[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence


def _compound(sentiments: list[float], text: str) -> float:
    """``score_valence``'s compound score."""
    if not sentiments:
        return 0.0
    sum_s = float(sum(sentiments))
    emphasis = (SentimentIntensityAnalyzer._amplify_ep(text)
                + SentimentIntensityAnalyzer._amplify_qm(text))
    if sum_s > 0:
        sum_s += emphasis
    elif sum_s < 0:
        sum_s -= emphasis
    return float(round(normalize(sum_s), 4))
