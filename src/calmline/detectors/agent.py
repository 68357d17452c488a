"""Agent-side detectors for what a phrase lexicon cannot express: questions (open or not),
jargon from a term list, talking over the customer (turn offsets), asking again for what
the customer already gave, and using the customer's name.

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
from calmline.text import sentences

JARGON_FILE = LEXICON_DIR / "jargon.yaml"
_AGENT = frozenset({Role.AGENT})

# --- questions -----------------------------------------------------------------------
# A sentence ending in "?" is a question; without punctuation (speech-to-text) only the
# shape of its opening says so, which is a weaker cue.
QUESTION_MARK_SCORE = 0.9
QUESTION_SHAPE_SCORE = 0.6
OPEN_QUESTION_SCORE = 0.8
OPEN_SHAPE_SCORE = 0.6

_AUX = (r"(?:can|could|would|will|do|does|did|is|are|was|were|have|has|had|may|might|shall|"
        r"should|am|isn'?t|aren'?t|don'?t|didn'?t|doesn'?t|won'?t|wouldn'?t|can'?t|couldn'?t)")
_SUBJECT = (r"(?:i|you|u|we|it|that|this|there|your|ur|the|they|he|she|anyone|anything|"
            r"everything|my|any|someone)")
_WH = r"(?:what|how|why|when|where|which|who|whose|whom)"
_LEAD = (r"(?:(?:so|and|ok|okay|alright|right|now|well|sorry|also|but|then|sir|madam|ma'?am|"
         r"great|thanks|thank you|perfect|sure|hi|hello|hey|good (?:morning|afternoon|evening)|"
         r"i see|oh)\W+)*")
_QUESTION_START = re.compile(
    rf"^{_LEAD}(?:{_AUX}\s+{_SUBJECT}\b|{_WH}(?:'s|\s+\w+)|(?:please )?(?:tell me|walk me "
    r"through|talk me through|help me understand|describe|explain)\b|may i ask\b|"
    r"i was wondering\b|do you mind\b|any (?:idea|chance)\b)",
    re.IGNORECASE,
)
# In a sentence with no punctuation at all, a question may start mid-way after a pivot.
_EMBEDDED_QUESTION = re.compile(
    rf"\b(?:so|and|but|okay|ok|now|then)\s+((?:{_AUX}\s+(?:you|u|i)|{_WH}\s+(?:is|was|did|do|"
    r"does|are|were|can|could|would|happened|exactly))\b)",
    re.IGNORECASE,
)
# A statement that merely starts like a question ("what I can do is...").
_STATEMENT_START = re.compile(
    rf"^{_LEAD}(?:what (?:i|we) (?:can|will|'ll|could|would|am|'m|are|'re)\b|what an? \w+|"
    r"how (?:awful|terrible|horrible|sad|nice|great|wonderful|lovely|kind|frustrating|annoying|"
    r"exciting|scary|hard|difficult|tough|strange|weird|good|cool|amazing)\b|"
    r"what (?:happens|happened) (?:next )?(?:is|was)\b|how (?:it|this) works is\b|"
    r"when (?:i|we|you|it|this|that|the)\b.*\b(?:i|we)(?:'ll| will)\b|"
    r"(?:i|we) (?:can|will|'ll)\b|which (?:is|means)\b|who (?:is|was) (?:a|an|the)\b)",
    re.IGNORECASE,
)
_OPEN_QUESTION = re.compile(
    rf"^{_LEAD}(?:(?:can|could|would|will) you (?:please )?|would you mind |please )?"
    r"(?:what|how|why|tell me|walk me through|describe|explain|talk me through|help me "
    r"understand|share)\b|"
    r"\b(?:can|could|would|will) you (?:please )?(?:tell me|walk me through|talk me through|"
    r"describe|explain) (?:a (?:little|bit) )?(?:more )?(?:about )?(?:what|how|why|when you)\b",
    re.IGNORECASE,
)
# Wh-questions that ask for one fact, a number or a time: closed, not open.
_CLOSED_WH = re.compile(
    r"\b(?:how (?:long|much|many|old|often|soon|far)|what (?:time|day|date|year|size|colou?r|"
    r"model)|(?:what|tell me)(?:'s| is| was)? (?:your|the) (?:\w+ ){0,2}(?:number|no|email|"
    r"address|name|postcode|post code|zip(?: code)?|date of birth|dob|id|reference|pin))\b",
    re.IGNORECASE,
)
# Rhetorical or dismissive questions are not invitations to explain.
_RHETORICAL = re.compile(
    r"\b(?:what (?:do|did|else do|else can) you (?:want|expect)|what (?:am|are) (?:i|we) "
    r"supposed to|how (?:many times|am i supposed|do you expect|would i know|could i know|"
    r"should i know)|why (?:didn'?t|did not|would|wouldn'?t|couldn'?t|don'?t|do not|are) you|"
    r"who told you|what(?:'s| is) (?:your|the) problem|what(?:'s| is) wrong with you)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class QuestionSpan:
    """One question in a turn: where it is, how sure, and whether it invites a story."""

    start: int
    end: int
    score: float
    open_score: float


def _is_question_shape(sentence: str) -> bool:
    return bool(_QUESTION_START.match(sentence)) and not _STATEMENT_START.match(sentence)


def _open_score(sentence: str, base: float) -> float:
    """How much the question invites the customer to explain (0 when it does not)."""
    if not _OPEN_QUESTION.search(sentence) or _RHETORICAL.search(sentence):
        return 0.0
    return 0.0 if _CLOSED_WH.search(sentence) else base


@lru_cache(maxsize=4096)
def find_questions(text: str) -> tuple[QuestionSpan, ...]:
    """Every question in ``text``: sentences ending in "?" or, without punctuation,
    sentences (or unpunctuated clauses) that open like a question."""
    found: list[QuestionSpan] = []
    unpunctuated = not re.search(r"[.!?]", text)
    for start, end, sentence in sentences(text):
        if sentence.endswith("?"):
            found.append(QuestionSpan(start, end, QUESTION_MARK_SCORE,
                                      _open_score(sentence, OPEN_QUESTION_SCORE)))
        elif _is_question_shape(sentence):
            found.append(QuestionSpan(start, end, QUESTION_SHAPE_SCORE,
                                      _open_score(sentence, OPEN_SHAPE_SCORE)))
        elif unpunctuated:
            found.extend(_embedded_questions(sentence, start))
    return tuple(found)


def _embedded_questions(sentence: str, offset: int) -> Iterator[QuestionSpan]:
    """A question that starts after a pivot word in a run-on, unpunctuated sentence."""
    match = _EMBEDDED_QUESTION.search(sentence)
    if match is not None:
        tail = sentence[match.start(1):]
        yield QuestionSpan(offset + match.start(1), offset + len(sentence),
                           QUESTION_SHAPE_SCORE, _open_score(tail, OPEN_SHAPE_SCORE))


class QuestionDetector:
    """Labels ``question`` for every question and ``open_question`` for those that ask
    the customer to explain (what/how/why, "tell me", "walk me through")."""

    name: str = "agent.questions"
    labels: tuple[str, ...] = ("question", "open_question")
    roles: frozenset[Role] = _AGENT

    def detect(self, context: TurnContext) -> list[Signal]:
        signals: list[Signal] = []
        for q in find_questions(context.text):
            signals.append(make_signal(context, "question", q.score, q.start, q.end, self.name))
            if q.open_score:
                signals.append(make_signal(context, "open_question", q.open_score,
                                           q.start, q.end, self.name))
        return signals


# --- jargon --------------------------------------------------------------------------
class JargonDetector:
    """Labels ``jargon`` for each internal or technical term from the term list."""

    name: str = "agent.jargon"
    labels: tuple[str, ...] = ("jargon",)
    roles: frozenset[Role] = _AGENT

    def __init__(self, term_file: Path = JARGON_FILE) -> None:
        self.term_file = term_file

    @cached_property
    def _terms(self) -> tuple[re.Pattern[str], float]:
        try:
            data = yaml.safe_load(self.term_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CalmlineError(f"cannot read jargon terms: {exc}", source=str(self.term_file),
                                code=ErrorCode.E001_UNREADABLE) from exc
        return _term_regex(str(t) for t in data.get("terms") or ()), float(data.get("score", 0.65))

    def detect(self, context: TurnContext) -> list[Signal]:
        regex, score = self._terms
        return [make_signal(context, "jargon", score, m.start(), m.end(), self.name)
                for m in regex.finditer(context.text)]


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


# --- repeat questions ----------------------------------------------------------------
REPEAT_ASK_SCORE = 0.75
# "Can you confirm your email?" may be a security check: still a repeat, less sure.
REPEAT_CONFIRM_SCORE = 0.55
REPEAT_SAME_QUESTION_SCORE = 0.6
# Questions shorter than this ("sorry?", "okay?") are not worth comparing.
MIN_REPEAT_WORDS = 3

# One pass over the agent's sentence; the group name is the kind of detail asked for.
_ITEM_ASK = re.compile(
    r"\b(?:(?P<phone>(?:phone|mobile|cell|telephone|contact|callback) number)|"
    r"(?P<number>(?:account|order|reference|ref|case|ticket|tracking|customer|member(?:ship)?|"
    r"policy|confirmation|booking|invoice|card)\s*(?:number|no\b|#|id\b))|"
    r"(?P<email>e-?mail(?: address)?)|"
    r"(?P<name>your (?:full |first |last )?name|spell (?:your |the )?(?:last |first )?name|"
    r"who (?:am i|i'm|i am) speaking (?:to|with))|"
    r"(?P<address>(?:your|the) (?:full |home |billing |shipping |postal |delivery )?address)|"
    r"(?P<postcode>post ?code|zip(?: code)?)|"
    r"(?P<dob>date of birth|dob|birth ?date|birthday))\b",
    re.IGNORECASE)
_ASK_CUE = re.compile(
    r"\b(?:what(?:'s| is| was)|can i|could i|may i|can you|could you|would you|do you have|"
    r"please|need|"
    r"provide|confirm|give me|tell me|spell|read (?:me|out)|repeat|verify)\b|\?",
    re.IGNORECASE)
_CONFIRM_CUE = re.compile(r"\b(?:confirm|verify|double[- ]check)\b", re.IGNORECASE)
# The agent reading a value back ("is it 1234?") is confirming, not asking again.
_VALUE_IN_ASK = re.compile(r"\d{3,}|@")

# Speech-to-text often spells numbers out: "five five zero two".
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double \w+)"
_FACTS: dict[str, re.Pattern[str]] = {
    "number": re.compile(r"\b[A-Za-z]{0,4}[-#]?\d[\d -]{2,}\d\b|"
                         rf"\b{_DIGIT_WORD}(?:[\s,.-]+{_DIGIT_WORD}){{3,}}\b", re.IGNORECASE),
    "phone": re.compile(r"(?<!\d)(?:\+?\d[\d ().-]{6,}\d)(?!\d)"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b|\b\w+ at \w+ dot (?:com|net|org|"
                        r"co)\b", re.IGNORECASE),
    "name": re.compile(r"\b(?:my name is|my name's|name's|this is \w+ speaking|i'm called)\b",
                       re.IGNORECASE),
    "address": re.compile(r"\b(?:\d+[a-z]? \w+(?: \w+)? (?:street|st|road|rd|avenue|ave|lane|"
                          r"ln|drive|dr|close|way|court|ct|boulevard|blvd|place|crescent)\b|"
                          r"i live at|my address is)", re.IGNORECASE),
    "postcode": re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{5}(?:-\d{4})?)\b|"
                           r"\b(?:post ?code|zip(?: code)?) is\b", re.IGNORECASE),
    "dob": re.compile(r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|born (?:on|in)|date of birth is|"
                      r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(?:st|"
                      r"nd|rd|th)?,? (?:19|20)\d\d)\b", re.IGNORECASE),
}


@lru_cache(maxsize=16384)
def gives_detail(kind: str, text: str) -> bool:
    """Whether a customer turn gives a detail of ``kind`` (number, email, phone, name...).
    A phone number also answers a request for "the number"."""
    if kind == "number" and gives_detail("phone", text):
        return True
    return bool(_FACTS[kind].search(text))


@lru_cache(maxsize=8192)
def _question_key(sentence: str) -> str:
    """A question reduced to its words, fillers dropped, for "asked twice" checks."""
    words = re.findall(r"[a-z0-9']+", sentence.lower())
    while words and words[0] in {"so", "and", "ok", "okay", "sorry", "again", "um", "uh", "now"}:
        words.pop(0)
    return " ".join(words) if len(words) >= MIN_REPEAT_WORDS else ""


class RepeatQuestionDetector:
    """Labels ``repeat_question`` when the agent asks for a detail the customer already
    gave in this call, or asks the same question again after it was answered."""

    name: str = "agent.repeat_question"
    labels: tuple[str, ...] = ("repeat_question",)
    roles: frozenset[Role] = _AGENT

    def detect(self, context: TurnContext) -> list[Signal]:
        signals: list[Signal] = []
        if _ITEM_ASK.search(context.text):
            for start, _end, sentence in sentences(context.text):
                signals.extend(self._item_asks(context, start, sentence))
        return signals + self._same_questions(context)

    def _item_asks(self, context: TurnContext, offset: int, sentence: str) -> Iterator[Signal]:
        if not _ASK_CUE.search(sentence) or _VALUE_IN_ASK.search(sentence):
            return
        score = REPEAT_CONFIRM_SCORE if _CONFIRM_CUE.search(sentence) else REPEAT_ASK_SCORE
        for match in _ITEM_ASK.finditer(sentence):
            kind = match.lastgroup
            if kind is not None and _already_given(kind, context.history):
                yield make_signal(context, "repeat_question", score, offset + match.start(),
                                  offset + match.end(), self.name)

    def _same_questions(self, context: TurnContext) -> list[Signal]:
        answered = _answered_questions(context.history)
        signals = []
        for q in find_questions(context.text):
            key = _question_key(context.text[q.start:q.end])
            if key and key in answered:
                signals.append(make_signal(context, "repeat_question",
                                           REPEAT_SAME_QUESTION_SCORE, q.start, q.end, self.name))
        return signals


def _already_given(kind: str, history: Sequence[Turn]) -> bool:
    return any(t.role is Role.CUSTOMER and gives_detail(kind, t.text) for t in history)


def _answered_questions(history: Sequence[Turn]) -> frozenset[str]:
    """Keys of earlier agent questions that a customer turn came after."""
    answered: set[str] = set()
    pending: set[str] = set()
    for turn in history:
        if turn.role is Role.AGENT:
            pending.update(_question_key(turn.text[q.start:q.end])
                           for q in find_questions(turn.text))
        elif turn.role is Role.CUSTOMER:
            answered.update(pending)
            pending.clear()
    answered.discard("")
    return frozenset(answered)


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
    names: set[str] = set()
    if context.conversation is not None and context.conversation.customer_name:
        names.update(context.conversation.customer_name.split())
    for turn in context.history:
        if turn.role is Role.CUSTOMER:
            names.update(_names_from(turn.text))
    return frozenset(n.strip(".,'") for n in names if len(n.strip(".,'")) >= 2)


@lru_cache(maxsize=1024)
def _name_regex(names: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


class PersonalNameDetector:
    """Labels ``personalisation`` where the agent uses the customer's name (references
    to the customer's history are phrase patterns in ``agent.yaml``)."""

    name: str = "agent.personalisation"
    labels: tuple[str, ...] = ("personalisation",)
    roles: frozenset[Role] = _AGENT

    def detect(self, context: TurnContext) -> list[Signal]:
        names = _customer_names(context)
        if not names:
            return []
        return [make_signal(context, "personalisation", PERSONAL_NAME_SCORE, m.start(), m.end(),
                            self.name) for m in _name_regex(names).finditer(context.text)]


@register_detector("agent.questions")
def question_detector() -> QuestionDetector:
    return QuestionDetector()


@register_detector("agent.jargon")
def jargon_detector() -> JargonDetector:
    return JargonDetector()


@register_detector("agent.interruption")
def interruption_detector() -> InterruptionDetector:
    return InterruptionDetector()


@register_detector("agent.repeat_question")
def repeat_question_detector() -> RepeatQuestionDetector:
    return RepeatQuestionDetector()


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
