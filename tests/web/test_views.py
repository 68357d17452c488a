"""The pure view functions behind the pages: highlights, curves, live risks, the checklist and
the nudge shown, team and agent figures."""

from __future__ import annotations

import pytest

from calmline.nudges import Nudge, NudgeKind
from calmline.web.views import (
    TeamSummary,
    checklist,
    complaint_topics,
    current_nudge,
    highlighted,
    histogram,
    hit_rates,
    rising_fast,
    risk_badges,
    risk_rank,
    tone_of,
)


def _signal(label: str, start: object, end: object) -> dict[str, object]:
    return {"label": label, "start": start, "end": end, "score": 0.8, "detector": "test"}


@pytest.mark.parametrize(("signals", "pieces"), [
    ([], [("I hear you.", None)]),
    ([_signal("empathy", 0, 10)], [("I hear you", "empathy"), (".", None)]),
    ([_signal("empathy", 2, 6), _signal("question", 0, 10)], [("I hear you", "question"), (".", None)]),
    ([_signal("empathy", 0, 4), _signal("blame", 2, 8)], [("I he", "empathy"), ("ar you.", None)]),
    ([_signal("empathy", 5, 500), _signal("blame", -1, 3), _signal("anger", "2", 4), _signal("x", 4, 4)],
     [("I hear you.", None)]),  # spans outside the text, of the wrong type or empty are not shown
])
def test_highlighted_cuts_text_without_losing_any(signals: list[dict[str, object]],
                                                  pieces: list[tuple[str, str | None]]) -> None:
    found = highlighted("I hear you.", signals)
    assert [(p.text, p.signal["label"] if p.signal else None) for p in found] == pieces
    assert "".join(p.text for p in found) == "I hear you."


@pytest.mark.parametrize(("label", "tone"), [("empathy", "good"), ("blame", "harmful"), ("anger", "customer"),
                                             ("jargon", "harmful"), ("no-such-label", "customer")])
def test_tone_of_labels(label: str, tone: str) -> None:
    assert tone_of(label) == tone


@pytest.mark.parametrize(("labels", "temperatures", "codes"), [
    (set(), [20, 25, 30], []),
    ({"abuse"}, [20, 80], ["abuse", "rising"]),
    ({"escalation_request", "threat"}, [50, 52, 51, 55], ["manager", "threat"]),
    (set(), [30, 40, 44, 46], ["rising"]),
    (set(), [90, 40, 45, 50, 54], []),  # falling then a slow rise is not "fast"
])
def test_risk_badges(labels: set[str], temperatures: list[float], codes: list[str]) -> None:
    assert [b.code for b in risk_badges(labels, temperatures)] == codes


def test_risk_rank_puts_badges_before_temperature() -> None:
    assert risk_rank(risk_badges({"abuse"}, [10]), 10) > risk_rank([], 99)
    assert not rising_fast([50])


def _nudge(technique: str, turn: int, kind: NudgeKind = NudgeKind.DO, priority: float = 1.0) -> Nudge:
    return Nudge(technique, kind, f"do {technique}", "phrasing", "reason", turn, priority)


@pytest.mark.parametrize(("nudges", "made", "turns", "shown"), [
    ([], {}, 3, None),
    ([_nudge("empathy", 1)], {}, 2, "empathy"),
    ([_nudge("empathy", 1)], {"empathy": 2}, 3, None),  # made since: the nudge is gone
    ([_nudge("empathy", 1)], {"empathy": 0}, 3, "empathy"),  # made before the nudge: still due
    ([_nudge("empathy", 1), _nudge("boundary", 3, priority=5)], {}, 4, "boundary"),
    ([_nudge("empathy", 3), _nudge("boundary", 3, priority=5)], {}, 4, "boundary"),
    ([_nudge("blame", 2, NudgeKind.AVOID)], {}, 3, "blame"),
    ([_nudge("blame", 2, NudgeKind.AVOID)], {}, 6, None),  # an old warning is not shown again
])
def test_current_nudge_is_one_that_still_holds(nudges: list[Nudge], made: dict[str, int], turns: int,
                                               shown: str | None) -> None:
    found = current_nudge(nudges, made, turns)
    assert (found.technique_id if found else None) == shown


def test_checklist_lists_due_then_made_then_open() -> None:
    items = checklist([("a", "A"), ("b", "B"), ("c", "C")], {"b": 4, "c": 1}, {"c"})
    assert [(i.technique_id, i.made_at, i.due) for i in items] == [("c", None, True), ("b", 4, False),
                                                                   ("a", None, False)]


def test_histogram_has_every_bucket() -> None:
    found = histogram({0: 1, 90: 4})
    assert len(found) == 10
    assert found[0] == ("0–9", 1) and found[1] == ("10–19", 0) and found[-1] == ("90–100", 4)
    assert TeamSummary(heated=4, deescalated=3).deescalation_rate == 0.75
    assert TeamSummary().deescalation_rate is None


def _report(*verdicts: tuple[str, str]) -> dict[str, object]:
    return {"scorecard": {"criteria": [{"technique_id": t, "name": t.title(), "kind": "good", "verdict": v}
                                       for t, v in verdicts]}}


def test_hit_rates_against_the_team() -> None:
    mine = [_report(("empathy", "met"), ("options", "missed")), _report(("empathy", "missed"))]
    team = [*mine, _report(("empathy", "met"), ("options", "met"), ("boundary", "not_applicable"))]
    rates = {r.technique_id: (r.agent, r.team, r.expected) for r in hit_rates(mine, team)}
    assert rates == {"empathy": (0.5, 2 / 3, 2), "options": (0.0, 0.5, 1)}


def test_complaint_topics_count_each_call_once() -> None:
    texts = ["You charged me twice, the bill is wrong", "My delivery never came", "Charged again! Refund me"]
    assert complaint_topics(texts) == [("billing and charges", 2), ("delivery", 1), ("refunds", 1)]
