"""Request size limits: a declared length over the limit is refused before reading a byte,
and a body without one is counted as it streams in."""

from __future__ import annotations

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
