"""The learned stage's fast paths give exactly what the general mechanism gives: feature
rows remembered by word equal looking up every feature name, probabilities from rows
equal probabilities from names (to the last bit), and the evidence sentence picked from
contiguous weight columns equals the one picked by indexing the weight matrix — on every
turn of every sample call, on corpus turns, and on generated token sequences."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calmline.conversation import Role
from calmline.detectors.base import TurnContext
from calmline.detectors.pipeline import DetectorPipeline
from calmline.engine import build_pipeline
from calmline.evaluation import detect_history
from calmline.formats import read_conversation
from calmline.labelled import read_labelled
from calmline.learned import LearnedStage, shipped_models
from calmline.learned.data import CORPUS
from calmline.learned.features import FeatureRows, turn_features, words_of
from calmline.learned.model import ModelSet, RoleModel
from calmline.learned.stage import SentenceWeights, feature_arguments, features_of
from calmline.signals import Signal
from calmline.text import sentences

from .conftest import SAMPLE_CALLS

Seen = tuple[TurnContext, tuple[Signal, ...]]


def _models() -> ModelSet:
    models = shipped_models()
    assert models is not None
    return models


MODELS = _models()


class _Recorder:
    """A refiner that records what the learned stage is given, then refines as it would."""

    def __init__(self, stage: LearnedStage) -> None:
        self.stage = stage
        self.seen: list[Seen] = []

    def refine(self, context: TurnContext, signals: Sequence[Signal]) -> list[Signal]:
        self.seen.append((context, tuple(signals)))
        return self.stage.refine(context, signals)


def _recorded_turns() -> list[Seen]:
    shipped = build_pipeline()
    assert isinstance(shipped.learned, LearnedStage)
    recorder = _Recorder(shipped.learned)
    pipeline = DetectorPipeline(shipped.detectors, shipped.suppressions, shipped.resources,
                                recorder)
    for path in SAMPLE_CALLS:
        turns = read_conversation(path).turns
        found: list[tuple[Signal, ...]] = []
        for i, turn in enumerate(turns):
            found.append(pipeline.detect(turn, turns[:i], found))
    for utterance in list(read_labelled(CORPUS / "dev.jsonl"))[:400]:
        history = detect_history(pipeline, utterance.context)
        pipeline.detect(utterance.turn, utterance.context, history)
    return recorder.seen


RECORDED = _recorded_turns()


def _role_model(role: Role) -> RoleModel:
    model = MODELS.for_role(role)
    assert model is not None
    return model


def _rows_by_name(model: RoleModel, features: Sequence[str]) -> list[int]:
    return [i for i in map(model.vocabulary.get, features) if i is not None]


def test_the_recording_covers_both_roles_and_many_turns() -> None:
    roles = {context.turn.role for context, _ in RECORDED}
    assert roles == {Role.AGENT, Role.CUSTOMER}
    assert len(RECORDED) > 1000


def test_remembered_rows_equal_the_rows_of_every_feature_name() -> None:
    rows = {role: FeatureRows(model.vocabulary) for role, model in MODELS.roles.items()}
    for _ in range(2):  # the second pass answers from what the first remembered
        for context, signals in RECORDED:
            model = _role_model(context.turn.role)
            expected = _rows_by_name(model, features_of(context, signals))
            assert rows[model.role](*feature_arguments(context, signals)) == expected, context.text


def test_probabilities_from_rows_equal_those_from_names_to_the_bit() -> None:
    rows = {role: FeatureRows(model.vocabulary) for role, model in MODELS.roles.items()}
    for context, signals in RECORDED:
        model = _role_model(context.turn.role)
        by_name = model.probabilities(features_of(context, signals))
        by_row = model.probabilities_of_rows(rows[model.role](*feature_arguments(context, signals)))
        assert by_row == by_name, context.text


def test_probabilities_from_rows_match_the_logistic_formula_written_out() -> None:
    model = _role_model(Role.AGENT)
    for context, signals in RECORDED[:200]:
        if context.turn.role is not Role.AGENT:
            continue
        rows = _rows_by_name(model, features_of(context, signals))
        logits = (model.weights[rows].sum(axis=0) * (1.0 / math.sqrt(len(rows))) + model.bias
                  if rows else model.bias)
        expected = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
        assert list(model.probabilities_of_rows(rows).values()) == expected.tolist()


def _weight_by_indexing(model: RoleModel, column: int, sentence: str) -> float:
    """How a sentence's words weigh for one label, by indexing the weight matrix."""
    rows = [i for i in (model.vocabulary.get(f"w:{w}") for w in words_of(sentence))
            if i is not None]
    return float(model.weights[rows, column].sum()) if rows else 0.0


def _best_by_indexing(model: RoleModel, text: str, label: str) -> tuple[int, int]:
    spans = sentences(text)
    if len(spans) <= 1:
        return (spans[0][0], spans[0][1]) if spans else (0, len(text))
    column = model.labels.index(label)
    weight = [_weight_by_indexing(model, column, sentence) for _, _, sentence in spans]
    best = max(range(len(spans)), key=lambda i: (weight[i], -i))
    return spans[best][0], spans[best][1]


def test_evidence_sentence_equals_the_one_picked_by_indexing_the_weights() -> None:
    weights = {role: SentenceWeights(model) for role, model in MODELS.roles.items()}
    several = [c for c, _ in RECORDED if len(sentences(c.text)) > 1]
    assert len(several) > 100
    for context in several:
        model = _role_model(context.turn.role)
        evidence = weights[model.role].of(context.text)
        for label in model.labels:
            assert evidence.best(label) == _best_by_indexing(model, context.text, label)


@pytest.mark.parametrize("text", ["", "   ", "One sentence only", "Hi. There.", "Zzz qqq. Xxx!"])
def test_evidence_of_short_and_unknown_texts_equals_indexing(text: str) -> None:
    model = _role_model(Role.CUSTOMER)
    evidence = SentenceWeights(model).of(text)
    for label in model.labels:
        assert evidence.best(label) == _best_by_indexing(model, text, label)


NORMS = ["i", "you", "'m", "not", "sorry", "refund", "?", ".", ",", "!", "can", "help", "the",
         "order", "idiot", "", "a b", "b", "a", "w:x", "ok", "!!", "1", "..."]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NORMS) | st.text(max_size=3), max_size=12),
       st.sets(st.sampled_from(["empathy", "anger", "question", "nope"])),
       st.one_of(st.none(), st.text(max_size=30)),
       st.frozensets(st.sampled_from(["anger", "abuse", "empathy"])),
       st.one_of(st.none(), st.floats(0.0, 1.0)))
def test_generated_features_give_the_same_rows(norms: list[str], labels: set[str],
                                               previous: str | None, previous_labels: frozenset[str],
                                               profanity: float | None) -> None:
    for model in MODELS.roles.values():
        expected = _rows_by_name(model, turn_features(norms, labels, previous, previous_labels,
                                                      profanity))
        assert SHARED_ROWS[model.role](norms, labels, previous, previous_labels,
                                       profanity) == expected


SHARED_ROWS = {role: FeatureRows(model.vocabulary) for role, model in MODELS.roles.items()}


def test_rows_stay_equal_when_the_remembered_rows_are_dropped_for_their_bound(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("calmline.learned.features._ROW_CACHE_LIMIT", 20)
    rows = {role: FeatureRows(model.vocabulary) for role, model in MODELS.roles.items()}
    for context, signals in RECORDED[:300]:
        model = _role_model(context.turn.role)
        expected = _rows_by_name(model, features_of(context, signals))
        assert rows[model.role](*feature_arguments(context, signals)) == expected
