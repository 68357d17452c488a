"""Lexicon patterns: a compact phrase language compiled to spaCy Matcher token patterns
(run by the indexed matcher in ``matcher.py``).

A pattern is words separated by spaces, matched on spaCy's token NORM, so "I'm",
"I am" and "I’m" are one pattern. Per word:

- ``a|b|c``  any of these (each alternative may be several words: ``so|very much``)
- ``word?``  optional
- ``*``      up to three arbitrary tokens
- ``#num``   a number-like token

Lexicons are YAML data files (``detectors/lexicons/*.yaml``), not code.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from calmline.detectors.matcher import PhraseIndex
from calmline.detectors.tokens import TurnTokens
from calmline.errors import CalmlineError, ErrorCode

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LEXICON_DIR = Path(__file__).parent / "lexicons"

# Informal and speech-to-text spellings that spaCy leaves as their own norm.
_NORM_ALIASES: dict[str, tuple[str, ...]] = {
    "am": ("m",),
    "you": ("u", "ya", "yu"),
    "are": ("r", "re"),
    "not": ("nt",),
    "your": ("ur", "yr"),
    "because": ("cause", "cuz", "coz"),
    "okay": ("ok", "k"),
    "please": ("pls", "plz"),
}
_WILDCARD: dict[str, Any] = {"OP": "{,3}"}
_MAX_EXPANSIONS = 2048


@dataclass(frozen=True, slots=True)
class LabelLexicon:
    """One label's patterns and the patterns that veto a match they overlap."""

    label: str
    score: float
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()


def load_lexicon(path: Path) -> list[LabelLexicon]:
    """Read a lexicon file: ``{labels: {label: {score, patterns, exclude}}}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CalmlineError(f"cannot read lexicon: {exc}", source=str(path),
                            code=ErrorCode.E001_UNREADABLE) from exc
    labels = (data or {}).get("labels") or {}
    return [
        LabelLexicon(
            label=name,
            score=float(spec.get("score", 0.8)),
            patterns=tuple(spec.get("patterns") or ()),
            exclude=tuple(spec.get("exclude") or ()),
        )
        for name, spec in labels.items()
    ]


def _slot_alternatives(word: str) -> tuple[list[str], bool]:
    """The alternatives of one slot, and whether the slot is optional."""
    optional = word.endswith("?") and len(word) > 1
    core = word[:-1] if optional else word
    return [alt.replace("_", " ") for alt in core.split("|")], optional


def _norms(nlp: Language, phrase: str) -> list[str]:
    if phrase == "#num":
        return [phrase]
    return [t.norm_ for t in nlp.make_doc(phrase)]


def _token_spec(norms: list[str], optional: bool = False) -> dict[str, Any]:
    """One Matcher token matching any of ``norms`` (with informal aliases)."""
    if norms == ["#num"]:
        spec: dict[str, Any] = {"LIKE_NUM": True}
    else:
        allowed = sorted({a for n in norms for a in (n, *_NORM_ALIASES.get(n, ()))})
        spec = {"NORM": allowed[0]} if len(allowed) == 1 else {"NORM": {"IN": allowed}}
    if optional:
        spec["OP"] = "?"
    return spec


def _slot_choices(nlp: Language, word: str) -> list[list[dict[str, Any]]]:
    """Token sequences one slot may match. Single-token alternatives fold into one
    token spec; only multi-token alternatives multiply the patterns."""
    if word == "*":
        return [[_WILDCARD]]
    alternatives, optional = _slot_alternatives(word)
    tokenised = [_norms(nlp, alt) for alt in alternatives]
    # "#num" is a LIKE_NUM test, not a norm, so it cannot join the IN set of the words.
    single = [norms[0] for norms in tokenised if len(norms) == 1 and norms != ["#num"]]
    multi = [norms for norms in tokenised if len(norms) > 1 or norms == ["#num"]]
    choices: list[list[dict[str, Any]]] = []
    if single:
        choices.append([_token_spec(single, optional and not multi)])
    choices.extend([_token_spec([n]) for n in norms] for norms in multi)
    if optional and multi:
        choices.append([])
    return choices


def compile_pattern(nlp: Language, pattern: str) -> list[list[dict[str, Any]]]:
    """spaCy Matcher patterns for one phrase-language pattern."""
    slots = [_slot_choices(nlp, word) for word in pattern.lower().split()]
    compiled: list[list[dict[str, Any]]] = []
    for count, combo in enumerate(itertools.product(*slots)):
        if count >= _MAX_EXPANSIONS:
            raise CalmlineError(f"pattern {pattern!r} expands to too many phrases",
                                code=ErrorCode.E005_SCHEMA, hint="split it into several")
        tokens = [spec for part in combo for spec in part]
        while tokens and tokens[-1] is _WILDCARD:
            tokens.pop()
        while tokens and tokens[0] is _WILDCARD:
            tokens.pop(0)
        if any(t.get("OP") != "?" for t in tokens) and tokens not in compiled:
            compiled.append(tokens)
    return compiled


@dataclass(frozen=True, slots=True)
class Match:
    label: str
    start_char: int
    end_char: int
    score: float


class LexiconMatcher:
    """All labels of one or more lexicons in one phrase index: one pass per turn."""

    def __init__(self, nlp: Language, lexicons: list[LabelLexicon]) -> None:
        self._index = PhraseIndex()
        self._scores: dict[str, float] = {}
        for lexicon in lexicons:
            self._scores[lexicon.label] = lexicon.score
            self._add(nlp, lexicon.label, lexicon.patterns)
            self._add(nlp, f"!{lexicon.label}", lexicon.exclude)

    def _add(self, nlp: Language, key: str, patterns: tuple[str, ...]) -> None:
        for pattern in patterns:
            for tokens in compile_pattern(nlp, pattern):
                self._index.add(key, tokens)

    def matches(self, doc: Doc) -> list[Match]:
        """Longest non-vetoed match per label and position in a spaCy ``doc``."""
        return self.matches_in(TurnTokens.of_doc(doc))

    def matches_in(self, tokens: TurnTokens) -> list[Match]:
        """Longest non-vetoed match per label and position among a turn's ``tokens``."""
        found = self._index.find(tokens.norms, tokens.numeric)
        return matches_from(found, tokens, self._scores) if found else []


def matches_from(found: dict[str, dict[int, int]], tokens: TurnTokens,
                 scores: dict[str, float]) -> list[Match]:
    """Char-offset matches from token spans, dropping contained and vetoed spans."""
    results: list[Match] = []
    for key, starts in found.items():
        if key.startswith("!"):
            continue
        vetoes = list(found.get(f"!{key}", {}).items())
        for start, end in _longest(list(starts.items())):
            if any(vs < end and start < ve for vs, ve in vetoes):
                continue
            results.append(Match(key, tokens.starts[start], tokens.end(end - 1), scores[key]))
    return results


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop spans contained in a longer one."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int]] = []
    for start, end in ordered:
        if kept and start >= kept[-1][0] and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


