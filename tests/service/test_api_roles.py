"""Who sees what: agents their own calls, supervisors their team's, admins everything and the
playbook — over REST, the live WebSocket and the live board alike."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.service.conftest import EXAMPLES, MakeUser, bearer

PEOPLE = {  # name: (role, team, agent id)
    "ann": ("agent", "east", "ann"),
    "bob": ("agent", "east", "bob"),
    "cat": ("agent", "west", "cat"),
    "sue": ("supervisor", "east", None),
    "wes": ("supervisor", "west", None),
    "root": ("admin", None, None),
}


@pytest.fixture
def tokens(make_user: MakeUser) -> dict[str, str]:
    return {name: make_user(name, role, team, agent) for name, (role, team, agent) in PEOPLE.items()}


@pytest.fixture
def calls(client: TestClient, tokens: dict[str, str]) -> dict[str, str]:
    """One submitted call per agent: agent name -> call id."""
    data = (EXAMPLES / "billing_double_charge.json").read_bytes()
    found = {}
    for agent in ("ann", "bob", "cat"):
        response = client.post("/v1/calls", params={"agent_id": agent}, content=data,
                               headers=bearer(tokens["root"]))
        assert response.status_code == 201, response.text
        found[agent] = response.json()["call"]["id"]
    return found


VISIBLE = {  # reader: agents whose calls they see
    "ann": {"ann"}, "bob": {"bob"}, "cat": {"cat"},
    "sue": {"ann", "bob"}, "wes": {"cat"}, "root": {"ann", "bob", "cat"},
}


@pytest.mark.parametrize("reader", list(VISIBLE))
def test_each_role_reads_exactly_the_calls_it_may_see(
        client: TestClient, tokens: dict[str, str], calls: dict[str, str], reader: str) -> None:
    for agent, call_id in calls.items():
        status = client.get(f"/v1/calls/{call_id}", headers=bearer(tokens[reader])).status_code
        assert status == (200 if agent in VISIBLE[reader] else 404), (reader, agent)


@pytest.mark.parametrize("reader", list(VISIBLE))
def test_each_role_lists_exactly_the_calls_it_may_see(
        client: TestClient, tokens: dict[str, str], calls: dict[str, str], reader: str) -> None:
    listed = client.get("/v1/calls", headers=bearer(tokens[reader])).json()["items"]
    assert {c["agent_id"] for c in listed} == VISIBLE[reader]
    agents = client.get("/v1/agents", headers=bearer(tokens[reader])).json()
    assert {a["agent_id"] for a in agents} == VISIBLE[reader]


def test_agent_token_cannot_read_another_agents_call_even_by_search(
        client: TestClient, tokens: dict[str, str], calls: dict[str, str]) -> None:
    assert client.get(f"/v1/calls/{calls['bob']}", headers=bearer(tokens["ann"])).status_code == 404
    found = client.get("/v1/calls", params={"agent_id": "bob"}, headers=bearer(tokens["ann"])).json()
    assert found["items"] == []


def test_agent_cannot_submit_a_call_as_another_agent(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post("/v1/calls", params={"agent_id": "bob", "format": "text"},
                           content=b"Agent: hi\nCustomer: hello", headers=bearer(tokens["ann"]))
    assert response.status_code == 403


def test_supervisor_cannot_submit_for_another_team(client: TestClient, tokens: dict[str, str],
                                                   calls: dict[str, str]) -> None:
    response = client.post("/v1/calls", params={"agent_id": "cat", "format": "text"},
                           content=b"Agent: hi\nCustomer: hello", headers=bearer(tokens["sue"]))
    assert response.status_code == 403


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer cl_nope"}, {"Authorization": "Basic x"},
                                     {"Authorization": "Bearer " + "x" * 5000}])
def test_missing_or_bad_token_is_401(client: TestClient, headers: dict[str, str]) -> None:
    for path in ("/v1/calls", "/v1/agents", "/v1/playbook", "/v1/live/calls", "/v1/auth/me"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("who", ["ann", "sue"])
def test_only_admins_change_or_validate_the_playbook_and_read_the_audit_log(
        client: TestClient, tokens: dict[str, str], who: str) -> None:
    headers = bearer(tokens[who])
    assert client.put("/v1/playbook", content=b"name: x", headers=headers).status_code == 403
    assert client.post("/v1/playbook/validate", content=b"name: x", headers=headers).status_code == 403
    assert client.get("/v1/audit", headers=headers).status_code == 403
    assert client.get("/v1/playbook", headers=headers).status_code == 200


def _open_live(client: TestClient, token: str, call_id: str, start: dict[str, object]) -> dict[str, object]:
    with client.websocket_connect(f"/v1/live/calls/{call_id}", headers=bearer(token)) as socket:
        socket.send_text(json.dumps({"type": "start", **start}))
        first: dict[str, object] = socket.receive_json()
        if first["type"] == "error":
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_text()
            first["close_code"] = closed.value.code
        return first


def test_agent_cannot_open_or_join_another_agents_live_call(
        client: TestClient, tokens: dict[str, str]) -> None:
    assert _open_live(client, tokens["bob"], "live-bob", {})["type"] == "started"
    refused = _open_live(client, tokens["ann"], "live-bob", {})
    assert (refused["code"], refused["close_code"]) == ("forbidden", 4403)
    refused = _open_live(client, tokens["ann"], "live-new", {"agent_id": "bob"})
    assert refused["code"] == "forbidden"


def test_supervisor_joins_team_calls_only(client: TestClient, tokens: dict[str, str]) -> None:
    assert _open_live(client, tokens["ann"], "live-ann", {})["type"] == "started"
    assert _open_live(client, tokens["cat"], "live-cat", {})["type"] == "started"
    assert _open_live(client, tokens["sue"], "live-ann", {})["type"] == "started"
    assert _open_live(client, tokens["sue"], "live-cat", {})["code"] == "forbidden"
    assert _open_live(client, tokens["root"], "live-cat", {})["type"] == "started"


def test_live_socket_without_a_valid_token_is_closed_4401(client: TestClient) -> None:
    with client.websocket_connect("/v1/live/calls/x", headers=bearer("cl_wrong")) as socket:
        assert socket.receive_json()["code"] == "unauthorized"
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_text()
    assert closed.value.code == 4401


@pytest.mark.parametrize("reader", list(VISIBLE))
def test_live_snapshot_shows_only_visible_calls(
        client: TestClient, tokens: dict[str, str], reader: str) -> None:
    for agent in ("ann", "bob", "cat"):
        assert _open_live(client, tokens[agent], f"live-{agent}", {})["type"] == "started"
    board = client.get("/v1/live/calls", headers=bearer(tokens[reader])).json()
    assert {c["agent_id"] for c in board} == VISIBLE[reader]
