"""What the simulated customer says: lines chosen from the scenario's pools (or the
generic ones) for the customer's intent and their reaction to the trainee's last turn,
filled with the case's facts, never the same line twice in a session."""

from __future__ import annotations

import random
from collections.abc import Mapping, Set
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Protocol

import yaml

from calmline.simulator.model import Scenario

LINES_PATH = Path(__file__).parent / "lines.yaml"


class Intent(StrEnum):
    """What the customer sets out to do with their next line."""

    OPENING = "opening"
    VENT = "vent"
    PRESS = "press"
    ANSWER = "answer"
    NOT_READY = "not_ready"
    REFUSE = "refuse"
    EXCEPTION = "exception"
    ACCEPT = "accept"
    MANAGER = "manager"
    HANG_UP = "hang_up"
    ESCALATED = "escalated"
    ABUSE = "abuse"
    AFTER_BOUNDARY = "after_boundary"


# Intents that speak for themselves, without first reacting to the trainee's turn.
_NO_REACTION = frozenset({Intent.OPENING, Intent.ACCEPT, Intent.ESCALATED, Intent.REFUSE,
                          Intent.AFTER_BOUNDARY})


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    """Everything a writer needs for the customer's next line."""

    scenario: Scenario
    intent: Intent
    reaction: str | None  # a harmful label, "warm", "warm_hot", "cold" or None
    temper: float
    transcript: tuple[tuple[str, str], ...]  # (role, text) so far
    vent_index: int = 0
    refusal: str | None = None  # the scenario's line for a refused offer


class ReplyWriter(Protocol):
    """Writes the customer's next line; ``used`` holds the lines already said."""

    def write(self, request: ReplyRequest, rng: random.Random, used: Set[str]) -> str: ...


@cache
def generic_lines() -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, tuple[str, ...]]]:
    """The shipped reactions and intent pools."""
    raw = yaml.safe_load(LINES_PATH.read_text(encoding="utf-8"))
    reactions = {key: tuple(lines) for key, lines in raw["reactions"].items()}
    pools = {key: tuple(lines) for key, lines in raw["pools"].items()}
    return reactions, pools


class LineWriter:
    """The offline writer: seeded picks from the line pools."""

    def write(self, request: ReplyRequest, rng: random.Random, used: Set[str]) -> str:
        reactions = self._reactions(request)
        bodies = self._bodies(request)
        pairs = [(r, b) for r in reactions for b in bodies]
        rng.shuffle(pairs)
        # Fresh words first: a line whose parts were both said before comes last.
        pairs.sort(key=lambda pair: (_said(pair[1], used), _said(pair[0], used)))
        for reaction, body in pairs:
            text = _join(reaction, body)
            if text not in used:
                return text
        # Every combination was said already (a very long call): say it again, louder.
        reaction, body = pairs[0]
        return _join(reaction, body) + f" I've said this {len(used)} times now."

    def _reactions(self, request: ReplyRequest) -> list[str]:
        if request.reaction is None or request.intent in _NO_REACTION:
            return [""]
        reactions, _pools = generic_lines()
        return sorted(reactions.get(request.reaction, ("",)))

    def _bodies(self, request: ReplyRequest) -> list[str]:
        scenario = request.scenario
        if request.intent is Intent.REFUSE and request.refusal:
            return [fill(request.refusal, scenario)]
        if request.intent is Intent.VENT:
            vent = scenario.lines["vent"]
            return [fill(vent[min(request.vent_index, len(vent) - 1)], scenario)]
        return sorted(fill(line, scenario) for line in pool(scenario, request.intent.value))


def pool(scenario: Scenario, name: str) -> tuple[str, ...]:
    """The scenario's own lines for ``name``, else the generic ones."""
    own = scenario.lines.get(name)
    if own:
        return own
    return generic_lines()[1].get(name, ("",))


def fill(line: str, scenario: Scenario) -> str:
    """A line with the customer's name and the case's facts put in."""
    return line.format_map({"name": scenario.persona.name, **scenario.facts})


def _said(part: str, used: Set[str]) -> bool:
    return bool(part) and any(part in line for line in used)


def _join(reaction: str, body: str) -> str:
    return f"{reaction} {body}".strip()
