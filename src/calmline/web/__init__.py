"""The calmline web app: server-rendered pages on the service's own app (no front-end
server; Chart.js is vendored under static/vendor)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from calmline.web import live, practice_pages, routes, tasks_pages
from calmline.web.auth import NotAllowed, SignInRequired, login_url, session_user

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Add the pages, their fragments and their static files to the service ``app``."""
    app.include_router(routes.router)
    app.include_router(live.router)
    app.include_router(tasks_pages.router)
    app.include_router(practice_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(NotAllowed, _not_allowed)
    app.add_exception_handler(routes.PageNotFound, _not_found)
    app.add_exception_handler(routes.BadForm, _bad_form)


async def _sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    if request.url.path.startswith("/web/"):  # a fragment: no redirect, a plain 401
        return Response("sign in first", 401, media_type="text/plain")
    return RedirectResponse(login_url(exc.path), 303)


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return routes.page(request, "error.html", session_user(request), 403, title="Not for your role",
                       message=str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return routes.page(request, "error.html", session_user(request), 404, title="Not found", message=str(exc))


async def _bad_form(request: Request, exc: Exception) -> Response:
    return routes.page(request, "error.html", session_user(request), 400, title="The form could not be read",
                       message=str(exc))
