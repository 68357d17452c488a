"""The work behind each live frame, synchronous and short: open (or rebuild) a call, store
and analyse a final segment, close the call with its report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session as DbSession

from calmline.api.followups import after_call_stored, history_hooks, history_of, plan_followups, wake_worker
from calmline.api.live.hub import LiveCall
from calmline.api.live.protocol import FrameError, SegmentFrame, StartFrame
from calmline.api.state import ServiceState
from calmline.conversation import Conversation, Turn
from calmline.report import to_plain
from calmline.session import Session
from calmline.storage import audit
from calmline.storage.access import can_see
from calmline.storage.accounts import Principal, UserRole, ensure_agent
from calmline.storage.calls import (
    CLOSED,
    conversation_of,
    create_call,
    record_turn,
    store_report,
    stored_report,
    stored_turns,
    team_of,
)
from calmline.storage.models import Call
from calmline.storage.playbooks import active_version, get_version


class ForbiddenCallError(Exception):
    """The signed-in user may not open this call."""


@dataclass(frozen=True, slots=True)
class EndedCall:
    """The call already has its report (it ended before this connection)."""

    report: dict[str, Any]


def open_call(state: ServiceState, who: Principal, call_id: str, start: StartFrame) -> LiveCall | EndedCall:
    """The live call ``call_id``: created on first start, rebuilt from storage on a resume."""
    with state.database.session() as db:
        call = db.get(Call, call_id)
        if call is None:
            call = _create(db, state, who, call_id, start)
        elif not can_see(who, call.agent_id, team_of(db, call.agent_id)):
            raise ForbiddenCallError(call_id)
        elif call.status == CLOSED:
            audit.record(db, who, "live.report", call.id)
            return EndedCall(stored_report(db, call.id) or {})
        turns = stored_turns(db, call.id)
        team = team_of(db, call.agent_id)
        version = get_version(db, call.playbook_version_id)
        assert version is not None
        playbook = state.playbooks.playbook(version)
        conversation = conversation_of(call, turns)
        history = history_of(db, call)
    session = Session.for_conversation(conversation, playbook, hooks=history_hooks(state.database, history),
                                       earlier_calls=len(history.calls) if history else 0)
    peak = 0.0
    for turn in conversation.turns:
        session.feed(turn)
        peak = max(peak, session.temperature)
    live = LiveCall(call_id, call.agent_id, team, call.customer_name, session,
                    {t.segment_id: t.index for t in turns if t.segment_id is not None})
    live.peak = peak
    return live


def _create(db: DbSession, state: ServiceState, who: Principal, call_id: str, start: StartFrame) -> Call:
    agent_id = _agent_for(db, who, start.agent_id)
    started = start.started_at
    if started is not None:
        started = started.replace(tzinfo=UTC) if started.tzinfo is None else started.astimezone(UTC)
    conversation = Conversation(id=call_id, turns=(), channel=start.channel_value, agent_id=agent_id,
                                customer_id=start.customer_id, customer_name=start.customer_name,
                                started_at=started)
    return create_call(db, conversation, call_id=call_id, source="live",
                       playbook_version_id=active_version(db).id, redacted=state.redactor is not None,
                       submitted_by=who.user_id)


def _agent_for(db: DbSession, who: Principal, agent_id: str | None) -> str | None:
    """The agent a new call belongs to, checked against who opens it."""
    if who.role is UserRole.AGENT:
        if agent_id not in (None, who.agent_id):
            raise ForbiddenCallError(agent_id)
        return who.agent_id
    if who.role is UserRole.SUPERVISOR:
        if agent_id is None:
            raise ForbiddenCallError("a supervisor must name the call's agent")
        team = team_of(db, agent_id)
        if team not in (None, who.team):
            raise ForbiddenCallError(agent_id)
        ensure_agent(db, agent_id, who.team)
    return agent_id


def accept_final(state: ServiceState, live: LiveCall, frame: SegmentFrame) -> dict[str, Any]:
    """Redact, store, then analyse one final segment; the answer is sent only once it is stored."""
    if frame.segment_id is not None and frame.segment_id in live.segments:
        return _answer(live, frame.segment_id, live.segments[frame.segment_id], [], duplicate=True)
    if not frame.text.strip():
        raise FrameError("invalid_frame", "field 'text': a final segment needs some words")
    turn = Turn(index=len(live.session.turns), role=frame.role_value, text=state.redact(frame.text),
                speaker=frame.speaker, begin_ms=frame.begin_ms, end_ms=frame.end_ms)
    with state.database.session() as db:
        record_turn(db, live.call_id, turn, frame.segment_id)
    nudges = live.session.feed(turn)
    if frame.segment_id is not None:
        live.segments[frame.segment_id] = turn.index
    live.note_turn(nudges)
    return _answer(live, frame.segment_id, turn.index, [to_plain(n) for n in nudges])


def _answer(live: LiveCall, segment_id: str | None, index: int, nudges: list[dict[str, Any]],
            duplicate: bool = False) -> dict[str, Any]:
    answer = {"type": "nudges", "segment_id": segment_id, "turn_index": index,
              "temperature": live.session.temperature, "nudges": nudges}
    if duplicate:
        answer["duplicate"] = True
    return answer


def finish(state: ServiceState, who: Principal, live: LiveCall) -> dict[str, Any]:
    """Close the call: its report, stored with the call marked closed."""
    report = live.session.close()
    body = report.to_dict()
    with state.database.session() as db:
        call = db.get(Call, live.call_id)
        assert call is not None
        planned = plan_followups(state.database, report, call.occurred_at)
        store_report(db, call, report, body)
        after_call_stored(state.database, db, call, report, planned)
        audit.record(db, who, "live.report", call.id)
    wake_worker(state.database)
    return body


def started_frame(live: LiveCall, resumed: bool) -> dict[str, Any]:
    last = max(live.segments.items(), key=lambda item: item[1])[0] if live.segments else None
    return {"type": "started", "call_id": live.call_id, "resumed": resumed,
            "turns": len(live.session.turns), "last_segment_id": last,
            "temperature": live.session.temperature, "at": datetime.now(UTC).isoformat()}
