"""`calmline users`: create users, list them, issue API tokens (shown once), list and
revoke a user's tokens, and deactivate or reactivate a user."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session as DbSession

from calmline.errors import UsageError
from calmline.storage import Database, open_database, upgrade_to_head
from calmline.storage.accounts import (
    UserRole,
    create_user,
    find_user,
    issue_token,
    list_tokens,
    list_users,
    revoke_tokens,
    set_active,
)
from calmline.storage.models import ApiToken, User
from calmline.storage.types import utcnow


def users_database(url: str | None) -> Database:
    """The service's database (``--database-url``, else the settings), migrated."""
    from calmline.api.settings import Settings

    database = open_database(url or Settings().database_url)
    upgrade_to_head(database.engine)
    return database


def run_create(url: str | None, username: str, role: UserRole, team: str | None, agent_id: str | None,
               password: str | None, out: Console) -> None:
    database = users_database(url)
    try:
        with database.session() as db:
            user = create_user(db, username, role, team=team, agent_id=agent_id, password=password)
            token = issue_token(db, user, label="cli")
            out.print(f"created {role.value} {username!r}"
                      + (f" (team {team})" if team else "") + (f", agent id {user.agent_id}" if user.agent_id
                                                              else ""), highlight=False)
    finally:
        database.dispose()
    _show_token(out, token)


def run_token(url: str | None, username: str, label: str, out: Console) -> bool:
    database = users_database(url)
    try:
        with database.session() as db:
            user = find_user(db, username)
            if user is None:
                return False
            token = issue_token(db, user, label=label)
    finally:
        database.dispose()
    _show_token(out, token)
    return True


def run_list(url: str | None, out: Console) -> None:
    database = users_database(url)
    try:
        with database.session() as db:
            table = Table(title="Users")
            for column in ("username", "role", "team", "agent id", "password", "active", "created"):
                table.add_column(column)
            for user in list_users(db):
                table.add_row(user.username, user.role, user.team or "", user.agent_id or "",
                              "yes" if user.password_hash else "", "yes" if user.active else "no",
                              user.created_at.strftime("%Y-%m-%d %H:%M"))
    finally:
        database.dispose()
    out.print(table)


def run_tokens(url: str | None, username: str, out: Console) -> None:
    """The user's tokens: prefix, label, kind, created, expires, and whether revoked."""
    database = users_database(url)
    try:
        with database.session() as db:
            table = Table(title=f"Tokens of {username}")
            for column in ("token starts", "label", "kind", "created", "expires", "state"):
                table.add_column(column)
            for token in list_tokens(db, _user(db, username)):
                table.add_row(token.prefix + "…", token.label, token.kind, _when(token.created_at),
                              _when(token.expires_at), _state(token))
    finally:
        database.dispose()
    out.print(table)


def run_revoke(url: str | None, username: str, prefix: str | None, out: Console) -> None:
    """Revoke one of the user's tokens (by its first characters) or all of them."""
    database = users_database(url)
    try:
        with database.session() as db:
            count = revoke_tokens(db, _user(db, username), prefix=prefix)
            if prefix is not None and count == 0:
                raise UsageError(f"{username!r} has no live token starting {prefix!r}",
                                 hint=f"see `calmline users tokens {username}`")
    finally:
        database.dispose()
    out.print(f"revoked {count} token{'s' if count != 1 else ''} of {username!r}", highlight=False)


def run_set_active(url: str | None, username: str, active: bool, out: Console) -> None:
    database = users_database(url)
    try:
        with database.session() as db:
            set_active(db, _user(db, username), active)
    finally:
        database.dispose()
    now = "active" if active else "deactivated: their tokens and password no longer work"
    out.print(f"{username!r} is now {now}", highlight=False)


def _user(db: DbSession, username: str) -> User:
    user = find_user(db, username)
    if user is None:
        raise UsageError(f"no user named {username!r}", hint="see `calmline users list`")
    return user


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return f"revoked {_when(token.revoked_at)}"
    if token.expires_at is not None and token.expires_at <= utcnow():
        return "expired"
    return "live"


def _show_token(out: Console, token: str) -> None:
    out.print("API token (shown once; only its hash is stored):", highlight=False)
    out.print(token, highlight=False, markup=False, soft_wrap=True)
