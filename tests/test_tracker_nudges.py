"""Live nudges: fired when a move is due, with a reason; debounced; never stale."""

from __future__ import annotations

import itertools

from calmline.conversation import Role, Turn
from calmline.nudges import NudgeKind
from calmline.playbook import DEFAULT_PLAYBOOK_PATH, load_playbook, parse_playbook
from calmline.signals import Signal
from calmline.tracker import CallTracker

PLAYBOOK = load_playbook()


def _feed(tracker: CallTracker, role: str, text: str, *labels: str) -> list[str]:
    index = len(tracker.turns)
    signals = tuple(Signal(label, 0.9, index, 0, len(text), text, "test") for label in labels)
    return [n.technique_id for n in tracker.advance(Turn(index, Role(role), text), signals, 0.0)]


def test_emotional_customer_gets_the_heaviest_moves_first() -> None:
    tracker = CallTracker(PLAYBOOK)
    fired = _feed(tracker, "customer", "This is ridiculous!", "anger")
    assert fired == ["empathy", "ownership_apology"]
    assert len(fired) <= PLAYBOOK.live.max_nudges_per_turn


def test_nudge_says_why_it_fired() -> None:
    tracker = CallTracker(PLAYBOOK)
    _feed(tracker, "customer", "You idiot.", "abuse")
    boundary = next(n for n in tracker.nudges if n.technique_id == "boundary")
    assert "abuse seen" in boundary.reason
    assert "You idiot." in boundary.reason


def test_same_nudge_not_repeated_within_debounce_window() -> None:
    tracker = CallTracker(PLAYBOOK)
    fired: list[list[str]] = []
    fired.append(_feed(tracker, "customer", "This is ridiculous!", "anger"))
    for _ in range(3):
        fired.append(_feed(tracker, "agent", "Okay."))
        fired.append(_feed(tracker, "customer", "Still furious!", "anger"))
    flat = [n for turn in fired for n in turn]
    empathy_turns = [n.turn_index for n in tracker.nudges if n.technique_id == "empathy"]
    assert flat.count("empathy") == len(empathy_turns)
    gaps = [b - a for a, b in itertools.pairwise(empathy_turns)]
    assert all(gap > PLAYBOOK.live.debounce_turns for gap in gaps)


def test_debounce_window_follows_the_playbook() -> None:
    text = DEFAULT_PLAYBOOK_PATH.read_text().replace("debounce_turns: 4", "debounce_turns: 0")
    tracker = CallTracker(parse_playbook(text))
    first = _feed(tracker, "customer", "Furious!", "anger")
    _feed(tracker, "agent", "Okay.")
    second = _feed(tracker, "customer", "Furious!", "anger")
    assert "empathy" in first
    assert "empathy" in second


def test_move_made_stops_its_nudge() -> None:
    tracker = CallTracker(PLAYBOOK)
    _feed(tracker, "customer", "This is ridiculous!", "anger")
    _feed(tracker, "agent", "I can hear how frustrating this is.", "empathy")
    for _ in range(3):
        _feed(tracker, "agent", "Okay.")
    later = _feed(tracker, "customer", "Still angry!", "anger")
    assert "empathy" not in later


def test_harmful_move_gets_an_avoid_nudge_at_once() -> None:
    tracker = CallTracker(PLAYBOOK)
    _feed(tracker, "customer", "Hello.")
    fired = _feed(tracker, "agent", "Calm down.", "dismissive")
    assert fired == ["avoid_dismissing"]
    assert tracker.nudges[-1].kind is NudgeKind.AVOID
    assert "Calm down." in tracker.nudges[-1].reason


def test_stale_opportunity_stops_nudging() -> None:
    tracker = CallTracker(PLAYBOOK)
    _feed(tracker, "customer", "I'm confused.", "confusion")
    for _ in range(PLAYBOOK.live.stale_after_turns):
        _feed(tracker, "agent", "Okay.")
    late = _feed(tracker, "customer", "Fine.")
    assert "reassurance" not in late
    assert "open_question" not in late


def test_no_nudges_on_a_calm_routine_turn() -> None:
    tracker = CallTracker(PLAYBOOK)
    assert _feed(tracker, "customer", "Hi, I'd like to check my balance.") == []
