"""Agent-side detectors for what a phrase lexicon cannot express: jargon from a term list,
talking over the customer (turn offsets) and using the customer's name. Questions, and
asking again for what the customer already gave, are in ``questions.py``.

Phrase-level agent moves live in ``lexicons/agent.yaml``; the terms for jargon in
``lexicons/jargon.yaml``. Every regex here is compiled once, at import or first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from calmline.conversation import Role, Turn
from calmline.detectors.base import TurnContext, make_signal, register_detector
from calmline.detectors.patterns import LEXICON_DIR
from calmline.errors import CalmlineError, ErrorCode
from calmline.signals import Signal
from calmline.text import ascii_fold

JARGON_FILE = LEXICON_DIR / "jargon.yaml"
_AGENT = frozenset({Role.AGENT})

# --- jargon --------------------------------------------------------------------------
_TERM_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class JargonTerms:
    """The term list compiled: one regex over every term, and for a cheap pre-check the
    folded words of each term, by its first word. A term whose words are not all letters
    and digits cannot be pre-checked, so ``always`` runs the regex."""

    regex: re.Pattern[str]
    score: float
    needs: dict[bytes, tuple[frozenset[bytes], ...]]
    firsts: frozenset[bytes]
    always: bool

    def may_occur(self, text: str) -> bool:
        """False only where no term can match (all of a term's words are needed, whole)."""
        if self.always:
            return True
        words = ascii_fold(text).split()
        firsts = self.firsts.intersection(words)
        if not firsts:
            return False
        present = set(words)
        return any(need <= present for first in firsts for need in self.needs[first])


class JargonDetector:
    """Labels ``jargon`` for each internal or technical term from the term list."""

    name: str = "agent.jargon"
    labels: tuple[str, ...] = ("jargon",)
    roles: frozenset[Role] = _AGENT

    def __init__(self, term_file: Path = JARGON_FILE) -> None:
        self.term_file = term_file

    @cached_property
    def _terms(self) -> JargonTerms:
        try:
            data = yaml.safe_load(self.term_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CalmlineError(f"cannot read jargon terms: {exc}", source=str(self.term_file),
                                code=ErrorCode.E001_UNREADABLE) from exc
        return compile_terms([str(t) for t in data.get("terms") or ()],
                             float(data.get("score", 0.65)))

    def detect(self, context: TurnContext) -> list[Signal]:
        terms = self._terms
        if not terms.may_occur(context.text):
            return []
        return [make_signal(context, "jargon", terms.score, m.start(), m.end(), self.name)
                for m in terms.regex.finditer(context.text)]


def compile_terms(terms: Sequence[str], score: float) -> JargonTerms:
    """The regex and pre-check for a term list."""
    needs: dict[bytes, list[frozenset[bytes]]] = {}
    always = False
    for term in terms:
        words = re.split(r"[\s-]+", term)
        if not all(_TERM_WORD.fullmatch(word) for word in words):
            always = True
            continue
        folded = [word.lower().encode("ascii") for word in words]
        needs.setdefault(folded[0], []).append(frozenset(folded))
    return JargonTerms(_term_regex(terms), score, {k: tuple(v) for k, v in needs.items()},
                       frozenset(needs), always)


def _term_regex(terms: Iterable[str]) -> re.Pattern[str]:
    """One alternation over all terms, longest first; acronyms stay case-sensitive."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", term))
        parts.append(body if term.isupper() else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


# --- interruption --------------------------------------------------------------------
# Timestamps from diarised ASR jitter by a few hundred milliseconds: less is not talk-over.
MIN_OVERLAP_MS = 250
INTERRUPTION_BASE_SCORE = 0.55
# A customer turn this long (ms or words) was a story the agent cut into.
LONG_TURN_MS = 8_000
LONG_TURN_WORDS = 30
LONG_TURN_BONUS = 0.15
# VADER compound at or below this, or a feeling label on the turn, means it was emotional.
EMOTIONAL_VALENCE_MAX = -0.3
EMOTIONAL_BONUS = 0.2
_EMOTIONAL_LABELS = frozenset({"anger", "frustration", "abuse", "venting", "threat"})
# Short listening noises ("mm-hmm", "right") overlapping the customer are not interruptions.
_BACKCHANNEL = re.compile(
    r"^\W*(?:mm+[- ]?hm+|m+hm+|uh[- ]?huh|yeah|yes|yep|right|okay|ok|sure|i see|got it|"
    r"go on|i understand|oh|ah|hm+)\W*$", re.IGNORECASE)


class InterruptionDetector:
    """Labels ``interruption`` when an agent turn starts before the customer's previous
    turn ended; stronger when that turn was long or emotional. Needs turn offsets."""

    name: str = "agent.interruption"
    labels: tuple[str, ...] = ("interruption",)
    roles: frozenset[Role] = _AGENT

    def detect(self, context: TurnContext) -> list[Signal]:
        customer = context.previous(Role.CUSTOMER)
        agent_span = _offsets(context.turn)
        customer_span = _offsets(customer) if customer is not None else None
        if customer is None or agent_span is None or customer_span is None:
            return []
        overlap = _overlap_ms(agent_span, customer_span)
        if overlap < MIN_OVERLAP_MS or _BACKCHANNEL.match(context.text):
            return []
        score = (INTERRUPTION_BASE_SCORE + _long_bonus(customer, customer_span)
                 + _emotion_bonus(context, customer))
        end = _spoken_during(context.text, agent_span, overlap)
        return [make_signal(context, "interruption", min(score, 1.0), 0, end, self.name)]


def _offsets(turn: Turn) -> tuple[int, int] | None:
    if turn.begin_ms is None or turn.end_ms is None:
        return None
    return turn.begin_ms, turn.end_ms


def _overlap_ms(agent: tuple[int, int], customer: tuple[int, int]) -> int:
    """How long the agent spoke before the customer stopped (0 if they did not overlap)."""
    if agent[0] < customer[0]:
        return 0
    return min(customer[1], agent[1]) - agent[0]


def _long_bonus(customer: Turn, span: tuple[int, int]) -> float:
    long_turn = span[1] - span[0] >= LONG_TURN_MS or len(customer.text.split()) >= LONG_TURN_WORDS
    return LONG_TURN_BONUS if long_turn else 0.0


def _emotion_bonus(context: TurnContext, customer: Turn) -> float:
    for turn, signals in zip(context.history, context.history_signals, strict=False):
        if turn is customer and any(s.label in _EMOTIONAL_LABELS for s in signals):
            return EMOTIONAL_BONUS
    emotional = context.resources.valence(customer.text) <= EMOTIONAL_VALENCE_MAX
    return EMOTIONAL_BONUS if emotional else 0.0


def _spoken_during(text: str, span: tuple[int, int], overlap_ms: int) -> int:
    """End offset of the words the agent said while the customer was still talking,
    estimated by time share and snapped to a word end (at least the first word)."""
    text = text.rstrip()
    share = min(overlap_ms / max(span[1] - span[0], 1), 1.0)
    cut = max(1, round(len(text) * share))
    word_end = _WORD_END.search(text, cut - 1)
    return word_end.end() if word_end else len(text)


_WORD_END = re.compile(r"\w(?=\W|$)")


# --- personalisation by name ---------------------------------------------------------
PERSONAL_NAME_SCORE = 0.8
_SELF_NAMED = re.compile(
    r"\b(?i:my name is|my name's|name's|i'm called|this is|it's|i am|i'm)\s+"
    r"([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)")
_SELF_NAMED_LOWER = re.compile(
    r"\b(?:my name is|my name's|i'm called)\s+([a-z'-]+(?:\s+[a-z'-]+)?)", re.IGNORECASE)
# Capitalised words that follow "this is"/"I'm" but are not names.
_NOT_NAMES_TEXT = """the a an not so very just really still calling here trying sorry frustrated
angry done sick tired going absolutely ridiculous unacceptable insane crazy ok okay fine good
great and but or is it this that my your from with about ms mr mrs miss dr"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


@lru_cache(maxsize=8192)
def _names_from(text: str) -> frozenset[str]:
    """Names a customer gives for themself in one turn ("my name is...", "this is...")."""
    names: set[str] = set()
    for regex in (_SELF_NAMED, _SELF_NAMED_LOWER):
        for match in regex.finditer(text):
            names.update(w for w in match.group(1).split() if w.lower() not in _NOT_NAMES)
    return frozenset(names)


def _customer_names(context: TurnContext) -> frozenset[str]:
    """The customer's name from the call record, or as the customer said it earlier."""
    said = frozenset().union(*[_names_from(turn.text) for turn in context.history
                               if turn.role is Role.CUSTOMER])
    return _usable_names(_record_name(context), said)


def _record_name(context: TurnContext) -> str | None:
    return context.conversation.customer_name if context.conversation is not None else None


@lru_cache(maxsize=1024)
def _usable_names(record: str | None, said: frozenset[str]) -> frozenset[str]:
    names = set(said)
    if record:
        names.update(record.split())
    return frozenset(n.strip(".,'") for n in names if len(n.strip(".,'")) >= 2)


@lru_cache(maxsize=1024)
def _name_regex(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


# A title and a surname said to the customer ("Thanks, Ms. Rao.") is their name even when
# the call has no name on record: it opens the sentence or follows a comma or a greeting,
# and ends the sentence or is followed by a comma that does not introduce someone else
# ("Dr. Lee, our specialist, ..."). Case-sensitive: a surname starts with a capital.
_TITLED = re.compile(r"(?:Mrs|Mr|Ms|Miss|Mx|Dr)\.?\s+(?P<surname>[A-Z](?:[a-z]+|['’][A-Z][a-z]+)"
                     r"(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)(?![\w'’-])")
_BEFORE_ADDRESS = re.compile(
    r"(?:^|[.!?,;:]|\b(?i:hi|hello|hey|morning|afternoon|evening|thanks|thank you|bye|goodbye|"
    r"care|welcome|dear|sorry|okay|ok|right|yes|sure|great))\s*$")
_AFTER_ADDRESS = re.compile(
    r"\s*(?:[.!?;:]|$)|,(?!\s*(?i:my|our|his|her|their|who|from|the|a|an|will|has|is|"
    r"and)\b)")


def _titled_addresses(text: str, known: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Spans of a title and surname used to address the customer (not a known name)."""
    lowered = {n.lower() for n in known}
    for match in _TITLED.finditer(text):
        start, end = match.span()
        if (match["surname"].lower() not in lowered and (start == 0 or not text[start - 1].isalnum())
                and _BEFORE_ADDRESS.search(text, 0, start) and _AFTER_ADDRESS.match(text, end)):
            yield start, end


class PersonalNameDetector:
    """Labels ``personalisation`` where the agent uses the customer's name, known from the
    call record or the customer's own words, or addresses them by title and surname when
    no name is on record (references to the customer's history are phrase patterns in
    ``agent.yaml``)."""

    name: str = "agent.personalisation"
    labels: tuple[str, ...] = ("personalisation",)
    roles: frozenset[Role] = _AGENT

    def detect(self, context: TurnContext) -> list[Signal]:
        names = _customer_names(context)
        text = context.text
        spans = [m.span() for m in _name_regex(names).finditer(text)] if names else []
        if not _record_name(context) and ("M" in text or "Dr" in text):
            spans.extend(_titled_addresses(text, names))
        return [make_signal(context, "personalisation", PERSONAL_NAME_SCORE, start, end, self.name)
                for start, end in spans]


@register_detector("agent.jargon")
def jargon_detector() -> JargonDetector:
    return JargonDetector()


@register_detector("agent.interruption")
def interruption_detector() -> InterruptionDetector:
    return InterruptionDetector()


@register_detector("agent.personalisation")
def personal_name_detector() -> PersonalNameDetector:
    return PersonalNameDetector()


AGENT_DETECTORS: tuple[str, ...] = (
    "agent.questions",
    "agent.jargon",
    "agent.interruption",
    "agent.repeat_question",
    "agent.personalisation",
)
