"""User-edited YAML data files (playbooks, scenarios, topic taxonomies): reading them
safely and saying where each problem is, by line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from calmline.errors import CalmlineError


def read_data_file(source: Path, limit: int,
                   error: Callable[[list[str], str], CalmlineError]) -> str:
    """The file's UTF-8 text; ``error(issues, source)`` for a file that cannot be read,
    is over ``limit`` bytes or is not UTF-8."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise error([f"cannot read the file: {exc.strerror or exc}"], str(source)) from exc
    if len(raw) > limit:
        raise error([f"file is larger than {limit} bytes"], str(source))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error([f"byte {exc.start}: not UTF-8 text"], str(source)) from exc


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML syntax error as one line, with its line and column."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: YAML syntax error: {problem}"
    return f"YAML syntax error: {problem}"


def describe(error: Any, root: yaml.Node) -> str:
    """A pydantic validation error as one line naming the YAML line and field path."""
    loc = tuple(error["loc"])
    path = _dotted(loc) or "(top level)"
    line = _line_of(root, loc)
    where = f"line {line}, {path}" if line else path
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown field (check its spelling)"
    elif error["type"] == "enum":
        message = f"{error.get('input')!r} is not one of: {error['ctx']['expected']}"
    return f"{where}: {message}"


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node the location reaches."""
    line = node.start_mark.line + 1
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value  # type: ignore[no-any-return]
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
