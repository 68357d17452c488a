"""The alt-profanity-check model, evaluated directly.

The package ships a TF-IDF vectorizer and a calibrated linear SVM (five folds, each
with a sigmoid calibration). Its ``predict_prob`` spends ~5 ms per call in scikit-learn's
input validation; for one short turn the arithmetic is microseconds. This module reads
the same shipped weights once and computes the same probability in pure Python (a test
checks it against ``predict_prob``), so the live path can afford it on every turn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from operator import mul
from typing import Any


@dataclass(frozen=True, slots=True)
class _Fold:
    intercept: float
    slope: float  # sigmoid calibration: p = 1 / (1 + exp(slope * decision + offset))
    offset: float


class ProfanityModel:
    """Probability that a text is offensive, from alt-profanity-check's weights."""

    def __init__(self, vectorizer: Any, calibrated: Any) -> None:
        # A term the model does not know weighs nothing: when no stop word is in the
        # vocabulary, dropping them first changes nothing, so only the words are found.
        known_only = vectorizer.get_stop_words() is None or vectorizer.get_stop_words().isdisjoint(
            vectorizer.vocabulary_)
        self._analyze: Callable[[str], list[str]] = (
            _word_analyzer(vectorizer, keep_stop_words=known_only) or vectorizer.build_analyzer())
        idf = vectorizer.idf_
        folds = calibrated.calibrated_classifiers_
        self._folds = tuple(_Fold(float(f.estimator.intercept_[0]), float(f.calibrators[0].a_),
                                  float(f.calibrators[0].b_)) for f in folds)
        coefs = [f.estimator.coef_[0] for f in folds]
        self._terms: dict[str, tuple[float, tuple[float, ...]]] = {
            term: (float(idf[col]), tuple(float(c[col]) for c in coefs))
            for term, col in vectorizer.vocabulary_.items()
        }

    @classmethod
    def shipped(cls) -> ProfanityModel:
        """The model as the alt-profanity-check package ships it."""
        from profanity_check import profanity_check

        return cls(profanity_check.vectorizer, profanity_check.model)

    def probability(self, text: str) -> float:
        weights, columns = self._tfidf(text)
        # Sums run over the terms in the same order as ever: the same floats, bit for bit.
        norm = math.sqrt(sum(map(mul, weights, weights)))
        total = 0.0
        for k, fold in enumerate(self._folds):
            decision = fold.intercept
            if norm:
                decision += sum(map(mul, weights, columns[k])) / norm
            total += _sigmoid(fold.slope * decision + fold.offset)
        return total / len(self._folds)

    def _tfidf(self, text: str) -> tuple[list[float], list[tuple[float, ...]]]:
        """Each known term's tf-idf weight, and each fold's coefficients for those terms."""
        terms = self._terms
        found = [(count, entry) for term, count in Counter(self._analyze(text)).items()
                 if (entry := terms.get(term)) is not None]
        weights = [count * idf for count, (idf, _) in found]
        return weights, list(zip(*(coefs for _, (_, coefs) in found), strict=True))


def _word_analyzer(vectorizer: Any, *, keep_stop_words: bool = False
                   ) -> Callable[[str], list[str]] | None:
    """scikit-learn's word analyzer for the shipped settings, without its layers of calls
    (lower-case, find tokens, drop stop words unless ``keep_stop_words``); None for any
    other settings."""
    shipped = {"analyzer": "word", "input": "content", "lowercase": True, "preprocessor": None,
               "tokenizer": None, "strip_accents": None, "ngram_range": (1, 1)}
    if any(getattr(vectorizer, name, None) != value for name, value in shipped.items()):
        return None
    find = re.compile(vectorizer.token_pattern).findall
    stop_words = vectorizer.get_stop_words()
    if keep_stop_words or not stop_words:
        return lambda text: find(text.lower())

    def analyze(text: str) -> list[str]:
        return [word for word in find(text.lower()) if word not in stop_words]

    return analyze


def _sigmoid(z: float) -> float:
    """1 / (1 + e^z), computed without overflow."""
    if z >= 0:
        e = math.exp(-z)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(z))
