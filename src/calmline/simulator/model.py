"""The practice scenario as data: who the customer is, the facts of the case, how their
temper starts and moves, and which outcomes they accept.

Validated with pydantic (scenarios are user-edited files); immutable once loaded.
"""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from calmline.labels import AGENT_LABELS, LABELS

SLUG = r"^[a-z][a-z0-9_]*$"
# The line pools a scenario may give; each one replaces the generic pool of that name.
LINE_POOLS = ("opening", "vent", "press", "answer", "accept", "manager", "hang_up", "abuse",
              "after_boundary", "refuse", "exception")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Text = Annotated[str, Field(min_length=1, max_length=600)]


class Persona(_Frozen):
    """Who the trainee is talking to."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    description: Text


class Temper(_Frozen):
    """Where the customer's temper (0 calm .. 100 furious) starts, and the thresholds
    that end the call one way or another."""

    start: Annotated[float, Field(ge=0, le=100)]
    # Turns in a row the customer puts up with getting nowhere before it starts to cost.
    patience: Annotated[int, Field(ge=0, le=20)] = 2
    accept_below: Annotated[float, Field(ge=0, le=100)] = 45.0
    manager_at: Annotated[float, Field(ge=0, le=100)] = 85.0
    hang_up_at: Annotated[float, Field(ge=0, le=100)] = 97.0
    max_turns: Annotated[int, Field(ge=2, le=60)] = 16

    @model_validator(mode="after")
    def _ordered(self) -> Temper:
        if not self.accept_below < self.manager_at <= self.hang_up_at:
            raise ValueError("thresholds must satisfy accept_below < manager_at <= hang_up_at")
        if self.start >= self.hang_up_at:
            raise ValueError("start must be below hang_up_at (the customer would hang up at once)")
        return self


class Outcome(_Frozen):
    """An outcome the customer accepts: offered with one of ``labels`` (as calmline's
    detectors read the trainee's turn) and, if ``words`` are given, naming one of them.
    ``exception`` outcomes also need the trainee to ask for an exception."""

    id: Annotated[str, Field(pattern=SLUG)]
    description: Text
    labels: Annotated[tuple[str, ...], Field(min_length=1)]
    words: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    exception: bool = False

    @field_validator("labels")
    @classmethod
    def _agent_labels(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        return _check_agent_labels(labels)


class Refusal(_Frozen):
    """An offer the customer turns down (a voucher when they want their money back)."""

    words: Annotated[tuple[Annotated[str, Field(min_length=1)], ...], Field(min_length=1)]
    line: Text


class Scenario(_Frozen):
    """One practice call."""

    id: Annotated[str, Field(pattern=SLUG)]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    level: Annotated[int, Field(ge=1, le=5)] = 1
    brief: Text
    persona: Persona
    facts: dict[Annotated[str, Field(pattern=SLUG)], Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict)
    temper: Temper
    # Extra heat (triggers) or cooling (calms) a label brings with this customer.
    triggers: dict[str, Annotated[float, Field(gt=0, le=50)]] = Field(default_factory=dict)
    calms: dict[str, Annotated[float, Field(gt=0, le=50)]] = Field(default_factory=dict)
    # Labels the trainee must have shown before the customer accepts any outcome.
    must_hear: tuple[str, ...] = ()
    abusive: bool = False
    demands_manager: bool = False
    vent_turns: Annotated[int, Field(ge=0, le=6)] = 0
    outcomes: Annotated[tuple[Outcome, ...], Field(min_length=1)]
    refusals: tuple[Refusal, ...] = ()
    exception_words: tuple[str, ...] = ("exception", "goodwill", "one-off", "approve", "approval")
    hint: Text
    lines: dict[str, tuple[Text, ...]]

    @field_validator("facts", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: object) -> object:
        # "order: 55120" in YAML is a number; a fact is said as text either way.
        if isinstance(value, dict):
            return {k: str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                    for k, v in value.items()}
        return value

    @field_validator("triggers", "calms")
    @classmethod
    def _label_keys(cls, value: dict[str, float]) -> dict[str, float]:
        _check_agent_labels(tuple(value))
        return value

    @field_validator("must_hear")
    @classmethod
    def _heard_labels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_agent_labels(value)

    @field_validator("lines")
    @classmethod
    def _usable_lines(cls, value: dict[str, tuple[str, ...]],
                      info: ValidationInfo) -> dict[str, tuple[str, ...]]:
        unknown = sorted(set(value) - set(LINE_POOLS))
        if unknown:
            raise ValueError(f"unknown line pool(s) {', '.join(unknown)}; use: {', '.join(LINE_POOLS)}")
        if len(value.get("opening", ())) < 2:
            raise ValueError("give at least two lines in 'opening', so a seed can vary the start")
        vent_turns = int(info.data.get("vent_turns", 0))
        if vent_turns and len(value.get("vent", ())) < vent_turns:
            raise ValueError(f"vent_turns is {vent_turns}: give at least that many lines in 'vent'")
        facts = info.data.get("facts")
        if facts is None:  # the facts are invalid themselves: that error says enough
            return value
        for pool, texts in value.items():
            for index, text in enumerate(texts):
                _check_placeholders(text, facts, f"{pool}[{index}]")
        return value

    @model_validator(mode="after")
    def _unique_outcomes(self) -> Scenario:
        ids = [o.id for o in self.outcomes]
        if len(set(ids)) != len(ids):
            raise ValueError("outcome ids must be unique")
        return self


def _check_agent_labels(labels: tuple[str, ...]) -> tuple[str, ...]:
    for label in labels:
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}; known agent labels: {', '.join(AGENT_LABELS)}")
        if label not in AGENT_LABELS:
            raise ValueError(f"label {label!r} is a customer label; use agent labels")
    return labels


def placeholders(text: str) -> list[str]:
    """The ``{field}`` names a line uses."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None]


def _check_placeholders(text: str, facts: dict[str, str], where: str) -> None:
    try:
        names = placeholders(text)
    except ValueError as exc:
        raise ValueError(f"{where}: bad braces in {text!r} ({exc}); write {{{{ for a brace") from None
    for name in names:
        if name != "name" and name not in facts:
            raise ValueError(f"{where}: {{{name}}} in {text!r} is not a fact; facts: "
                             + ", ".join(["name", *facts]))
