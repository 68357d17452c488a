"""Every read of a call transcript is written to the audit log."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import EXAMPLES, MakeUser, bearer


def test_each_transcript_read_is_audited_with_reader_and_call(client: TestClient, admin_token: str,
                                                             make_user: MakeUser) -> None:
    ann = make_user("ann", "agent")
    data = (EXAMPLES / "billing_double_charge.json").read_bytes()
    call_id = client.post("/v1/calls", params={"agent_id": "ann"}, content=data,
                          headers=bearer(admin_token)).json()["call"]["id"]
    for token in (ann, ann, admin_token):
        assert client.get(f"/v1/calls/{call_id}", headers=bearer(token)).status_code == 200
    events = client.get("/v1/audit", params={"call_id": call_id}, headers=bearer(admin_token)).json()
    reads = [(e["username"], e["action"]) for e in events if e["action"] == "call.read"]
    assert reads == [("root", "call.read"), ("ann", "call.read"), ("ann", "call.read")]


def test_refused_read_writes_no_read_event(client: TestClient, admin_token: str, make_user: MakeUser) -> None:
    ann = make_user("ann", "agent")
    data = (EXAMPLES / "billing_double_charge.json").read_bytes()
    call_id = client.post("/v1/calls", params={"agent_id": "zed"}, content=data,
                          headers=bearer(admin_token)).json()["call"]["id"]
    assert client.get(f"/v1/calls/{call_id}", headers=bearer(ann)).status_code == 404
    events = client.get("/v1/audit", params={"call_id": call_id}, headers=bearer(admin_token)).json()
    assert [e["action"] for e in events] == ["call.submit"]
