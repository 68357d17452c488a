"""Customer-side detectors for what a phrase lexicon cannot express. This module holds
abuse (insults weighed against who they are aimed at and the profanity model) and the
helpers its siblings share; ``venting.py`` finds a long turn with strong negative feeling
and ``context.py`` the cues that only mean something after the agent's previous turn.

Word lists live in ``lexicons/customer.yaml`` (sections ``abuse_cues``, ``venting_cues`` and
``context_cues``); the numbers tuned here are named and say where they came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from calmline.conversation import Role
from calmline.detectors.base import Detector, TurnContext, make_signal, register_detector
from calmline.detectors.matcher import to_slot
from calmline.detectors.patterns import LEXICON_DIR, LabelLexicon, LexiconMatcher, compile_pattern
from calmline.errors import CalmlineError, ErrorCode
from calmline.signals import Signal

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

CUSTOMER_LEXICON = LEXICON_DIR / "customer.yaml"
# The registered names of the customer detectors (beside "lexicon.customer").
CUSTOMER_DETECTORS: tuple[str, ...] = ("customer.abuse", "customer.venting", "customer.context")

# --- abuse: tuned by hand on invented contact-centre lines, checked on ConvAbuse valid ---
# A hostile phrase aimed at the listener ("shut up", "screw you") is abuse whatever the model says.
PHRASE_SCORE = 0.85
# Insult aimed at "you": confident from grammar alone; the model adds up to +0.3.
DIRECTED_BASE_SCORE = 0.65
MODEL_WEIGHT = 0.3
# Words that also name everyday things ("a joke", "garbage") count only if the model agrees.
WEAK_INSULT_MODEL_MIN = 0.5
# A turn that is nothing but an insult ("useless bitch") is aimed at whoever is listening.
BARE_INSULT_MAX_WORDS = 4
BARE_INSULT_MODEL_MIN = 0.7
# Sexual remarks are harassment of the agent; the model filters clinical uses ("sex: F").
SEXUAL_MODEL_MIN = 0.5
# How many filler words may sit between "you" and the insult ("you are such a total idiot").
TARGET_LOOKBACK = 5
# Strong profanity next to "you" ("fuck you", "you will fuck me"): at most this many words
# apart, and only when the model is nearly sure the turn is offensive.
PROFANE_WINDOW = 2
PROFANE_MODEL_MIN = 0.9
# Interjections that may open a bare insult ("oh shut up", "hey idiot").
_BARE_OPENERS = frozenset({"oh", "hey", "ok", "okay", "well", "listen", "what", "a", "an", "no",
                           "yes", "yeah", "indeed", "bye", "die", "shut", "up"})

# Symbols typed inside a word to dodge filters ("f***", "sh#t"); masked to "x" so the
# word stays one token with the same offsets.
_MASKABLE = re.compile(r"(?<=[A-Za-z])[*@#%]+")
_MASK_SYMBOLS = re.compile(r"[*@#%]")  # a quick scan: most turns hold none of them


def read_section(path: Path, section: str) -> dict[str, Any]:
    """One non-label section of a lexicon file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CalmlineError(f"cannot read lexicon: {exc}", source=str(path),
                            code=ErrorCode.E001_UNREADABLE) from exc
    found = data.get(section)
    if not isinstance(found, dict):
        raise CalmlineError(f"section {section!r} is missing", source=str(path),
                            hint=f"add a mapping named {section!r}")
    return found


def lower_words(values: Iterable[str]) -> frozenset[str]:
    """Lexicon words as a lower-case set."""
    return frozenset(str(v).lower() for v in values)


def _alpha(doc: Doc) -> list[Token]:
    return [t for t in doc if t.is_alpha or "*" in t.text]


def token_end(token: Token) -> int:
    """The character offset just past ``token``."""
    return token.idx + len(token)


@dataclass(frozen=True, slots=True)
class AbuseCues:
    """The ``abuse_cues`` section of the customer lexicon."""

    targets: frozenset[str]
    possessive_targets: frozenset[str]
    fillers: frozenset[str]
    insults: frozenset[str]
    weak_insults: frozenset[str]
    sexual: frozenset[str]
    weak_sexual: frozenset[str]
    strong: frozenset[str]
    intensifiers: frozenset[str]
    obfuscated: re.Pattern[str]  # one whole token
    obfuscated_in_text: re.Pattern[str]  # anywhere in a turn
    # The same alternation without the leading \b and case folding, run on lower-cased ASCII
    # text: a quick necessary test (~6x faster); None when the alternation is not lower case.
    obfuscated_scan: re.Pattern[str] | None
    phrases: tuple[LabelLexicon, LabelLexicon]  # abuse phrases, and vetoes

    @classmethod
    def load(cls, path: Path = CUSTOMER_LEXICON) -> AbuseCues:
        raw = read_section(path, "abuse_cues")
        phrases = (LabelLexicon("abuse", PHRASE_SCORE, tuple(raw.get("phrases") or ())),
                   LabelLexicon("veto", 0.0, tuple(raw.get("phrases_exclude") or ())))
        words = {key: lower_words(raw[key]) for key in (
            "targets", "possessive_targets", "fillers", "insults", "weak_insults", "sexual",
            "weak_sexual", "strong", "intensifiers")}
        obfuscated = str(raw["obfuscated"])
        scan = re.compile(rf"(?:{obfuscated})\b") if obfuscated == obfuscated.lower() else None
        return cls(**words, obfuscated=re.compile(rf"^(?:{obfuscated})$", re.I),
                   obfuscated_in_text=re.compile(rf"\b(?:{obfuscated})\b", re.I),
                   obfuscated_scan=scan, phrases=phrases)

    def hides_profanity(self, text: str) -> bool:
        """Whether ``text`` holds an obfuscated or abbreviated curse ("f***", "stfu")."""
        scan = self.obfuscated_scan
        if scan is not None and text.isascii() and not scan.search(text.lower()):
            return False
        return self.obfuscated_in_text.search(text) is not None


@dataclass(frozen=True, slots=True)
class WordGate:
    """A quick test that rules out every phrase of a lexicon for most turns: each compiled
    pattern is filed under the words of one slot it cannot match without, together with
    its other required slots. ``admits`` is False only when no pattern can match."""

    keyed: dict[str, tuple[tuple[frozenset[str], ...], ...]]
    keys: frozenset[str]
    always: bool  # a pattern with no required word: nothing can be ruled out

    @classmethod
    def for_patterns(cls, nlp: Language, patterns: Iterable[str]) -> WordGate:
        keyed: dict[str, set[tuple[frozenset[str], ...]]] = {}
        always = False
        stop_words = nlp.Defaults.stop_words
        for pattern in patterns:
            for tokens in compile_pattern(nlp, pattern):
                required = [accept for accept, low, _ in map(to_slot, tokens)
                            if low > 0 and isinstance(accept, frozenset)]
                if not required:
                    always = True
                    continue
                # File the pattern under its rarest-looking slot: fewest stop words, fewest words.
                key = min(required, key=lambda s: (len(s & stop_words), len(s)))
                others = tuple(s for s in required if s is not key)
                for word in key:
                    keyed.setdefault(word, set()).add(others)
        return cls({w: tuple(v) for w, v in keyed.items()}, frozenset(keyed), always)

    def admits(self, norms: set[str]) -> bool:
        """Whether some pattern finds all its required words among a turn's ``norms``."""
        if self.always:
            return True
        for word in norms & self.keys:
            for others in self.keyed[word]:
                if all(not norms.isdisjoint(slot) for slot in others):
                    return True
        return False


class _PhraseTools(NamedTuple):
    """What the abuse detector builds once per tokenizer."""

    matcher: LexiconMatcher
    gate: WordGate


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stretch of the turn that may be abuse, and how it qualified."""

    start: int
    end: int
    kind: str  # phrase | directed | weak | bare | sexual | profane | veto


class AbuseDetector:
    """Insults and profanity aimed at the agent. Grammar decides the target ("you idiot"
    yes, "my idiot brother" no); the profanity model confirms ambiguous words and sets
    the score. The model runs only on turns that already hold a cue, so it stays cheap."""

    name: str = "customer.abuse"
    labels: tuple[str, ...] = ("abuse",)
    roles: frozenset[Role] = frozenset({Role.CUSTOMER})

    def __init__(self, lexicon_path: Path = CUSTOMER_LEXICON) -> None:
        self.lexicon_path = lexicon_path
        self._by_tokenizer: dict[int, _PhraseTools] = {}

    @cached_property
    def cues(self) -> AbuseCues:
        return AbuseCues.load(self.lexicon_path)

    @cached_property
    def _word_cues(self) -> frozenset[str]:
        """Words without which no grammar rule can fire ("you" alone is not enough)."""
        cues = self.cues
        return cues.insults | cues.sexual | cues.weak_sexual | cues.strong

    def detect(self, context: TurnContext) -> list[Signal]:
        candidates = self._candidates(context)
        if not candidates:
            return []
        model = context.resources.profanity(context.text)
        scored = [(c, _abuse_score(c.kind, model)) for c in candidates]
        kept = [(c.start, c.end, score) for c, score in scored if score is not None]
        return [make_signal(context, "abuse", score, start, end, self.name)
                for start, end, score in _merge(kept)]

    def _candidates(self, context: TurnContext) -> list[Candidate]:
        masked = _masked(context.text)
        text = context.text if masked is None else masked
        tokens = context.tokens if masked is None else context.resources.tokens(masked)
        present = set(tokens.norms)
        tools = self._tools(context.resources.nlp)
        # A cue word may show as a token's norm or only as its lower form.
        has_word_cue = (not present.isdisjoint(self._word_cues)
                        or not self._word_cues.isdisjoint(tokens.lowers)
                        or self.cues.hides_profanity(text))
        # Most turns hold no cue at all: skip the matcher and the token passes for them.
        if not has_word_cue and not tools.gate.admits(present):
            return []
        phrases = [Candidate(m.start_char, m.end_char, "phrase" if m.label == "abuse" else "veto")
                   for m in tools.matcher.matches_in(tokens)]
        vetoes = [c for c in phrases if c.kind == "veto"]
        found = [c for c in phrases if c.kind == "phrase"]
        if has_word_cue:
            # The grammar rules walk spaCy's tokens (the same tokens, with their methods).
            doc = context.doc if masked is None else context.resources.tokenize(masked)
            found += self._directed(doc) + self._profane(doc) + self._sexual(doc)
            found = found or self._bare(doc)
        return [c for c in found if not any(_overlap(c, v) for v in vetoes)]

    def _tools(self, nlp: Language) -> _PhraseTools:
        """The hostile-phrase matcher and the quick cue tests, built once per tokenizer."""
        key = id(nlp)
        if key not in self._by_tokenizer:
            self._by_tokenizer[key] = _PhraseTools(
                LexiconMatcher(nlp, list(self.cues.phrases)),
                WordGate.for_patterns(nlp, self.cues.phrases[0].patterns))
        return self._by_tokenizer[key]

    def _profane(self, doc: Doc) -> list[Candidate]:
        """Strong profanity within a word or two of "you", nothing but words between."""
        found: list[Candidate] = []
        for token in doc:
            if token.lower_ not in self.cues.strong:
                continue
            for other in doc[max(0, token.i - PROFANE_WINDOW): token.i + PROFANE_WINDOW + 1]:
                if self._aims_profanity(doc, token, other):
                    first, last = sorted((token.i, other.i))
                    found.append(Candidate(doc[first].idx, token_end(doc[last]), "profane"))
        return found

    def _aims_profanity(self, doc: Doc, swear: Token, other: Token) -> bool:
        if not self._is_target(other):
            return False
        first, last = sorted((swear.i, other.i))
        if not all(t.is_alpha for t in doc[first: last + 1]):
            return False
        # "you fucking charged me": an intensifier after "you" swears about the act.
        return other.i > swear.i or swear.lower_ not in self.cues.intensifiers

    def _directed(self, doc: Doc) -> list[Candidate]:
        """An insult with "you" just before it, only fillers in between."""
        found: list[Candidate] = []
        for token in doc:
            if not self._is_insult(token):
                continue
            target = self._target_before(doc, token.i)
            if target is None and (_closes_clause(doc, token.i) or _after_article(doc, token.i)):
                target = self._target_before(doc, token.i, self.cues.possessive_targets)
            if target is not None:
                kind = "weak" if token.lower_ in self.cues.weak_insults else "directed"
                found.append(Candidate(doc[target].idx, token.idx + len(token), kind))
            elif self._is_obfuscated(token) and self._aims_next(doc, token.i):
                found.append(Candidate(token.idx, token_end(doc[token.i + 1]), "phrase"))
        return found

    def _sexual(self, doc: Doc) -> list[Candidate]:
        found = [Candidate(t.idx, token_end(t), "directed") for t in doc
                 if t.lower_ in self.cues.sexual]
        return found + [Candidate(t.idx, token_end(t), "sexual") for t in doc
                        if t.lower_ in self.cues.weak_sexual]

    def _bare(self, doc: Doc) -> list[Candidate]:
        """A short turn made only of insults ("useless bitch"): aimed at the listener."""
        words = _alpha(doc)
        if not words or len(words) > BARE_INSULT_MAX_WORDS:
            return []
        allowed = self.cues.insults | self.cues.fillers | _BARE_OPENERS
        if any(t.lower_ not in allowed and not self._is_insult(t) for t in words):
            return []
        hits = [t for t in words if self._is_insult(t)]
        # A lone expletive ("shit!") swears at the situation, not at anyone.
        if all(t.lower_ in self.cues.weak_insults for t in hits):
            return []
        return [Candidate(hits[0].idx, token_end(hits[-1]), "bare")]

    def _is_insult(self, token: Token) -> bool:
        return token.lower_ in self.cues.insults or self._is_obfuscated(token)

    def _is_obfuscated(self, token: Token) -> bool:
        return self.cues.obfuscated.match(token.text) is not None

    def _is_filler(self, token: Token) -> bool:
        return token.lower_ in self.cues.fillers or token.norm_ in self.cues.fillers

    def _is_target(self, token: Token) -> bool:
        return token.lower_ in self.cues.targets or token.norm_ in self.cues.targets

    def _target_before(
        self, doc: Doc, index: int, targets: frozenset[str] | None = None
    ) -> int | None:
        for i in range(index - 1, max(-1, index - 1 - TARGET_LOOKBACK), -1):
            token = doc[i]
            if (targets is None and self._is_target(token)) or token.lower_ in (targets or ()):
                return i
            if not (self._is_filler(token) or self._is_obfuscated(token)):
                return None
        return None

    def _aims_next(self, doc: Doc, index: int) -> bool:
        """``f*** you`` / ``f*** off``: an obfuscated curse followed by its target."""
        if index + 1 >= len(doc):
            return False
        following = doc[index + 1]
        return self._is_target(following) or following.lower_ == "off"


def _closes_clause(doc: Doc, index: int) -> bool:
    """Nothing but punctuation (or the end) follows the token: "your annoying!"."""
    return index + 1 >= len(doc) or doc[index + 1].is_punct


def _after_article(doc: Doc, index: int) -> bool:
    """``your a joke``: a possessive before "a"/"an" is a typo for "you're"."""
    return index >= 2 and doc[index - 1].lower_ in {"a", "an"}


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _masked(text: str) -> str | None:
    """``text`` with filter-dodging symbols inside words masked to "x" (the word stays one
    token with the same offsets), or None when it has none."""
    if not _MASK_SYMBOLS.search(text) or not _MASKABLE.search(text):
        return None
    return _MASKABLE.sub(lambda m: "x" * len(m.group()), text)


def _abuse_score(kind: str, model: float) -> float | None:
    """The score for a candidate of ``kind`` given the profanity model; None rejects it."""
    blended = DIRECTED_BASE_SCORE + MODEL_WEIGHT * model
    if kind == "phrase":
        return max(PHRASE_SCORE, blended)
    if kind == "directed":
        return blended
    gate = {"weak": WEAK_INSULT_MODEL_MIN, "bare": BARE_INSULT_MODEL_MIN,
            "sexual": SEXUAL_MODEL_MIN, "profane": PROFANE_MODEL_MIN}[kind]
    return blended if model >= gate else None


def _merge(spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Overlapping evidence becomes one span carrying the best score."""
    merged: list[tuple[int, int, float]] = []
    for start, end, score in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), max(last[2], score))
        else:
            merged.append((start, end, score))
    return merged


@register_detector("customer.abuse")
def customer_abuse() -> Detector:
    return AbuseDetector()


# The venting and context modules import this one's helpers, so they are imported when a
# pipeline asks for their detectors (registering them here keeps every customer detector
# known as soon as the package is).
@register_detector("customer.venting")
def customer_venting() -> Detector:
    from calmline.detectors.venting import VentingDetector

    return VentingDetector()


@register_detector("customer.context")
def customer_context() -> Detector:
    from calmline.detectors.context import CustomerContextDetector

    return CustomerContextDetector()
