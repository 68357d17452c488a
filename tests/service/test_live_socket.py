"""Live assist over the WebSocket: finals analysed and stored before they are answered,
partials ignored, bad frames answered with an error frame on a connection that stays open,
and a reconnecting client resumes the call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from calmline.engine import analyze
from calmline.playbook import parse_playbook
from calmline.storage import Database
from calmline.storage.calls import conversation_of, stored_turns
from calmline.storage.models import Call
from calmline.storage.playbooks import get_version
from tests.service.conftest import MakeUser, bearer
from tests.service.live import exchange, sample_segments, without_identity


@pytest.fixture
def ann(make_user: MakeUser) -> str:
    return make_user("ann", "agent", team="east")


def _connect(client: TestClient, token: str, call_id: str) -> Any:
    return client.websocket_connect(f"/v1/live/calls/{call_id}", headers=bearer(token))


def test_full_call_gets_nudges_per_final_and_a_report_equal_to_analyze(
        client: TestClient, ann: str, database: Database) -> None:
    segments = sample_segments()
    with _connect(client, ann, "call-1") as socket:
        started = exchange(socket, {"type": "start", "customer_name": "Marcus"})
        assert started["type"] == "started" and started["resumed"] is False
        for i, segment in enumerate(segments):
            answer = exchange(socket, segment)
            assert (answer["type"], answer["turn_index"], answer["segment_id"]) == ("nudges", i, f"seg-{i}")
            assert 0 <= answer["temperature"] <= 100
        report = exchange(socket, {"type": "end"})["report"]
    with database.session() as db:
        call = db.get(Call, "call-1")
        assert call is not None and call.status == "closed"
        version = get_version(db, call.playbook_version_id)
        assert version is not None
        playbook = parse_playbook(version.source)
        expected = analyze(conversation_of(call, stored_turns(db, "call-1")), playbook).to_dict()
    assert report == expected
    assert len(report["turns"]) == len(segments)


def test_partial_segments_are_not_analysed_or_stored(
        client: TestClient, ann: str, database: Database) -> None:
    with _connect(client, ann, "call-2") as socket:
        exchange(socket, {"type": "start"})
        socket.send_text(json.dumps({"type": "segment", "segment_id": "s1", "role": "customer",
                                     "text": "You charged", "final": False}))
        answer = exchange(socket, {"type": "segment", "segment_id": "s1", "role": "customer",
                                   "text": "You charged me twice!", "final": True})
        assert answer["turn_index"] == 0
    with database.session() as db:
        assert [t.text for t in stored_turns(db, "call-2")] == ["You charged me twice!"]


BAD_FRAMES = [
    ("not json at all", "malformed_json"),
    ("[1, 2]", "invalid_frame"),
    ('{"type": "dance"}', "invalid_frame"),
    ('{"role": "customer", "text": "hi"}', "invalid_frame"),
    ('{"type": "segment", "role": "customer", "text": 42}', "invalid_frame"),
    ('{"type": "segment", "role": "boss", "text": "hi"}', "invalid_frame"),
    ('{"type": "segment", "role": "customer", "text": "hi", "final": "yes"}', "invalid_frame"),
    ('{"type": "segment", "role": "customer", "text": "hi", "begin_ms": -5}', "invalid_frame"),
    ('{"type": "segment", "role": "customer", "text": "   "}', "invalid_frame"),
    ('{"type": "segment", "role": "customer", "text": "hi", "colour": "red"}', "invalid_frame"),
    ('{"type": "start"}', "already_started"),
    ('{"type": "segment", "role": "customer", "text": "' + "x" * 300_000 + '"}', "too_large"),
]


@pytest.mark.parametrize(("frame", "code"), BAD_FRAMES)
def test_bad_frame_gets_an_error_frame_and_the_connection_stays_open(
        client: TestClient, ann: str, database: Database, frame: str, code: str) -> None:
    with _connect(client, ann, "call-3") as socket:
        exchange(socket, {"type": "start"})
        error = exchange(socket, frame)
        assert (error["type"], error["code"]) == ("error", code)
        assert error["problem"]
        assert exchange(socket, {"type": "ping"}) == {"type": "pong"}
        good = exchange(socket, {"type": "segment", "role": "customer", "text": "Hello?"})
        assert good["type"] == "nudges" and good["turn_index"] == 0


def test_binary_frame_and_segment_before_start_are_errors(client: TestClient, ann: str) -> None:
    with _connect(client, ann, "call-4") as socket:
        socket.send_bytes(b"\x00\x01")
        assert json.loads(socket.receive_text())["code"] == "binary_frame"
        assert exchange(socket, {"type": "ping"}) == {"type": "pong"}
        assert exchange(socket, {"type": "segment", "role": "agent", "text": "hi"})["code"] == "not_started"
        assert exchange(socket, {"type": "end"})["code"] == "not_started"


def test_reconnect_resumes_and_a_resent_segment_is_not_counted_twice(
        client: TestClient, ann: str, database: Database) -> None:
    segments = sample_segments()
    half = len(segments) // 2
    with _connect(client, ann, "call-5") as socket:
        exchange(socket, {"type": "start"})
        for segment in segments[:half]:
            exchange(socket, segment)
    with _connect(client, ann, "call-5") as socket:
        started = exchange(socket, {"type": "start"})
        assert started["resumed"] is True and started["turns"] == half
        assert started["last_segment_id"] == f"seg-{half - 1}"
        again = exchange(socket, segments[half - 1])
        assert again["duplicate"] is True and again["turn_index"] == half - 1
        for segment in segments[half:]:
            exchange(socket, segment)
        report = exchange(socket, {"type": "end"})["report"]
    with _connect(client, ann, "call-6") as socket:
        exchange(socket, {"type": "start"})
        for segment in segments:
            exchange(socket, segment)
        uninterrupted = exchange(socket, {"type": "end"})["report"]
    assert without_identity(report) == without_identity(uninterrupted)


def test_opening_an_ended_call_returns_its_report(client: TestClient, ann: str) -> None:
    with _connect(client, ann, "call-7") as socket:
        exchange(socket, {"type": "start"})
        exchange(socket, {"type": "segment", "role": "customer", "text": "Hi there."})
        report = exchange(socket, {"type": "end"})["report"]
    with _connect(client, ann, "call-7") as socket:
        again = exchange(socket, {"type": "start"})
    assert again == {"type": "report", "call_id": "call-7", "report": report}


def test_each_acknowledged_turn_is_already_stored(client: TestClient, ann: str, database: Database) -> None:
    with _connect(client, ann, "call-8") as socket:
        exchange(socket, {"type": "start"})
        for i, segment in enumerate(sample_segments()[:4]):
            exchange(socket, segment)
            with database.session() as db:
                assert len(stored_turns(db, "call-8")) == i + 1
                assert db.scalar(select(Call.status).where(Call.id == "call-8")) == "live"


def test_startup_moves_the_long_lived_models_out_of_the_collectors_view(client: TestClient) -> None:
    import gc

    # The models and lexicons loaded at start are hundreds of thousands of objects; a full
    # collection that walked them would stall every live call on the event loop.
    assert client.get("/healthz").status_code == 200
    assert gc.get_freeze_count() > 100_000
