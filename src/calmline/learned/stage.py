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

from calmline.conversation import Role
from calmline.detectors.base import TurnContext, make_signal
from calmline.learned.features import turn_features, words_of
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

    def refine(self, context: TurnContext, signals: Sequence[Signal]) -> list[Signal]:
        model = self.models.for_role(context.turn.role)
        if model is None:
            return list(signals)
        cuts = self._cuts[model.role]
        probabilities = model.probabilities(features_of(context, signals))
        found = {s.label for s in signals}
        kept = [s for s in signals if s.label not in probabilities
                or not self.veto or probabilities[s.label] >= cuts[s.label][2]]
        for label, p in probabilities.items():
            if label in found:
                continue
            verdict, live, _ = cuts[label]
            if p >= verdict:
                kept.append(_sentence_signal(model, context, label, p, DETECTOR_NAME))
            elif p >= live:
                kept.append(_sentence_signal(model, context, label, p, LIVE_ONLY_DETECTOR))
        return kept

    def _cut(self, model: RoleModel, label: str, purpose: str) -> float:
        point = self.policy.point(label, purpose)
        return math.inf if point is OperatingPoint.NEVER else model.threshold(label, point.value)


def features_of(context: TurnContext, signals: Sequence[Signal]) -> list[str]:
    """The learned features of a turn, given the rules' signals for it."""
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
    return turn_features(context.norms[0], {s.label for s in signals}, previous_text,
                         previous_labels, profanity)


def _sentence_signal(model: RoleModel, context: TurnContext, label: str, p: float,
                     detector: str) -> Signal:
    """Evidence for a label only the model found: the sentence whose words weigh most.
    The score is the model's confidence (0.5 at the label's balanced cut)."""
    score = confidence(p, model.threshold(label))
    spans = sentences(context.text)
    if len(spans) <= 1:
        start, end = (spans[0][0], spans[0][1]) if spans else (0, len(context.text))
        return make_signal(context, label, score, start, end, detector)
    column = model.labels.index(label)
    weight = [_weight(model, column, sentence) for _, _, sentence in spans]
    best = max(range(len(spans)), key=lambda i: (weight[i], -i))
    return make_signal(context, label, score, spans[best][0], spans[best][1], detector)


def _weight(model: RoleModel, column: int, sentence: str) -> float:
    """How much a sentence's words count towards one label."""
    rows = [i for i in (model.vocabulary.get(f"w:{w}") for w in words_of(sentence)) if i is not None]
    return float(model.weights[rows, column].sum()) if rows else 0.0
