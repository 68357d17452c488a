"""Training data: labelled files with their scopes, and the data calmline ships.

The shipped training data may be baked into shipped models: calmline's own corpus
(Apache-2.0, written by the calmline authors) and ConvAbuse's train split (CC BY 4.0,
Cercas Curry, Abercrombie & Rieser, EMNLP 2021).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from calmline.labelled import LabelledUtterance, read_labelled, read_scope
from calmline.labels import LABELS, PUBLIC_LABELS

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"


@dataclass(frozen=True, slots=True)
class TrainingFile:
    """A labelled file, where it came from, and its licence (for the model card)."""

    path: Path
    licence: str = "supplied by the user"

    def utterances(self) -> Iterator[tuple[LabelledUtterance, frozenset[str]]]:
        """(utterance, labels annotated for it): the scope file's labels, else every
        public label of the utterance's role."""
        scope = read_scope(self.path)
        for utterance in read_labelled(self.path):
            if scope is not None:
                if scope.role is None or scope.role is utterance.role:
                    yield utterance, frozenset(name for name in scope.labels
                                               if LABELS[name].role is utterance.role)
            else:
                yield utterance, frozenset(name for name in PUBLIC_LABELS
                                           if LABELS[name].role is utterance.role)


def shipped_data(splits: tuple[str, ...] = ("train", "dev")) -> list[TrainingFile]:
    """The data the default models are trained on (the corpus test split stays out)."""
    files = [TrainingFile(CORPUS / f"{split}.jsonl", "Apache-2.0 (calmline corpus)")
             for split in splits]
    files.append(TrainingFile(DATA / "convabuse" / "convabuse_train.jsonl",
                              "CC BY 4.0 (ConvAbuse, Cercas Curry et al. 2021)"))
    return files
