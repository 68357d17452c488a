"""Signing in to the web app: a password login gives a login token (the service's own), kept
in an HttpOnly, SameSite=Lax cookie; every page and fragment checks it."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from calmline.api.security import MAX_TOKEN_CHARS
from calmline.api.state import service_state
from calmline.storage import audit
from calmline.storage.accounts import (
    Principal,
    UserRole,
    authenticate_password,
    authenticate_token,
    issue_token,
    principal_of,
    revoke_token,
)

COOKIE = "calmline_session"


class SignInRequired(Exception):  # noqa: N818 - a redirect, not an error
    """No valid session: the browser is sent to the login page."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class NotAllowed(Exception):  # noqa: N818 - answered as a page
    """Signed in, but this page is not for the user's role."""


def login_url(path: str) -> str:
    return "/login?next=" + quote(path, safe="/")


def session_user(request: Request) -> Principal | None:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    with service_state(request).database.session() as db:
        return authenticate_token(db, token)


def signed_in(request: Request) -> Principal:
    who = session_user(request)
    if who is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path)
    return who


Viewer = Annotated[Principal, Depends(signed_in)]


def must_be(who: Principal, *roles: UserRole) -> None:
    if who.role not in roles:
        raise NotAllowed(f"this page is for the {' or '.join(r.value for r in roles)} role")


def sign_in(request: Request, username: str, password: str) -> str | None:
    """A new login token for a right username and password, else None."""
    state = service_state(request)
    with state.database.session() as db:
        user = authenticate_password(db, username, password)
        if user is None:
            return None
        token = issue_token(db, user, label="web", kind="login",
                            lifetime=timedelta(hours=state.settings.login_token_hours))
        audit.record(db, principal_of(user), "web.login")
    return token


def sign_out(request: Request) -> None:
    """Revoke the session's token (the cookie alone would stay valid until it expires)."""
    token = request.cookies.get(COOKIE)
    if not token or len(token) > MAX_TOKEN_CHARS:
        return
    with service_state(request).database.session() as db:
        revoke_token(db, token)
