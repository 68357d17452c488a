"""Measuring detectors on labelled utterances: precision, recall, F1 per label."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from calmline.conversation import Role, Turn
from calmline.detectors.pipeline import DetectorPipeline
from calmline.labelled import LabelledUtterance, Scope
from calmline.labels import LABELS, PUBLIC_LABELS
from calmline.signals import Signal, counts_for_verdict

# Context turns detected before a labelled utterance (calmline's corpus keeps four).
CONTEXT_DEPTH = 4
# The group of lines without the tag measured by.
NO_TAG = "(none)"


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


@dataclass(frozen=True, slots=True)
class Mistake:
    """One wrong decision on one label: a false positive (``found``) or a false
    negative (``missed``), with the detector's confidence and what else was said."""

    kind: str
    utterance_id: str
    text: str
    previous: str
    score: float
    gold: frozenset[str]
    found: frozenset[str]


@dataclass(slots=True)
class Evaluation:
    """Per-label counts over a labelled set, the mistakes, and how fast it ran."""

    labels: dict[str, LabelCounts] = field(default_factory=dict)
    utterances: int = 0
    turns: int = 0  # turns detected: each utterance and the context turns read before it
    seconds: float = 0.0
    load_seconds: float = 0.0  # loading the configuration, before the clock started
    mistakes: dict[str, list[Mistake]] = field(default_factory=dict)
    # Counts per value of a tag (``evaluate(..., by=...)``); a group's labels are those
    # present in it (gold or found), so a label it never saw does not count as F1 0.
    groups: dict[str, Evaluation] = field(default_factory=dict)

    def merge(self, other: Evaluation) -> None:
        """Pool another file's counts and mistakes into this one."""
        self.utterances += other.utterances
        self.turns += other.turns
        self.seconds += other.seconds
        for label, counts in other.labels.items():
            pooled = self.labels.setdefault(label, LabelCounts())
            pooled.true_positive += counts.true_positive
            pooled.false_positive += counts.false_positive
            pooled.false_negative += counts.false_negative
        for label, found in other.mistakes.items():
            self.mistakes.setdefault(label, []).extend(found)
        for value, group in other.groups.items():
            self.groups.setdefault(value, Evaluation()).merge(group)

    def worst(self, label: str, kind: str, limit: int = 5) -> list[Mistake]:
        """The most confident false positives, or the least confident misses."""
        found = [m for m in self.mistakes.get(label, []) if m.kind == kind]
        found.sort(key=lambda m: -m.score if kind == "found" else m.score)
        return found[:limit]

    @property
    def macro_f1(self) -> float:
        scores = [c.f1 for c in self.labels.values()]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def utterances_per_second(self) -> float:
        return self.utterances / self.seconds if self.seconds else 0.0

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "labels": {name: {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
                              "f1": round(c.f1, 4), "support": c.support}
                       for name, c in self.labels.items()},
            "macro_f1": round(self.macro_f1, 4),
            "utterances_per_second": round(self.utterances_per_second, 1),
            "turns_per_second": round(self.turns_per_second, 1),
            "load_seconds": round(self.load_seconds, 2),
        } | ({"groups": {value: group.to_group_dict() for value, group in self.groups.items()}}
             if self.groups else {})

    def to_group_dict(self) -> dict[str, object]:
        # A group where no label came up (no gold label, nothing found) has no F1 at all.
        macro = round(self.macro_f1, 4) if self.labels else None
        return {"utterances": self.utterances, "macro_f1": macro,
                "labels": {name: {"f1": round(c.f1, 4), "support": c.support}
                           for name, c in self.labels.items()}}

    def lowest(self) -> tuple[str, float] | None:
        """The label with the lowest F1, and that F1."""
        if not self.labels:
            return None
        name, counts = min(self.labels.items(), key=lambda kv: (kv[1].f1, kv[0]))
        return name, counts.f1


def predict(pipeline: DetectorPipeline, utterance: LabelledUtterance) -> frozenset[str]:
    """Labels the pipeline finds in one utterance, given its context."""
    return frozenset(predict_scores(pipeline, utterance))


def predict_scores(pipeline: DetectorPipeline, utterance: LabelledUtterance) -> dict[str, float]:
    """Each label found in one utterance with its best confidence, as a verdict
    (live-only findings left out)."""
    history = utterance.context
    history_signals = detect_history(pipeline, history)
    scores: dict[str, float] = {}
    for signal in pipeline.detect(utterance.turn, history, history_signals):
        if counts_for_verdict(signal):
            scores[signal.label] = max(signal.score, scores.get(signal.label, 0.0))
    return scores


def detect_history(pipeline: DetectorPipeline, history: Sequence[Turn],
                   depth: int = CONTEXT_DEPTH) -> list[tuple[Signal, ...]]:
    """Signals for the last ``depth`` context turns, detected in order as they would
    have been live (detectors read earlier signals); older turns get none."""
    found: list[tuple[Signal, ...]] = [() for _ in history]
    for i in _read_before(history, depth):
        found[i] = pipeline.detect(history[i], history[:i], found[:i])
    return found


def _read_before(history: Sequence[Turn], depth: int = CONTEXT_DEPTH) -> range:
    """Indexes of the context turns detected before an utterance: the last ``depth``."""
    return range(max(0, len(history) - depth), len(history))


def evaluate(
    pipeline: DetectorPipeline, utterances: Iterable[LabelledUtterance], scope: Scope | None,
    by: str | None = None,
) -> Evaluation:
    """Score the pipeline on labelled utterances; only in-scope labels and roles count.

    The time taken covers reading and detecting, not loading: call ``pipeline.load()``
    first for a throughput that does not include the one-off start-up. ``by``: also count
    per value of that tag of the lines (``NO_TAG`` where a line has none)."""
    result = Evaluation()
    wanted = set(scope.labels) if scope else None
    started = time.perf_counter()
    for utterance in utterances:
        if scope and scope.role and utterance.role is not scope.role:
            continue
        labels = wanted if wanted is not None else _public_labels(utterance.role)
        result.turns += 1 + len(_read_before(utterance.context))
        scores = predict_scores(pipeline, utterance)
        _count(result, labels, utterance, scores)
        if by is not None:
            group = result.groups.setdefault(utterance.tag(by) or NO_TAG, Evaluation())
            present = {label for label in labels if label in utterance.labels or label in scores}
            _count(group, present, utterance, scores, keep_mistakes=False)
    result.seconds = time.perf_counter() - started
    return result


def _public_labels(role: Role) -> set[str]:
    """Without a scope file, every public label of the utterance's role is scored."""
    return {name for name in PUBLIC_LABELS if LABELS[name].role is role}


def _count(result: Evaluation, labels: set[str], utterance: LabelledUtterance,
           scores: dict[str, float], keep_mistakes: bool = True) -> None:
    result.utterances += 1
    gold, found = utterance.labels, frozenset(scores)
    for label in sorted(labels):
        counts = result.labels.setdefault(label, LabelCounts())
        if label in gold and label in found:
            counts.true_positive += 1
        elif label in found:
            counts.false_positive += 1
            if keep_mistakes:
                _note(result, label, "found", utterance, scores)
        elif label in gold:
            counts.false_negative += 1
            if keep_mistakes:
                _note(result, label, "missed", utterance, scores)


def _note(result: Evaluation, label: str, kind: str, utterance: LabelledUtterance,
          scores: dict[str, float]) -> None:
    previous = utterance.context[-1].text if utterance.context else ""
    result.mistakes.setdefault(label, []).append(Mistake(
        kind, utterance.id, utterance.text, previous, scores.get(label, 0.0), utterance.labels,
        frozenset(scores)))
