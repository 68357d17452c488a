"""/v1/live: the live board (a snapshot, and a server-sent-events stream) and the
live-assist WebSocket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Request, WebSocket
from fastapi.responses import StreamingResponse

from calmline.api.errors import responses
from calmline.api.live.hub import Subscriber
from calmline.api.live.socket import live_socket
from calmline.api.schemas import LiveCallOut
from calmline.api.security import CurrentUser
from calmline.api.state import service_state

router = APIRouter(prefix="/v1/live", tags=["live"])

_SSE = {"content": {"text/event-stream": {"schema": {"type": "string"}}},
        "description": "Events: `snapshot` (a list of live calls), then `call` (one call changed) "
                       "and `ended` (`{\"call_id\": …}`); a comment line every heartbeat."}


@router.get("/calls", response_model=list[LiveCallOut], responses=responses(401))
def snapshot(request: Request, who: CurrentUser) -> list[LiveCallOut]:
    """The live calls you may see, as they are now."""
    return [LiveCallOut.model_validate(entry) for entry in service_state(request).hub.snapshot(who)]


@router.get("/stream", response_class=StreamingResponse, responses={200: _SSE, **responses(401)})
async def stream(request: Request, who: CurrentUser) -> StreamingResponse:
    """Server-sent events: the live board as it changes (only calls you may see)."""
    state = service_state(request)
    subscriber = state.hub.subscribe(who)
    return StreamingResponse(_events(request, subscriber, state.settings.sse_heartbeat_seconds),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _events(request: Request, subscriber: Subscriber, heartbeat: float) -> AsyncIterator[str]:
    hub = service_state(request).hub
    try:
        yield _event("snapshot", hub.snapshot(subscriber.who))
        while not subscriber.dropped and not await request.is_disconnected():
            try:
                event, data = await asyncio.wait_for(subscriber.queue.get(), heartbeat)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield _event(event, data)
    finally:
        hub.unsubscribe(subscriber)


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.websocket("/calls/{call_id}")
async def live_call(socket: WebSocket,
                    call_id: Annotated[str, Path(min_length=1, max_length=64,
                                                 pattern=r"^[A-Za-z0-9._:-]+$")]) -> None:
    """Live assist for one call (protocol: calmline.api.live.protocol, docs/service.md)."""
    await live_socket(socket, call_id)
