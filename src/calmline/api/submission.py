"""A finished call in: read it (any format), redact it, score it with the active playbook,
and store it with its report."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session as DbSession

from calmline.api.errors import ApiError
from calmline.api.followups import after_call_stored, plan_followups, wake_worker
from calmline.api.state import ServiceState
from calmline.conversation import Conversation
from calmline.engine import analyze
from calmline.formats import parse_conversation
from calmline.storage import audit
from calmline.storage.accounts import Principal, UserRole, ensure_agent
from calmline.storage.calls import add_turns, create_call, new_call_id, store_report, team_of
from calmline.storage.models import Call
from calmline.storage.playbooks import active_version
from calmline.storage.tasks import customer_history
from calmline.storage.types import utcnow


def submit_call(state: ServiceState, who: Principal, data: bytes, *, filename: str | None,
                format: str | None, agent_id: str | None) -> tuple[Call, dict[str, Any]]:
    """Read, check, redact, analyse and store one call; return it and its report."""
    conversation = parse_conversation(data, source=filename or "upload", format=format)
    if agent_id is not None:
        conversation = replace(conversation, agent_id=agent_id)
    if state.redactor is not None:
        conversation = state.redactor.redact_conversation(conversation)
    with state.database.session() as db:
        conversation = _assign_agent(db, who, conversation)
        version = active_version(db)
        playbook = state.playbooks.playbook(version)
        earlier = _earlier_calls(db, conversation)
    report = analyze(conversation, playbook, earlier_calls=earlier)
    body = report.to_dict()
    received = utcnow()
    planned = plan_followups(state.database, report, conversation.started_at or received)
    with state.database.session() as db:
        call = create_call(db, conversation, call_id=new_call_id(), source=_source(format, filename, data),
                           playbook_version_id=version.id, redacted=state.redactor is not None,
                           submitted_by=who.user_id, now=received)
        add_turns(db, call, conversation.turns)
        store_report(db, call, report, body)
        after_call_stored(state.database, db, call, report, planned)
        audit.record(db, who, "call.submit", call.id)
    wake_worker(state.database)
    return call, body


def _earlier_calls(db: DbSession, conversation: Conversation) -> int:
    """The customer's calls on record in the month before this one started."""
    if conversation.customer_id is None:
        return 0
    started = conversation.started_at
    now = utcnow() if started is None else started if started.tzinfo else started.replace(tzinfo=UTC)
    return len(customer_history(db, conversation.customer_id, now, exclude_call=conversation.id).calls)


def _assign_agent(db: DbSession, who: Principal, conversation: Conversation) -> Conversation:
    """Agents submit their own calls; supervisors their team's; admins anyone's."""
    agent_id = conversation.agent_id
    if who.role is UserRole.AGENT:
        if agent_id not in (None, who.agent_id):
            raise ApiError(403, f"agents may submit only their own calls, not agent {agent_id!r}'s")
        return replace(conversation, agent_id=who.agent_id)
    if who.role is UserRole.SUPERVISOR:
        if agent_id is None:
            raise ApiError(422, "the call names no agent", hint="pass ?agent_id=… with the upload")
        if team_of(db, agent_id) not in (None, who.team):
            raise ApiError(403, f"agent {agent_id!r} is not in your team")
        ensure_agent(db, agent_id, who.team)
    return conversation


def _source(format: str | None, filename: str | None, data: bytes) -> str:
    from calmline.formats import detect_format, reader_for

    if format is not None:
        return reader_for(format).name
    return detect_format(data[:65536], filename or "upload")
