"""Helpers for the follow-up service tests: submit a sample call, optionally moved in time."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.service.conftest import EXAMPLES, bearer


def submit(client: TestClient, token: str, name: str = "billing_double_charge.json", *,
           started_at: datetime | None = None, agent_id: str | None = None,
           customer_id: str | None = None) -> dict[str, Any]:
    """Submit a JSON sample call as the signed-in user's own (optionally with a new start
    time and customer); its call row."""
    body = json.loads((EXAMPLES / name).read_bytes())
    body.pop("agent_id", None)
    if started_at is not None:
        body["started_at"] = started_at.isoformat()
    if customer_id is not None:
        body["customer_id"] = customer_id
    data = json.dumps(body).encode("utf-8")
    params = {"filename": name} | ({"agent_id": agent_id} if agent_id else {})
    response = client.post("/v1/calls", params=params, content=data, headers=bearer(token))
    assert response.status_code == 201, response.text
    call: dict[str, Any] = response.json()["call"]
    return call
