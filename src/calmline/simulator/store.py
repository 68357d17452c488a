"""Practice sessions on disk: one JSONL file per session (a header, one record per turn,
the debrief), and the trainer's view across them. The only module of the simulator
that does I/O."""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from calmline.errors import CalmlineError, ErrorCode
from calmline.report import to_plain
from calmline.simulator.debrief import Debrief

PRACTICE_DIR_ENV = "CALMLINE_PRACTICE_DIR"
MAX_SESSION_BYTES = 5_000_000


def practice_dir(directory: str | Path | None = None) -> Path:
    """Where sessions are kept: ``directory``, else $CALMLINE_PRACTICE_DIR, else
    ~/.calmline/practice."""
    if directory is not None:
        return Path(directory)
    configured = os.environ.get(PRACTICE_DIR_ENV)
    return Path(configured) if configured else Path.home() / ".calmline" / "practice"


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One stored session, as the trainer's view lists it."""

    session_id: str
    scenario_id: str
    title: str
    trainee: str
    seed: int
    finished_at: str
    outcome: str
    score: int
    start_temper: float
    end_temper: float
    turns: int


@dataclass(frozen=True, slots=True)
class Progress:
    """A trainee's record on one scenario."""

    trainee: str
    scenario_id: str
    attempts: int
    resolved: int
    best_score: int
    last_score: int
    last_outcome: str


def save_session(debrief: Debrief, directory: str | Path | None = None) -> Path:
    """Write the session as a new JSONL file (atomically) and return its path."""
    folder = practice_dir(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _store_error(f"cannot create the practice folder: {exc.strerror or exc}", folder) from exc
    now = datetime.now(UTC)
    session_id = f"{now:%Y%m%dT%H%M%S}-{debrief.scenario_id}-{uuid.uuid4().hex[:8]}"
    path = folder / f"{session_id}.jsonl"
    records = _records(session_id, now, debrief)
    temporary = path.with_suffix(".tmp")
    try:
        temporary.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                             encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise _store_error(f"cannot write the session: {exc.strerror or exc}", path) from exc
    return path


def _records(session_id: str, now: datetime, debrief: Debrief) -> list[dict[str, Any]]:
    header = {"type": "session", "session_id": session_id, "scenario_id": debrief.scenario_id,
              "title": debrief.title, "trainee": debrief.trainee or "", "seed": debrief.seed,
              "finished_at": now.isoformat()}
    turns = [{"type": "turn", "index": i, "role": role, "text": text}
             for i, (role, text) in enumerate(debrief.transcript)]
    summary = {key: to_plain(getattr(debrief, key)) for key in (
        "outcome", "manager_demanded", "start_temper", "end_temper", "score", "curve",
        "helpful_moves")}
    return [header, *turns, {"type": "debrief", **summary, "report": debrief.report.to_dict()}]


def load_sessions(directory: str | Path | None = None) -> tuple[list[SessionSummary], list[str]]:
    """Every stored session, oldest first, and a problem line for each file that could
    not be read (left in place, never deleted)."""
    folder = practice_dir(directory)
    if not folder.is_dir():
        return [], []
    sessions: list[SessionSummary] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.jsonl")):
        try:
            sessions.append(read_summary(path))
        except CalmlineError as exc:
            problems.append(exc.message)
    return sorted(sessions, key=lambda s: s.finished_at), problems


def read_summary(path: Path) -> SessionSummary:
    """The summary of one session file; a clear error if it is not one."""
    header, debrief, turns = _read_records(path)
    try:
        return SessionSummary(
            str(header["session_id"]), str(header["scenario_id"]), str(header["title"]),
            str(header["trainee"]) or "anonymous", int(header["seed"]), str(header["finished_at"]),
            str(debrief["outcome"]), int(debrief["score"]), float(debrief["start_temper"]),
            float(debrief["end_temper"]), turns)
    except (KeyError, TypeError, ValueError) as exc:
        raise _store_error(f"not a practice session: missing or bad field {exc}", path) from exc


def _read_records(path: Path) -> tuple[dict[str, Any], dict[str, Any], int]:
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_SESSION_BYTES:
            raise _store_error(f"larger than {MAX_SESSION_BYTES} bytes", path)
        text = raw.decode("utf-8")
    except OSError as exc:
        raise _store_error(f"cannot read: {exc.strerror or exc}", path) from exc
    except UnicodeDecodeError as exc:
        raise _store_error(f"byte {exc.start}: not UTF-8 text", path) from exc
    records = [_record(line, number, path) for number, line in enumerate(text.splitlines(), 1)
               if line.strip()]
    if not all(isinstance(r, dict) for r in records):
        raise _store_error("every line must be a JSON object", path)
    header = next((r for r in records if r.get("type") == "session"), None)
    debrief = next((r for r in records if r.get("type") == "debrief"), None)
    if header is None or debrief is None:
        raise _store_error("not a practice session: no 'session' or 'debrief' record", path)
    return header, debrief, sum(1 for r in records if r.get("type") == "turn")


def _record(line: str, number: int, path: Path) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise _store_error(f"line {number}: not JSON ({exc.msg})", path) from exc


def progress(sessions: list[SessionSummary]) -> list[Progress]:
    """Per trainee and scenario: attempts, resolutions, best and latest score."""
    grouped: dict[tuple[str, str], list[SessionSummary]] = defaultdict(list)
    for session in sessions:
        grouped[(session.trainee, session.scenario_id)].append(session)
    return [Progress(trainee, scenario, len(runs), sum(r.outcome == "resolved" for r in runs),
                     max(r.score for r in runs), runs[-1].score, runs[-1].outcome)
            for (trainee, scenario), runs in sorted(grouped.items())]


def _store_error(problem: str, path: Path) -> CalmlineError:
    return CalmlineError(problem, source=str(path), code=ErrorCode.E001_UNREADABLE,
                         hint="the file is left as it is")
