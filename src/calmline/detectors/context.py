"""Customer cues that depend on the agent's turn just before, or on how the text is typed:
an echoed term or a bare "what?" (confusion), a yes to an offered supervisor (escalation
request), and shouting in capitals (anger).

Word lists live in ``lexicons/customer.yaml`` (section ``context_cues``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from calmline.conversation import Role, Turn
from calmline.detectors.base import TurnContext, make_signal
from calmline.detectors.customer import CUSTOMER_LEXICON, read_section
from calmline.signals import Signal

if TYPE_CHECKING:
    from calmline.detectors.tokens import Lexeme

ECHO_MAX_WORDS = 5  # "ACH return?" echoes a term back; longer turns are real questions
ECHO_SCORE = 0.6
PUZZLED_SCORE = 0.5  # "what?" can be disbelief as well as not understanding
ACCEPT_MAX_WORDS = 15
ACCEPT_SCORE = 0.7
SHOUT_SCORE = 0.55
SHOUT_MIN_LETTERS = 10

# Three or more capitalised words in a row, e.g. "THIS IS UNACCEPTABLE".
SHOUTING = re.compile(r"\b[A-Z][A-Z']+(?:[\s,.!?]+[A-Z][A-Z']+){2,}\b")
# Two capitalised words in a row: a quick scan (no leading \b, so ~3x faster) that rules
# shouting out for almost every turn.
_CAPITALS = re.compile(r"[A-Z][A-Z']+[\s,.!?]+[A-Z][A-Z']")
_OFFER = re.compile(
    r"\?|\b(would you like|do you want|want me to|shall i|should i|i can (?!not|'t))", re.I
)


@dataclass(frozen=True, slots=True)
class ContextCues:
    """The ``context_cues`` section of the customer lexicon."""

    affirmation: re.Pattern[str]
    escalation_words: re.Pattern[str]
    puzzled: re.Pattern[str]
    # The first word of each escalation phrase, lower case: an ASCII text holding none of
    # them cannot mention escalation (a quick test; empty when a word is not ASCII).
    escalation_first_words: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = CUSTOMER_LEXICON) -> ContextCues:
        raw = read_section(path, "context_cues")
        yes = _alternation(raw["affirmations"])
        escalation = [str(p) for p in raw["escalation_offer_words"]]
        first_words = tuple({p.lower().split()[0] for p in escalation if p.strip()})
        return cls(
            re.compile(rf"^\W*((?:{yes})(?:[\s,]+(?:{yes}))*)\b", re.I),
            re.compile(rf"\b({_alternation(escalation)})", re.I),
            re.compile(rf"^\W*({_alternation(raw['puzzled_replies'])})\W*\?+\W*$", re.I),
            first_words if all(w.isascii() for w in first_words) else (),
        )

    def mentions_escalation(self, text: str) -> bool:
        """Whether ``text`` names a supervisor, manager or escalation."""
        if self.escalation_first_words and text.isascii():
            lowered = text.lower()
            if not any(word in lowered for word in self.escalation_first_words):
                return False
        return self.escalation_words.search(text) is not None


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
        if not _CAPITALS.search(context.text):
            return []
        return [make_signal(context, "anger", SHOUT_SCORE, m.start(), m.end(), self.name)
                for m in SHOUTING.finditer(context.text)
                if sum(c.isalpha() for c in m.group()) >= SHOUT_MIN_LETTERS]

    def _word_count(self, context: TurnContext) -> int:
        """``len(context.words)``: the number of word tokens."""
        return len(context.word_indices)

    def _confusion(self, context: TurnContext, agent: Turn) -> list[Signal]:
        text = context.text
        if "?" not in text or not 0 < self._word_count(context) <= ECHO_MAX_WORDS:
            return []
        at, tokens = context.word_indices, context.tokens
        span = (tokens.starts[at[0]], tokens.end(at[-1]))
        if self.cues.puzzled.match(text):
            return [make_signal(context, "confusion", PUZZLED_SCORE, *span, self.name)]
        if _echoes([tokens.lexemes[i] for i in at], agent.text):
            return [make_signal(context, "confusion", ECHO_SCORE, *span, self.name)]
        return []

    def _acceptance(self, context: TurnContext, agent: Turn) -> list[Signal]:
        # Cheapest test first: most turns do not open with a yes.
        match = self.cues.affirmation.match(context.text)
        if match is None or self._word_count(context) > ACCEPT_MAX_WORDS:
            return []
        if not (self.cues.mentions_escalation(agent.text) and _OFFER.search(agent.text)):
            return []
        return [make_signal(context, "escalation_request", ACCEPT_SCORE, match.start(1),
                            match.end(1), self.name)]


def _agent_just_before(context: TurnContext) -> Turn | None:
    if context.history and context.history[-1].role is Role.AGENT:
        return context.history[-1]
    return None


def _echoes(words: list[Lexeme], agent_text: str) -> bool:
    """Every content word of a short question repeats the agent's words: a term the
    customer did not understand ("ACH return?")."""
    content = [w.lower for w in words if not w.is_stop]
    said = set(re.findall(r"[\w']+", agent_text.lower()))
    return bool(content) and all(word in said for word in content)
