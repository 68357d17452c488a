"""A turn's tokens as the rule detectors read them: spaCy's tokenization and token
attributes, assembled from a cache of the turn's space-separated words.

spaCy's tokenizer cuts a text at its whitespace and tokenizes each piece on its own;
only its last step, the special cases that contain punctuation ("a.m.", ":)", "'s"), runs
a matcher over the whole token sequence, and that matcher can only join tokens across a
space when the token before the space and the token after it are neighbours in some
special case. So a text whose only whitespace is single spaces, with no such pair at any
space, tokenizes exactly as its words do one by one. Any other text is tokenized whole
by spaCy. A test checks the result equals spaCy's on every sample turn and on generated
text.

A word's tokens are computed once per process. Like spaCy's own tokenizer cache, this
cache is kept across calls (words repeat from call to call; texts do not).
"""

from __future__ import annotations

import itertools
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Bounded so a long-running server does not grow without limit.
_WORD_CACHE_LIMIT = 200_000


class Lexeme(NamedTuple):
    """What a detector reads of one token (spaCy's token attributes of the same name)."""

    text: str
    norm: str
    lower: str
    like_num: bool
    is_alpha: bool
    is_punct: bool
    is_stop: bool


class _Word(NamedTuple):
    """One space-free piece of text as spaCy tokenizes it on its own."""

    lexemes: tuple[Lexeme, ...]
    offsets: tuple[int, ...]  # of each token, from the word's start
    norms: tuple[str, ...]
    numeric: tuple[bool, ...]
    lowers: tuple[str, ...]
    # Tokens a special case could join to this word's last token across a space, and the
    # tokens this word may open with as the special-case matcher sees them.
    followers: frozenset[str]
    heads: frozenset[str]


class TurnTokens:
    """A turn's tokens: their attributes, character offsets, norms and number flags."""

    __slots__ = ("_lexemes", "_lowers", "_starts", "_text", "_words", "norms", "numeric")

    def __init__(self, norms: list[str], numeric: list[bool], lexemes: list[Lexeme] | None = None,
                 starts: list[int] | None = None, words: list[_Word] | None = None,
                 text: str = "") -> None:
        self.norms = norms
        self.numeric = numeric
        self._lexemes = lexemes
        self._lowers: list[str] | None = None
        self._starts = starts
        self._words = words
        self._text = text

    @classmethod
    def of_doc(cls, doc: Doc) -> TurnTokens:
        lexemes = [_lexeme(t) for t in doc]
        return cls([x.norm for x in lexemes], [x.like_num for x in lexemes], lexemes,
                   [t.idx for t in doc])

    def __len__(self) -> int:
        return len(self.norms)

    @property
    def lexemes(self) -> list[Lexeme]:
        if self._lexemes is None:
            self._lexemes = [x for w in self._words or () for x in w.lexemes]
        return self._lexemes

    @property
    def lowers(self) -> list[str]:
        """Each token's lower-case form."""
        if self._lowers is None:
            self._lowers = (list(chain.from_iterable(map(_LOWERS, self._words)))
                            if self._words is not None else [x.lower for x in self.lexemes])
        return self._lowers

    @property
    def starts(self) -> list[int]:
        """The character offset of each token."""
        if self._starts is None:
            places = itertools.accumulate((len(c) + 1 for c in self._text.split(" ")), initial=0)
            self._starts = [at + offset for w, at in zip(self._words or (), places, strict=False)
                            for offset in w.offsets]
        return self._starts

    def end(self, i: int) -> int:
        """The character offset just past token ``i``."""
        return self.starts[i] + len(self.lexemes[i].text)


class WordTokenizer:
    """spaCy's tokenization by ``nlp``, answered word by word from a cache."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._cache: dict[str, _Word] = {}
        # Cached words that may continue a special case from the word before, and words
        # holding a number-like token: most turns have neither, which one set test shows.
        self._joinable: set[str] = set()
        self._numbered: set[str] = set()
        self._affixed, self._followers = _special_cases(nlp)
        self._heads = frozenset(right for rights in self._followers.values() for right in rights)

    def __call__(self, text: str) -> TurnTokens:
        if (not text or not text.isprintable() or "  " in text
                or text[0] == " " or text[-1] == " "):
            # Whitespace other than single spaces between words: spaCy, whole.
            return TurnTokens.of_doc(self._nlp.make_doc(text))
        chunks = text.split(" ")
        words = list(map(self._cache.get, chunks))
        if None in words:
            words = [w or self._learn(c) for w, c in zip(words, chunks, strict=True)]
        known = cast(list[_Word], words)
        if not self._joinable.isdisjoint(chunks) and _joined(known):
            return TurnTokens.of_doc(self._nlp.make_doc(text))  # a special case may span a space
        norms = list(chain.from_iterable(map(_NORMS, known)))
        numeric = (list(chain.from_iterable(map(_NUMERIC, known)))
                   if not self._numbered.isdisjoint(chunks) else [False] * len(norms))
        return TurnTokens(norms, numeric, words=known, text=text)

    def _learn(self, chunk: str) -> _Word:
        doc = self._nlp.make_doc(chunk)
        lexemes = tuple(_lexeme(t) for t in doc)
        # The tokens spaCy's matcher sees at the word's edges: its own, unless the matcher
        # rejoined a special case at an edge, whose first or last piece it saw there.
        firsts = {lexemes[0].text} if lexemes else set()
        lasts = {lexemes[-1].text} if lexemes else set()
        for special, first, last in self._affixed:
            if chunk.startswith(special):
                firsts.add(first)
            if chunk.endswith(special):
                lasts.add(last)
        followers = frozenset(right for left in lasts for right in self._followers.get(left, ()))
        heads = frozenset(firsts) & self._heads
        word = _Word(lexemes, tuple(t.idx for t in doc), tuple(x.norm for x in lexemes),
                     tuple(x.like_num for x in lexemes), tuple(x.lower for x in lexemes),
                     followers, heads)
        if len(self._cache) >= _WORD_CACHE_LIMIT:
            self._cache.clear()
            self._joinable.clear()
            self._numbered.clear()
        self._cache[chunk] = word
        if heads:
            self._joinable.add(chunk)
        if any(word.numeric):
            self._numbered.add(chunk)
        return word


_NORMS = attrgetter("norms")
_NUMERIC = attrgetter("numeric")
_LOWERS = attrgetter("lowers")


def _joined(words: list[_Word]) -> bool:
    """Whether a special case could match across one of the spaces between ``words``."""
    return any(not before.followers.isdisjoint(after.heads)
               for before, after in itertools.pairwise(words))


def _lexeme(t: Token) -> Lexeme:
    return Lexeme(t.text, t.norm_, t.lower_, t.like_num, t.is_alpha, t.is_punct, t.is_stop)


def _special_cases(
    nlp: Language,
) -> tuple[tuple[tuple[str, str, str], ...], dict[str, frozenset[str]]]:
    """The special cases spaCy's matcher looks for across tokens, each with the first and
    last of the pieces the matcher sees (the text cut by the prefix, suffix and infix
    rules alone), and for each such piece, the pieces that follow it in one of them."""
    from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]
    from spacy.vocab import Vocab

    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    bare = Tokenizer(Vocab(), rules={}, prefix_search=tokenizer.prefix_search,
                     suffix_search=tokenizer.suffix_search,
                     infix_finditer=tokenizer.infix_finditer,
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    affixed: list[tuple[str, str, str]] = []
    followers: dict[str, set[str]] = {}
    for special in tokenizer.rules:
        pieces = [t.text for t in bare(special)]
        # spaCy's own test for the special cases its matcher looks for, widened to every
        # special case the affix rules cut.
        if pieces and (len(pieces) > 1 or not tokenizer.faster_heuristics or " " in special
                       or tokenizer.find_prefix(special) or tokenizer.find_suffix(special)
                       or tokenizer.find_infix(special)):
            affixed.append((special, pieces[0], pieces[-1]))
        for left, right in itertools.pairwise(pieces):
            followers.setdefault(left, set()).add(right)
    return tuple(affixed), {left: frozenset(rights) for left, rights in followers.items()}
