"""The one error shape every endpoint answers with, and the handlers that produce it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from calmline.errors import CalmlineError, PlaybookError


class ErrorDetail(BaseModel):
    code: str
    message: str
    problem: str | None = None
    location: str | None = None
    hint: str | None = None
    issues: list[str] | None = None


class ErrorBody(BaseModel):
    """What went wrong, where, and what to do (``code`` is stable; ``E…`` codes are calmline's)."""

    error: ErrorDetail


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "invalid_request"}


class ApiError(HTTPException):
    """An HTTP error with a message and optional hint."""

    def __init__(self, status: int, message: str, hint: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.hint = hint


def error_response(status: int, detail: ErrorDetail, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(error=detail).model_dump(exclude_none=True), status, headers=headers)


def calmline_detail(error: CalmlineError) -> ErrorDetail:
    issues = error.issues if isinstance(error, PlaybookError) else None
    return ErrorDetail(code=error.code.value, message=error.message, problem=error.problem,
                       location=error.location, hint=error.hint, issues=issues)


def install_error_handlers(app: FastAPI) -> None:
    async def on_http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        detail = ErrorDetail(code=HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}"),
                             message=str(exc.detail), hint=getattr(exc, "hint", None))
        return error_response(exc.status_code, detail, dict(exc.headers or {}) or None)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        issues = [_describe(e) for e in exc.errors()]
        detail = ErrorDetail(code="invalid_request", message="; ".join(issues) or "invalid request",
                             issues=issues)
        return error_response(422, detail)

    async def on_calmline(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CalmlineError)
        return error_response(422, calmline_detail(exc))

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(CalmlineError, on_calmline)


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid"))


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer with."""
    return {status: {"model": ErrorBody, "description": HTTP_CODES.get(status, "error")}
            for status in statuses}
