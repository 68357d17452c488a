"""An indexed phrase matcher over token norms.

It runs the same compiled token patterns as spaCy's Matcher (``patterns.compile_pattern``)
and returns the same matches, but indexes every pattern by its first one or two tokens,
so a turn only tries the handful of patterns that can start at each position. With
thousands of patterns and bounded wildcards this is ~20x faster than spaCy's Matcher,
which the live path needs (a test checks both agree).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product
from typing import Any

# A token slot: which norms it accepts (ANY_TOKEN / NUMBER for the special kinds), and
# how many tokens it may consume (minimum, maximum).
ANY_TOKEN = "*any*"
NUMBER = "*num*"
Accept = frozenset[str] | str
Slot = tuple[Accept, int, int]
# (key, slots, words of which one must occur in the turn for the pattern to match —
# the narrowest later required slot; empty when there is none)
Entry = tuple[str, tuple[Slot, ...], frozenset[str]]
# Above this many (first, second) token pairs a pattern is indexed by its first token only.
MAX_BIGRAM_KEYS = 400
_REPEATS = {None: (1, 1), "?": (0, 1), "{,3}": (0, 3)}


def to_slot(token: dict[str, Any]) -> Slot:
    """A slot from one spaCy-style token pattern as ``compile_pattern`` produces it."""
    low, high = _REPEATS[token.get("OP")]
    if "NORM" in token:
        norm = token["NORM"]
        accept: Accept = frozenset(norm["IN"]) if isinstance(norm, dict) else frozenset([norm])
    elif token.get("LIKE_NUM"):
        accept = NUMBER
    else:
        accept = ANY_TOKEN
    return accept, low, high


def anchored(slots: tuple[Slot, ...]) -> Iterator[tuple[Slot, ...]]:
    """Variants of a pattern that each start with a required token (indexable)."""
    if not slots:
        return
    accept, low, _ = slots[0]
    if low > 0:
        yield slots
        return
    if accept != ANY_TOKEN:
        yield from anchored(((accept, 1, 1), *slots[1:]))
    yield from anchored(slots[1:])


class PhraseIndex:
    """Token patterns indexed by their first tokens; ``find`` gives the longest end of
    every match start, per key."""

    def __init__(self) -> None:
        self._bigrams: dict[tuple[str, str], list[Entry]] = {}
        self._unigrams: dict[str, list[Entry]] = {}
        self._numeric: list[Entry] = []

    def add(self, key: str, tokens: list[dict[str, Any]]) -> None:
        for slots in anchored(tuple(to_slot(t) for t in tokens)):
            self._add_variant(key, slots)

    def _add_variant(self, key: str, slots: tuple[Slot, ...]) -> None:
        first = slots[0][0]
        by_pair = _pairable(slots)
        # Words the index lookup already guarantees need no second check.
        checked = slots[2:] if by_pair else slots[1:]
        required = sorted((accept for accept, low, _ in checked
                           if low > 0 and isinstance(accept, frozenset)), key=len)
        # The smallest word set is the likeliest to be missing from a turn: test it first.
        entry = (key, slots, required[0] if required else frozenset())
        if isinstance(first, str):  # NUMBER (ANY_TOKEN never leads an anchored pattern)
            self._numeric.append(entry)
        elif by_pair:
            second = slots[1][0]
            assert isinstance(second, frozenset)
            for pair in product(first, second):
                self._bigrams.setdefault(pair, []).append(entry)
        else:
            for norm in first:
                self._unigrams.setdefault(norm, []).append(entry)

    def find(self, norms: Sequence[str], numeric: Sequence[bool]) -> dict[str, dict[int, int]]:
        """``{key: {start: longest end}}`` over the token sequence."""
        found: dict[str, dict[int, int]] = {}
        present = set(norms)
        unigrams, bigrams, empty = self._unigrams, self._bigrams, ()
        pairs = zip(norms, [*norms[1:], None], strict=False)
        for i, (norm, following) in enumerate(pairs):
            groups = (unigrams.get(norm, empty), bigrams.get((norm, following), empty)
                      if following is not None else empty, self._numeric if numeric[i] else empty)
            for group in groups:
                for key, slots, required in group:
                    if required and present.isdisjoint(required):
                        continue  # a word the pattern needs is nowhere in the turn
                    end = _longest_end(slots, 0, norms, numeric, i)
                    if end > i:
                        starts = found.setdefault(key, {})
                        if end > starts.get(i, -1):
                            starts[i] = end
        return found


def _pairable(slots: tuple[Slot, ...]) -> bool:
    """Whether a pattern is indexed by its first two words."""
    first = slots[0][0]
    if not isinstance(first, frozenset) or len(slots) < 2:
        return False
    accept, low, high = slots[1]
    return (low == high == 1 and isinstance(accept, frozenset)
            and len(first) * len(accept) <= MAX_BIGRAM_KEYS)


def _accepts(accept: Accept, norms: Sequence[str], numeric: Sequence[bool], j: int) -> bool:
    if accept == ANY_TOKEN:
        return True
    if accept == NUMBER:
        return numeric[j]
    return norms[j] in accept


def _longest_end(slots: tuple[Slot, ...], k: int, norms: Sequence[str],
                 numeric: Sequence[bool], i: int) -> int:
    """The furthest token index slots[k:] can reach from ``i`` (-1: no match)."""
    count = len(norms)
    while k < len(slots) and slots[k][1] == slots[k][2] == 1:  # a run of fixed words
        if i >= count or not _accepts(slots[k][0], norms, numeric, i):
            return -1
        i += 1
        k += 1
    if k == len(slots):
        return i
    accept, low, high = slots[k]
    best, j, taken = -1, i, 0
    while True:
        if taken >= low:
            best = max(best, _longest_end(slots, k + 1, norms, numeric, j))
        if taken >= high or j >= count or not _accepts(accept, norms, numeric, j):
            return best
        j += 1
        taken += 1
