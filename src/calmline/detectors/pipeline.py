"""The detector pipeline: run every detector that reads a turn's role, then resolve
conflicts between labels (a non-apology is not also an apology)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import yaml

from calmline.conversation import Conversation, Role, Turn
from calmline.detectors.base import Detector, TurnContext, registered_detectors
from calmline.detectors.resources import Resources, shared_resources
from calmline.errors import CalmlineError, ErrorCode
from calmline.signals import Signal


class Refiner(Protocol):
    """A stage after the rules that may rescore, drop or add a turn's signals (the
    learned detectors)."""

    def refine(self, context: TurnContext, signals: Sequence[Signal]) -> list[Signal]: ...


SUPPRESSIONS_FILE = Path(__file__).parent / "lexicons" / "suppressions.yaml"

# A short call that reaches every detector's lazily loaded model and word list (an agent
# turn before a customer one, a heated customer, an apology with an offer).
_WARM_UP_TURNS = (
    (Role.AGENT, "Thanks for calling, how can I help you today?"),
    (Role.CUSTOMER, "This is ridiculous, you charged me twice and nobody helps! Damn it."),
    (Role.AGENT, "I'm so sorry. I can refund it today, or would you prefer a credit?"),
    (Role.CUSTOMER, "Yes, a refund please. Thank you."),
)
WARM_UP_CALL = Conversation(
    id="warm-up", turns=tuple(Turn(i, role, text) for i, (role, text) in enumerate(_WARM_UP_TURNS)))

DEFAULT_DETECTORS: tuple[str, ...] = (
    "lexicon.customer",
    "customer.abuse",
    "customer.venting",
    "customer.context",
    "lexicon.agent",
    "agent.questions",
    "agent.jargon",
    "agent.interruption",
    "agent.repeat_question",
    "agent.personalisation",
)


def load_suppressions(path: Path = SUPPRESSIONS_FILE) -> dict[str, frozenset[str]]:
    """``{label: labels it cancels where their evidence overlaps}``."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k: frozenset(v or ()) for k, v in (data.get("suppress") or {}).items()}


class DetectorPipeline:
    """An ordered set of detectors plus the conflict rules between their labels."""

    def __init__(
        self,
        detectors: Sequence[Detector],
        suppressions: dict[str, frozenset[str]] | None = None,
        resources: Resources | None = None,
        learned: Refiner | None = None,
    ) -> None:
        self.detectors = tuple(detectors)
        self.learned = learned
        self.suppressions = load_suppressions() if suppressions is None else suppressions
        self.resources = resources or shared_resources()

    @classmethod
    def from_names(cls, names: Iterable[str] = DEFAULT_DETECTORS,
                   learned: Refiner | None = None) -> DetectorPipeline:
        registry = registered_detectors()
        unknown = [n for n in names if n not in registry]
        if unknown:
            raise CalmlineError(f"unknown detector(s): {', '.join(unknown)}",
                                code=ErrorCode.E005_SCHEMA,
                                hint=f"known: {', '.join(sorted(registry))}")
        return cls([registry[name]() for name in names], learned=learned)

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(label for d in self.detectors for label in d.labels)

    def load(self) -> None:
        """Load what the detectors load on first use (tokenizer, word lists, models) now,
        by detecting a short warm-up call, so that no later call pays for it. Changes no
        result: the detectors' caches give the same numbers either way."""
        detect_conversation(self, WARM_UP_CALL)
        for turn in WARM_UP_CALL.turns:  # the temperature reads every customer turn's valence
            if turn.role is Role.CUSTOMER:
                self.resources.valence(turn.text)

    def warm(self, turns: Iterable[Turn]) -> None:
        """Prepare the per-text models for a whole call before detecting (the same
        numbers as computing them turn by turn)."""
        self.resources.warm_profanity(t.text for t in turns if t.role is Role.CUSTOMER)

    def detect(
        self,
        turn: Turn,
        history: Sequence[Turn],
        history_signals: Sequence[Sequence[Signal]],
        conversation: Conversation | None = None,
    ) -> tuple[Signal, ...]:
        """Signals for ``turn`` given only what came before it."""
        context = TurnContext(turn, history, history_signals, self.resources, conversation)
        found: list[Signal] = []
        for detector in self.detectors:
            if turn.role in detector.roles:
                found.extend(detector.detect(context))
        resolved = self._resolve(found)
        if self.learned is not None:
            resolved = self.learned.refine(context, resolved)
        return tuple(sorted(resolved, key=lambda s: (s.start, s.label)))

    def _resolve(self, signals: list[Signal]) -> list[Signal]:
        best: dict[tuple[str, int, int], Signal] = {}
        for s in signals:
            key = (s.label, s.start, s.end)
            if key not in best or s.score > best[key].score:
                best[key] = s
        kept = list(best.values())
        return [s for s in kept if not self._suppressed(s, kept)]

    def _suppressed(self, signal: Signal, others: list[Signal]) -> bool:
        for other in others:
            cancels = self.suppressions.get(other.label, frozenset())
            if signal.label in cancels and other.start < signal.end and signal.start < other.end:
                return True
        return False


def detect_conversation(
    pipeline: DetectorPipeline, conversation: Conversation
) -> list[tuple[Signal, ...]]:
    """Signals for every turn of a finished call (batch-warmed)."""
    pipeline.warm(conversation.turns)
    per_turn: list[tuple[Signal, ...]] = []
    for i, turn in enumerate(conversation.turns):
        per_turn.append(pipeline.detect(turn, conversation.turns[:i], per_turn, conversation))
    return per_turn
