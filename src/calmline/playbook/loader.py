"""Loading and validating playbook files, with every mistake reported at its place."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from calmline.errors import PlaybookError
from calmline.playbook.model import Playbook

DEFAULT_PLAYBOOK_PATH = Path(__file__).parent / "default.yaml"
MAX_PLAYBOOK_BYTES = 2_000_000


def load_playbook(path: str | Path | None = None) -> Playbook:
    """Load and validate a playbook file (the default playbook when ``path`` is None)."""
    source = Path(path) if path is not None else DEFAULT_PLAYBOOK_PATH
    return parse_playbook(_read(source), source=str(source))


def _read(source: Path) -> str:
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise PlaybookError([f"cannot read the file: {exc.strerror or exc}"], source=str(source)) from exc
    if len(raw) > MAX_PLAYBOOK_BYTES:
        raise PlaybookError([f"file is larger than {MAX_PLAYBOOK_BYTES} bytes"], source=str(source))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaybookError([f"byte {exc.start}: not UTF-8 text"], source=str(source)) from exc


def parse_playbook(text: str, *, source: str = "<playbook>") -> Playbook:
    """Validate playbook YAML text; raise PlaybookError listing every problem with its line."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlaybookError([_yaml_problem(exc)], source=source) from exc
    if not isinstance(data, dict) or root is None:
        raise PlaybookError(["line 1: expected a mapping with 'name', 'version' and 'techniques'"],
                            source=source)
    try:
        return Playbook.model_validate(data)
    except ValidationError as exc:
        raise PlaybookError([_describe(err, root) for err in exc.errors()], source=source) from exc


def playbook_fingerprint(playbook: Playbook) -> str:
    """A short content hash, so a stored report names exactly what scored it."""
    cached = _FINGERPRINTS.get(id(playbook))
    if cached is None or cached[0] is not playbook:
        digest = hashlib.sha256(playbook.model_dump_json().encode("utf-8")).hexdigest()[:12]
        cached = _FINGERPRINTS[id(playbook)] = (playbook, digest)
    return cached[1]


# Playbooks are immutable, so a fingerprint is computed once per playbook object.
_FINGERPRINTS: dict[int, tuple[Playbook, str]] = {}


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: YAML syntax error: {problem}"
    return f"YAML syntax error: {problem}"


def _describe(error: Any, root: yaml.Node) -> str:
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
