"""/v1/calls: submit a finished call, search calls, read one call."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import select

from calmline.api.errors import ApiError, responses
from calmline.api.limits import read_body
from calmline.api.schemas import CallDetail, CallPage, CallSummary, SubmittedCall, TurnOut
from calmline.api.security import CurrentUser
from calmline.api.state import service_state
from calmline.api.submission import submit_call
from calmline.storage import audit
from calmline.storage.access import visible_calls
from calmline.storage.calls import CallFilter, search_calls, stored_report, stored_turns
from calmline.storage.models import Call

router = APIRouter(prefix="/v1/calls", tags=["calls"])

CallId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
_UPLOAD = {
    "requestBody": {
        "required": True,
        "description": "The transcript file's bytes, in any supported format (`calmline formats`).",
        "content": {kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("application/octet-stream", "application/json", "text/plain",
                                 "text/csv", "text/vtt")},
    }
}


@router.post("", status_code=201, response_model=SubmittedCall, openapi_extra=_UPLOAD,
             responses=responses(401, 403, 413, 422))
async def submit(
    request: Request,
    who: CurrentUser,
    format: Annotated[str | None, Query(max_length=32, description="Reader name; default: detect.")] = None,
    filename: Annotated[str | None, Query(max_length=255, description="The file's name, to help detection.")]
    = None,
    agent_id: Annotated[str | None, Query(min_length=1, max_length=128,
                                          description="The call's agent, when the transcript has none.")]
    = None,
) -> SubmittedCall:
    """Submit a finished call: it is read, redacted, analysed and stored, and its report returned."""
    state = service_state(request)
    data = await read_body(request, state.settings.max_body_bytes)
    call, report = await to_thread.run_sync(
        lambda: submit_call(state, who, data, filename=filename, format=format, agent_id=agent_id))
    return SubmittedCall(call=CallSummary.of(call), report=report)


@router.get("", response_model=CallPage, responses=responses(401, 422))
def search(
    request: Request,
    who: CurrentUser,
    agent_id: Annotated[str | None, Query(max_length=128)] = None,
    customer_id: Annotated[str | None, Query(max_length=128)] = None,
    since: Annotated[datetime | None, Query(description="Calls at or after this time.")] = None,
    until: Annotated[datetime | None, Query(description="Calls before this time.")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    risk: Annotated[str | None, Query(max_length=64, description="A risk code, e.g. abuse_without_boundary.")]
    = None,
    label: Annotated[str | None, Query(max_length=64, description="A label seen in the call, e.g. threat.")]
    = None,
    status: Annotated[str | None, Query(pattern="^(live|closed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CallPage:
    """Calls you may see, newest first, filtered by every term given."""
    terms = CallFilter(agent_id, customer_id, since, until, min_score, max_score, risk, label, status)
    with service_state(request).database.session() as db:
        calls, total = search_calls(db, visible_calls(who), terms, limit=limit, offset=offset)
        items = [CallSummary.of(c) for c in calls]
    return CallPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{call_id}", response_model=CallDetail, responses=responses(401, 404, 422))
def read(request: Request, who: CurrentUser, call_id: CallId) -> CallDetail:
    """One call with its turns, report and notes. Every read is written to the audit log."""
    with service_state(request).database.session() as db:
        call = db.scalar(select(Call).where(Call.id == call_id, visible_calls(who)))
        if call is None:  # someone else's call looks the same as no call at all
            raise ApiError(404, f"no call {call_id!r} that you may see")
        turns = [TurnOut.of(t) for t in stored_turns(db, call_id)]
        report = stored_report(db, call_id)
        audit.record(db, who, "call.read", call_id)
        summary = CallSummary.of(call)
    return CallDetail(call=summary, turns=turns, report=report,
                      notes=report.get("notes") if report else None)
