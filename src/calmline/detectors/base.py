"""The detector contract: what a detector sees (a TurnContext) and what it returns
(signals). Detectors are registered by name so a playbook or config can list them,
and a learned model can sit beside a rule set under the same label."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from calmline.conversation import Conversation, Role, Turn
from calmline.signals import Signal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from calmline.detectors.resources import Resources
    from calmline.detectors.tokens import TurnTokens


@dataclass(slots=True)
class TurnContext:
    """Everything a detector may look at for one turn: the turn, the turns before it
    (never after: live and post-call analysis must agree), the signals already found
    in earlier turns, and shared, cached text resources."""

    turn: Turn
    history: Sequence[Turn]
    history_signals: Sequence[Sequence[Signal]]
    resources: Resources
    conversation: Conversation | None = None
    _doc: Doc | None = field(default=None, repr=False)
    _tokens: TurnTokens | None = field(default=None, repr=False)
    _words: list[Token] | None = field(default=None, repr=False)
    _word_indices: list[int] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return self.turn.text

    @property
    def doc(self) -> Doc:
        """The turn tokenised once and shared by every detector."""
        if self._doc is None:
            self._doc = self.resources.tokenize(self.turn.text)
        return self._doc

    @property
    def tokens(self) -> TurnTokens:
        """The turn's token attributes, computed once and shared by every detector (the
        same tokens as ``doc``, without building it)."""
        if self._tokens is None:
            self._tokens = self.resources.tokens(self.turn.text)
        return self._tokens

    @property
    def norms(self) -> tuple[list[str], list[bool]]:
        """Each token's norm and whether it reads as a number, computed once per turn."""
        return self.tokens.norms, self.tokens.numeric

    @property
    def words(self) -> list[Token]:
        """The word tokens (letters, or masked words like "f***"), computed once per turn."""
        if self._words is None:
            self._words = [t for t in self.doc if t.is_alpha or "*" in t.text]
        return self._words

    @property
    def word_indices(self) -> list[int]:
        """The positions in ``tokens`` of the word tokens (those of ``words``)."""
        if self._word_indices is None:
            self._word_indices = [i for i, x in enumerate(self.tokens.lexemes)
                                  if x.is_alpha or "*" in x.text]
        return self._word_indices

    def previous(self, role: Role | None = None) -> Turn | None:
        """The nearest earlier turn, optionally of ``role``."""
        for turn in reversed(self.history):
            if role is None or turn.role is role:
                return turn
        return None

    def earlier_labels(self, role: Role | None = None) -> frozenset[str]:
        """Labels seen in earlier turns (of ``role`` if given)."""
        found: set[str] = set()
        for turn, signals in zip(self.history, self.history_signals, strict=False):
            if role is None or turn.role is role:
                found.update(s.label for s in signals)
        return frozenset(found)


@runtime_checkable
class Detector(Protocol):
    """Computes signals for one turn. Must not mutate the context or keep state
    between calls: the same context always gives the same signals."""

    name: str
    labels: tuple[str, ...]
    roles: frozenset[Role]

    def detect(self, context: TurnContext) -> list[Signal]: ...


DetectorFactory = Callable[[], Detector]
_REGISTRY: dict[str, DetectorFactory] = {}


def register_detector(name: str) -> Callable[[DetectorFactory], DetectorFactory]:
    """Register a detector factory under ``name`` (decorator)."""

    def wrap(factory: DetectorFactory) -> DetectorFactory:
        _REGISTRY[name] = factory
        return factory

    return wrap


def registered_detectors() -> dict[str, DetectorFactory]:
    return dict(_REGISTRY)


def make_signal(
    context: TurnContext, label: str, score: float, start: int, end: int, detector: str
) -> Signal:
    """A signal whose evidence is the matched slice of the turn's text."""
    text = context.turn.text
    return Signal(label, round(score, 3), context.turn.index, start, end, text[start:end], detector)
