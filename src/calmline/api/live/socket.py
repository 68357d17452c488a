"""The live-assist WebSocket: one connection per call (several may share one), frames in,
nudges out. Bad frames get an error frame and the connection stays open."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from anyio import to_thread
from fastapi import WebSocket, WebSocketDisconnect
from sqlalchemy.exc import SQLAlchemyError

from calmline.api.live.calls import (
    EndedCall,
    ForbiddenCallError,
    accept_final,
    finish,
    open_call,
    started_frame,
)
from calmline.api.live.hub import LiveCall
from calmline.api.live.protocol import (
    EndFrame,
    FrameError,
    PingFrame,
    SegmentFrame,
    StartFrame,
    error_frame,
    parse_frame,
)
from calmline.api.security import principal_for
from calmline.api.state import ServiceState, service_state
from calmline.errors import CalmlineError
from calmline.storage.access import can_see
from calmline.storage.accounts import Principal

log = logging.getLogger("calmline.live")

# Close codes in the private range (4000–4999): 4401 / 4403 mirror HTTP 401 / 403.
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403


class LiveConnection:
    """One client connection to one call."""

    def __init__(self, socket: WebSocket, state: ServiceState, who: Principal, call_id: str) -> None:
        self.socket = socket
        self.state = state
        self.who = who
        self.call_id = call_id
        self.live: LiveCall | None = None

    async def run(self) -> None:
        try:
            while True:
                message = await self.socket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                if not await self._handle(message):
                    return
        except WebSocketDisconnect:
            return
        finally:
            self._detach()

    async def _handle(self, message: Mapping[str, Any]) -> bool:
        """Answer one message; False once the connection should close."""
        try:
            frame = parse_frame(self._text_of(message))
            if isinstance(frame, PingFrame):
                await self.send({"type": "pong"})
            elif isinstance(frame, StartFrame):
                return await self._start(frame)
            elif isinstance(frame, SegmentFrame):
                await self._segment(frame)
            elif isinstance(frame, EndFrame):
                await self._end()
                return False
        except FrameError as error:
            await self.send(error_frame(error.code, error.problem))
        return True

    def _text_of(self, message: Mapping[str, Any]) -> str:
        text = message.get("text")
        if text is None:
            raise FrameError("binary_frame", "frames must be JSON text, not binary")
        if len(text) > self.state.settings.max_frame_bytes:
            raise FrameError("too_large", f"a frame may be at most {self.state.settings.max_frame_bytes:,} "
                                          "characters")
        return str(text)

    async def _start(self, frame: StartFrame) -> bool:
        if self.live is not None:
            raise FrameError("already_started", "this connection has already started the call")
        hub = self.state.hub
        async with hub.opening_lock(self.call_id):
            live = hub.calls.get(self.call_id)
            resumed = live is not None
            if live is None:
                opened = await self._open(frame)
                if opened is None:
                    return False
                if isinstance(opened, EndedCall):
                    await self.send({"type": "report", "call_id": self.call_id, "report": opened.report})
                    await self.socket.close(1000)
                    return False
                live, resumed = opened, len(opened.session.turns) > 0
                hub.add(live)
            elif not _may_join(self.state, self.who, live):
                await self._refuse()
                return False
        live.connections += 1
        self.live = live
        log.info("live call %s %s by user %s", self.call_id, "resumed" if resumed else "started",
                 self.who.user_id)
        await self.send(started_frame(live, resumed))
        return True

    async def _open(self, frame: StartFrame) -> LiveCall | EndedCall | None:
        try:
            return await to_thread.run_sync(open_call, self.state, self.who, self.call_id, frame,
                                            limiter=self.state.hub.background)
        except ForbiddenCallError:
            await self._refuse()
            return None
        except (SQLAlchemyError, CalmlineError):
            log.exception("could not open live call %s", self.call_id)
            raise FrameError("storage_error", "the call could not be opened; try again") from None

    async def _refuse(self) -> None:
        await self.send(error_frame("forbidden", "you may not open this call"))
        await self.socket.close(CLOSE_FORBIDDEN)

    async def _segment(self, frame: SegmentFrame) -> None:
        live = self._require_started()
        if not frame.final:
            return  # partial segments are shown by the client; only finals are analysed
        async with live.lock:
            try:
                answer = accept_final(self.state, live, frame)
            except FrameError:
                raise
            except SQLAlchemyError:
                log.exception("could not store a turn of live call %s", self.call_id)
                raise FrameError("storage_error", "the segment was not stored; send it again") from None
            except Exception:
                await self._fail(live)
                return
        self.state.hub.publish("call", live)
        await self.send(answer)

    async def _fail(self, live: LiveCall) -> None:
        """An unexpected analysis failure: the stored turns are the truth, so forget the
        in-memory session (the next start rebuilds it) and ask the client to reconnect."""
        log.exception("live call %s failed; its stored turns are kept", self.call_id)
        self.state.hub.calls.pop(live.call_id, None)
        await self.send(error_frame("internal_error", "the segment could not be analysed; "
                                                      "reconnect and start again to resume the call"))
        await self.socket.close(1011)

    async def _end(self) -> None:
        live = self._require_started()
        async with live.lock:
            report = await to_thread.run_sync(finish, self.state, self.who, live,
                                              limiter=self.state.hub.background)
        self.state.hub.remove(live)
        log.info("live call %s ended after %d turns", self.call_id, len(live.session.turns))
        await self.send({"type": "report", "call_id": self.call_id, "report": report})
        await self.socket.close(1000)

    def _require_started(self) -> LiveCall:
        if self.live is None:
            raise FrameError("not_started", "send a 'start' frame first")
        if self.live.session.closed:
            raise FrameError("call_ended", "this call has ended")
        return self.live

    def _detach(self) -> None:
        if self.live is not None:
            self.live.connections -= 1
            if not self.live.session.closed:
                self.state.hub.publish("call", self.live)

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send_text(json.dumps(frame, ensure_ascii=False))


def _may_join(state: ServiceState, who: Principal, live: LiveCall) -> bool:
    return can_see(who, live.agent_id, live.team)


async def live_socket(socket: WebSocket, call_id: str) -> None:
    """WebSocket /v1/live/calls/{call_id}: authenticate, then speak the live protocol."""
    state = service_state(socket)
    who = await to_thread.run_sync(principal_for, socket)
    await socket.accept()
    if who is None:
        await socket.send_text(json.dumps(error_frame("unauthorized", "a valid API token is required"
                                                      " (Authorization header or access_token)")))
        await socket.close(CLOSE_UNAUTHORIZED)
        return
    await LiveConnection(socket, state, who, call_id).run()
