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


def test_create_list_and_token_round_trip(
        database: Database, database_url: str,
        client: TestClient) -> None:
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


def test_password_login_issues_an_expiring_token(
        database: Database, database_url: str,
                                                 client: TestClient) -> None:
    result = CliRunner().invoke(app, ["users", "create", "ann", "--password", "--database-url", database_url],
                                input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    bad = client.post("/v1/auth/login", json={"username": "ann", "password": "wrong"})
    assert bad.status_code == 401
    good = client.post("/v1/auth/login", json={"username": "ann", "password": "s3cret-pass"})
    assert good.status_code == 200 and good.json()["expires_at"]
    assert client.get("/v1/auth/me", headers=bearer(good.json()["token"])).json()["role"] == "agent"


def test_revoking_one_token_stops_only_that_one(
        database: Database, database_url: str,
        client: TestClient) -> None:
    first = TOKEN.findall(_run(database_url, "create", "sue", "--role", "supervisor", "--team", "east"))[0]
    second = TOKEN.findall(_run(database_url, "token", "sue", "--label", "laptop"))[0]
    listed = _run(database_url, "tokens", "sue")
    assert first[:10] in listed and second[:10] in listed and "laptop" in listed
    assert not TOKEN.search(listed)
    assert "revoked 1 token of 'sue'" in _run(database_url, "revoke", "sue", "--token", second[:10])
    assert client.get("/v1/auth/me", headers=bearer(second)).status_code == 401
    assert client.get("/v1/auth/me", headers=bearer(first)).status_code == 200
    assert "revoked" in _run(database_url, "tokens", "sue")
    assert "revoked 1 token of 'sue'" in _run(database_url, "revoke", "sue")
    assert client.get("/v1/auth/me", headers=bearer(first)).status_code == 401


def test_deactivated_user_is_kept_out_until_reactivated(
        database: Database, database_url: str,
        client: TestClient) -> None:
    token = TOKEN.findall(_run(database_url, "create", "ann"))[0]
    assert "deactivated" in _run(database_url, "deactivate", "ann")
    assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 401
    assert "no" in _run(database_url, "list").split("ann", 1)[1].splitlines()[0]
    _run(database_url, "activate", "ann")
    assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 200


def test_revoke_and_deactivate_name_what_is_wrong(database: Database, database_url: str) -> None:
    _run(database_url, "create", "ann")
    for args, says in ((["revoke", "nobody"], "no user named 'nobody'"),
                       (["deactivate", "nobody"], "no user named 'nobody'"),
                       (["tokens", "nobody"], "no user named 'nobody'"),
                       (["revoke", "ann", "--token", "cl_nothere"], "no live token starting 'cl_nothere'")):
        result = CliRunner().invoke(app, ["users", *args, "--database-url", database_url])
        assert result.exit_code == 1 and says in result.output, result.output


def test_logout_revokes_the_token_it_is_sent_with(
        database: Database, database_url: str,
        client: TestClient) -> None:
    token = TOKEN.findall(_run(database_url, "create", "ann"))[0]
    other = TOKEN.findall(_run(database_url, "token", "ann"))[0]
    assert client.post("/v1/auth/logout", headers=bearer(token)).status_code == 204
    assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 401
    assert client.post("/v1/auth/logout", headers=bearer(token)).status_code == 401
    assert client.get("/v1/auth/me", headers=bearer(other)).status_code == 200


def test_control_characters_in_a_username_are_refused_everywhere(
        database: Database, database_url: str, client: TestClient) -> None:
    bad = CliRunner().invoke(app, ["users", "create", "ann\tx", "--database-url", database_url])
    assert bad.exit_code == 1 and "cannot be a username" in bad.output
    api = client.post("/v1/auth/login", json={"username": "\x00", "password": "whatever"})
    assert api.status_code == 422
    web = client.post("/login", data={"username": "ann\x00", "password": "whatever"}, follow_redirects=False)
    assert web.status_code == 401 and "Unknown user or wrong password" in web.text
