"""Customer-side detectors for what a phrase lexicon cannot express: abuse (insults weighed
against who they are aimed at and the profanity model), venting (a long turn with strong
negative feeling) and cues that only mean something after the agent's previous turn.

Word lists live in ``lexicons/customer.yaml`` (sections ``abuse_cues`` and ``context_cues``);
the numbers tuned here are named and say where they came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from calmline.conversation import Role, Turn
from calmline.detectors.base import TurnContext, make_signal, register_detector
from calmline.detectors.patterns import LEXICON_DIR, LabelLexicon, LexiconMatcher
from calmline.errors import CalmlineError, ErrorCode
from calmline.signals import Signal

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

CUSTOMER_LEXICON = LEXICON_DIR / "customer.yaml"
# The registered names of this module's detectors (beside "lexicon.customer").
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

# --- venting: a long turn carrying strong feeling --------------------------------------
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

# --- context cues ------------------------------------------------------------------------
ECHO_MAX_WORDS = 5  # "ACH return?" echoes a term back; longer turns are real questions
ECHO_SCORE = 0.6
PUZZLED_SCORE = 0.5  # "what?" can be disbelief as well as not understanding
ACCEPT_MAX_WORDS = 15
ACCEPT_SCORE = 0.7
SHOUT_SCORE = 0.55
SHOUT_MIN_LETTERS = 10

# Three or more capitalised words in a row, e.g. "THIS IS UNACCEPTABLE".
_SHOUTING = re.compile(r"\b[A-Z][A-Z']+(?:[\s,.!?]+[A-Z][A-Z']+){2,}\b")
# Symbols typed inside a word to dodge filters ("f***", "sh#t"); masked to "x" so the
# word stays one token with the same offsets.
_MASKABLE = re.compile(r"(?<=[A-Za-z])[*@#%]+")
_OFFER = re.compile(
    r"\?|\b(would you like|do you want|want me to|shall i|should i|i can (?!not|'t))", re.I
)


def _read_section(path: Path, section: str) -> dict[str, Any]:
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


def _words(values: Iterable[str]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _alpha(doc: Doc) -> list[Token]:
    return [t for t in doc if t.is_alpha or "*" in t.text]


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
    phrases: tuple[LabelLexicon, LabelLexicon]  # abuse phrases, and vetoes

    @classmethod
    def load(cls, path: Path = CUSTOMER_LEXICON) -> AbuseCues:
        raw = _read_section(path, "abuse_cues")
        phrases = (LabelLexicon("abuse", PHRASE_SCORE, tuple(raw.get("phrases") or ())),
                   LabelLexicon("veto", 0.0, tuple(raw.get("phrases_exclude") or ())))
        words = {key: _words(raw[key]) for key in (
            "targets", "possessive_targets", "fillers", "insults", "weak_insults", "sexual",
            "weak_sexual", "strong", "intensifiers")}
        obfuscated = str(raw["obfuscated"])
        return cls(**words, obfuscated=re.compile(rf"^(?:{obfuscated})$", re.I),
                   obfuscated_in_text=re.compile(rf"\b(?:{obfuscated})\b", re.I),
                   phrases=phrases)


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
        self._matchers: dict[int, LexiconMatcher] = {}

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
        doc = _unmasked(context)
        matcher = self._phrase_matcher(context.resources.nlp)
        words = {t.lower_ for t in doc} | {t.norm_ for t in doc}
        phrases = [Candidate(m.start_char, m.end_char, "phrase" if m.label == "abuse" else "veto")
                   for m in matcher.matches(doc)]
        vetoes = [c for c in phrases if c.kind == "veto"]
        found = [c for c in phrases if c.kind == "phrase"]
        # Most turns hold no cue word at all: skip the token-by-token passes for them.
        if not words.isdisjoint(self._word_cues) or self.cues.obfuscated_in_text.search(doc.text):
            found += self._directed(doc) + self._profane(doc) + self._sexual(doc)
            found = found or self._bare(doc)
        return [c for c in found if not any(_overlap(c, v) for v in vetoes)]

    def _phrase_matcher(self, nlp: Language) -> LexiconMatcher:
        """The hostile-phrase matcher, built once per tokenizer."""
        key = id(nlp)
        if key not in self._matchers:
            self._matchers[key] = LexiconMatcher(nlp, list(self.cues.phrases))
        return self._matchers[key]

    def _profane(self, doc: Doc) -> list[Candidate]:
        """Strong profanity within a word or two of "you", nothing but words between."""
        found: list[Candidate] = []
        for token in doc:
            if token.lower_ not in self.cues.strong:
                continue
            for other in doc[max(0, token.i - PROFANE_WINDOW): token.i + PROFANE_WINDOW + 1]:
                if self._aims_profanity(doc, token, other):
                    first, last = sorted((token.i, other.i))
                    found.append(Candidate(doc[first].idx, _end(doc[last]), "profane"))
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
                found.append(Candidate(token.idx, _end(doc[token.i + 1]), "phrase"))
        return found

    def _sexual(self, doc: Doc) -> list[Candidate]:
        found = [Candidate(t.idx, _end(t), "directed") for t in doc
                 if t.lower_ in self.cues.sexual]
        return found + [Candidate(t.idx, _end(t), "sexual") for t in doc
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
        return [Candidate(hits[0].idx, _end(hits[-1]), "bare")]

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


def _unmasked(context: TurnContext) -> Doc:
    """The turn's tokens, re-tokenised with filter-dodging symbols masked if it has any."""
    if not _MASKABLE.search(context.text):
        return context.doc
    masked = _MASKABLE.sub(lambda m: "x" * len(m.group()), context.text)
    return context.resources.tokenize(masked)


def _end(token: Token) -> int:
    return token.idx + len(token)


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
        raw = _read_section(self.lexicon_path, "venting_cues")
        return _words(raw["emotion_words"]), _words(raw["negations"])

    def detect(self, context: TurnContext) -> list[Signal]:
        words = context.words
        if len(words) < VENT_MIN_WORDS:
            return []
        valence = context.resources.valence(context.text)
        feeling = self._feeling_words(words)
        if not _is_emotional(valence, feeling, _intensity(context.text)):
            return []
        strength = max(-valence, min(1.0, feeling / (2 * VENT_CUE_MIN)))
        score = min(0.95, VENT_BASE_SCORE + 0.4 * strength)
        return [make_signal(context, "venting", score, words[0].idx, _end(words[-1]),
                            self.name)]

    def _feeling_words(self, words: list[Token]) -> int:
        """Feeling words with no negation just before them."""
        emotions, negations = self._cues
        count = 0
        for i, token in enumerate(words):
            before = words[max(0, i - VENT_NEGATION_WINDOW): i]
            if token.lower_ in emotions and not any(t.norm_ in negations for t in before):
                count += 1
        return count


def _intensity(text: str) -> int:
    """Exclamation runs plus shouted stretches: how loudly the turn is delivered."""
    return len(re.findall(r"!+", text)) + len(_SHOUTING.findall(text))


def _is_emotional(valence: float, feeling: int, intensity: int) -> bool:
    if valence > VENT_POSITIVE_MAX:
        return False
    if valence <= VENT_VALENCE_MAX or feeling >= VENT_CUE_MIN:
        return True
    return intensity >= VENT_INTENSITY_MIN and valence <= VENT_INTENSE_VALENCE_MAX


@dataclass(frozen=True, slots=True)
class ContextCues:
    """The ``context_cues`` section of the customer lexicon."""

    affirmation: re.Pattern[str]
    escalation_words: re.Pattern[str]
    puzzled: re.Pattern[str]

    @classmethod
    def load(cls, path: Path = CUSTOMER_LEXICON) -> ContextCues:
        raw = _read_section(path, "context_cues")
        yes = _alternation(raw["affirmations"])
        return cls(
            re.compile(rf"^\W*((?:{yes})(?:[\s,]+(?:{yes}))*)\b", re.I),
            re.compile(rf"\b({_alternation(raw['escalation_offer_words'])})", re.I),
            re.compile(rf"^\W*({_alternation(raw['puzzled_replies'])})\W*\?+\W*$", re.I),
        )


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any blanks."""
    ordered = sorted((str(p) for p in phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


class CustomerContextDetector:
    """Cues that depend on the agent's turn just before, or on how the text is typed:
    an echoed term or a bare "what?" (confusion), a yes to an offered supervisor
    (escalation request), and shouting in capitals (anger)."""

    name: str = "customer.context"
    labels: tuple[str, ...] = ("confusion", "escalation_request", "anger")
    roles: frozenset[Role] = frozenset({Role.CUSTOMER})

    def __init__(self, lexicon_path: Path = CUSTOMER_LEXICON) -> None:
        self.lexicon_path = lexicon_path

    @cached_property
    def cues(self) -> ContextCues:
        return ContextCues.load(self.lexicon_path)

    def detect(self, context: TurnContext) -> list[Signal]:
        found = self._shouting(context)
        agent = _agent_just_before(context)
        if agent is not None:
            found += self._confusion(context, agent) + self._acceptance(context, agent)
        return found

    def _shouting(self, context: TurnContext) -> list[Signal]:
        return [make_signal(context, "anger", SHOUT_SCORE, m.start(), m.end(), self.name)
                for m in _SHOUTING.finditer(context.text)
                if sum(c.isalpha() for c in m.group()) >= SHOUT_MIN_LETTERS]

    def _confusion(self, context: TurnContext, agent: Turn) -> list[Signal]:
        words = context.words
        text = context.text
        if not words or len(words) > ECHO_MAX_WORDS or "?" not in text:
            return []
        span = (words[0].idx, _end(words[-1]))
        if self.cues.puzzled.match(text):
            return [make_signal(context, "confusion", PUZZLED_SCORE, *span, self.name)]
        if _echoes(words, agent.text):
            return [make_signal(context, "confusion", ECHO_SCORE, *span, self.name)]
        return []

    def _acceptance(self, context: TurnContext, agent: Turn) -> list[Signal]:
        offered = self.cues.escalation_words.search(agent.text) and _OFFER.search(agent.text)
        if not offered or len(context.words) > ACCEPT_MAX_WORDS:
            return []
        match = self.cues.affirmation.match(context.text)
        if match is None:
            return []
        return [make_signal(context, "escalation_request", ACCEPT_SCORE, match.start(1),
                            match.end(1), self.name)]


def _agent_just_before(context: TurnContext) -> Turn | None:
    if context.history and context.history[-1].role is Role.AGENT:
        return context.history[-1]
    return None


def _echoes(words: list[Token], agent_text: str) -> bool:
    """Every content word of a short question repeats the agent's words: a term the
    customer did not understand ("ACH return?")."""
    content = [t.lower_ for t in words if not t.is_stop]
    said = set(re.findall(r"[\w']+", agent_text.lower()))
    return bool(content) and all(word in said for word in content)


@register_detector("customer.abuse")
def customer_abuse() -> AbuseDetector:
    return AbuseDetector()


@register_detector("customer.venting")
def customer_venting() -> VentingDetector:
    return VentingDetector()


@register_detector("customer.context")
def customer_context() -> CustomerContextDetector:
    return CustomerContextDetector()
