"""How a call ended: a callback or hand-off decides the outcome unless the agent fixed the
problem on the call and the call or hand-off only checks the fix or looks for the cause."""

from __future__ import annotations

import pytest

from calmline.conversation import Conversation, Role, Turn
from calmline.engine import analyze
from calmline.outcome import Resolution

OPENING = ("I was charged twice for my order and I'm really annoyed.",)
REFUND = "I'm refunding the duplicate charge right now, you'll see it within three business days."


def _call(*agent_lines: str) -> Conversation:
    turns = [Turn(0, Role.CUSTOMER, OPENING[0])]
    for line in agent_lines:
        turns.append(Turn(len(turns), Role.AGENT, line))
        turns.append(Turn(len(turns), Role.CUSTOMER, "Okay."))
    turns.append(Turn(len(turns), Role.CUSTOMER, "Thank you, that's great."))
    return Conversation(id="c", turns=tuple(turns))


@pytest.mark.parametrize(
    ("agent_lines", "resolution"),
    [
        ((REFUND, "I'll give you a call on Thursday to make sure the refund has landed."),
         Resolution.RESOLVED),
        ((REFUND, "I'm passing this to our billing manager so we can find out why it happened."),
         Resolution.RESOLVED),
        (("I can't fix this from here. I'll call you back tomorrow morning with an answer.",),
         Resolution.CALLBACK),
        ((REFUND, "I'll call you back tomorrow morning."), Resolution.CALLBACK),
        (("Let me transfer you to my supervisor, who can approve this.",), Resolution.ESCALATED),
    ],
)
def test_callbacks_and_hand_offs_after_a_fix(agent_lines: tuple[str, ...], resolution: Resolution) -> None:
    assert analyze(_call(*agent_lines)).outcome.resolution is resolution
