"""Customer temperature: which turns heat the call, which cool it, and how much."""

from __future__ import annotations

import pytest

from calmline.conversation import Role
from calmline.signals import Signal
from calmline.temperature import BASELINE, HEATED, HOT, next_temperature


def _signals(*labels: str, score: float = 0.9) -> tuple[Signal, ...]:
    return tuple(Signal(label, score, 0, 0, 1, "x", "test") for label in labels)


@pytest.mark.parametrize(
    ("labels", "valence", "at_least"),
    [
        (("frustration",), 0.0, HEATED),
        (("anger",), -0.6, HEATED),
        (("anger", "abuse"), -0.8, HOT),
        (("anger", "threat", "escalation_request"), -0.5, HOT),
    ],
)
def test_upset_customer_turn_heats_the_call(labels: tuple[str, ...], valence: float,
                                            at_least: float) -> None:
    assert next_temperature(BASELINE, Role.CUSTOMER, _signals(*labels), valence) >= at_least


@pytest.mark.parametrize("valence", [0.0, 0.2, 0.6])
def test_neutral_or_polite_turn_barely_moves_a_hot_call(valence: float) -> None:
    after = next_temperature(90.0, Role.CUSTOMER, (), valence)
    assert 70.0 <= after < 90.0


def test_positive_tone_does_not_cool_a_complaint() -> None:
    neutral = next_temperature(BASELINE, Role.CUSTOMER, _signals("frustration"), 0.0)
    positive = next_temperature(BASELINE, Role.CUSTOMER, _signals("frustration"), 0.8)
    assert positive == neutral


def test_satisfaction_cools_fast() -> None:
    assert next_temperature(70.0, Role.CUSTOMER, _signals("satisfaction"), 0.7) < HEATED


@pytest.mark.parametrize(
    ("labels", "direction"),
    [(("dismissive",), 1), (("blame", "non_apology"), 1), (("empathy",), -1),
     (("empathy", "apology", "solution", "timeline"), -1), (("question",), 0), ((), 0)],
)
def test_agent_moves_nudge_the_temperature(labels: tuple[str, ...], direction: int) -> None:
    after = next_temperature(50.0, Role.AGENT, _signals(*labels))
    assert (after > 50.0) - (after < 50.0) == direction


def test_temperature_stays_in_range() -> None:
    hot = next_temperature(99.0, Role.AGENT, _signals("blame", "dismissive", "arguing"))
    cold = next_temperature(1.0, Role.AGENT, _signals("empathy", "apology", "solution"))
    assert hot == 100.0
    assert cold == 0.0


def test_system_turns_leave_it_alone() -> None:
    assert next_temperature(42.0, Role.SYSTEM, _signals("anger"), -1.0) == 42.0
