"""Complaint topics: what a call is about (billing, delivery, account access…), from a
taxonomy file the user can edit, each with the customer's words as evidence. Pure apart
from reading the taxonomy file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from calmline.conversation import Role, Turn
from calmline.datafiles import read_data_file
from calmline.errors import CalmlineError, ErrorCode
from calmline.text import clip, sentence_around

DEFAULT_TAXONOMY_PATH = Path(__file__).parent / "tasks" / "topics.yaml"
MAX_TAXONOMY_BYTES = 1_000_000
# A topic keeps at most this many quotes as evidence.
MAX_EVIDENCE = 3


class TaxonomyError(CalmlineError):
    """A complaint-topic taxonomy file is invalid; ``issues`` lists every problem."""

    code = ErrorCode.E102_TAXONOMY

    def __init__(self, issues: list[str], *, source: str | None = None) -> None:
        self.issues = issues
        super().__init__("invalid topic taxonomy: " + "; ".join(issues), source=source,
                         hint="fix the file and check it again with `calmline topics check FILE`")


class TopicSpec(BaseModel):
    """One topic of the taxonomy: an id, a name, and the phrases that reveal it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    phrases: Annotated[tuple[str, ...], Field(min_length=1, max_length=500)]
    min_hits: Annotated[int, Field(ge=1, le=100)] = 1

    @field_validator("phrases")
    @classmethod
    def _compiles(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        for phrase in phrases:
            if not phrase.strip():
                raise ValueError("a phrase cannot be empty")
            try:
                re.compile(phrase)
            except re.error as exc:
                raise ValueError(f"phrase {phrase!r} is not a valid pattern: {exc}") from exc
        return phrases


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=200)]
    version: Annotated[str, Field(min_length=1, max_length=64)]
    topics: Annotated[tuple[TopicSpec, ...], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Taxonomy:
        ids = [t.id for t in self.topics]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"topic ids must be unique; repeated: {', '.join(repeated)}")
        return self


@dataclass(frozen=True, slots=True)
class TopicEvidence:
    turn_index: int
    quote: str


@dataclass(frozen=True, slots=True)
class CallTopic:
    """A topic found in a call: how often it came up, and where."""

    topic: str
    name: str
    hits: int
    evidence: tuple[TopicEvidence, ...]


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy file (the shipped one when ``path`` is None)."""
    source = Path(path) if path is not None else DEFAULT_TAXONOMY_PATH
    text = read_data_file(source, MAX_TAXONOMY_BYTES,
                          lambda issues, where: TaxonomyError(issues, source=where))
    return parse_taxonomy(text, source=str(source))


def parse_taxonomy(text: str, *, source: str = "<taxonomy>") -> Taxonomy:
    """Validate taxonomy YAML; raise TaxonomyError naming every problem and its place."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise TaxonomyError([f"{where}YAML syntax error: {getattr(exc, 'problem', None) or exc}"],
                            source=source) from exc
    if not isinstance(data, dict):
        raise TaxonomyError(["expected a mapping with 'name', 'version' and 'topics'"], source=source)
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        raise TaxonomyError([_describe(e) for e in exc.errors()], source=source) from exc


def _describe(error: Any) -> str:
    path = ".".join(str(p) for p in error["loc"]) or "(top level)"
    return f"{path}: {str(error['msg']).removeprefix('Value error, ')}"


@dataclass(frozen=True, slots=True)
class TopicMatcher:
    """A taxonomy compiled once: one case-insensitive whole-word pattern per topic."""

    taxonomy: Taxonomy
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> TopicMatcher:
        return cls(taxonomy, tuple(re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in t.phrases) + r")\b",
                                              re.IGNORECASE) for t in taxonomy.topics))


def find_topics(turns: Sequence[Turn], matcher: TopicMatcher) -> tuple[CallTopic, ...]:
    """The call's complaint topics, most mentioned first, from what the customer said (the
    agent's words count only when the customer's name no topic)."""
    found = _topics_in([t for t in turns if t.role is Role.CUSTOMER], matcher)
    return found or _topics_in([t for t in turns if t.role is Role.AGENT], matcher)


def _topics_in(turns: Sequence[Turn], matcher: TopicMatcher) -> tuple[CallTopic, ...]:
    found: list[CallTopic] = []
    for spec, pattern in zip(matcher.taxonomy.topics, matcher.patterns, strict=True):
        hits, evidence = 0, list[TopicEvidence]()
        for turn in turns:
            for match in pattern.finditer(turn.text):
                hits += 1
                if len(evidence) < MAX_EVIDENCE and all(e.turn_index != turn.index for e in evidence):
                    quote = clip(sentence_around(turn.text, match.start(), match.end()))
                    evidence.append(TopicEvidence(turn.index, quote))
        if hits >= spec.min_hits:
            found.append(CallTopic(spec.id, spec.name, hits, tuple(evidence)))
    return tuple(sorted(found, key=lambda t: (-t.hits, t.topic)))
