"""Measuring detectors on labelled utterances: precision, recall, F1 per label."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from calmline.conversation import Role
from calmline.detectors.pipeline import DetectorPipeline
from calmline.labelled import LabelledUtterance, Scope
from calmline.labels import LABELS, PUBLIC_LABELS
from calmline.signals import Signal


@dataclass(slots=True)
class LabelCounts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def support(self) -> int:
        return self.true_positive + self.false_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Evaluation:
    """Per-label counts over a labelled set, and how fast it ran."""

    labels: dict[str, LabelCounts] = field(default_factory=dict)
    utterances: int = 0
    seconds: float = 0.0

    @property
    def macro_f1(self) -> float:
        scores = [c.f1 for c in self.labels.values()]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def utterances_per_second(self) -> float:
        return self.utterances / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "labels": {name: {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
                              "f1": round(c.f1, 4), "support": c.support}
                       for name, c in self.labels.items()},
            "macro_f1": round(self.macro_f1, 4),
            "utterances_per_second": round(self.utterances_per_second, 1),
        }


def predict(pipeline: DetectorPipeline, utterance: LabelledUtterance) -> frozenset[str]:
    """Labels the pipeline finds in one utterance, given its context."""
    history_signals: list[tuple[Signal, ...]] = [() for _ in utterance.context]
    signals = pipeline.detect(utterance.turn, utterance.context, history_signals)
    return frozenset(s.label for s in signals)


def evaluate(
    pipeline: DetectorPipeline, utterances: Iterable[LabelledUtterance], scope: Scope | None
) -> Evaluation:
    """Score the pipeline on labelled utterances; only in-scope labels and roles count."""
    result = Evaluation()
    wanted = set(scope.labels) if scope else None
    started = time.perf_counter()
    for utterance in utterances:
        if scope and scope.role and utterance.role is not scope.role:
            continue
        labels = wanted if wanted is not None else _public_labels(utterance.role)
        _count(result, labels, utterance.labels, predict(pipeline, utterance))
    result.seconds = time.perf_counter() - started
    return result


def _public_labels(role: Role) -> set[str]:
    """Without a scope file, every public label of the utterance's role is scored."""
    return {name for name in PUBLIC_LABELS if LABELS[name].role is role}


def _count(result: Evaluation, labels: set[str], gold: frozenset[str],
           found: frozenset[str]) -> None:
    result.utterances += 1
    for label in sorted(labels):
        counts = result.labels.setdefault(label, LabelCounts())
        if label in gold and label in found:
            counts.true_positive += 1
        elif label in found:
            counts.false_positive += 1
        elif label in gold:
            counts.false_negative += 1
