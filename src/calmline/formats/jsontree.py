"""Typed access to parsed JSON for the JSON-based readers: every wrong shape becomes an
E005 error naming the JSON path (``Transcript[3].Content``), never a KeyError or TypeError."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from calmline.errors import ErrorCode
from calmline.formats.base import ReadContext, fail

_NANOS = re.compile(r"(\.\d{6})\d+")


def load_json(text: str, context: ReadContext, prefix: str | None = None) -> Any:
    """Parse JSON text; syntax errors name the line and column (or the JSONL line)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        line = f"line {error.lineno}" if prefix is None else prefix
        place = f"{line}, column {error.colno}"
        problem = "the JSON ends too early" if error.pos >= len(text.rstrip()) else error.msg
        fail(context, ErrorCode.E004_MALFORMED, f"invalid JSON: {problem}", place)
    except RecursionError:
        fail(context, ErrorCode.E004_MALFORMED, "invalid JSON: nested too deeply", prefix)
    except ValueError as error:  # e.g. an integer over Python's 4300-digit conversion limit
        fail(context, ErrorCode.E004_MALFORMED, f"invalid JSON: {error}"[:120], prefix)


def kind_of(value: Any) -> str:
    """Describe a JSON value's type the way a user would read it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float is no real millisecond count
        return False


def child(path: str, key: str | int) -> str:
    """The JSON path of a key or list index below ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@dataclass(frozen=True, slots=True)
class JsonDoc:
    """One parsed JSON document and where it came from, with path-aware typed getters."""

    context: ReadContext
    prefix: str | None = None

    def where(self, path: str) -> str:
        """Location text for an error at ``path``."""
        place = path or "the top level"
        return f"{self.prefix}, {place}" if self.prefix else place

    def wrong(self, path: str, problem: str, hint: str | None = None) -> NoReturn:
        """Raise a schema error at ``path``."""
        fail(self.context, ErrorCode.E005_SCHEMA, problem, self.where(path), hint)

    def as_object(self, value: Any, path: str) -> dict[str, Any]:
        """``value`` as a JSON object, or an error."""
        if not isinstance(value, dict):
            self.wrong(path, f"expected an object, found {kind_of(value)}")
        return value

    def list_field(self, parent: dict[str, Any], key: str, path: str) -> list[Any]:
        """The required list ``parent[key]``."""
        value = self.required(parent, key, path)
        if not isinstance(value, list):
            self.wrong(child(path, key), f"expected a list, found {kind_of(value)}")
        return value

    def required(self, parent: dict[str, Any], key: str, path: str) -> Any:
        """``parent[key]``, which must be present and not null."""
        value = parent.get(key)
        if value is None:
            self.wrong(child(path, key), f"required field {key!r} is missing or null")
        return value

    def text(self, parent: dict[str, Any], key: str, path: str) -> str:
        """The required string ``parent[key]``."""
        value = self.required(parent, key, path)
        if not isinstance(value, str):
            self.wrong(child(path, key), f"expected a string, found {kind_of(value)}")
        return value

    def optional_text(self, parent: dict[str, Any], key: str, path: str) -> str | None:
        """The optional string ``parent[key]``; numbers are accepted for ids."""
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.wrong(child(path, key), f"expected a string, found {kind_of(value)}")

    def optional_object(self, parent: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        """The optional object ``parent[key]``, empty when absent."""
        value = parent.get(key)
        return {} if value is None else self.as_object(value, child(path, key))

    def optional_ms(self, parent: dict[str, Any], key: str, path: str) -> int | None:
        """An optional non-negative millisecond count (int, or a float rounded to int)."""
        value = parent.get(key)
        if value is None:
            return None
        return self.milliseconds(value, child(path, key))

    def milliseconds(self, value: Any, path: str) -> int:
        """A non-negative, finite number of milliseconds."""
        number: float = value if isinstance(value, int | float) else math.nan
        if isinstance(value, bool) or not _finite(number) or number < 0:
            self.wrong(path, f"expected a non-negative number of milliseconds, found {value!r:.40}")
        return round(number)

    def optional_datetime(self, parent: dict[str, Any], key: str, path: str) -> datetime | None:
        """An optional ISO-8601 timestamp."""
        value = self.optional_text(parent, key, path)
        if value is None:
            return None
        try:
            # Google and Genesys send nanoseconds; Python keeps microseconds.
            return datetime.fromisoformat(_NANOS.sub(r"\1", value.strip()))
        except ValueError:
            self.wrong(child(path, key), f"{value!r:.40} is not an ISO-8601 date-time")
