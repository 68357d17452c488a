"""The playbook model: techniques, when each is expected, weights, coaching and nudges.

Validated with pydantic (the playbook is user-edited input); immutable once loaded.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from calmline.labels import AGENT_LABELS, LABELS


class Condition(StrEnum):
    """Opportunities: situations in a call that make a technique expected."""

    ALWAYS = "always"
    GRIEVANCE = "grievance"  # the customer has a complaint
    CUSTOMER_EMOTIONAL = "customer_emotional"  # anger, frustration, venting or a hot temperature
    CUSTOMER_CONFUSED = "customer_confused"
    ABUSE_SEEN = "abuse_seen"
    ESCALATION_REQUESTED = "escalation_requested"
    THREAT_MADE = "threat_made"
    REPEAT_CONTACT = "repeat_contact"
    VENTING = "venting"
    DEESCALATION_FAILED = "deescalation_failed"  # still hot after the agent tried, or a manager asked for
    SOLUTION_OFFERED = "solution_offered"
    OPTIONS_OFFERED = "options_offered"
    CLOSING = "closing"  # known once the call ends
    UNRESOLVED = "unresolved"  # known once the call ends


POST_CALL_CONDITIONS = frozenset({Condition.CLOSING, Condition.UNRESOLVED})


class Kind(StrEnum):
    GOOD = "good"  # the agent should do it when expected
    HARMFUL = "harmful"  # the agent should never do it


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NudgeSpec(_Frozen):
    """What the live assist panel shows when the technique is due (or was breached)."""

    text: Annotated[str, Field(min_length=1, max_length=200)]
    phrasing: str | None = None
    # Which nudge wins when several are due at once; defaults to the technique's weight.
    priority: Annotated[float, Field(ge=0, le=100)] | None = None


class Technique(_Frozen):
    """One playbook move, scored as one scorecard criterion."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Annotated[str, Field(min_length=1)]
    kind: Kind
    labels: Annotated[tuple[str, ...], Field(min_length=1)]
    expected_when: tuple[Condition, ...] = ()
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    description: Annotated[str, Field(min_length=1)]
    why: Annotated[str, Field(min_length=1)]
    examples: tuple[str, ...] = ()
    coaching_tip: Annotated[str, Field(min_length=1)]
    nudge: NudgeSpec | None = None

    @field_validator("labels")
    @classmethod
    def _known_agent_labels(cls, labels: tuple[str, ...]) -> tuple[str, ...]:
        for label in labels:
            if label not in LABELS:
                raise ValueError(f"unknown label {label!r}; known agent labels: "
                                 + ", ".join(AGENT_LABELS))
            if label not in AGENT_LABELS:
                raise ValueError(f"label {label!r} is a customer label; techniques use agent labels")
        return labels

    @property
    def optional(self) -> bool:
        """A good technique with no opportunity condition: credited, never missed."""
        return self.kind is Kind.GOOD and not self.expected_when


class LiveSettings(_Frozen):
    """How the live assist paces its nudges."""

    debounce_turns: Annotated[int, Field(ge=0, le=50)] = 4
    max_nudges_per_turn: Annotated[int, Field(ge=1, le=5)] = 2
    # A move still not made this many turns after its opportunity is left to the
    # scorecard: nudging about a moment long gone only distracts.
    stale_after_turns: Annotated[int, Field(ge=1, le=100)] = 6


class OperatingPoint(StrEnum):
    """Where a learned detector's cut sits (picked per label when it was trained):
    ``precision`` maximises F0.5, ``balanced`` F1, ``recall`` F2; ``never`` lets the
    model confirm the rules but not find the label on its own."""

    PRECISION = "precision"
    BALANCED = "balanced"
    RECALL = "recall"
    NEVER = "never"


class LabelPolicy(_Frozen):
    verdict: OperatingPoint | None = None
    live: OperatingPoint | None = None


class DetectionPolicy(_Frozen):
    """When a learned finding counts: for the scorecard's verdicts and for live
    nudges, by default and per label."""

    verdict: OperatingPoint = OperatingPoint.PRECISION
    live: OperatingPoint = OperatingPoint.BALANCED
    labels: dict[str, LabelPolicy] = Field(default_factory=dict)

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, value: dict[str, LabelPolicy]) -> dict[str, LabelPolicy]:
        unknown = sorted(set(value) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown label(s): {', '.join(unknown)}")
        return value

    def point(self, label: str, purpose: str) -> OperatingPoint:
        """The operating point of ``label`` for ``purpose`` ("verdict" or "live")."""
        override = self.labels.get(label, LabelPolicy())
        if purpose == "verdict":
            return override.verdict or self.verdict
        return override.live or self.live


class Playbook(_Frozen):
    """A whole playbook: the techniques a QA team scores against."""

    name: Annotated[str, Field(min_length=1)]
    version: Annotated[str, Field(min_length=1)]
    description: str = ""
    live: LiveSettings = LiveSettings()
    detection: DetectionPolicy = DetectionPolicy()
    techniques: Annotated[tuple[Technique, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Playbook:
        seen: set[str] = set()
        for technique in self.techniques:
            if technique.id in seen:
                raise ValueError(f"duplicate technique id {technique.id!r}")
            seen.add(technique.id)
        return self

    def technique(self, technique_id: str) -> Technique:
        for technique in self.techniques:
            if technique.id == technique_id:
                return technique
        raise KeyError(technique_id)
