"""The learned stage of the detector pipeline: after the rules have run on a turn, a
linear model per role weighs the turn's words, the rules' findings and the previous
turn, and decides each label it covers.

A rule's finding stands as it is (the rules are precise, and the temperature curve
is calibrated on their scores) unless the stage is told it may veto. Where only the
model says yes, past the operating point the playbook sets for the label, it adds a
signal whose evidence is the sentence that weighs most for the label and whose score
is the model's confidence. Labels the model does not cover pass through untouched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from calmline.conversation import Role
from calmline.detectors.base import TurnContext, make_signal
from calmline.learned.features import FeatureRows, turn_features, words_of
from calmline.learned.model import ModelSet, RoleModel
from calmline.playbook.model import DetectionPolicy, OperatingPoint
from calmline.signals import LIVE_ONLY_DETECTOR, Signal
from calmline.text import sentences

DETECTOR_NAME = "learned"



def confidence(probability: float, threshold: float) -> float:
    """Map a model probability onto calmline's confidence scale, on which the label's
    calibrated (F1-best) threshold sits at 0.5 — so a score reads the same for every
    label and for rules and models alike."""
    if probability < threshold:
        return 0.5 * probability / threshold
    return 0.5 + 0.5 * (probability - threshold) / (1.0 - threshold)


class LearnedStage:
    """Combines rule signals with the learned models' decisions, label by label, at
    the operating points the playbook's detection policy sets.

    A rule's finding stands as it is unless ``veto`` is set (then the model must
    agree at its balanced point) — by default, when the model card says the models
    may overrule the rules (``calmline train --overrule-rules``, for models trained on
    data whose labelling conventions differ from calmline's). A label only the model
    finds is added as a verdict signal past the label's verdict operating point, or as
    a live-only signal (for nudges, not the scorecard) past its live operating point."""

    def __init__(self, models: ModelSet, policy: DetectionPolicy | None = None,
                 veto: bool | None = None) -> None:
        self.models = models
        self.policy = policy or DetectionPolicy()
        self.veto = bool(models.card.get("overrule_rules", False)) if veto is None else veto
        # (verdict cut, live cut, balanced cut) per role and label, worked out once.
        self._cuts = {role: {label: (self._cut(m, label, "verdict"), self._cut(m, label, "live"),
                                     m.threshold(label)) for label in m.labels}
                      for role, m in models.roles.items()}
        self._evidence = {role: SentenceWeights(m) for role, m in models.roles.items()}
        self._rows = {role: FeatureRows(m.vocabulary) for role, m in models.roles.items()}

    def refine(self, context: TurnContext, signals: Sequence[Signal]) -> list[Signal]:
        model = self.models.for_role(context.turn.role)
        if model is None:
            return list(signals)
        cuts = self._cuts[model.role]
        rows = self._rows[model.role](*feature_arguments(context, signals))
        probabilities = model.probabilities_of_rows(rows)
        found = {s.label for s in signals}
        kept = [s for s in signals if s.label not in probabilities
                or not self.veto or probabilities[s.label] >= cuts[s.label][2]]
        evidence = self._evidence[model.role].of(context.text)
        for label, p in probabilities.items():
            if label in found:
                continue
            verdict, live, _ = cuts[label]
            if p >= verdict:
                kept.append(_sentence_signal(model, context, evidence, label, p, DETECTOR_NAME))
            elif p >= live:
                kept.append(_sentence_signal(model, context, evidence, label, p,
                                             LIVE_ONLY_DETECTOR))
        return kept

    def _cut(self, model: RoleModel, label: str, purpose: str) -> float:
        point = self.policy.point(label, purpose)
        return math.inf if point is OperatingPoint.NEVER else model.threshold(label, point.value)


def features_of(context: TurnContext, signals: Sequence[Signal]) -> list[str]:
    """The learned features of a turn, given the rules' signals for it."""
    return turn_features(*feature_arguments(context, signals))


def feature_arguments(
    context: TurnContext, signals: Sequence[Signal]
) -> tuple[list[str], set[str], str | None, frozenset[str], float | None]:
    """What ``turn_features`` reads of a turn: its norms, the rules' labels, the other
    side's previous turn and its labels, and the profanity of a customer's turn."""
    other = Role.CUSTOMER if context.turn.role is Role.AGENT else Role.AGENT
    previous_text: str | None = None
    previous_labels: frozenset[str] = frozenset()
    for turn, found in zip(reversed(context.history), reversed(context.history_signals),
                           strict=False):
        if turn.role is other:
            previous_text, previous_labels = turn.text, frozenset(s.label for s in found)
            break
    profanity = (context.resources.profanity(context.text)
                 if context.turn.role is Role.CUSTOMER else None)
    return context.norms[0], {s.label for s in signals}, previous_text, previous_labels, profanity


class SentenceWeights:
    """How much each sentence of a text counts towards each label of one role model: the
    words of every sentence looked up once per turn, not once per label, and each label's
    weight column kept contiguous (the same float32 sums as indexing the weight matrix)."""

    def __init__(self, model: RoleModel) -> None:
        self._vocabulary = model.vocabulary
        self._columns = [np.ascontiguousarray(model.weights[:, c]) for c in range(len(model.labels))]
        self._labels = {label: c for c, label in enumerate(model.labels)}

    def of(self, text: str) -> TurnEvidence:
        return TurnEvidence(self, text)

    def rows(self, sentence: str) -> list[int]:
        """The vocabulary rows of a sentence's words, in order."""
        found = map(self._vocabulary.get, [f"w:{w}" for w in words_of(sentence)])
        return [i for i in found if i is not None]

    def weight(self, label: str, rows: list[int]) -> float:
        return float(self._columns[self._labels[label]].take(rows).sum()) if rows else 0.0


class TurnEvidence:
    """One turn's sentences and their vocabulary rows, worked out when a label only the
    model found first needs its evidence."""

    __slots__ = ("_rows", "_text", "_weights")

    def __init__(self, weights: SentenceWeights, text: str) -> None:
        self._weights = weights
        self._text = text
        self._rows: list[list[int]] | None = None

    def best(self, label: str) -> tuple[int, int]:
        """The span of the sentence whose words weigh most for ``label`` (the first on a
        tie; the whole text when it has no sentence)."""
        spans = sentences(self._text)
        if len(spans) <= 1:
            return (spans[0][0], spans[0][1]) if spans else (0, len(self._text))
        if self._rows is None:
            self._rows = [self._weights.rows(sentence) for _, _, sentence in spans]
        weight = [self._weights.weight(label, rows) for rows in self._rows]
        best = max(range(len(spans)), key=lambda i: (weight[i], -i))
        return spans[best][0], spans[best][1]


def _sentence_signal(model: RoleModel, context: TurnContext, evidence: TurnEvidence, label: str,
                     p: float, detector: str) -> Signal:
    """Evidence for a label only the model found: the sentence whose words weigh most.
    The score is the model's confidence (0.5 at the label's balanced cut)."""
    start, end = evidence.best(label)
    return make_signal(context, label, confidence(p, model.threshold(label)), start, end, detector)
