"""Loading and validating scenario files, every mistake reported at its line — the
same way playbook files are checked."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from calmline.datafiles import describe, read_data_file, yaml_problem
from calmline.errors import CalmlineError, ErrorCode
from calmline.simulator.model import Scenario

SCENARIO_DIR = Path(__file__).parent / "scenarios"
MAX_SCENARIO_BYTES = 1_000_000


class ScenarioError(CalmlineError):
    """A scenario file is invalid; ``issues`` lists every problem found."""

    code = ErrorCode.E401_SCENARIO

    def __init__(self, issues: list[str], *, source: str | None = None) -> None:
        self.issues = issues
        count = f"{len(issues)} problem{'s' if len(issues) != 1 else ''}"
        super().__init__(f"invalid scenario, {count}: " + "; ".join(issues), source=source,
                         hint="check it with `calmline practice validate FILE`")


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate one scenario file."""
    source = Path(path)
    return parse_scenario(_read(source), source=str(source))


def parse_scenario(text: str, *, source: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; raise ScenarioError listing every problem with its line."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([yaml_problem(exc)], source=source) from exc
    if not isinstance(data, dict) or root is None:
        raise ScenarioError(["line 1: expected a mapping with 'id', 'title', 'persona', 'temper', "
                             "'outcomes', 'hint' and 'lines'"], source=source)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([describe(_pin_line(err), root) for err in exc.errors()],
                            source=source) from exc


# A problem in one line of a pool is raised for the whole ``lines`` field as
# "pool[index]: ..."; pointing at that line's own place in the file is more useful.
_POOL_ITEM = re.compile(r"^(?:Value error, )?(\w+)\[(\d+)\]: ")


def _pin_line(error: Any) -> Any:
    match = _POOL_ITEM.match(str(error.get("msg", "")))
    if tuple(error.get("loc", ())) != ("lines",) or match is None:
        return error
    pool, index = match.group(1), int(match.group(2))
    return {**error, "loc": ("lines", pool, index), "msg": str(error["msg"])[match.end():]}


def find_scenario(name: str | Path) -> Scenario:
    """A shipped scenario by id, or a scenario file by path."""
    by_id = curriculum()
    key = str(name)
    if key in by_id:
        return by_id[key]
    path = Path(name)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        return load_scenario(path)
    raise ScenarioError([f"no shipped scenario {key!r} and no such file; shipped: "
                         + ", ".join(by_id)], source=key)


@cache
def curriculum() -> dict[str, Scenario]:
    """The shipped scenarios by id, easiest first (loaded once per process)."""
    loaded = [load_scenario(path) for path in sorted(SCENARIO_DIR.glob("*.yaml"))]
    return {s.id: s for s in sorted(loaded, key=lambda s: s.level)}


def _read(source: Path) -> str:
    return read_data_file(source, MAX_SCENARIO_BYTES,
                          lambda issues, where: ScenarioError(issues, source=where))
