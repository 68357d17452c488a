"""Authentication (bearer tokens, from a header or an ``access_token`` query parameter for
browsers' EventSource and WebSocket) and role checks, as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import HTTPConnection

from calmline.api.errors import ApiError
from calmline.api.state import service_state
from calmline.storage.accounts import Principal, UserRole, authenticate_token

_bearer = HTTPBearer(auto_error=False, description="An API token (`calmline users token NAME`).")
_query = APIKeyQuery(name="access_token", auto_error=False,
                     description="The same token, for clients that cannot set headers (EventSource).")
# Tokens are ASCII and about 46 characters; anything far longer is not one of ours.
MAX_TOKEN_CHARS = 200


def token_of(connection: HTTPConnection) -> str | None:
    """The bearer token a request or WebSocket handshake carries, if any."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return connection.query_params.get("access_token") or None


def principal_for(connection: HTTPConnection) -> Principal | None:
    token = token_of(connection)
    if token is None or len(token) > MAX_TOKEN_CHARS:
        return None
    with service_state(connection).database.session() as session:
        return authenticate_token(session, token)


def current_user(
    request: Request,
    _header: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _query_token: Annotated[str | None, Depends(_query)],
) -> Principal:
    who = principal_for(request)
    if who is None:
        raise ApiError(401, "a valid API token is required", hint="send 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})
    return who


CurrentUser = Annotated[Principal, Depends(current_user)]


def require_role(*roles: UserRole) -> Callable[[Principal], Principal]:
    def check(who: CurrentUser) -> Principal:
        if who.role not in roles:
            raise ApiError(403, f"this needs the {' or '.join(r.value for r in roles)} role")
        return who

    return check


AdminUser = Annotated[Principal, Depends(require_role(UserRole.ADMIN))]
