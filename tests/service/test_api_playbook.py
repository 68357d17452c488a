"""The playbook over the API: read, validate with located issues, replace as a new version
that applies to new calls only."""

from __future__ import annotations

import yaml
from fastapi.testclient import TestClient

from calmline.playbook import DEFAULT_PLAYBOOK_PATH
from tests.service.conftest import EXAMPLES, bearer

BAD_PLAYBOOK = b"name: broken\nversion: '1'\ntechniques:\n  - id: Not Valid\n    weight: -3\n"


def _edited(version: str, weight: float) -> bytes:
    data = yaml.safe_load(DEFAULT_PLAYBOOK_PATH.read_text(encoding="utf-8"))
    data["version"] = version
    for technique in data["techniques"]:
        technique["weight"] = weight if technique["kind"] == "good" else technique["weight"]
    return yaml.safe_dump(data, sort_keys=False).encode("utf-8")


def test_active_playbook_is_the_default_at_first(client: TestClient, admin_token: str) -> None:
    body = client.get("/v1/playbook", headers=bearer(admin_token)).json()
    assert body["id"] == 1 and body["active"]
    assert body["source"] == DEFAULT_PLAYBOOK_PATH.read_text(encoding="utf-8")


def test_validate_reports_every_issue_with_its_line(client: TestClient, admin_token: str) -> None:
    response = client.post("/v1/playbook/validate", content=BAD_PLAYBOOK, headers=bearer(admin_token))
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert body["issues"] and all("line" in issue for issue in body["issues"])


def test_validate_accepts_a_good_playbook(client: TestClient, admin_token: str) -> None:
    body = client.post("/v1/playbook/validate", content=_edited("9", 2.0), headers=bearer(admin_token)).json()
    assert body["valid"] is True and body["version"] == "9" and body["techniques"] > 0


def test_replace_with_a_bad_playbook_is_422_and_changes_nothing(client: TestClient, admin_token: str) -> None:
    response = client.put("/v1/playbook", content=BAD_PLAYBOOK, headers=bearer(admin_token))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "E101"
    assert response.json()["error"]["issues"]
    assert client.get("/v1/playbook", headers=bearer(admin_token)).json()["id"] == 1


def test_replace_non_utf8_playbook_is_422(client: TestClient, admin_token: str) -> None:
    response = client.put("/v1/playbook", content=b"name: caf\xe9", headers=bearer(admin_token))
    assert response.status_code == 422


def test_new_version_scores_new_calls_and_old_reports_keep_theirs(
        client: TestClient, admin_token: str) -> None:
    data = (EXAMPLES / "billing_double_charge.json").read_bytes()
    before = client.post("/v1/calls", content=data, headers=bearer(admin_token)).json()
    replaced = client.put("/v1/playbook", content=_edited("2099.1", 7.5), headers=bearer(admin_token))
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["id"] == 2
    after = client.post("/v1/calls", content=data, headers=bearer(admin_token)).json()
    assert before["call"]["playbook_version"] == 1 and after["call"]["playbook_version"] == 2
    assert after["report"]["playbook"]["version"] == "2099.1"
    old = client.get(f"/v1/calls/{before['call']['id']}", headers=bearer(admin_token)).json()
    assert old["report"]["playbook"] == before["report"]["playbook"]
    versions = client.get("/v1/playbook/versions", headers=bearer(admin_token)).json()
    assert [(v["id"], v["active"]) for v in versions] == [(1, False), (2, True)]
    first = client.get("/v1/playbook/versions/1", headers=bearer(admin_token)).json()
    assert first["fingerprint"] == before["report"]["playbook"]["fingerprint"]
