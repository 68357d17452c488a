"""Small text helpers shared by the core: sentences with their character offsets."""

from __future__ import annotations

import re
from functools import lru_cache

# A sentence ends at . ! ? or … followed by a space or the end of the text — unless the
# dot closes a common abbreviation or time ("Mrs.", "e.g.", "4 p.m."), which does not.
_END = re.compile(r"[.!?…]+(?=\s|$)")
_ABBREVIATION = re.compile(r"\b(?:mr|mrs|ms|dr|st|no|vs|etc|approx|e\.g|i\.e|[ap]\.m)\.$",
                           re.IGNORECASE)


@lru_cache(maxsize=8192)
def sentences(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, sentence) for each sentence, stripped, offsets into ``text``."""
    found: list[tuple[int, int, str]] = []
    start = 0
    for match in _END.finditer(text):
        if _ABBREVIATION.search(text, start, match.end()):
            continue
        _add(found, text, start, match.end())
        start = match.end()
    _add(found, text, start, len(text))
    return tuple(found)


def _add(found: list[tuple[int, int, str]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        begin = start + piece.index(stripped)
        found.append((begin, begin + len(stripped), stripped))


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) containing the span ``start:end``."""
    picked = [s for s_start, s_end, s in sentences(text) if s_start < end and start < s_end]
    return " ".join(picked) if picked else text.strip()


def clip(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
