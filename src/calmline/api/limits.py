"""Request limits: a declared length over the limit is refused before reading a byte, a body
without one is counted as it streams in, and an address holding a NUL character is refused
before any route sees it (PostgreSQL can neither store nor compare one)."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from calmline.api.errors import ApiError, ErrorDetail, error_response


class BodyLimit:
    """ASGI middleware: 413 for a request whose Content-Length is over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope.get("headers") or []).get(b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
                status = 413 if declared.isdigit() else 400
                detail = ErrorDetail(code="too_large" if status == 413 else "bad_request",
                                     message=_too_large(self.max_bytes) if status == 413
                                     else "invalid Content-Length header")
                await error_response(status, detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class NoNulInAddress:
    """ASGI middleware: 422 for a request whose path or query string holds a NUL character
    (``%00``), and a WebSocket closed with 1008 for one; no route sees it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and _holds_nul(scope):
            if scope["type"] == "websocket":
                await receive()  # the connect message
                await send({"type": "websocket.close", "code": 1008, "reason": _NUL_MESSAGE})
                return
            detail = ErrorDetail(code="invalid_request", message=_NUL_MESSAGE)
            await error_response(422, detail)(scope, receive, send)
            return
        await self.app(scope, receive, send)


_NUL_MESSAGE = "the address holds a NUL character (%00), which no path or parameter may contain"


def _holds_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string") or b""
    return "\x00" in scope.get("path", "") or b"\x00" in unquote_to_bytes(query)


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The whole body, or 413 as soon as it grows past ``max_bytes`` (chunked uploads)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, _too_large(max_bytes))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> str:
    return f"the request body is larger than the limit of {max_bytes:,} bytes"
