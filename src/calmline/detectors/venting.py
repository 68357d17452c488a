"""Venting: a long customer turn carrying strong negative feeling.

Feeling words live in ``lexicons/customer.yaml`` (section ``venting_cues``).
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from calmline.conversation import Role
from calmline.detectors.base import TurnContext, make_signal
from calmline.detectors.context import SHOUTING
from calmline.detectors.customer import CUSTOMER_LEXICON, lower_words, read_section
from calmline.signals import Signal

if TYPE_CHECKING:
    from calmline.detectors.tokens import Lexeme

# ~15 seconds of speech at a typical 150-180 words per minute: long enough to be a monologue.
VENT_MIN_WORDS = 40
# VADER compound at or below this reads as clearly negative (VADER's own cut-off is -0.05;
# long complaints with a polite word or two still land well below -0.4).
VENT_VALENCE_MAX = -0.4
# Two or more feeling words ("fed up", "disgrace") that VADER under-weights also make a vent.
VENT_CUE_MIN = 2
# Shouting or several exclamations make a mildly negative long turn a vent too.
VENT_INTENSITY_MIN = 2
VENT_INTENSE_VALENCE_MAX = -0.1
# Above this the turn reads as content overall (a story that ends in thanks), not a vent.
VENT_POSITIVE_MAX = 0.3
# A feeling word preceded by a negation this close is not counted ("not angry").
VENT_NEGATION_WINDOW = 3
VENT_BASE_SCORE = 0.55


class VentingDetector:
    """A long customer turn full of feeling: the customer needs to be heard before being
    helped, so the agent should listen rather than interrupt or jump to a fix."""

    name: str = "customer.venting"
    labels: tuple[str, ...] = ("venting",)
    roles: frozenset[Role] = frozenset({Role.CUSTOMER})

    def __init__(self, lexicon_path: Path = CUSTOMER_LEXICON) -> None:
        self.lexicon_path = lexicon_path

    @cached_property
    def _cues(self) -> tuple[frozenset[str], frozenset[str]]:
        raw = read_section(self.lexicon_path, "venting_cues")
        return lower_words(raw["emotion_words"]), lower_words(raw["negations"])

    def detect(self, context: TurnContext) -> list[Signal]:
        # Words are a subset of tokens: counting tokens first spares most turns the word list.
        tokens = context.tokens
        if len(tokens) < VENT_MIN_WORDS or len(at := context.word_indices) < VENT_MIN_WORDS:
            return []
        valence = context.resources.valence(context.text)
        lexemes = tokens.lexemes
        feeling = self._feeling_words([lexemes[i] for i in at])
        if not _is_emotional(valence, feeling, _intensity(context.text)):
            return []
        strength = max(-valence, min(1.0, feeling / (2 * VENT_CUE_MIN)))
        score = min(0.95, VENT_BASE_SCORE + 0.4 * strength)
        return [make_signal(context, "venting", score, tokens.starts[at[0]], tokens.end(at[-1]),
                            self.name)]

    def _feeling_words(self, words: list[Lexeme]) -> int:
        """Feeling words with no negation just before them."""
        emotions, negations = self._cues
        count = 0
        for i, word in enumerate(words):
            before = words[max(0, i - VENT_NEGATION_WINDOW): i]
            if word.lower in emotions and not any(w.norm in negations for w in before):
                count += 1
        return count


def _intensity(text: str) -> int:
    """Exclamation runs plus shouted stretches: how loudly the turn is delivered."""
    return len(re.findall(r"!+", text)) + len(SHOUTING.findall(text))


def _is_emotional(valence: float, feeling: int, intensity: int) -> bool:
    if valence > VENT_POSITIVE_MAX:
        return False
    if valence <= VENT_VALENCE_MAX or feeling >= VENT_CUE_MIN:
        return True
    return intensity >= VENT_INTENSITY_MIN and valence <= VENT_INTENSE_VALENCE_MAX
