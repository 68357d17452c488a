"""Small text helpers shared by the core: sentences with their character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator

# A sentence runs to . ! ? or … — except the dots of common abbreviations and times
# ("Mrs.", "e.g.", "4 p.m."), which do not end one.
_ABBREVIATION = r"(?:\b(?:mr|mrs|ms|dr|st|no|vs|etc|approx|e\.g|i\.e|[ap]\.m)\.)"
_SENTENCE = re.compile(rf"(?:{_ABBREVIATION}|[^.!?…])+(?:[.!?…]+|$)", re.IGNORECASE)


def sentences(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence, stripped, offsets into ``text``."""
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + raw.index(stripped)
        yield start, start + len(stripped), stripped


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) containing the span ``start:end``."""
    picked = [s for s_start, s_end, s in sentences(text) if s_start < end and start < s_end]
    return " ".join(picked) if picked else text.strip()


def clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
