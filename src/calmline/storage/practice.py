"""Practice calls played in the web app: storing the trainee's turns as they come, the
debrief when the call ends, and who may see which (the trainee, their team's supervisor,
the admins)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true, update
from sqlalchemy.orm import Session

from calmline.simulator.store import SessionSummary
from calmline.storage.accounts import Principal, UserRole
from calmline.storage.models import StoredPractice, User
from calmline.storage.types import utcnow

IN_PROGRESS = "in_progress"
# A trainer's view lists at most this many sessions (newest first); progress counts them all.
MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class Hint:
    """A hint the trainee asked for, shown after their ``after``-th turn."""

    after: int
    text: str


@dataclass(frozen=True, slots=True)
class CallState:
    """Where a practice call stands after a turn, as the service keeps it."""

    outcome: str
    temper: float
    score: int | None = None
    debrief: dict[str, Any] | None = None


def visible_practice(who: Principal) -> ColumnElement[bool]:
    """Whose practice sessions ``who`` may see: their own; a supervisor also their team's;
    an admin everyone's."""
    if who.role is UserRole.ADMIN:
        return true()
    own = StoredPractice.user_id == who.user_id
    if who.role is UserRole.SUPERVISOR and who.team is not None:
        return or_(own, StoredPractice.user_id.in_(select(User.id).where(User.team == who.team)))
    return own


def start_session(session: Session, who: Principal, scenario_id: str, title: str, seed: int,
                  temper: float) -> StoredPractice:
    """A new practice call for ``who``, with no turns yet."""
    now = utcnow()
    row = StoredPractice(id=uuid.uuid4().hex, user_id=who.user_id, username=who.username,
                         scenario_id=scenario_id, title=title[:120], seed=seed, turns="[]", turn_count=0,
                         hints="[]", nudges_shown=0, show_gauge=True, outcome=IN_PROGRESS,
                         start_temper=temper, temper=temper, started_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return row


def find_session(session: Session, who: Principal, session_id: str) -> StoredPractice | None:
    """The session if it exists and ``who`` may see it (someone else's looks the same as none)."""
    return session.scalar(select(StoredPractice).where(StoredPractice.id == session_id,
                                                       visible_practice(who)))


def trainee_turns(row: StoredPractice) -> list[str]:
    turns = json.loads(row.turns)
    return [str(t) for t in turns] if isinstance(turns, list) else []


def hints_of(row: StoredPractice) -> list[Hint]:
    hints = json.loads(row.hints)
    return [Hint(int(h["after"]), str(h["text"])) for h in hints] if isinstance(hints, list) else []


def debrief_of(row: StoredPractice) -> dict[str, Any] | None:
    if row.debrief is None:
        return None
    plain = json.loads(row.debrief)
    return plain if isinstance(plain, dict) else None


def add_turn(session: Session, row: StoredPractice, turns: list[str], state: CallState) -> bool:
    """Store the call's turns after one more trainee turn, unless another request stored a
    turn first (then nothing changes and False says so: the page is out of date)."""
    now = utcnow()
    values: dict[str, Any] = {"turns": json.dumps(turns, ensure_ascii=False), "turn_count": len(turns),
                              "outcome": state.outcome, "temper": state.temper, "updated_at": now}
    if state.outcome != IN_PROGRESS:
        values |= {"score": state.score, "finished_at": now,
                   "debrief": json.dumps(state.debrief, ensure_ascii=False)}
    changed = session.execute(update(StoredPractice).where(
        StoredPractice.id == row.id, StoredPractice.turn_count == row.turn_count,
        StoredPractice.outcome == IN_PROGRESS).values(**values))
    return bool(getattr(changed, "rowcount", 0))


def add_hints(session: Session, row: StoredPractice, texts: list[str], nudges_shown: int) -> None:
    """Keep the hints just shown, so the call page shows them again after a reload."""
    hints = [*({"after": h.after, "text": h.text} for h in hints_of(row)),
             *({"after": row.turn_count, "text": t} for t in texts)]
    session.execute(update(StoredPractice).where(StoredPractice.id == row.id).values(
        hints=json.dumps(hints, ensure_ascii=False), nudges_shown=nudges_shown, updated_at=utcnow()))


def set_gauge(session: Session, row: StoredPractice, shown: bool) -> None:
    """Show or hide the temper gauge on this call (a trainer may want it hidden)."""
    session.execute(update(StoredPractice).where(StoredPractice.id == row.id).values(show_gauge=shown))


def list_sessions(session: Session, where: ColumnElement[bool], user_id: int | None = None,
                  limit: int = MAX_LISTED) -> list[StoredPractice]:
    """Sessions ``where`` allows (one user's when ``user_id`` is given), newest first."""
    query = select(StoredPractice).where(where)
    if user_id is not None:
        query = query.where(StoredPractice.user_id == user_id)
    return list(session.scalars(query.order_by(StoredPractice.started_at.desc()).limit(limit)))


def finished_summaries(session: Session, where: ColumnElement[bool],
                       user_id: int | None = None) -> list[SessionSummary]:
    """Every ended session ``where`` allows, oldest first, as the trainer's progress reads them."""
    query = select(StoredPractice).where(where, StoredPractice.outcome != IN_PROGRESS)
    if user_id is not None:
        query = query.where(StoredPractice.user_id == user_id)
    rows = session.scalars(query.order_by(StoredPractice.finished_at, StoredPractice.id))
    return [summary_of(row) for row in rows]


def summary_of(row: StoredPractice) -> SessionSummary:
    finished = row.finished_at.isoformat() if row.finished_at else ""
    return SessionSummary(row.id, row.scenario_id, row.title, row.username, row.seed, finished, row.outcome,
                          row.score or 0, row.start_temper, row.temper, row.turn_count)
