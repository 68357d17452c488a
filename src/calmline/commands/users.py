"""`calmline users`: create users, list them, issue API tokens (shown once)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from calmline.storage import Database, open_database, upgrade_to_head
from calmline.storage.accounts import UserRole, create_user, find_user, issue_token, list_users


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


def _show_token(out: Console, token: str) -> None:
    out.print("API token (shown once; only its hash is stored):", highlight=False)
    out.print(token, highlight=False, markup=False, soft_wrap=True)
