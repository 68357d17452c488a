"""A Presidio recognizer for card numbers read out as words: "four one one one, one one …".

Speech-to-text writes digits as words or as figures, in groups, with fillers like commas and
"double four". A run of such words whose digits make a 13–19 digit Luhn-valid number is a
card number. The run may hold more (an expiry or CVV read straight after): then windows of
whole words spelling 15 or 16 digits (American Express; Visa, Mastercard and most others) are
tried, and the longest valid one wins. Only these lengths are tried inside a longer run, since
every extra length tried is another 1-in-10 chance of a Luhn match by accident.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

DIGIT_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
REPEATS = {"double": 2, "triple": 3}
CARD_DIGITS = range(13, 20)
WINDOW_DIGITS = (15, 16)
# Confidence: below the 1.0 Presidio gives a figure-written card, since a Luhn match on spoken
# words is likelier to be chance (a 13+ digit run still has a 1 in 10 chance of passing).
SCORE = 0.85

_WORD = r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|double|triple|oh|o|\d{1,4})\b"
_RUN = re.compile(rf"{_WORD}(?:[\s,.\-]+{_WORD})+", re.IGNORECASE)
_TOKEN = re.compile(_WORD, re.IGNORECASE)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class SpokenCardRecognizer(EntityRecognizer):
    """Card numbers spoken as digit words (mixed with figures), Luhn-checked."""

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=["CREDIT_CARD"], supported_language=supported_language,
                         name="SpokenCardRecognizer")

    def load(self) -> None:
        """Nothing to load: the recognizer is rules only."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                **_: Any) -> list[RecognizerResult]:
        if "CREDIT_CARD" not in entities:
            return []
        found: list[RecognizerResult] = []
        for run in _RUN.finditer(text):
            span = longest_card(run.group(0))
            if span is not None:
                found.append(RecognizerResult("CREDIT_CARD", run.start() + span[0],
                                              run.start() + span[1], SCORE))
        return found


def longest_card(run: str) -> tuple[int, int] | None:
    """The whole run when it spells a valid card number, else its longest valid 15–16 digit window."""
    tokens = _tokens(run)
    whole = "".join(t[2] for t in tokens)
    if len(whole) in CARD_DIGITS and luhn_valid(whole):
        return tokens[0][0], tokens[-1][1]
    best: tuple[int, int] | None = None
    for first in range(len(tokens)):
        digits = ""
        for last in range(first, len(tokens)):
            digits += tokens[last][2]
            if len(digits) > max(WINDOW_DIGITS):
                break
            if len(digits) in WINDOW_DIGITS and luhn_valid(digits) and (
                    best is None or tokens[last][1] - tokens[first][0] > best[1] - best[0]):
                best = (tokens[first][0], tokens[last][1])
    return best


def _tokens(run: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) per word; "double four" is one word spelling "44"."""
    found: list[tuple[int, int, str]] = []
    repeat: tuple[int, int] | None = None
    for match in _TOKEN.finditer(run):
        word = match.group(0).lower()
        if word in REPEATS:
            repeat = (match.start(), REPEATS[word])
            continue
        digits = DIGIT_WORDS.get(word, word)
        start, times = repeat if repeat is not None else (match.start(), 1)
        found.append((start, match.end(), digits * times))
        repeat = None
    return found
