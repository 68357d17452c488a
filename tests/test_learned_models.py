"""Learned detectors: features, training, the model directory on disk, and how the
learned stage combines with the rules."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from calmline.conversation import Role, Turn
from calmline.detectors.base import TurnContext
from calmline.detectors.pipeline import DetectorPipeline
from calmline.errors import CalmlineError
from calmline.learned import LearnedStage, load_models, save_models
from calmline.learned.data import TrainingFile
from calmline.learned.features import turn_features
from calmline.learned.stage import confidence
from calmline.learned.training import best_threshold, train_models

EMPATHY = [
    "that sounds exhausting honestly", "what a worry that must have been for you",
    "I can hear how upsetting this has been", "oof that is really rough",
    "I'd be fuming too in your place", "that must have been so stressful",
    "nobody wants to deal with that on a monday", "I can tell this has shaken you",
    "that sounds really frustrating to go through", "how awful, I'm sorry you went through that",
    "what a nightmare of a week for you", "I can only imagine how anxious that made you",
]
NOT_EMPATHY = [
    "can you read me the order number", "the parcel left the depot on monday",
    "your account ends in 42", "I will refund the second charge now",
    "let me check the tracking for you", "the engineer is booked for thursday",
    "please confirm your postcode", "the balance is forty two pounds",
    "I have updated the address", "the router should show a green light",
    "our opening hours are nine to five", "I'll send the label by email",
]
COMPLAINT = "I was charged twice and nobody has called me back in a week"


def labelled_file(tmp_path: Path) -> Path:
    lines = [{"id": f"e{i}", "role": "agent", "text": text,
              "context": [{"role": "customer", "text": COMPLAINT}],
              "labels": ["empathy"] if text in EMPATHY else []}
             for i, text in enumerate(EMPATHY + NOT_EMPATHY)]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    (tmp_path / "mine.scope.json").write_text('{"role": "agent", "labels": ["empathy"]}')
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    models = train_models([TrainingFile(labelled_file(folder))], c=4.0)
    save_models(models, folder / "model")
    return folder / "model"


@pytest.mark.parametrize(("norms", "rules", "previous", "wanted", "unwanted"), [
    (["that", "sounds", "hard"], set(), None, {"w:sounds", "b:sounds hard", "prev:none"},
     {"ends:?"}),
    (["is", "that", "right", "?"], {"question"}, "it broke", {"ends:?", "has:?", "r:question"},
     {"prev:none"}),
    (["so", "you", "were", "charged", "twice"], set(), "I was charged twice for march",
     {"reuse:2"}, {"reuse:0"}),
    (["okay"], set(), "I was charged twice", {"reuse:0", "len:0", "first:okay"}, set()),
])
def test_turn_features(norms: list[str], rules: set[str], previous: str | None,
                       wanted: set[str], unwanted: set[str]) -> None:
    features = set(turn_features(norms, rules, previous, ["anger"] if previous else []))
    assert wanted <= features
    assert not unwanted & features


def test_profanity_steps_are_cumulative() -> None:
    features = turn_features(["you", "idiot"], set(), None, [], profanity=0.85)
    assert {"prof:0.2", "prof:0.4", "prof:0.6", "prof:0.8"} <= set(features)
    assert "prof:0.9" not in features


@pytest.mark.parametrize(("probabilities", "gold", "beta", "low", "high"), [
    ([0.9, 0.8, 0.3, 0.2], [True, True, False, False], 1.0, 0.3, 0.8),
    ([0.9, 0.6, 0.5, 0.1], [True, False, True, False], 2.0, 0.1, 0.5),
    ([0.9, 0.6, 0.5, 0.1], [True, False, True, False], 0.5, 0.6, 0.9),
])
def test_best_threshold_separates_as_well_as_possible(
        probabilities: list[float], gold: list[bool], beta: float, low: float, high: float) -> None:
    cut = best_threshold(np.array(probabilities), np.array(gold), beta)
    assert low < cut <= high


@pytest.mark.parametrize(("p", "t", "expected"), [(0.3, 0.3, 0.5), (0.0, 0.4, 0.0), (1.0, 0.4, 1.0),
                                                  (0.2, 0.4, 0.25), (0.7, 0.4, 0.75)])
def test_confidence_puts_the_threshold_at_one_half(p: float, t: float, expected: float) -> None:
    assert confidence(p, t) == pytest.approx(expected)


def test_training_learns_the_label_and_writes_a_card(trained: Path) -> None:
    card = json.loads((trained / "model.json").read_text())
    models = load_models(trained)
    agent = models.for_role(Role.AGENT)
    assert agent is not None and agent.labels == ("empathy",)
    assert models.for_role(Role.CUSTOMER) is None
    assert card["labels"]["empathy"]["positives"] == len(EMPATHY)
    assert card["data"][0]["utterances"] == len(EMPATHY) + len(NOT_EMPATHY)
    assert set(agent.thresholds["empathy"]) >= {"precision", "balanced", "recall"}


def test_saved_and_loaded_models_give_the_same_probabilities(trained: Path, tmp_path: Path) -> None:
    models = load_models(trained)
    save_models(models, tmp_path / "copy")
    again = load_models(tmp_path / "copy")
    features = ["w:that", "w:sounds", "w:exhausting", "prev:anger"]
    first = models.roles[Role.AGENT].probabilities(features)
    assert again.roles[Role.AGENT].probabilities(features) == pytest.approx(first)
    assert first["empathy"] > models.roles[Role.AGENT].probabilities(["w:postcode"])["empathy"]


def detect_with(trained: Path, text: str) -> dict[str, tuple[float, str, str]]:
    pipeline = DetectorPipeline.from_names(learned=LearnedStage(load_models(trained)))
    history = (Turn(0, Role.CUSTOMER, COMPLAINT),)
    turn = Turn(1, Role.AGENT, text)
    return {s.label: (s.score, s.evidence, s.detector)
            for s in pipeline.detect(turn, history, [()])}


def test_learned_stage_finds_a_label_the_rules_miss_with_a_sentence_as_evidence(trained: Path) -> None:
    text = "Right. Honestly that sounds like a really exhausting week for you."
    assert "empathy" not in {s.label for s in DetectorPipeline.from_names().detect(
        Turn(1, Role.AGENT, text), (Turn(0, Role.CUSTOMER, COMPLAINT),), [()])}
    found = detect_with(trained, text)
    assert found["empathy"][1] == "Honestly that sounds like a really exhausting week for you."
    assert found["empathy"][2] == "learned"
    assert found["empathy"][0] >= 0.5


def test_learned_stage_leaves_labels_it_does_not_cover_to_the_rules(trained: Path) -> None:
    found = detect_with(trained, "Can you read me the order number?")
    assert "question" in found and "empathy" not in found


def test_a_rule_finding_stands_unless_the_stage_may_veto(trained: Path) -> None:
    turn = Turn(1, Role.AGENT, "I understand how you feel. Can you read me the order number?")
    rules_only = DetectorPipeline.from_names().detect(turn, (), [])
    assert "empathy" in {s.label for s in rules_only}
    context = TurnContext(turn, (), [], DetectorPipeline.from_names().resources)
    models = load_models(trained)
    kept = LearnedStage(models).refine(context, rules_only)
    assert {s.label for s in kept} == {s.label for s in rules_only}
    models.roles[Role.AGENT].thresholds["empathy"]["balanced"] = 0.9999
    vetoed = LearnedStage(models, veto=True).refine(context, rules_only)
    assert {s.label for s in vetoed} == {s.label for s in rules_only} - {"empathy"}


@pytest.mark.parametrize(("damage", "problem"), [
    (lambda d: (d / "model.json").unlink(), "no model.json"),
    (lambda d: (d / "model.json").write_text("{not json"), "cannot read the model card"),
    (lambda d: (d / "model.json").write_text('{"format": 99, "roles": {}}'), "not a calmline model"),
    (lambda d: (d / "agent.npz").write_bytes(b"PK\x03\x04garbage"), "cannot read the weights"),
    (lambda d: np.savez(d / "agent.npz", weights=np.zeros((2, 1)), bias=np.zeros(1)),
     "do not match"),
])
def test_broken_model_directories_give_a_clear_error(trained: Path, tmp_path: Path, damage: object,
                                                     problem: str) -> None:
    copy = tmp_path / "m"
    save_models(load_models(trained), copy)
    damage(copy)  # type: ignore[operator]
    with pytest.raises(CalmlineError, match=problem) as caught:
        load_models(copy)
    assert str(copy) in caught.value.message


def test_weights_are_never_unpickled(trained: Path, tmp_path: Path) -> None:
    copy = tmp_path / "m"
    save_models(load_models(trained), copy)
    np.savez(copy / "agent.npz", weights=np.array([object()], dtype=object), bias=np.zeros(1))
    with pytest.raises(CalmlineError, match="cannot read the weights"):
        load_models(copy)


def test_features_do_not_depend_on_the_order_labels_arrive_in() -> None:
    from calmline.learned.features import turn_features

    # Labels come in sets, whose order changes with the hash seed: the features (and so the
    # order of the sums behind a probability) must not.
    norms = ["i", "am", "so", "sorry"]
    one = turn_features(norms, ["apology", "empathy", "solution"], "you charged me twice",
                        ["anger", "frustration"], 0.1)
    other = turn_features(norms, ["solution", "apology", "empathy"], "you charged me twice",
                          ["frustration", "anger"], 0.1)
    assert one == other
