"""An indexed phrase matcher over token norms.

It runs the same compiled token patterns as spaCy's Matcher (``patterns.compile_pattern``)
and returns the same matches, but indexes every pattern by its first one or two tokens,
so a turn only tries the handful of patterns that can start at each position. With
thousands of patterns and bounded wildcards this is ~20x faster than spaCy's Matcher,
which the live path needs (a test checks both agree).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

# A token slot: which norms it accepts (ANY_TOKEN / NUMBER for the special kinds), and
# how many tokens it may consume (minimum, maximum).
ANY_TOKEN = "*any*"
NUMBER = "*num*"
Accept = frozenset[str] | str
Slot = tuple[Accept, int, int]
# A pattern as the index files it: (key, the slots after those its lookup already checked,
# the word sets it needs somewhere in the turn — one word of each, narrowest first —, and
# the rest as plain word sets when every slot is exactly one word, else None).
Entry = tuple[str, tuple[Slot, ...], tuple[frozenset[str], ...], tuple[frozenset[str], ...] | None]
# Patterns filed under the same first words, grouped by their narrowest needed word set
# (None: they need none), each with the rest of what it needs: (key, rest, other needed
# word sets, plain word sets or None).
Tried = tuple[str, tuple[Slot, ...], tuple[frozenset[str], ...], tuple[frozenset[str], ...] | None]
Group = tuple[tuple[frozenset[str] | None, tuple[Tried, ...]], ...]
# Above this many (first, second) token pairs a pattern is indexed by its first token only.
MAX_BIGRAM_KEYS = 400
_REPEATS = {None: (1, 1), "?": (0, 1), "{,3}": (0, 3)}
_EMPTY: tuple[Entry, ...] = ()


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
    every match start, per key.

    A pattern is filed under its first word, or under its first two when the second is
    a plain word too; lookup guarantees those, so only the slots after them are tried,
    and only when each word set the pattern cannot match without has a word in the turn.
    """

    def __init__(self) -> None:
        # first norm -> (patterns checked from the second token, second norm -> patterns
        # checked from the third token)
        self._firsts: dict[str, tuple[list[Entry], dict[str, list[Entry]]]] = {}
        self._numeric: list[Entry] = []  # patterns that open with a number
        self._grouped: tuple[dict[str, tuple[Group, dict[str, Group]]], Group] | None = None

    def add(self, key: str, tokens: list[dict[str, Any]]) -> None:
        for slots in anchored(tuple(to_slot(t) for t in tokens)):
            self._add_variant(key, slots)
        self._grouped = None

    def _add_variant(self, key: str, slots: tuple[Slot, ...]) -> None:
        first = slots[0][0]
        by_pair = _pairable(slots)
        rest = slots[2:] if by_pair else slots[1:]
        entry = _entry(key, rest)
        if isinstance(first, str):  # NUMBER (ANY_TOKEN never leads an anchored pattern)
            self._numeric.append(entry)
        elif by_pair:
            second = slots[1][0]
            assert isinstance(second, frozenset)
            for norm in first:
                pairs = self._firsts.setdefault(norm, ([], {}))[1]
                for following in second:
                    pairs.setdefault(following, []).append(entry)
        else:
            for norm in first:
                self._firsts.setdefault(norm, ([], {}))[0].append(entry)

    def _groups(self) -> tuple[dict[str, tuple[Group, dict[str, Group]]], Group]:
        if self._grouped is None:
            self._grouped = ({norm: (_group(singles), {following: _group(entries)
                                                       for following, entries in pairs.items()})
                              for norm, (singles, pairs) in self._firsts.items()},
                             _group(self._numeric))
        return self._grouped

    def find(self, norms: Sequence[str], numeric: Sequence[bool]) -> dict[str, dict[int, int]]:
        """``{key: {start: longest end}}`` over the token sequence."""
        found: dict[str, dict[int, int]] = {}
        present = set(norms)
        firsts, by_number = self._groups()
        last = len(norms) - 1
        for i, filed in [(i, f) for i, f in enumerate(map(firsts.get, norms)) if f is not None]:
            singles, pairs = filed
            if singles:
                _try(singles, i, i + 1, norms, numeric, present, found)
            if pairs and i < last:
                group = pairs.get(norms[i + 1])
                if group:
                    _try(group, i, i + 2, norms, numeric, present, found)
        if by_number and any(numeric):
            for i in [i for i, number in enumerate(numeric) if number]:
                _try(by_number, i, i + 1, norms, numeric, present, found)
        return found


def _entry(key: str, rest: tuple[Slot, ...]) -> Entry:
    # The narrowest word set is the likeliest to be missing from a turn: test it first.
    needed = sorted({accept for accept, low, _ in rest if low > 0 and isinstance(accept, frozenset)},
                    key=len)
    words = tuple(accept for accept, _, _ in rest if isinstance(accept, frozenset))
    plain = all(low == high == 1 for _, low, high in rest) and len(words) == len(rest)
    return key, rest, tuple(needed), words if plain else None


def _group(entries: list[Entry]) -> Group:
    """``entries`` by their narrowest needed word set, so a turn tests each set once."""
    grouped: dict[frozenset[str] | None, list[Tried]] = {}
    for key, rest, needed, words in entries:
        grouped.setdefault(needed[0] if needed else None, []).append(
            (key, rest, needed[1:], words))
    return tuple((gate, tuple(tried)) for gate, tried in grouped.items())


def _try(group: Group, start: int, i: int, norms: Sequence[str], numeric: Sequence[bool],
         present: set[str], found: dict[str, dict[int, int]]) -> None:
    """Match the patterns of ``group`` whose first tokens matched ``norms[start:i]``."""
    count = len(norms)
    isdisjoint = present.isdisjoint
    for gate, tried in group:
        if gate is not None and isdisjoint(gate):
            continue  # a word these patterns need is nowhere in the turn
        for key, rest, needed, words in tried:
            if needed and any(map(isdisjoint, needed)):
                continue
            if words is not None:
                end = i + len(words)
                if end > count or not all(map(frozenset.__contains__, words, norms[i:end])):
                    continue
            else:
                end = _longest_end(rest, 0, norms, numeric, i)
                if end < 0:
                    continue
            starts = found.setdefault(key, {})
            if end > starts.get(start, -1):
                starts[start] = end


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
