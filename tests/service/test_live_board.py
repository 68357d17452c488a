"""The live board over server-sent events: a snapshot, then each change to a call you may
see — and nothing about calls you may not."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from websockets.sync.client import connect

from calmline.storage import Database
from tests.service.conftest import MakeUser
from tests.service.server import ServerProcess

pytestmark = pytest.mark.slow


def _events(server: ServerProcess, token: str, found: list[tuple[str, Any]], ready: threading.Event,
            stop: threading.Event) -> None:
    url = f"{server.http}/v1/live/stream"
    with httpx.stream("GET", url, params={"access_token": token}, timeout=30) as response:
        assert response.status_code == 200
        name = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                found.append((str(name), json.loads(line[6:])))
                ready.set()
            if stop.is_set():
                return


def _call(server: ServerProcess, token: str, call_id: str, turns: int) -> None:
    with connect(f"{server.ws}/v1/live/calls/{call_id}",
                 additional_headers={"Authorization": f"Bearer {token}"}) as socket:
        socket.send(json.dumps({"type": "start"}))
        socket.recv(timeout=30)
        for i in range(turns):
            segment = {"type": "segment", "role": "customer", "text": f"This is ridiculous {i}!"}
            socket.send(json.dumps(segment))
            socket.recv(timeout=30)
        if turns > 1:
            socket.send(json.dumps({"type": "end"}))
            socket.recv(timeout=30)


def test_sse_stream_shows_team_calls_only(database: Database, database_url: str, make_user: MakeUser,
                                          tmp_path: Path) -> None:
    ann, cat = make_user("ann", "agent", team="east"), make_user("cat", "agent", team="west")
    sue = make_user("sue", "supervisor", team="east")
    server = ServerProcess(database_url, tmp_path / "serve.log")
    try:
        found: list[tuple[str, Any]] = []
        ready, stop = threading.Event(), threading.Event()
        reader = threading.Thread(target=_events, args=(server, sue, found, ready, stop), daemon=True)
        reader.start()
        assert ready.wait(30)
        _call(server, cat, "west-1", 2)
        _call(server, ann, "east-1", 2)
        _call(server, ann, "east-2", 1)  # still live
        snapshot = httpx.get(f"{server.http}/v1/live/calls", headers={"Authorization": f"Bearer {sue}"})
        stop.set()
        _call(server, ann, "east-3", 1)  # one more event, so the reader sees `stop`
        reader.join(30)
    finally:
        server.stop()
    assert found[0] == ("snapshot", [])
    seen = {(name, data["call_id"]) for name, data in found[1:]}
    assert {("call", "east-1"), ("ended", "east-1"), ("call", "east-2")} <= seen
    assert not any(call_id.startswith("west") for _, call_id in seen)
    turns = [data["turns"] for name, data in found if name == "call" and data.get("call_id") == "east-1"]
    assert max(turns) == 2
    assert [c["call_id"] for c in snapshot.json()] == ["east-2"]
