"""Shared, cached text resources: the tokenizer, VADER valence and the profanity
model. Built once per process; expensive calls are cached by text so batch warm-up
and per-turn calls give identical numbers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from calmline.detectors.profanity import ProfanityModel
from calmline.detectors.tokens import TurnTokens, WordTokenizer
from calmline.detectors.valence import Valence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Bounded so a long-running server does not grow without limit.
_CACHE_LIMIT = 50_000


class Resources:
    """Lazily loaded models shared by all detectors."""

    def __init__(self) -> None:
        self._valence: dict[str, float] = {}
        self._profanity: dict[str, float] = {}

    @cached_property
    def nlp(self) -> Language:
        import spacy

        return spacy.blank("en")

    @cached_property
    def _vader(self) -> Any:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer()

    def clear_caches(self) -> None:
        """Forget cached scores (benchmarks use this so repeats are not free)."""
        self._valence.clear()
        self._profanity.clear()

    def tokenize(self, text: str) -> Doc:
        return self.nlp.make_doc(text)

    @cached_property
    def _word_tokenizer(self) -> WordTokenizer:
        return WordTokenizer(self.nlp)

    def tokens(self, text: str) -> TurnTokens:
        """The token attributes the rule detectors read: the same as ``tokenize``'s,
        assembled word by word from a cache (``detectors/tokens.py``)."""
        return self._word_tokenizer(text)

    @cached_property
    def _valence_model(self) -> Valence:
        return Valence(self._vader)

    def valence(self, text: str) -> float:
        """VADER compound score in -1..1."""
        cached = self._valence.get(text)
        if cached is None:
            cached = self._valence_model.compound(text)
            _remember(self._valence, text, cached)
        return cached

    def profanity(self, text: str) -> float:
        """Probability that ``text`` is offensive, from alt-profanity-check."""
        cached = self._profanity.get(text)
        if cached is None:
            self.warm_profanity([text])
            cached = self._profanity[text]
        return cached

    @cached_property
    def _profanity_model(self) -> ProfanityModel:
        return ProfanityModel.shipped()

    def warm_profanity(self, texts: Iterable[str]) -> None:
        """Score texts ahead of detection (the same numbers as one at a time)."""
        for text in texts:
            if text not in self._profanity:
                _remember(self._profanity, text, self._profanity_model.probability(text))


def _remember(cache: dict[str, float], key: str, value: float) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


_SHARED: Resources | None = None


def shared_resources() -> Resources:
    """The process-wide Resources instance."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Resources()
    return _SHARED
