"""The audit log: every read of a call transcript, and every change to the playbook."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from calmline.storage.accounts import Principal
from calmline.storage.models import AuditEvent


def record(session: Session, who: Principal | None, action: str, call_id: str | None = None,
           detail: str | None = None) -> None:
    """Add one audit event in the caller's transaction (so a failed read leaves no event)."""
    session.add(AuditEvent(user_id=who.user_id if who else None, username=who.username if who else None,
                           action=action, call_id=call_id, detail=detail[:255] if detail else None))


def events(session: Session, *, call_id: str | None = None, limit: int = 100,
           offset: int = 0) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    if call_id is not None:
        query = query.where(AuditEvent.call_id == call_id)
    return list(session.scalars(query))
