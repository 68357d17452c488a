"""Training the learned detectors on labelled utterances (``calmline train``).

Each label is learned from the files whose scope annotates it, as a logistic
regression over the turn's features (features.py); its operating points are picked on
out-of-fold predictions, so no separate dev set is needed.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from calmline.conversation import Role
from calmline.detectors.base import TurnContext
from calmline.detectors.pipeline import DetectorPipeline
from calmline.errors import LabelledDataError
from calmline.labelled import LabelledUtterance
from calmline.labels import LABELS
from calmline.learned.data import TrainingFile
from calmline.learned.model import ModelSet, RoleModel
from calmline.learned.stage import features_of

# Regularisation and pruning, chosen on calmline's corpus dev split (docs/models.md).
DEFAULT_C = 16.0
MIN_COUNT = 2
FOLDS = 4
_BETAS = {"precision": 0.5, "balanced": 1.0, "recall": 2.0}


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled utterance as the learner sees it."""

    role: Role
    features: tuple[str, ...]
    labels: frozenset[str]
    scope: frozenset[str]


def rule_features(rules: DetectorPipeline, utterance: LabelledUtterance) -> list[str]:
    """The utterance's features, with the rules run on it and on its recent context,
    as the live pipeline would see them."""
    from calmline.evaluation import detect_history

    history = utterance.context
    history_signals = detect_history(rules, history)
    turn = utterance.turn
    signals = rules.detect(turn, history, history_signals)
    context = TurnContext(turn, history, history_signals, rules.resources)
    return features_of(context, signals)


def to_examples(
    rules: DetectorPipeline,
    utterances: Iterable[tuple[LabelledUtterance, frozenset[str]]],
    progress: Callable[[], None] | None = None,
) -> list[Example]:
    """Featurise (utterance, scope labels) pairs."""
    examples = []
    for utterance, scope in utterances:
        examples.append(Example(utterance.role, tuple(rule_features(rules, utterance)),
                                utterance.labels, scope))
        if progress:
            progress()
    return examples


def fit_role(examples: Sequence[Example], role: Role, c: float = DEFAULT_C,
             min_count: int = MIN_COUNT, folds: int = FOLDS) -> RoleModel | None:
    """One role's model over every label some example's scope annotates for it."""
    mine = [e for e in examples if e.role is role]
    labels = tuple(sorted({lab for e in mine for lab in e.scope if LABELS[lab].role is role}))
    if not labels:
        return None
    vocabulary = _vocabulary(mine, min_count)
    matrix = _matrix(mine, vocabulary)
    weights = np.zeros((len(vocabulary), len(labels)), dtype=np.float32)
    bias = np.zeros(len(labels), dtype=np.float32)
    thresholds: dict[str, dict[str, float]] = {}
    for column, label in enumerate(labels):
        rows = np.array([i for i, e in enumerate(mine) if label in e.scope])
        gold = np.array([label in mine[i].labels for i in rows])
        coef, intercept = _fit_label(matrix[rows], gold, c)
        weights[:, column], bias[column] = coef, intercept
        thresholds[label] = _operating_points(matrix[rows], gold, c, folds)
    return RoleModel(role, labels, vocabulary, weights, bias, thresholds)


def _vocabulary(examples: Sequence[Example], min_count: int) -> dict[str, int]:
    counts = Counter(f for e in examples for f in set(e.features))
    kept = sorted(f for f, n in counts.items() if n >= min_count)
    return {f: i for i, f in enumerate(kept)}


def _matrix(examples: Sequence[Example], vocabulary: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for example in examples:
        columns = {vocabulary[f] for f in example.features if f in vocabulary}
        indices.extend(sorted(columns))
        indptr.append(len(indices))
    data = np.concatenate([np.full(b - a, 1.0 / np.sqrt(max(b - a, 1)))
                           for a, b in itertools.pairwise(indptr)] or [np.ones(0)])
    return csr_matrix((data, indices, indptr), shape=(len(examples), len(vocabulary)))


def _fit_label(matrix: Any, gold: npt.NDArray[np.bool_], c: float) -> tuple[Any, float]:
    if gold.all() or not gold.any():
        # A label always (or never) true in the data: a constant decision.
        return 0.0, 6.0 if gold.all() else -6.0
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000)
    model.fit(matrix, gold)
    return model.coef_[0], float(model.intercept_[0])


def _operating_points(matrix: Any, gold: npt.NDArray[np.bool_], c: float,
                      folds: int) -> dict[str, float]:
    """Thresholds that maximise F0.5 / F1 / F2 on out-of-fold probabilities, and the
    out-of-fold F1 at the balanced point (``"f1"``)."""
    if gold.sum() < folds or (~gold).sum() < folds:
        return dict.fromkeys(_BETAS, 0.5)
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced", max_iter=1000)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    probabilities = cross_val_predict(model, matrix, gold, cv=split, method="predict_proba")[:, 1]
    points = {point: best_threshold(probabilities, gold, beta) for point, beta in _BETAS.items()}
    found = probabilities >= points["balanced"]
    hits = float((found & gold).sum())
    points["f1"] = round(2 * hits / (found.sum() + gold.sum()), 4)
    return points


def best_threshold(probabilities: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_],
                   beta: float) -> float:
    """The probability cut that maximises F-beta (ties: the higher cut)."""
    order = np.argsort(-probabilities, kind="stable")
    ranked, truth = probabilities[order], gold[order].astype(np.float64)
    true_positive = np.cumsum(truth)
    predicted = np.arange(1, len(ranked) + 1)
    b2 = beta * beta
    f = (1 + b2) * true_positive / (b2 * truth.sum() + predicted)
    best = int(np.argmax(f))
    below = ranked[best + 1] if best + 1 < len(ranked) else 0.0
    return round(float((ranked[best] + below) / 2), 4)



def train_models(
    files: Sequence[TrainingFile],
    c: float = DEFAULT_C,
    rules: DetectorPipeline | None = None,
    progress: Callable[[], None] | None = None,
    overrule_rules: bool = False,
) -> ModelSet:
    """Train the learned detectors of every role the files annotate. With
    ``overrule_rules`` the card lets the models drop rule findings they disagree with."""
    rules = rules or DetectorPipeline.from_names()
    counts: Counter[str] = Counter()
    examples: list[Example] = []
    for file in files:
        found = to_examples(rules, file.utterances(), progress)
        counts[file.path.name] = len(found)
        examples += found
    roles = {role: model for role in (Role.AGENT, Role.CUSTOMER)
             if (model := fit_role(examples, role, c)) is not None}
    if not roles:
        raise LabelledDataError("no labelled utterances to learn from",
                                source=", ".join(str(f.path) for f in files),
                                hint="each line needs a role and the scope must name labels")
    card = _card(files, counts, examples, roles, c)
    card["overrule_rules"] = overrule_rules
    return ModelSet(roles, card)


def _card(files: Sequence[TrainingFile], counts: Counter[str], examples: Sequence[Example],
          roles: dict[Role, RoleModel], c: float) -> dict[str, object]:
    labels = {}
    for model in roles.values():
        for label in model.labels:
            annotated = [e for e in examples if label in e.scope]
            labels[label] = {"examples": len(annotated),
                             "positives": sum(label in e.labels for e in annotated),
                             "out_of_fold_f1": model.thresholds[label].get("f1")}
    return {"calmline": _version(), "regularisation_c": c, "features": "see learned/features.py",
            "data": [{"file": f.path.name, "licence": f.licence, "utterances": counts[f.path.name]}
                     for f in files],
            "labels": labels}


def _version() -> str:
    from importlib.metadata import version

    return version("calmline")
