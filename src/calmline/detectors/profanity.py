"""The alt-profanity-check model, evaluated directly.

The package ships a TF-IDF vectorizer and a calibrated linear SVM (five folds, each
with a sigmoid calibration). Its ``predict_prob`` spends ~5 ms per call in scikit-learn's
input validation; for one short turn the arithmetic is microseconds. This module reads
the same shipped weights once and computes the same probability in pure Python (a test
checks it against ``predict_prob``), so the live path can afford it on every turn.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class _Fold:
    intercept: float
    slope: float  # sigmoid calibration: p = 1 / (1 + exp(slope * decision + offset))
    offset: float


class ProfanityModel:
    """Probability that a text is offensive, from alt-profanity-check's weights."""

    def __init__(self, vectorizer: Any, calibrated: Any) -> None:
        self._analyze: Callable[[str], list[str]] = vectorizer.build_analyzer()
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
        weights = self._tfidf(text)
        norm = math.sqrt(sum(w * w for w, _ in weights))
        total = 0.0
        for k, fold in enumerate(self._folds):
            decision = fold.intercept
            if norm:
                decision += sum(w * coefs[k] for w, coefs in weights) / norm
            total += _sigmoid(fold.slope * decision + fold.offset)
        return total / len(self._folds)

    def _tfidf(self, text: str) -> list[tuple[float, tuple[float, ...]]]:
        counts = Counter(self._analyze(text))
        found = []
        for term, count in counts.items():
            entry = self._terms.get(term)
            if entry is not None:
                found.append((count * entry[0], entry[1]))
        return found


def _sigmoid(z: float) -> float:
    """1 / (1 + e^z), computed without overflow."""
    if z >= 0:
        e = math.exp(-z)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(z))
