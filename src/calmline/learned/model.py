"""A learned detector's state: one linear model per role over named features, with a
calibrated operating point per label. Stored as plain JSON + NumPy arrays (no pickle:
a model directory is data, safe to load from anywhere)."""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from calmline.conversation import Role
from calmline.errors import CalmlineError, ErrorCode

FORMAT_VERSION = 1
CARD_FILE = "model.json"

# Operating points stored per label, picked on held-out predictions when training:
# "precision" maximises F0.5, "balanced" F1, "recall" F2.
OPERATING_POINTS = ("precision", "balanced", "recall")


@dataclass(frozen=True, slots=True)
class RoleModel:
    """Logistic models for the labels of one role, sharing one feature vocabulary."""

    role: Role
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: npt.NDArray[np.float32]  # (features, labels)
    bias: npt.NDArray[np.float32]  # (labels,)
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)

    def probabilities(self, features: Sequence[str]) -> dict[str, float]:
        """P(label | features) for each of the role's labels."""
        vocabulary = self.vocabulary
        return self.probabilities_of_rows([i for i in map(vocabulary.get, features) if i is not None])

    def probabilities_of_rows(self, rows: Sequence[int]) -> dict[str, float]:
        """``probabilities`` for the known features given as their vocabulary rows, in order."""
        logits = self.bias
        if rows:
            # Rows are L2-normalised binary vectors, as in training. take() gathers the
            # same rows as indexing with a list, several times faster; add.reduce is sum().
            summed = np.add.reduce(self.weights.take(rows, axis=0), axis=0)
            logits = summed * (1.0 / math.sqrt(len(rows))) + self.bias
        # The float64 negation of the logits, then 1 / (1 + e) in Python floats: the same
        # IEEE operations as NumPy's, without two more array calls.
        exps = np.exp(np.negative(logits, dtype=np.float64)).tolist()
        return {label: 1.0 / (1.0 + e) for label, e in zip(self.labels, exps, strict=True)}

    def threshold(self, label: str, point: str = "balanced") -> float:
        return self.thresholds.get(label, {}).get(point, 0.5)


@dataclass(frozen=True, slots=True)
class ModelSet:
    """The learned detectors of every role, and the card that says what they are."""

    roles: dict[Role, RoleModel]
    card: dict[str, Any]

    def for_role(self, role: Role) -> RoleModel | None:
        return self.roles.get(role)

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(label for m in self.roles.values() for label in m.labels)


def save_models(models: ModelSet, directory: Path) -> None:
    """Write a model directory: ``model.json`` (card, labels, thresholds, vocabulary)
    and one ``<role>.npz`` of weights per role."""
    directory.mkdir(parents=True, exist_ok=True)
    roles: dict[str, Any] = {}
    for role, model in models.roles.items():
        vocabulary = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
        roles[role.value] = {"labels": list(model.labels), "thresholds": model.thresholds,
                             "vocabulary": vocabulary}
        np.savez_compressed(directory / f"{role.value}.npz", weights=model.weights,
                            bias=model.bias)
    card = {"format": FORMAT_VERSION, **models.card, "roles": roles}
    (directory / CARD_FILE).write_text(json.dumps(card, indent=1, sort_keys=False) + "\n",
                                       encoding="utf-8")


def load_models(directory: Path) -> ModelSet:
    """Read a model directory written by ``save_models`` (``calmline train``)."""
    card = _read_card(directory)
    roles: dict[Role, RoleModel] = {}
    for name, spec in card.pop("roles").items():
        roles[Role(name)] = _role_model(directory, Role(name), spec)
    return ModelSet(roles, card)


def _read_card(directory: Path) -> dict[str, Any]:
    path = directory / CARD_FILE
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CalmlineError(f"no {CARD_FILE} in the model directory", source=str(directory),
                            code=ErrorCode.E001_UNREADABLE,
                            hint="pass a directory written by `calmline train`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalmlineError(f"cannot read the model card: {exc}", source=str(path),
                            code=ErrorCode.E004_MALFORMED) from exc
    if not isinstance(card, dict) or card.get("format") != FORMAT_VERSION:
        raise CalmlineError(f"not a calmline model (format {FORMAT_VERSION} expected)",
                            source=str(path), code=ErrorCode.E005_SCHEMA)
    if not isinstance(card.get("roles"), dict):
        raise CalmlineError("the model card lists no roles", source=str(path),
                            code=ErrorCode.E005_SCHEMA)
    return card


def _role_model(directory: Path, role: Role, spec: dict[str, Any]) -> RoleModel:
    path = directory / f"{role.value}.npz"
    try:
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            weights, bias = arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise CalmlineError(f"cannot read the weights: {exc}", source=str(path),
                            code=ErrorCode.E004_MALFORMED) from exc
    labels, vocabulary = tuple(spec["labels"]), spec["vocabulary"]
    if weights.shape != (len(vocabulary), len(labels)) or bias.shape != (len(labels),):
        raise CalmlineError("the weights do not match the card's vocabulary and labels",
                            source=str(path), code=ErrorCode.E005_SCHEMA)
    return RoleModel(role, labels, {f: i for i, f in enumerate(vocabulary)}, weights, bias,
                     {k: dict(v) for k, v in spec.get("thresholds", {}).items()})
