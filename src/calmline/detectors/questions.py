"""Agent questions: asking (open or not), and asking again for what the customer already
gave or already answered.

Every regex here is compiled once, at import. Each turn first passes a cheap check that
can only rule a regex out, never in (``ascii_fold`` plus a set of cue words), so turns
with nothing to find cost about a microsecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from calmline.conversation import Role, Turn
from calmline.detectors.base import TurnContext, make_signal, register_detector
from calmline.signals import Signal
from calmline.text import Caseless, ascii_fold, sentences

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
_QUESTION_START = Caseless(
    rf"^{_LEAD}(?:{_AUX}\s+{_SUBJECT}\b|{_WH}(?:'s|\s+\w+)|(?:please )?(?:tell me|walk me "
    r"through|talk me through|help me understand|describe|explain)\b|may i ask\b|"
    r"i was wondering\b|do you mind\b|any (?:idea|chance)\b)")
# In a sentence with no punctuation at all, a question may start mid-way after a pivot.
_EMBEDDED_QUESTION = Caseless(
    rf"\b(?:so|and|but|okay|ok|now|then)\s+((?:{_AUX}\s+(?:you|u|i)|{_WH}\s+(?:is|was|did|do|"
    r"does|are|were|can|could|would|happened|exactly))\b)")
# A statement that merely starts like a question ("what I can do is...").
_STATEMENT_START = Caseless(
    rf"^{_LEAD}(?:what (?:i|we) (?:can|will|'ll|could|would|am|'m|are|'re)\b|what an? \w+|"
    r"how (?:awful|terrible|horrible|sad|nice|great|wonderful|lovely|kind|frustrating|annoying|"
    r"exciting|scary|hard|difficult|tough|strange|weird|good|cool|amazing)\b|"
    r"what (?:happens|happened) (?:next )?(?:is|was)\b|how (?:it|this) works is\b|"
    r"when (?:i|we|you|it|this|that|the)\b.*\b(?:i|we)(?:'ll| will)\b|"
    r"(?:i|we) (?:can|will|'ll)\b|which (?:is|means)\b|who (?:is|was) (?:a|an|the)\b)")
_OPEN_QUESTION = Caseless(
    rf"^{_LEAD}(?:(?:can|could|would|will) you (?:please )?|would you mind |please )?"
    r"(?:what|how|why|tell me|walk me through|describe|explain|talk me through|help me "
    r"understand|share)\b|"
    r"\b(?:can|could|would|will) you (?:please )?(?:tell me|walk me through|talk me through|"
    r"describe|explain) (?:a (?:little|bit) )?(?:more )?(?:about )?(?:what|how|why|when you)\b")
# Wh-questions that ask for one fact, a number or a time: closed, not open.
_CLOSED_WH = Caseless(
    r"\b(?:how (?:long|much|many|old|often|soon|far)|what (?:time|day|date|year|size|colou?r|"
    r"model)|(?:what|tell me)(?:'s| is| was)? (?:your|the) (?:\w+ ){0,2}(?:number|no|email|"
    r"address|name|postcode|post code|zip(?: code)?|date of birth|dob|id|reference|pin))\b")
# Rhetorical or dismissive questions are not invitations to explain.
_RHETORICAL = Caseless(
    r"\b(?:what (?:do|did|else do|else can) you (?:want|expect)|what (?:am|are) (?:i|we) "
    r"supposed to|how (?:many times|am i supposed|do you expect|would i know|could i know|"
    r"should i know)|why (?:didn'?t|did not|would|wouldn'?t|couldn'?t|don'?t|do not|are) you|"
    r"who told you|what(?:'s| is) (?:your|the) problem|what(?:'s| is) wrong with you)\b")


_PUNCTUATED = re.compile(r"[.!?]")


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
    unpunctuated = not _PUNCTUATED.search(text)
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


# --- repeat questions ----------------------------------------------------------------
REPEAT_ASK_SCORE = 0.75
# "Can you confirm your email?" may be a security check: still a repeat, less sure.
REPEAT_CONFIRM_SCORE = 0.55
REPEAT_SAME_QUESTION_SCORE = 0.6
# Questions shorter than this ("sorry?", "okay?") are not worth comparing.
MIN_REPEAT_WORDS = 3

# One pass over the agent's sentence; the group name is the kind of detail asked for.
_ITEM_ASK = Caseless(
    r"\b(?:(?P<phone>(?:phone|mobile|cell|telephone|contact|callback) number)|"
    r"(?P<number>(?:account|order|reference|ref|case|ticket|tracking|customer|member(?:ship)?|"
    r"policy|confirmation|booking|invoice|card)\s*(?:number|no\b|#|id\b))|"
    r"(?P<email>e-?mail(?: address)?)|"
    r"(?P<name>your (?:full |first |last )?name|spell (?:your |the )?(?:last |first )?name|"
    r"who (?:am i|i'm|i am) speaking (?:to|with))|"
    r"(?P<address>(?:your|the) (?:full |home |billing |shipping |postal |delivery )?address)|"
    r"(?P<postcode>post ?code|zip(?: code)?)|"
    r"(?P<dob>date of birth|dob|birth ?date|birthday))\b")
_ASK_CUE = Caseless(
    r"\b(?:what(?:'s| is| was)|can i|could i|may i|can you|could you|would you|do you have|"
    r"please|need|"
    r"provide|confirm|give me|tell me|spell|read (?:me|out)|repeat|verify)\b|\?")
# Every match of _ITEM_ASK contains one of these as a whole word of the folded text (a
# numbered thing may be glued to "number", "no" or "id"): turns without one skip the regex.
_NUMBERED = ("account", "order", "reference", "ref", "case", "ticket", "tracking", "customer",
             "member", "membership", "policy", "confirmation", "booking", "invoice", "card")
_DETAIL_WORDS = ("number", "name", "speaking", "address", "post", "postcode", "zip", "birth",
                 "birthdate", "birthday", "dob", "email", "mail")
_ITEM_WORDS = frozenset(word.encode("ascii") for word in (
    *_DETAIL_WORDS, *(thing + glued for thing in _NUMBERED for glued in ("", "number", "no", "id"))))
_CONFIRM_CUE = Caseless(r"\b(?:confirm|verify|double[- ]check)\b")
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
        text = context.text
        if not _ITEM_WORDS.isdisjoint(ascii_fold(text).split()) and _ITEM_ASK.search(text):
            for start, _end, sentence in sentences(text):
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
        asked = _keyed_questions(context.text)
        if not asked:
            return []
        answered = _answered_questions(context.history)
        return [make_signal(context, "repeat_question", REPEAT_SAME_QUESTION_SCORE, start, end,
                            self.name) for start, end, key in asked if key in answered]


def _already_given(kind: str, history: Sequence[Turn]) -> bool:
    return any(t.role is Role.CUSTOMER and gives_detail(kind, t.text) for t in history)


@lru_cache(maxsize=8192)
def _keyed_questions(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, key) of each question in ``text`` long enough to compare."""
    return tuple((q.start, q.end, key) for q in find_questions(text)
                 if (key := _question_key(text[q.start:q.end])))


def _answered_questions(history: Sequence[Turn]) -> set[str]:
    """Keys of earlier agent questions that a customer turn came after."""
    answered: set[str] = set()
    customer_after = False
    for turn in reversed(history):
        if turn.role is Role.CUSTOMER:
            customer_after = True
        elif customer_after and turn.role is Role.AGENT:
            answered.update(key for _start, _end, key in _keyed_questions(turn.text))
    return answered


@register_detector("agent.questions")
def question_detector() -> QuestionDetector:
    return QuestionDetector()


@register_detector("agent.repeat_question")
def repeat_question_detector() -> RepeatQuestionDetector:
    return RepeatQuestionDetector()
