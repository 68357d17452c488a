"""The live board and the assist panel's data: a card per live call, as JSON and as
server-sent events (signed in by the session cookie, scoped by the viewer's role)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from calmline.api.live.hub import LiveCall, LiveHub, Subscriber
from calmline.api.state import service_state
from calmline.playbook.model import Kind
from calmline.report import to_plain
from calmline.storage.access import can_see
from calmline.storage.accounts import Principal
from calmline.web.auth import Viewer
from calmline.web.views import checklist, current_nudge, due_moves, rising_fast, risk_badges, risk_rank

router = APIRouter(prefix="/web/live", include_in_schema=False)

# How many points of the temperature trend a card carries.
TREND_POINTS = 40


def live_card(call: LiveCall) -> dict[str, Any]:
    """What the board and the assist panel show of one live call."""
    session = call.session
    temperatures = session.temperatures
    labels = {signal.label for turn in session.signals for signal in turn}
    badges = risk_badges(labels, temperatures)
    nudges = session.nudges
    moves = [(t.id, t.name) for t in session.playbook.techniques if t.kind is Kind.GOOD and t.nudge]
    made = session.moves_made
    turns = session.turns
    due = due_moves(nudges, made)
    current = current_nudge(nudges, made, len(turns))
    return {
        "call_id": call.call_id, "agent_id": call.agent_id, "customer_name": call.customer_name,
        "turns": len(turns), "duration_s": _duration_s(call),
        "temperature": round(session.temperature, 1), "peak_temperature": round(call.peak, 1),
        "trend": [round(t, 1) for t in temperatures[-TREND_POINTS:]],
        "rising_fast": rising_fast(temperatures),
        "badges": [{"code": b.code, "text": b.text} for b in badges],
        "risk": risk_rank(badges, session.temperature),
        "nudge": to_plain(current) if current else None,
        "nudge_count": len(nudges),
        "checklist": [to_plain(item) for item in checklist(moves, made, due)],
        "last_turn": {"role": turns[-1].role.value, "text": turns[-1].text[:200]} if turns else None,
        "updated_at": call.updated_at.isoformat(),
    }


def _duration_s(call: LiveCall) -> float | None:
    turns = call.session.turns
    begins = [t.begin_ms for t in turns if t.begin_ms is not None]
    ends = [t.end_ms for t in turns if t.end_ms is not None]
    if not begins or not ends:
        return None
    return round((max(ends) - min(begins)) / 1000, 1)


def board_cards(hub: LiveHub, who: Principal, call_id: str | None = None) -> list[dict[str, Any]]:
    """The live calls ``who`` may see (or just ``call_id``), riskiest first."""
    cards = [live_card(c) for c in list(hub.calls.values())
             if can_see(who, c.agent_id, c.team) and call_id in (None, c.call_id)]
    return sorted(cards, key=lambda c: (-c["risk"], c["call_id"]))


CallParam = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


@router.get("/calls")
def cards(request: Request, who: Viewer, call: CallParam = None) -> list[dict[str, Any]]:
    """The board as it is now (JSON)."""
    return board_cards(service_state(request).hub, who, call)


@router.get("/stream")
async def stream(request: Request, who: Viewer, call: CallParam = None) -> StreamingResponse:
    """The board as server-sent events: ``snapshot``, then ``call`` and ``ended``."""
    state = service_state(request)
    subscriber = state.hub.subscribe(who)
    events = _events(request, state.hub, subscriber, call, state.settings.sse_heartbeat_seconds)
    return StreamingResponse(events,
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _events(request: Request, hub: LiveHub, subscriber: Subscriber, only: str | None,
                  heartbeat: float) -> AsyncIterator[str]:
    try:
        yield _event("snapshot", board_cards(hub, subscriber.who, only))
        while not subscriber.dropped and not await request.is_disconnected():
            try:
                name, data = await asyncio.wait_for(subscriber.queue.get(), heartbeat)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if only is not None and data.get("call_id") != only:
                continue
            call = hub.calls.get(str(data.get("call_id")))
            if name == "call" and call is not None:
                yield _event("call", live_card(call))
            elif name == "ended":
                yield _event("ended", {"call_id": data.get("call_id")})
    finally:
        hub.unsubscribe(subscriber)


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
