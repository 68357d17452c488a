"""The learned stage of the detector pipeline: after the rules have run on a turn, a
linear model per role weighs the turn's words, the rules' findings and the previous
turn, and decides each label it covers.

A rule's finding stands as it is (the rules are precise, and the temperature curve
is calibrated on their scores) unless the stage is told it may veto. Where only the
model says yes, past the label's precision-leaning operating point, it adds a signal
whose evidence is the sentence that weighs most for the label and whose score is the
model's confidence. Labels the model does not cover pass through untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from calmline.conversation import Role
from calmline.detectors.base import TurnContext, make_signal
from calmline.learned.features import turn_features
from calmline.learned.model import ModelSet, RoleModel
from calmline.signals import Signal
from calmline.text import sentences

DETECTOR_NAME = "learned"

# Labels the model may confirm and rescore but not add on its own: they flag the
# customer's state (the temperature curve is calibrated on the rules' customer
# signals), count against the agent, or decide the call's outcome (escalated,
# callback), so a finding needs the rules' precise evidence.
CONFIRM_ONLY = frozenset({"anger", "frustration", "confusion", "satisfaction",
                          "abuse", "threat", "escalation_request", "boundary",
                          "escalation_offer", "callback_offer", "blame", "dismissive",
                          "non_apology"})


def confidence(probability: float, threshold: float) -> float:
    """Map a model probability onto calmline's confidence scale, on which the label's
    calibrated (F1-best) threshold sits at 0.5 — so one playbook threshold means the
    same for every label and for rules and models alike."""
    if probability < threshold:
        return 0.5 * probability / threshold
    return 0.5 + 0.5 * (probability - threshold) / (1.0 - threshold)


class LearnedStage:
    """Combines rule signals with the learned models' decisions, label by label.

    Rules are precise by design, so by default a rule's finding stands (``veto``
    off) and the model adds what the rules missed once it is past the label's
    ``add_point`` operating point (precision-leaning: an added finding must be
    surer than a confirmed one)."""

    def __init__(self, models: ModelSet, add_point: str = "precision", veto: bool = False,
                 confirm_only: frozenset[str] = CONFIRM_ONLY) -> None:
        self.models = models
        self.add_point = add_point
        self.veto = veto
        self.confirm_only = confirm_only

    def refine(self, context: TurnContext, signals: Sequence[Signal]) -> list[Signal]:
        model = self.models.for_role(context.turn.role)
        if model is None:
            return list(signals)
        probabilities = model.probabilities(features_of(context, signals))
        kept = [s for s in signals if s.label not in probabilities]
        for label, p in probabilities.items():
            score = confidence(p, model.threshold(label))
            found = [s for s in signals if s.label == label]
            if found and (score >= 0.5 or not self.veto):
                kept += found
            elif (not found and label not in self.confirm_only
                  and p >= model.threshold(label, self.add_point)):
                kept.append(_sentence_signal(model, context, label, score))
        return kept


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


def _sentence_signal(model: RoleModel, context: TurnContext, label: str,
                     score: float) -> Signal:
    """Evidence for a label only the model found: the sentence whose words weigh most."""
    spans = sentences(context.text)
    if len(spans) <= 1:
        start, end = (spans[0][0], spans[0][1]) if spans else (0, len(context.text))
        return make_signal(context, label, score, start, end, DETECTOR_NAME)
    column = model.labels.index(label)
    weight = dict.fromkeys(range(len(spans)), 0.0)
    for token in context.doc:
        row = model.vocabulary.get(f"w:{token.norm_}")
        if row is None:
            continue
        for i, (begin, finish, _) in enumerate(spans):
            if begin <= token.idx < finish:
                weight[i] += float(model.weights[row, column])
    best = max(weight, key=lambda i: (weight[i], -i))
    return make_signal(context, label, score, spans[best][0], spans[best][1], DETECTOR_NAME)
