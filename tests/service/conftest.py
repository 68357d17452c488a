"""Service fixtures: every storage and API test runs on SQLite and on PostgreSQL.

PostgreSQL gets a fresh, uniquely named database per test session (dropped afterwards), so
parallel runs never collide. It must be reachable: these tests fail, never skip, without it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from calmline.api import Settings, create_app
from calmline.storage import Database, open_database, upgrade_to_head
from calmline.storage.accounts import UserRole, create_user, issue_token
from calmline.storage.models import Base

POSTGRES_ADMIN_URL = os.environ.get("CALMLINE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new PostgreSQL database for this test session."""
    name = f"calmline_test_{uuid.uuid4().hex[:16]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required for the service tests ({POSTGRES_ADMIN_URL}): {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'calmline.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def migrated(database_url: str) -> Iterator[Database]:
    database = open_database(database_url)
    upgrade_to_head(database.engine)
    yield database
    database.dispose()


def empty_all_tables(database: Database) -> None:
    """Delete every row of every table (the schema stays)."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with database.session() as db:
        if database.is_sqlite:
            for table in tables:
                db.execute(text(f'DELETE FROM "{table}"'))
        else:
            db.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def database(migrated: Database) -> Database:
    """The session's database, emptied before each test."""
    empty_all_tables(migrated)
    return migrated


@pytest.fixture
def settings(database: Database, database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


MakeUser = Callable[..., str]


@pytest.fixture
def make_user(database: Database) -> MakeUser:
    """Create a user and return a fresh API token for them."""

    def make(username: str, role: str = "agent", team: str | None = None, agent_id: str | None = None) -> str:
        with database.session() as db:
            user = create_user(db, username, UserRole(role), team=team, agent_id=agent_id)
            return issue_token(db, user)

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin_token(make_user: MakeUser) -> str:
    return make_user("root", "admin")


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "calls"
