"""What a learned detector sees in one turn: the words and word pairs of the turn,
the labels the rules found in it, and what the other side said just before.

Pure functions over strings; the same features at training time and live. The
previous turn matters: "that must be awful" is empathy after a customer's bad news,
and a restatement only acknowledges what the customer actually said.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
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
    words = [n for n in norms if n[:1].isalnum()]
    features = [f"w:{w}" for w in words]
    features += [f"b:{a} {b}" for a, b in itertools.pairwise(norms)]
    features += [f"r:{label}" for label in rule_labels]
    features += _shape(norms, words)
    features += _previous(words, previous_text, previous_labels)
    if profanity is not None:
        features += [f"prof:{step}" for step in PROFANITY_STEPS if profanity >= step]
    return features


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
    features = [f"prev:{label}" for label in previous_labels]
    before = content_words(previous_text)
    reused = before.intersection(w for w in words if len(w) > 2)
    features.append(f"reuse:{min(len(reused), 4)}")
    return features
