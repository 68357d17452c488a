"""`calmline users create|list|token`: tokens shown once, stored only as hashes, and they
work against the API."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from calmline.cli import app
from calmline.storage import Database
from calmline.storage.models import ApiToken
from tests.service.conftest import bearer

TOKEN = re.compile(r"cl_[A-Za-z0-9_-]{43}")


def _run(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["users", *args, "--database-url", database_url])
    assert result.exit_code == 0, result.output
    return result.output


def test_create_list_and_token_round_trip(database: Database, database_url: str, client: TestClient) -> None:
    created = _run(database_url, "create", "sue", "--role", "supervisor", "--team", "east")
    first = TOKEN.findall(created)
    assert len(first) == 1
    listed = _run(database_url, "list")
    assert "sue" in listed and "supervisor" in listed and "east" in listed
    assert not TOKEN.search(listed)
    second = TOKEN.findall(_run(database_url, "token", "sue", "--label", "laptop"))
    assert len(second) == 1 and second != first
    with database.session() as db:
        stored = [row.token_hash for row in db.scalars(select(ApiToken))]
    assert len(stored) == 2 and first[0] not in stored and second[0] not in stored
    for token in first + second:
        me = client.get("/v1/auth/me", headers=bearer(token)).json()
        assert (me["username"], me["role"], me["team"]) == ("sue", "supervisor", "east")


def test_duplicate_user_and_unknown_user_fail_cleanly(database: Database, database_url: str) -> None:
    _run(database_url, "create", "ann")
    again = CliRunner().invoke(app, ["users", "create", "ann", "--database-url", database_url])
    assert again.exit_code == 1 and "already exists" in again.output
    missing = CliRunner().invoke(app, ["users", "token", "nobody", "--database-url", database_url])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_password_login_issues_an_expiring_token(database: Database, database_url: str,
                                                 client: TestClient) -> None:
    result = CliRunner().invoke(app, ["users", "create", "ann", "--password", "--database-url", database_url],
                                input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    bad = client.post("/v1/auth/login", json={"username": "ann", "password": "wrong"})
    assert bad.status_code == 401
    good = client.post("/v1/auth/login", json={"username": "ann", "password": "s3cret-pass"})
    assert good.status_code == 200 and good.json()["expires_at"]
    assert client.get("/v1/auth/me", headers=bearer(good.json()["token"])).json()["role"] == "agent"
