"""Practice mode: simulated difficult customers for training agents.

The small pure API a front end needs (the terminal and the web page both use it)::

    session = start_practice("double_billing", seed=7, trainee="sam")
    session.opening.text                       # the customer's first line
    line = session.reply("I'm so sorry ...")   # the customer's answer, temper, outcome
    result = debrief(session)                  # scorecard, temper curve, advice
    result.to_dict()                           # JSON-ready

``replay(scenario, seed, trainee_turns)`` rebuilds a session from the trainee's turns
alone, so a stateless caller need only keep those.
"""

from __future__ import annotations

from calmline.simulator.debrief import Debrief, debrief
from calmline.simulator.loader import (
    ScenarioError,
    curriculum,
    find_scenario,
    load_scenario,
    parse_scenario,
)
from calmline.simulator.model import Scenario
from calmline.simulator.practice import (
    CustomerLine,
    PracticeOutcome,
    PracticeSession,
    TemperPoint,
    replay,
)
from calmline.simulator.replies import Intent, LineWriter, ReplyRequest, ReplyWriter
from calmline.simulator.temper import TemperMove


def start_practice(scenario: str | Scenario, *, seed: int = 0, trainee: str | None = None,
                   llm_url: str | None = None, llm_model: str = "default") -> PracticeSession:
    """A new practice call against a shipped scenario id, a scenario file, or a loaded
    Scenario; with ``llm_url`` an OpenAI-compatible endpoint words the customer's lines."""
    loaded = scenario if isinstance(scenario, Scenario) else find_scenario(scenario)
    writer: ReplyWriter | None = None
    if llm_url:
        from calmline.simulator.backend import ChatBackend

        writer = ChatBackend(llm_url, llm_model)
    return PracticeSession(loaded, seed=seed, trainee=trainee, writer=writer)


__all__ = [
    "CustomerLine",
    "Debrief",
    "Intent",
    "LineWriter",
    "PracticeOutcome",
    "PracticeSession",
    "ReplyRequest",
    "ReplyWriter",
    "Scenario",
    "ScenarioError",
    "TemperMove",
    "TemperPoint",
    "curriculum",
    "debrief",
    "find_scenario",
    "load_scenario",
    "parse_scenario",
    "replay",
    "start_practice",
]
