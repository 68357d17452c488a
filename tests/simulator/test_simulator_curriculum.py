"""Every shipped scenario: a good agent resolves it, a poor one ends in a manager demand
or a hang-up, and the same seed gives the same conversation."""

from __future__ import annotations

import pytest

from calmline.engine import analyze
from calmline.simulator import PracticeOutcome, PracticeSession, curriculum, debrief, replay
from tests.simulator.scripts import GOOD, POOR

SCENARIOS = sorted(curriculum())
SEEDS = (0, 1, 7)


def play(scenario_id: str, script: list[str], seed: int) -> PracticeSession:
    return replay(curriculum()[scenario_id], seed, script)


def test_the_curriculum_covers_the_ten_situations() -> None:
    assert len(SCENARIOS) >= 10
    assert set(GOOD) == set(POOR) == set(SCENARIOS)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_simulator_good_agent_resolves(scenario_id: str, seed: int) -> None:
    session = play(scenario_id, GOOD[scenario_id], seed)
    assert session.outcome is PracticeOutcome.RESOLVED, [(p.text, p.labels, p.after)
                                                         for p in session.curve]
    assert session.temper <= session.scenario.temper.accept_below


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_simulator_poor_agent_gets_manager_demand_or_hang_up(scenario_id: str, seed: int) -> None:
    session = play(scenario_id, POOR[scenario_id], seed)
    assert session.outcome is not PracticeOutcome.RESOLVED
    assert session.manager_demanded or session.outcome is PracticeOutcome.HUNG_UP
    assert session.temper > session.scenario.temper.start


@pytest.mark.parametrize("scenario_id", SCENARIOS)
@pytest.mark.parametrize("script", [GOOD, POOR], ids=["good", "poor"])
def test_simulator_same_seed_same_conversation(scenario_id: str, script: dict[str, list[str]]) -> None:
    first = play(scenario_id, script[scenario_id], 42)
    second = play(scenario_id, script[scenario_id], 42)
    assert [(t.role, t.text) for t in first.turns] == [(t.role, t.text) for t in second.turns]
    assert [p.after for p in first.curve] == [p.after for p in second.curve]


def test_simulator_seeds_vary_the_wording() -> None:
    openings = {PracticeSession(curriculum()["double_billing"], seed=s).opening.text for s in range(8)}
    replies = {play("broken_product", GOOD["broken_product"], s).turns[2].text for s in range(8)}
    assert len(openings) == 2
    assert len(replies) > 1


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_simulator_never_says_the_same_line_twice(scenario_id: str) -> None:
    stalling = ["Okay.", "Hmm, right.", "Let me see.", "One moment.", "Okay then.", "Right, so.",
                "Let me look.", "Bear with me.", "Still looking.", "Nearly there.", "Okay, so.",
                "Just a second.", "Hmm.", "Right."]
    session = play(scenario_id, stalling, 3)
    said = [line.text for line in session.lines]
    assert len(said) == len(set(said))
    assert session.finished  # a customer who gets nowhere does not stay on the line forever


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_simulator_and_scorecard_agree(scenario_id: str) -> None:
    session = play(scenario_id, GOOD[scenario_id], 5)
    result = debrief(session)
    offline = analyze(session.conversation)
    assert result.score == offline.scorecard.overall
    for point in session.curve:
        seen = {s.label for s in offline.turns[point.turn_index].signals}
        assert set(point.labels) <= seen

