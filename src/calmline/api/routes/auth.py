"""/v1/auth: password login (for the web UI), sign-out, and who the token belongs to."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from calmline.api.errors import ApiError, responses
from calmline.api.schemas import LoginRequest, LoginToken, Me
from calmline.api.security import CurrentUser, token_of
from calmline.api.state import service_state
from calmline.storage import audit
from calmline.storage.accounts import authenticate_password, issue_token, principal_of, revoke_token
from calmline.storage.types import utcnow

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/login", response_model=LoginToken, responses=responses(401, 422))
def login(request: Request, body: LoginRequest) -> LoginToken:
    """Exchange a username and password for a token that expires (``login_token_hours``)."""
    state = service_state(request)
    lifetime = timedelta(hours=state.settings.login_token_hours)
    with state.database.session() as db:
        user = authenticate_password(db, body.username, body.password)
        if user is None:
            raise ApiError(401, "unknown user or wrong password")
        token = issue_token(db, user, label="login", kind="login", lifetime=lifetime)
        audit.record(db, principal_of(user), "auth.login")
    return LoginToken(token=token, expires_at=utcnow() + lifetime)


@router.get("/me", response_model=Me, responses=responses(401))
def me(who: CurrentUser) -> Me:
    """The user the token belongs to."""
    return Me(username=who.username, role=who.role.value, team=who.team, agent_id=who.agent_id)


@router.post("/logout", status_code=204, response_class=Response, responses=responses(401))
def logout(request: Request, who: CurrentUser) -> Response:
    """Revoke the token this request carries: it stops working at once, for every client."""
    token = token_of(request)
    assert token is not None  # CurrentUser has checked it
    with service_state(request).database.session() as db:
        revoke_token(db, token)
        audit.record(db, who, "auth.logout")
    return Response(status_code=204)
