"""/v1/audit: the audit log (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from calmline.api.errors import responses
from calmline.api.schemas import AuditOut
from calmline.api.security import AdminUser
from calmline.api.state import service_state
from calmline.storage.audit import events

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=list[AuditOut], responses=responses(401, 403, 422))
def audit_log(
    request: Request,
    who: AdminUser,
    call_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AuditOut]:
    """Audit events, newest first: who read which call, who changed the playbook."""
    with service_state(request).database.session() as db:
        return [AuditOut(id=e.id, at=e.at, username=e.username, action=e.action, call_id=e.call_id,
                         detail=e.detail) for e in events(db, call_id=call_id, limit=limit, offset=offset)]
