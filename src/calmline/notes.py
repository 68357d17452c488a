"""Call notes, written automatically: the issue, the customer's complaints, the steps
taken, the outcome, and every commitment with its due phrase."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from calmline.conversation import Role, Turn
from calmline.outcome import Resolution
from calmline.signals import Signal
from calmline.text import Caseless, clip, sentence_around, sentences

COMPLAINT_LABELS = ("anger", "frustration", "threat", "escalation_request", "repeat_contact",
                    "confusion", "abuse")
STEP_LABELS = ("solution", "options", "escalation_offer", "callback_offer", "extra_mile",
               "follow_up")
COMMITMENT_LABELS = frozenset({"follow_up", "timeline", "callback_offer", "solution",
                               "escalation_offer", "extra_mile"})
MAX_ITEMS = 5
# The customer's opening words count as "the issue" once they say at least this much.
MIN_ISSUE_WORDS = 6

_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
_NUMBER_WORD = (rf"(?:twenty|thirty|forty|fifty|sixty|seventy|ninety)(?:[- ](?:{_UNITS}))?|"
                rf"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
                rf"nineteen|{_UNITS}")
_NUM = rf"(?:\d+|{_NUMBER_WORD}|a few|few|a couple(?: of)?|couple of|several|a|an)"
_SPAN = rf"(?:the next )?(?:about )?{_NUM}(?: (?:to|or|-) {_NUM})? (?:business |working )?"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?: (?:morning|afternoon|evening|night))?"
_CLOCK = rf"(?:\d{{1,2}}(?::\d\d)?|{_NUMBER_WORD}|noon|midday)(?: ?(?:[ap]\.?m\.?|o'clock))?"
_WHEN = (rf"(?:tomorrow|today|tonight|{_DAY}|next (?:week|month|{_DAY})|"
         rf"(?:the )?end of (?:the )?(?:day|week|month)|(?:the )?\d{{1,2}}(?:st|nd|rd|th))")
DUE_PHRASE = re.compile(
    r"\b(?:"
    rf"(?:within|in) {_SPAN}(?:minutes?|hours?|days?|weeks?|months?)"
    rf"|within (?:the|an) hour|in the next hour|about {_NUM} (?:minutes?|hours?)"
    rf"|by {_CLOCK}(?: (?:today|tomorrow|tonight))?"
    rf"|by {_WHEN}{_PART}"
    rf"|(?:on |this |next )?{_DAY}{_PART}(?: (?:at|by) {_CLOCK})?"
    rf"|(?:tomorrow|today|tonight){_PART}(?: (?:at|by) {_CLOCK})?"
    rf"|later today|this (?:morning|afternoon|evening|week)"
    rf"|next (?:week|month|business day|working day)"
    rf"|(?:on|from|with) your next (?:bill|statement|invoice)"
    rf"|(?:end of (?:the )?(?:day|week)|eod)"
    rf"|right now|right away|straight away|immediately"
    r")\b",
    re.IGNORECASE,
)
# Case-insensitive patterns run through Caseless (the same matches, faster): matched text
# comes back lower-cased, so a due phrase is sliced from the sentence itself.
_DUE = Caseless(DUE_PHRASE.pattern)
_PROMISE = Caseless(
    r"\b(?:i(?:'| wi)ll|i am going to|i'm going to|we(?:'| wi)ll|we are going to|"
    r"our \w+ (?:team )?will|someone will|(?:a|the|your) [\w-]+(?: [\w-]+)? will|"
    r"(?:it|they|this|that) (?:ships|arrives|goes out)|"
    r"you(?:'| wi)ll (?:receive|get|see|have|hear)|you should (?:see|receive|get|have|hear)|"
    r"(?:it|this|that)(?:'| wi)ll|you(?:'re| are) (?:booked|scheduled|all set)|"
    r"i(?:'m| am) \w+ing|let me|i can (?:arrange|send|book|schedule))\b"
)
_CUSTOMER_TASK = Caseless(r"\b(?:you(?:'| wi)ll need to|please (?:send|call|check|reply|email)|"
                          r"could you (?:send|email|call)|you need to)\b")


class Owner(StrEnum):
    AGENT = "agent"
    TEAM = "team"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Quote:
    turn_index: int
    text: str


@dataclass(frozen=True, slots=True)
class Commitment:
    """A promise made on the call: who owes what, and by when (as said)."""

    owner: Owner
    what: str
    due_phrase: str | None
    turn_index: int


@dataclass(frozen=True, slots=True)
class CallNotes:
    issue: Quote | None
    complaints: tuple[Quote, ...]
    steps_taken: tuple[Quote, ...]
    outcome: Resolution
    commitments: tuple[Commitment, ...]


def write_notes(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]], outcome: Resolution
) -> CallNotes:
    """Notes for a finished call."""
    return CallNotes(
        issue=_issue(turns, signals),
        complaints=_quotes(turns, signals, Role.CUSTOMER, COMPLAINT_LABELS),
        steps_taken=_quotes(turns, signals, Role.AGENT, STEP_LABELS),
        outcome=outcome,
        commitments=find_commitments(turns, signals),
    )


def _issue(turns: Sequence[Turn], signals: Sequence[Sequence[Signal]]) -> Quote | None:
    for turn, turn_signals in zip(turns, signals, strict=True):
        if turn.role is not Role.CUSTOMER:
            continue
        grievance = [s for s in turn_signals if s.label in COMPLAINT_LABELS]
        if grievance or len(turn.text.split()) >= MIN_ISSUE_WORDS:
            return Quote(turn.index, clip(turn.text, 240))
    return None


def _quotes(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]], role: Role, labels: Sequence[str]
) -> tuple[Quote, ...]:
    found: list[Quote] = []
    seen: set[str] = set()
    for turn, turn_signals in zip(turns, signals, strict=True):
        if turn.role is not role:
            continue
        for s in turn_signals:
            if s.label not in labels:
                continue
            sentence = clip(sentence_around(turn.text, s.start, s.end))
            if sentence not in seen:
                seen.add(sentence)
                found.append(Quote(turn.index, sentence))
    return tuple(found[:MAX_ITEMS])


def find_commitments(
    turns: Sequence[Turn], signals: Sequence[Sequence[Signal]]
) -> tuple[Commitment, ...]:
    """Every promise in agent turns: a promise phrase in a turn with a commitment move,
    or any promise that names a time."""
    found: list[Commitment] = []
    for turn, turn_signals in zip(turns, signals, strict=True):
        if turn.role is not Role.AGENT:
            continue
        committed = any(s.label in COMMITMENT_LABELS for s in turn_signals)
        for _, _, sentence in sentences(turn.text):
            if not (_PROMISE.search(sentence) or _CUSTOMER_TASK.search(sentence)):
                continue  # most sentences promise nothing: skip the clause work
            for clause in promise_clauses(sentence):
                commitment = _commitment(turn.index, clause, committed)
                if commitment is not None:
                    found.append(commitment)
    return tuple(found)


# ", and call you back…": a second promised action sharing the first one's subject.
_AND_ACTION = Caseless(r",? and (?:then )?(?=(?:call|ring|email|text|send|update|get back|let you know)\b)")
_AND_ACTION_START = Caseless(r"(?:call|ring|email|text|send|update|get back|let you know)\b")
# A turn rarely holds more promises than this; the cap bounds work on hostile input.
_MAX_CLAUSES = 8


def promise_clauses(sentence: str) -> list[str]:
    """The sentence cut before each promise after the first, so "I'll refund it today,
    and I'll email you in an hour" gives two commitments with their own due phrases."""
    starts = sorted({m.start() for m in _PROMISE.finditer(sentence)}
                    | {m.end() for m in _AND_ACTION.finditer(sentence)})
    starts = [s for s in starts if s > 0][: _MAX_CLAUSES]
    bounds = [0, *starts, len(sentence)]
    clauses = [sentence[a:b].strip(" ,;") for a, b in itertools.pairwise(bounds)]
    # A clause cut before the next promise loses the word that joined them; the last keeps all.
    clauses = [_DANGLING.sub("", c) for c in clauses[:-1]] + clauses[-1:]
    return [c for c in clauses if c]


# The word that joined a clause to the next promise, left at its end by the cut:
# "I'm marking it as a priority refund so | it goes out tonight".
_DANGLING = re.compile(r"(?:[\s,;]+(?:and|so|but|or|then|because|so that|and then))+[\s,;]*$",
                       re.IGNORECASE)


def _commitment(turn_index: int, sentence: str, committed: bool) -> Commitment | None:
    promise = _PROMISE.search(sentence)
    # The time that follows the promise belongs to it ("it ships today, and you'll get a
    # tracking email within the hour"); failing that, one said before it.
    due = (_DUE.search(sentence, promise.start()) if promise else None) or _DUE.search(sentence)
    customer_task = _CUSTOMER_TASK.search(sentence)
    if customer_task and due:
        return Commitment(Owner.CUSTOMER, clip(sentence), sentence[due.start():due.end()], turn_index)
    if promise is None and _AND_ACTION_START.match(sentence) is None:
        return None
    if not (committed or due):
        return None
    if promise is not None and promise.group(0).lower() == "let me" and not due:
        return None
    said = promise.group(0).lower() if promise else "i"
    owner = Owner.AGENT if said.startswith(("i", "you", "let me")) else Owner.TEAM
    return Commitment(owner, clip(sentence), sentence[due.start():due.end()] if due else None,
                      turn_index)
