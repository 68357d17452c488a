"""The customer's temper moves with what calmline's detectors find in the trainee's turn."""

from __future__ import annotations

import pytest

from calmline.simulator import PracticeSession, curriculum, replay
from calmline.simulator.temper import ABUSE_GROWTH, apply_moves

# (scenario, trainee turns before, the turn under test, labels it must carry, direction)
MOVES = [
    ("double_billing", [], "I understand how frustrating it is to be charged twice.", {"empathy"}, -1),
    ("double_billing", [], "I'm sorry, that's our mistake.", {"apology"}, -1),
    ("double_billing", [], "So you were charged twice for order A-20417, is that right?",
     {"acknowledgment"}, -1),
    ("broken_product", [], "Could you tell me more about what happened?", {"open_question"}, -1),
    ("broken_product", [], "I can send a replacement or refund you. Which would you prefer?",
     {"options"}, -1),
    ("double_billing", [], "Calm down, there's nothing I can do.", {"dismissive"}, +1),
    ("double_billing", [], "You must have entered it wrong.", {"blame"}, +1),
    ("double_billing", [], "I'm sorry you feel that way.", {"non_apology"}, +1),
    ("confused_jargon", [], "The ACH return triggered an NSF fee on the DD mandate.", {"jargon"}, +1),
    ("third_time_caller", [], "Can I have your case number please?", {"repeat_question"}, +1),
    ("venting_caller", [], "Okay what is your booking reference?", {"interruption"}, +1),
    ("customer_is_right", [], "Actually, that's not correct, the price was right.", set(), +1),
]


@pytest.mark.parametrize(("scenario_id", "before", "turn", "labels", "direction"), MOVES)
def test_temper_moves_with_the_detected_move(scenario_id: str, before: list[str], turn: str,
                                             labels: set[str], direction: int) -> None:
    session = replay(curriculum()[scenario_id], 0, before)
    start = session.temper
    session.reply(turn)
    point = session.curve[-1]
    assert labels <= set(point.labels)
    assert (session.temper - start) * direction > 0
    assert point.after == apply_moves(start, point.moves) == session.temper


@pytest.mark.parametrize("listening", ["Mm-hmm.", "Go on.", "I see."])
def test_temper_listening_while_venting_is_not_an_interruption(listening: str) -> None:
    session = PracticeSession(curriculum()["venting_caller"], seed=0)
    start = session.temper
    session.reply(listening)
    assert "interruption" not in session.curve[-1].labels
    assert session.temper < start


def test_temper_abuse_without_a_boundary_grows() -> None:
    session = replay(curriculum()["abusive_caller"], 0, ["Okay.", "Right."])
    tempers = [p.after for p in session.curve]
    assert tempers[0] >= session.scenario.temper.start + ABUSE_GROWTH
    assert tempers[1] > tempers[0]
    assert all(line.intent.value in {"abuse", "manager", "hang_up"} for line in session.lines[1:])


def test_temper_good_moves_land_weakly_until_the_boundary() -> None:
    empathy = "I'm sorry, two days without internet when you work from home is awful."
    unchecked = replay(curriculum()["abusive_caller"], 0, [empathy])
    checked = replay(curriculum()["abusive_caller"], 0,
                     ["I'd like to help you, but I need you to stop calling me names.", empathy])
    assert unchecked.curve[-1].before - unchecked.curve[-1].after < (
        checked.curve[-1].before - checked.curve[-1].after)


def test_temper_repeated_empathy_counts_less_each_time() -> None:
    line = "I understand how frustrating that must be."
    session = replay(curriculum()["double_billing"], 0, [line, line, line])
    drops = [p.before - p.after for p in session.curve]
    assert drops[0] > drops[1] > drops[2]


@pytest.mark.parametrize("text", ["", "   ", "x" * 2_001])
def test_temper_rejects_empty_and_huge_turns(text: str) -> None:
    from calmline.errors import UsageError

    session = PracticeSession(curriculum()["double_billing"], seed=0)
    with pytest.raises(UsageError):
        session.reply(text)
    assert session.curve == []


def test_temper_a_finished_call_takes_no_more_turns() -> None:
    from calmline.errors import UsageError

    session = replay(curriculum()["customer_is_right"], 0, ["Calm down.", "Whatever.", "Calm down."])
    assert session.finished
    with pytest.raises(UsageError, match="has ended"):
        session.reply("Hello?")
