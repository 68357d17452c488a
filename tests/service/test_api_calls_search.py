"""Searching calls by agent, customer, date range, score range, risk and label."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import EXAMPLES, bearer

CALLS = {  # file: agent
    "billing_double_charge.json": "a1",
    "abusive_caller_boundary.json": "a1",
    "routine_password_reset.json": "a2",
    "non_apology_blame_cancel.csv": "a2",
}


@pytest.fixture
def submitted(client: TestClient, admin_token: str) -> dict[str, dict[str, Any]]:
    found = {}
    for name, agent in CALLS.items():
        response = client.post("/v1/calls", params={"filename": name, "agent_id": agent},
                               content=(EXAMPLES / name).read_bytes(), headers=bearer(admin_token))
        assert response.status_code == 201, response.text
        found[name] = response.json()
    return found


def _ids(client: TestClient, token: str, **params: Any) -> set[str]:
    response = client.get("/v1/calls", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["items"]}


def _expected(submitted: dict[str, dict[str, Any]], keep: Any) -> set[str]:
    return {s["call"]["id"] for s in submitted.values() if keep(s)}


Submitted = dict[str, dict[str, Any]]


def test_search_by_agent(client: TestClient, admin_token: str, submitted: Submitted) -> None:
    expected = _expected(submitted, lambda s: s["call"]["agent_id"] == "a1")
    assert _ids(client, admin_token, agent_id="a1") == expected


def test_search_by_customer(client: TestClient, admin_token: str, submitted: Submitted) -> None:
    customer = submitted["billing_double_charge.json"]["call"]["customer_id"]
    assert customer is not None
    assert _ids(client, admin_token, customer_id=customer) == _expected(
        submitted, lambda s: s["call"]["customer_id"] == customer)


def test_search_by_score_range(client: TestClient, admin_token: str, submitted: Submitted) -> None:
    scores = sorted(s["call"]["score"] for s in submitted.values())
    low, high = scores[1], scores[2]
    assert _ids(client, admin_token, min_score=low, max_score=high) == _expected(
        submitted, lambda s: low <= s["call"]["score"] <= high)


def test_search_by_date_range(client: TestClient, admin_token: str, submitted: Submitted) -> None:
    times = sorted(s["call"]["occurred_at"] for s in submitted.values())
    assert _ids(client, admin_token, since=times[0], until=times[-1]) == _expected(
        submitted, lambda s: times[0] <= s["call"]["occurred_at"] < times[-1])


def test_search_by_risk(client: TestClient, admin_token: str, submitted: Submitted) -> None:
    codes = {r["code"] for s in submitted.values() for r in s["report"]["risks"]}
    assert codes, "the samples should carry at least one risk"
    for code in codes:
        assert _ids(client, admin_token, risk=code) == _expected(
            submitted, lambda s, c=code: any(r["code"] == c for r in s["report"]["risks"]))


@pytest.mark.parametrize("label", ["abuse", "anger", "empathy", "boundary"])
def test_search_by_label(client: TestClient, admin_token: str, submitted: dict[str, dict[str, Any]],
                         label: str) -> None:
    def has(s: dict[str, Any]) -> bool:
        return any(sig["label"] == label for t in s["report"]["turns"] for sig in t["signals"])

    assert _ids(client, admin_token, label=label) == _expected(submitted, has)


def test_search_pages_newest_first(client: TestClient, admin_token: str,
                                   submitted: dict[str, dict[str, Any]]) -> None:
    first = client.get("/v1/calls", params={"limit": 2}, headers=bearer(admin_token)).json()
    second = client.get("/v1/calls", params={"limit": 2, "offset": 2}, headers=bearer(admin_token)).json()
    assert first["total"] == second["total"] == len(CALLS)
    times = [c["occurred_at"] for c in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)


def test_agents_show_score_trends(client: TestClient, admin_token: str,
                                  submitted: dict[str, dict[str, Any]]) -> None:
    agents = {a["agent_id"]: a for a in client.get("/v1/agents", headers=bearer(admin_token)).json()}
    a1_scores = [s["call"]["score"] for s in submitted.values() if s["call"]["agent_id"] == "a1"]
    assert agents["a1"]["calls"] == 2
    assert agents["a1"]["average"] == pytest.approx(sum(a1_scores) / 2)
    points = agents["a1"]["points"]
    assert [p["at"] for p in points] == sorted(p["at"] for p in points)
    assert agents["a1"]["trend"] == pytest.approx(points[1]["score"] - points[0]["score"])
