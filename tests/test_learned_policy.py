"""Thresholds as policy: the playbook sets each label's operating point for verdicts
and for live nudges; live-only findings drive nudges but never a scorecard verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from calmline.conversation import Conversation, Role, Turn
from calmline.detectors.base import TurnContext
from calmline.detectors.pipeline import DetectorPipeline
from calmline.engine import analyze, default_playbook, pipeline_for
from calmline.learned import LearnedStage, ModelSet, load_models
from calmline.learned.data import TrainingFile
from calmline.learned.training import train_models
from calmline.playbook import DetectionPolicy, LabelPolicy, OperatingPoint
from calmline.session import Session
from calmline.signals import LIVE_ONLY_DETECTOR

from .test_learned_models import COMPLAINT, labelled_file

TEXT = "Honestly that sounds like a really exhausting week for you."


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> ModelSet:
    folder = tmp_path_factory.mktemp("policy")
    return train_models([TrainingFile(labelled_file(folder))], c=4.0)


def refine(models: ModelSet, policy: DetectionPolicy, cuts: dict[str, float]) -> list[str]:
    """The detectors of the empathy findings for TEXT with the given cuts."""
    models.roles[Role.AGENT].thresholds["empathy"].update(cuts)
    turn = Turn(1, Role.AGENT, TEXT)
    history = (Turn(0, Role.CUSTOMER, COMPLAINT),)
    rules = DetectorPipeline.from_names()
    context = TurnContext(turn, history, [()], rules.resources)
    signals = LearnedStage(models, policy).refine(context, rules.detect(turn, history, [()]))
    return [s.detector for s in signals if s.label == "empathy"]


@pytest.mark.parametrize(("policy", "cuts", "expected"), [
    (DetectionPolicy(), {"precision": 0.01, "balanced": 0.01}, ["learned"]),
    (DetectionPolicy(), {"precision": 0.999, "balanced": 0.01}, [LIVE_ONLY_DETECTOR]),
    (DetectionPolicy(), {"precision": 0.999, "balanced": 0.999}, []),
    (DetectionPolicy(labels={"empathy": LabelPolicy(verdict=OperatingPoint.NEVER)}),
     {"precision": 0.01, "balanced": 0.01}, [LIVE_ONLY_DETECTOR]),
    (DetectionPolicy(live=OperatingPoint.NEVER, verdict=OperatingPoint.NEVER),
     {"precision": 0.01, "balanced": 0.01}, []),
    (DetectionPolicy(verdict=OperatingPoint.RECALL), {"recall": 0.01, "precision": 0.999},
     ["learned"]),
])
def test_operating_points_decide_verdict_and_live_findings(
        models: ModelSet, policy: DetectionPolicy, cuts: dict[str, float],
        expected: list[str]) -> None:
    assert refine(models, policy, cuts) == expected


def test_live_only_findings_never_make_a_scorecard_verdict(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    from calmline.learned import save_models

    trained = train_models([TrainingFile(labelled_file(tmp_path))], c=4.0)
    trained.roles[Role.AGENT].thresholds["empathy"].update({"precision": 0.999, "balanced": 0.01})
    save_models(trained, folder)
    policy = DetectionPolicy()
    stage = LearnedStage(load_models(folder), policy)
    pipeline = DetectorPipeline.from_names(learned=stage)
    call = Conversation("c", (Turn(0, Role.CUSTOMER, "I'm furious, I was " + COMPLAINT[2:]),
                              Turn(1, Role.AGENT, TEXT)))
    report = analyze(call, pipeline=pipeline)
    found = [s for s in report.turns[1].signals if s.label == "empathy"]
    assert [s.detector for s in found] == [LIVE_ONLY_DETECTOR]
    assert all(e.label != "empathy" for c in report.scorecard.criteria for e in c.evidence)


def test_each_detection_policy_gets_its_own_pipeline_and_session_follows_it() -> None:
    book = default_playbook()
    stricter = book.model_copy(update={"detection": DetectionPolicy(
        verdict=OperatingPoint.NEVER, live=OperatingPoint.NEVER)})
    assert pipeline_for(book) is pipeline_for(book)
    assert pipeline_for(stricter) is not pipeline_for(book)
    assert Session(stricter)._pipeline is pipeline_for(stricter)
