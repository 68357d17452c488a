"""Users, passwords and bearer tokens. A token is shown once; only its hash is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calmline.errors import UsageError
from calmline.storage.models import Agent, ApiToken, User
from calmline.storage.types import utcnow

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

TOKEN_PREFIX = "cl_"
# scrypt cost: n=2**14, r=8 is the interactive-login setting from the scrypt paper (~50 ms).
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class UserRole(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: what the access rules need to know about a signed-in user."""

    user_id: int
    username: str
    role: UserRole
    team: str | None
    agent_id: str | None


def principal_of(user: User) -> Principal:
    return Principal(user.id, user.username, UserRole(user.role), user.team, user.agent_id)


def create_user(session: Session, username: str, role: UserRole, *, team: str | None = None,
                agent_id: str | None = None, password: str | None = None) -> User:
    """Add a user; an agent's ``agent_id`` (the id transcripts carry) defaults to the username."""
    if not username or _CONTROL.search(username):
        raise UsageError(f"{username!r} cannot be a username", hint="use letters, digits and punctuation")
    if role is UserRole.AGENT and agent_id is None:
        agent_id = username
    user = User(username=username, role=role.value, team=team, agent_id=agent_id,
                password_hash=hash_password(password) if password else None, active=True)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise UsageError(f"a user named {username!r} already exists",
                         hint="pick another name, or `calmline users token` for a new token") from None
    if agent_id is not None:
        ensure_agent(session, agent_id, team)
    return user


def ensure_agent(session: Session, agent_id: str, team: str | None = None) -> Agent:
    """The agent row for ``agent_id``, made when first seen; ``team`` is set when given."""
    agent = session.get(Agent, agent_id)
    if agent is None:
        agent = Agent(id=agent_id, team=team)
        session.add(agent)
        session.flush()
    elif team is not None and agent.team != team:
        agent.team = team
    return agent


def find_user(session: Session, username: str) -> User | None:
    if _CONTROL.search(username):
        return None  # no username has one (and PostgreSQL cannot compare a NUL)
    return session.scalar(select(User).where(User.username == username))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def issue_token(session: Session, user: User, *, label: str = "api", kind: str = "api",
                lifetime: timedelta | None = None) -> str:
    """A new random token for ``user``; the caller shows it once, the database keeps its hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + lifetime if lifetime is not None else None
    session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), prefix=token[:10],
                         label=label[:64], kind=kind, expires_at=expires))
    session.flush()
    return token


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (hashes and prefixes only: tokens are never kept)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_tokens(session: Session, user: User, *, prefix: str | None = None) -> int:
    """Revoke the user's live tokens (only the one starting with ``prefix`` when given);
    how many were revoked. A revoked token stays listed, marked with when."""
    query = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if prefix is not None:
        query = query.where(ApiToken.prefix == prefix[:16])
    revoked: int = session.execute(query.values(revoked_at=utcnow())).rowcount  # type: ignore[attr-defined]
    return revoked


def revoke_token(session: Session, token: str) -> bool:
    """Revoke one token by its value (a sign-out); False when it was unknown or already revoked."""
    query = (update(ApiToken).where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))
             .values(revoked_at=utcnow()))
    done: int = session.execute(query).rowcount  # type: ignore[attr-defined]
    return done > 0


def set_active(session: Session, user: User, active: bool) -> None:
    """Let a user in or keep them out: an inactive user's tokens and password stop working
    at once, and everything they did stays (calls, notes, audit)."""
    user.active = active
    session.flush()


def authenticate_token(session: Session, token: str, now: datetime | None = None) -> Principal | None:
    """The active user a token belongs to, or None for an unknown, revoked or expired token."""
    now = now or utcnow()
    row = session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None
    stored, user = row
    if stored.revoked_at is not None or not user.active:
        return None
    if stored.expires_at is not None and stored.expires_at <= now:
        return None
    return principal_of(user)


def authenticate_password(session: Session, username: str, password: str) -> User | None:
    user = find_user(session, username)
    if user is None or not user.active or user.password_hash is None:
        hash_password(password)  # same work either way, so timing tells nothing
        return None
    return user if verify_password(password, user.password_hash) else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        check = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt),
                               n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(check.hex(), digest)
