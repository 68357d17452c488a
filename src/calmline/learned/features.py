"""What a learned detector sees in one turn: the words and word pairs of the turn,
the labels the rules found in it, and what the other side said just before.

Pure functions over strings; the same features at training time and live (where
``FeatureRows`` gives them as a model's vocabulary rows). The previous turn matters:
"that must be awful" is empathy after a customer's bad news, and a restatement only
acknowledges what the customer actually said.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

# Words of the previous turn that a restatement could reuse: not these.
_STOPWORD_TEXT = """a about after again all am an and any are as at be been being but by can
could did do does doing don for from had has have having he her here him his how i if in
into is it its it's just me my no not now of on once only or our out over own same she so
some such than that the their them then there these they this those to too up very was we
were what when where which while who why will with would you your yours yeah yes ok okay
um uh oh hi hello please thanks thank well like get got"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Cumulative steps of the profanity probability, so the model can learn its own cut.
PROFANITY_STEPS = (0.2, 0.4, 0.6, 0.8, 0.9)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Bounded so a long-running server does not grow without limit.
_ROW_CACHE_LIMIT = 200_000

def words_of(text: str) -> list[str]:
    """Lower-cased words of a text (a cheap stand-in for token norms)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of a text that carry content (for restatement overlap)."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2)


def turn_features(
    norms: Sequence[str],
    rule_labels: Iterable[str],
    previous_text: str | None,
    previous_labels: Iterable[str],
    profanity: float | None = None,
) -> list[str]:
    """Feature names for one turn.

    ``norms``: the turn's token norms (lower-cased, contractions expanded);
    ``rule_labels``: labels the rules found in the turn; ``previous_text`` and
    ``previous_labels``: the nearest earlier turn of the other side, if any;
    ``profanity``: the offensive-language probability of the turn, where known.
    """
    # Character n-grams were tried and left out: they fit the training domain's
    # vocabulary and lost F1 both on the corpus dev split and across corpora.
    words = _words(norms)
    features = [f"w:{w}" for w in words]
    features += [f"b:{a} {b}" for a, b in itertools.pairwise(norms)]
    features += _context(norms, words, rule_labels, previous_text, previous_labels, profanity)
    return features


def _words(norms: Sequence[str]) -> list[str]:
    return [n for n in norms if n[:1].isalnum()]


def _context(norms: Sequence[str], words: Sequence[str], rule_labels: Iterable[str],
             previous_text: str | None, previous_labels: Iterable[str],
             profanity: float | None) -> list[str]:
    """The features after the words and word pairs: rules, shape, previous turn, profanity."""
    # Sorted: the labels come in sets, whose order changes with the process's hash seed, and
    # the order of the sums decides the last bits of a probability.
    features = [f"r:{label}" for label in sorted(rule_labels)]
    features += _shape(norms, words)
    features += _previous(words, previous_text, previous_labels)
    if profanity is not None:
        features += [f"prof:{step}" for step in PROFANITY_STEPS if profanity >= step]
    return features


class FeatureRows:
    """``turn_features`` looked up in a model's vocabulary: the rows of the features it
    knows, in the same order (so the same sums), without building and hashing a name for
    every word and word pair of every turn. Each word's and word pair's row is looked up
    once and remembered; like the tokenizer's word cache, this is kept across calls."""

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self._vocabulary = vocabulary
        self._words: dict[str, int] = {}  # word -> row, or -1 where unknown
        self._pairs: dict[tuple[str, str], int] = {}  # (word, next word) -> row, or -1

    def __call__(self, norms: Sequence[str], rule_labels: Iterable[str],
                 previous_text: str | None, previous_labels: Iterable[str],
                 profanity: float | None = None) -> list[int]:
        """The known rows of ``turn_features(...)`` with the same arguments, in order."""
        if len(self._words) + len(self._pairs) >= _ROW_CACHE_LIMIT:
            self._words.clear()
            self._pairs.clear()
        words = _words(norms)
        rows = self._word_rows(words)
        rows += self._pair_rows(norms)
        found = map(self._vocabulary.get, _context(norms, words, rule_labels, previous_text,
                                                   previous_labels, profanity))
        rows += [i for i in found if i is not None]
        return rows

    def _word_rows(self, words: list[str]) -> list[int]:
        remembered = self._words
        rows = list(map(remembered.get, words))
        if None in rows:
            rows = [self._learn_word(w) if r is None else r for r, w in zip(rows, words, strict=True)]
        return [r for r in rows if r is not None and r >= 0]

    def _pair_rows(self, norms: Sequence[str]) -> list[int]:
        remembered = self._pairs
        rows = list(map(remembered.get, itertools.pairwise(norms)))
        if None in rows:
            rows = [self._learn_pair(pair) if r is None else r
                    for r, pair in zip(rows, itertools.pairwise(norms), strict=True)]
        return [r for r in rows if r is not None and r >= 0]

    def _learn_word(self, word: str) -> int:
        row = self._words[word] = self._vocabulary.get(f"w:{word}", -1)
        return row

    def _learn_pair(self, pair: tuple[str, str]) -> int:
        row = self._pairs[pair] = self._vocabulary.get(f"b:{pair[0]} {pair[1]}", -1)
        return row


def _shape(norms: Sequence[str], words: Sequence[str]) -> list[str]:
    shape = [f"len:{min(len(words) // 4, 8)}", f"first:{norms[0] if norms else ''}"]
    if "?" in norms:
        shape.append("has:?")
    if norms and norms[-1] == "?":
        shape.append("ends:?")
    return shape


def _previous(words: Sequence[str], previous_text: str | None,
              previous_labels: Iterable[str]) -> list[str]:
    if previous_text is None:
        return ["prev:none"]
    features = [f"prev:{label}" for label in sorted(previous_labels)]
    before = content_words(previous_text)
    reused = before.intersection(w for w in words if len(w) > 2)
    features.append(f"reuse:{min(len(reused), 4)}")
    return features
