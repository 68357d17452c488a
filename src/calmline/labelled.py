"""Reading labelled utterances (the labelled-data JSONL format and its scope sidecar)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calmline.conversation import Role, Turn
from calmline.errors import ErrorCode, LabelledDataError
from calmline.labels import LABELS

MAX_LINE_BYTES = 1_000_000
# The fields of the labelled-data format; any other string field of a line is a tag.
_FIELDS = frozenset({"id", "role", "text", "context", "labels"})


@dataclass(frozen=True, slots=True)
class LabelledUtterance:
    id: str
    role: Role
    text: str
    context: tuple[Turn, ...]
    labels: frozenset[str]
    # The line's other string fields (a corpus's "register" or "domain", say), for
    # measuring by group; (name, value) pairs in the order the line gives them.
    tags: tuple[tuple[str, str], ...] = ()

    @property
    def turn(self) -> Turn:
        return Turn(index=len(self.context), role=self.role, text=self.text)

    def tag(self, name: str) -> str | None:
        """The value of the line's string field ``name``, if it has one."""
        return next((value for key, value in self.tags if key == name), None)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which role and labels a labelled file annotates; only those are scored."""

    role: Role | None
    labels: tuple[str, ...]


def read_scope(path: Path) -> Scope | None:
    """The sidecar ``NAME.scope.json`` next to ``NAME.jsonl``, if there is one."""
    sidecar = path.with_name(path.name.removesuffix(".jsonl") + ".scope.json")
    if not sidecar.exists():
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelledDataError(f"cannot read scope file: {exc}", source=str(sidecar)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("labels"), list):
        raise LabelledDataError('expected {"role": ..., "labels": [...]}', source=str(sidecar))
    labels = tuple(str(x) for x in data["labels"])
    _check_labels(labels, str(sidecar), "labels")
    role = data.get("role")
    return Scope(_role(role, str(sidecar), "role") if role else None, labels)


def read_labelled(path: Path) -> Iterator[LabelledUtterance]:
    """Stream a labelled JSONL file, one utterance per line, with line-numbered errors."""
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise LabelledDataError(f"cannot open: {exc.strerror or exc}", source=source,
                                code=ErrorCode.E001_UNREADABLE) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            if len(raw) > MAX_LINE_BYTES:
                raise LabelledDataError("line is over 1 MB", source=source,
                                        location=f"line {number}", code=ErrorCode.E008_TOO_LARGE)
            if raw.strip():
                yield _utterance(_json_line(raw, source, number), source, f"line {number}")


def _json_line(raw: bytes, source: str, number: int) -> dict[str, Any]:
    where = f"line {number}"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LabelledDataError(f"not UTF-8 text (byte {exc.start})", source=source,
                                location=where, code=ErrorCode.E002_ENCODING) from exc
    except json.JSONDecodeError as exc:
        raise LabelledDataError(f"invalid JSON: {exc.msg} at column {exc.colno}",
                                source=source, location=where,
                                code=ErrorCode.E004_MALFORMED) from exc
    if not isinstance(data, dict):
        raise LabelledDataError("expected a JSON object", source=source, location=where)
    return data


def _utterance(data: dict[str, Any], source: str, where: str) -> LabelledUtterance:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise LabelledDataError("'text' must be a non-empty string", source=source, location=where)
    labels = data.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise LabelledDataError("'labels' must be a list of label names", source=source,
                                location=where)
    _check_labels(labels, source, where)
    context = data.get("context") or []
    if not isinstance(context, list):
        raise LabelledDataError("'context' must be a list of turns", source=source, location=where)
    turns = tuple(_context_turn(i, c, source, where) for i, c in enumerate(context))
    tags = tuple((k, v) for k, v in data.items() if k not in _FIELDS and isinstance(v, str))
    return LabelledUtterance(str(data.get("id", where)), _role(data.get("role"), source, where),
                             text, turns, frozenset(labels), tags)


def _context_turn(index: int, item: Any, source: str, where: str) -> Turn:
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise LabelledDataError(f"context[{index}] must be {{'role', 'text'}}", source=source,
                                location=where)
    return Turn(index, _role(item.get("role"), source, f"{where}, context[{index}]"), item["text"])


def _role(value: Any, source: str, where: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise LabelledDataError(f"role {value!r} is not agent, customer or system",
                                source=source, location=where) from None


def _check_labels(labels: Any, source: str, where: str) -> None:
    unknown = sorted(set(labels) - set(LABELS))
    if unknown:
        raise LabelledDataError(f"unknown label(s): {', '.join(unknown)}", source=source,
                                location=where, hint="see `calmline labels`")
