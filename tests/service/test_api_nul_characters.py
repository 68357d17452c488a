"""NUL characters, which PostgreSQL cannot store, never make a 500: dropped from transcripts
(they carry nothing), refused in notes, dropped from web forms, refused in addresses."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.service.conftest import MakeUser, bearer


def test_nul_in_a_transcript_is_dropped_and_the_call_stored(client: TestClient, make_user: MakeUser) -> None:
    token = make_user("ann", "agent", team="east")
    body = {"id": "nul\u0000call", "customer_name": "Ma\u0000rk",
            "turns": [{"role": "customer", "text": "hello\u0000 there, my bill is wrong"},
                      {"role": "agent", "speaker": "Fe\u0000mi", "text": "sorry\u0000 about that"}]}
    answer = client.post("/v1/calls", params={"filename": "a.json"}, content=json.dumps(body).encode(),
                         headers=bearer(token))
    assert answer.status_code == 201, answer.text
    call = client.get(f"/v1/calls/{answer.json()['call']['id']}", headers=bearer(token)).json()
    assert [t["text"] for t in call["turns"]] == ["hello there, my bill is wrong", "sorry about that"]
    assert call["call"]["customer_name"] == "Mark" and call["call"]["external_id"] == "nulcall"


def test_nul_in_edited_notes_is_refused(client: TestClient, make_user: MakeUser) -> None:
    token = make_user("ann", "agent", team="east")
    body = {"id": "c1", "turns": [{"role": "customer", "text": "my bill is wrong"},
                                  {"role": "agent", "text": "let me fix that"}]}
    call_id = client.post("/v1/calls", params={"filename": "a.json"}, content=json.dumps(body).encode(),
                          headers=bearer(token)).json()["call"]["id"]
    refused = client.put(f"/v1/calls/{call_id}/notes", json={"text": "a\u0000b"}, headers=bearer(token))
    assert refused.status_code == 422
    accepted = client.put(f"/v1/calls/{call_id}/notes", json={"text": "ab"}, headers=bearer(token))
    assert accepted.status_code == 200


def test_nul_in_a_query_or_path_is_refused_before_any_route(client: TestClient,
                                                            make_user: MakeUser) -> None:
    token = make_user("ann", "agent", team="east")
    before = client.get("/v1/calls", headers=bearer(token))
    assert before.status_code == 200
    for method, address, params in [
        ("GET", "/v1/calls", {"label": "\u0000"}),
        ("GET", "/v1/calls", {"agent_id": "a\u0000b"}),
        ("GET", "/v1/tasks/export", {"owner": "\u0000"}),
        ("GET", "/v1/calls/ab%00cd", {}),
        ("GET", "/tasks", {"owner": "\u0000"}),
    ]:
        answer = client.request(method, address, params=params, headers=bearer(token))
        assert answer.status_code == 422, (address, params, answer.text)
        assert "NUL" in answer.json()["error"]["message"]
    # the same addresses without the NUL still answer
    assert client.get("/v1/calls", params={"label": "empathy"}, headers=bearer(token)).status_code == 200
    assert client.get("/v1/calls/abcd", headers=bearer(token)).status_code == 404


def test_nul_in_a_live_socket_address_closes_it(client: TestClient, make_user: MakeUser) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    token = make_user("ann", "agent", team="east")
    with (pytest.raises(WebSocketDisconnect) as closed,
          client.websocket_connect("/v1/live/calls/a%00b", headers=bearer(token)) as socket):
        socket.receive_json()
    assert closed.value.code == 1008
