"""Kill `calmline serve` (SIGKILL) in the middle of a replayed call, restart it, reconnect
and resume: every acknowledged turn is stored, and the final report equals an
uninterrupted run's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from calmline.storage import Database
from calmline.storage.calls import stored_turns
from tests.service.conftest import MakeUser
from tests.service.live import sample_segments, without_identity
from tests.service.server import ServerProcess

pytestmark = pytest.mark.slow


def _open(server: ServerProcess, token: str, call_id: str) -> ClientConnection:
    return connect(f"{server.ws}/v1/live/calls/{call_id}",
                   additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=30)


def _ask(socket: ClientConnection, frame: dict[str, Any]) -> dict[str, Any]:
    socket.send(json.dumps(frame))
    answer: dict[str, Any] = json.loads(socket.recv(timeout=30))
    return answer


def _replay(server: ServerProcess, token: str, call_id: str,
            segments: list[dict[str, Any]]) -> dict[str, Any]:
    with _open(server, token, call_id) as socket:
        _ask(socket, {"type": "start", "customer_name": "Marcus"})
        for segment in segments:
            assert _ask(socket, segment)["type"] == "nudges"
        report: dict[str, Any] = _ask(socket, {"type": "end"})["report"]
    return report


def test_sigkill_mid_call_then_restart_resumes_with_nothing_lost(
        database: Database, database_url: str, make_user: MakeUser, tmp_path: Path) -> None:
    token = make_user("ann", "agent", team="east")
    segments = sample_segments()
    cut = len(segments) // 2
    log = tmp_path / "serve.log"

    server = ServerProcess(database_url, log)
    acknowledged = []
    try:
        with _open(server, token, "crash-1") as socket:
            _ask(socket, {"type": "start", "customer_name": "Marcus"})
            for segment in segments[:cut]:
                answer = _ask(socket, segment)
                assert answer["type"] == "nudges"
                acknowledged.append(answer["segment_id"])
            socket.send(json.dumps(segments[cut]))  # in flight when the server dies
            server.kill()
    finally:
        server.kill()

    with database.session() as db:
        stored = [t.segment_id for t in stored_turns(db, "crash-1")]
    assert stored[:len(acknowledged)] == acknowledged
    assert len(stored) in (cut, cut + 1)

    server = ServerProcess(database_url, log)
    try:
        with _open(server, token, "crash-1") as socket:
            started = _ask(socket, {"type": "start"})
            assert started["resumed"] is True and started["turns"] == len(stored)
            for segment in segments[cut:]:
                answer = _ask(socket, segment)
                assert answer["type"] == "nudges"
            resumed = _ask(socket, {"type": "end"})["report"]
        uninterrupted = _replay(server, token, "crash-baseline", segments)
    finally:
        server.stop()

    assert without_identity(resumed) == without_identity(uninterrupted)
    with database.session() as db:
        assert [t.segment_id for t in stored_turns(db, "crash-1")] == [s["segment_id"] for s in segments]
