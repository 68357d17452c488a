"""Submitting finished calls: every format in, analysed and stored; bad input gets a clear
error and stores nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from calmline.engine import analyze
from calmline.formats import read_conversation
from calmline.playbook import parse_playbook
from calmline.redaction import loaded_redactor
from tests.service.conftest import EXAMPLES, MakeUser, bearer

SAMPLES = ["billing_double_charge.json", "manager_demand.txt", "non_apology_blame_cancel.csv",
           "warranty_exception.vtt", "unresolved_wire_followup.srt"]


@pytest.mark.parametrize("name", SAMPLES)
def test_submit_each_format_returns_the_same_report_as_analyze(
        client: TestClient, admin_token: str, name: str) -> None:
    path = EXAMPLES / name
    response = client.post("/v1/calls", params={"filename": name, "agent_id": "a1"},
                           content=path.read_bytes(), headers=bearer(admin_token))
    assert response.status_code == 201, response.text
    body = response.json()
    conversation = loaded_redactor().redact_conversation(read_conversation(path))
    playbook = parse_playbook(client.get("/v1/playbook", headers=bearer(admin_token)).json()["source"])
    expected = analyze(replace(conversation, agent_id="a1"), playbook).to_dict()
    assert body["report"] == expected
    assert body["call"]["status"] == "closed"
    assert body["call"]["score"] == expected["scorecard"]["overall"]


def test_submitted_call_reads_back_with_turns_report_and_notes(client: TestClient, admin_token: str) -> None:
    data = (EXAMPLES / "billing_double_charge.json").read_bytes()
    created = client.post("/v1/calls", content=data, headers=bearer(admin_token)).json()
    call_id = created["call"]["id"]
    got = client.get(f"/v1/calls/{call_id}", headers=bearer(admin_token))
    assert got.status_code == 200
    body = got.json()
    assert body["report"] == created["report"]
    assert body["notes"] == created["report"]["notes"]
    assert [t["text"] for t in body["turns"]] == [t["text"] for t in created["report"]["turns"]]


BAD_UPLOADS = [
    (b"agent: caf\xe9\ncustomer: hello", {}, "E002"),
    (b"", {}, "E003"),
    (b"\x89PNG\r\n\x1a\n....", {}, "E002"),
    (b'{"turns": [', {"format": "json"}, "E004"),
    (b"agent: hi\ncustomer: hello", {"format": "klingon"}, "E007"),
    (b'{"id": "a", "turns": []}\n{"id": "b", "turns": []}\n', {"format": "jsonl"}, None),
]


@pytest.mark.parametrize(("data", "params", "code"), BAD_UPLOADS)
def test_bad_upload_is_a_422_naming_the_problem_and_stores_nothing(
        client: TestClient, admin_token: str, data: bytes, params: dict[str, str], code: str | None) -> None:
    response = client.post("/v1/calls", params=params, content=data, headers=bearer(admin_token))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    assert client.get("/v1/calls", headers=bearer(admin_token)).json()["total"] == 0


def test_body_over_the_limit_is_413_by_declared_length(client: TestClient, admin_token: str) -> None:
    limit = client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    response = client.post("/v1/calls", content=b"x" * (limit + 1), headers=bearer(admin_token))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_body_over_the_limit_is_413_when_streamed_without_length(
        client: TestClient, admin_token: str) -> None:
    limit = client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]

    def chunks() -> object:
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536

    response = client.post("/v1/calls", content=chunks(), headers=bearer(admin_token))  # type: ignore[arg-type]
    assert response.status_code == 413


@pytest.mark.parametrize(("params", "issue"), [
    ({"limit": "many"}, "limit"), ({"min_score": "200"}, "min_score"), ({"since": "yesterday"}, "since"),
    ({"status": "paused"}, "status"),
])
def test_bad_search_parameters_are_422_naming_the_parameter(
        client: TestClient, admin_token: str, params: dict[str, str], issue: str) -> None:
    response = client.get("/v1/calls", params=params, headers=bearer(admin_token))
    assert response.status_code == 422
    assert issue in response.json()["error"]["message"]


def test_agent_submission_is_filed_under_the_agent(client: TestClient, make_user: MakeUser) -> None:
    token = make_user("ann", "agent", team="east")
    response = client.post("/v1/calls", params={"format": "text"}, content=b"Agent: hi\nCustomer: hello",
                           headers=bearer(token))
    assert response.status_code == 201
    assert response.json()["call"]["agent_id"] == "ann"
