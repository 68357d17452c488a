"""The optional language-model writer, against a real chat-completions server on
loopback (never the network); the offline default needs no server at all."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from calmline.simulator import PracticeOutcome, curriculum, replay, start_practice
from calmline.simulator.backend import BackendError, ChatBackend
from tests.simulator.scripts import GOOD


class ChatServer(ThreadingHTTPServer):
    """A tiny chat-completions endpoint: answers with ``reply(request)`` and records
    every request body."""

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), ChatHandler)
        self.mode = mode
        self.requests: list[dict[str, object]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1/chat/completions"


class ChatHandler(BaseHTTPRequestHandler):
    server: ChatServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        mode = self.server.mode
        if mode == "error":
            self._send(500, b'{"error": "overloaded"}')
        elif mode == "garbage":
            self._send(200, b"<html>not json</html>")
        elif mode == "shape":
            self._send(200, b'{"choices": []}')
        elif mode == "same":
            self._send(200, b'{"choices": [{"message": {"content": "Always the same."}}]}')
        else:
            number = len(self.server.requests)
            text = f"Model line {number}: I am {body['messages'][0]['content'][9:20]}."
            self._send(200, json.dumps({"choices": [{"message": {"role": "assistant",
                                                                 "content": text}}]}).encode())

    def _send(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def chat_server(request: pytest.FixtureRequest) -> Iterator[ChatServer]:
    server = ChatServer(getattr(request, "param", "ok"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_backend_writes_the_lines_with_the_endpoint(chat_server: ChatServer) -> None:
    session = start_practice("double_billing", seed=1, llm_url=chat_server.url, llm_model="tiny")
    line = session.reply(GOOD["double_billing"][0])
    assert session.opening.text.startswith("Model line 1: I am Dana Whitf")
    assert line.text.startswith("Model line 2")
    first, second = chat_server.requests
    assert first["model"] == "tiny"
    messages = second["messages"]
    assert isinstance(messages, list)
    assert "Dana Whitfield" in messages[0]["content"] and "A-20417" in messages[0]["content"]
    assert messages[-2] == {"role": "user", "content": GOOD["double_billing"][0]}
    assert session.backend_failures == []


def test_backend_decisions_stay_offline(chat_server: ChatServer) -> None:
    """The model words the lines; the temper and outcome are the simulator's own."""
    scenario = curriculum()["double_billing"]
    offline = replay(scenario, 1, GOOD["double_billing"])
    online = start_practice(scenario, seed=1, llm_url=chat_server.url)
    for text in GOOD["double_billing"]:
        online.reply(text)
    assert online.outcome is offline.outcome is PracticeOutcome.RESOLVED
    assert [p.after for p in online.curve] == [p.after for p in offline.curve]


@pytest.mark.parametrize("chat_server", ["error", "garbage", "shape"], indirect=True)
def test_backend_failures_fall_back_to_offline_lines(chat_server: ChatServer) -> None:
    session = start_practice("double_billing", seed=1, llm_url=chat_server.url)
    offline = start_practice("double_billing", seed=1)
    assert session.opening.text == offline.opening.text
    assert len(session.backend_failures) == 1
    assert "language-model" in session.backend_failures[0]


def test_backend_unreachable_endpoint_falls_back() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), ChatHandler) as closed:
        port = closed.server_address[1]
    session = start_practice("broken_product", seed=2,
                             llm_url=f"http://127.0.0.1:{port}/v1/chat/completions")
    assert session.opening.text
    assert session.backend_failures


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x", "localhost:8080"])
def test_backend_rejects_urls_that_are_not_http(url: str) -> None:
    with pytest.raises(BackendError, match="must be http"):
        ChatBackend(url)


@pytest.mark.parametrize("chat_server", ["same"], indirect=True)
def test_backend_repeated_lines_are_rewritten_offline(chat_server: ChatServer) -> None:
    session = start_practice("broken_product", seed=1, llm_url=chat_server.url)
    session.reply("Could you tell me more about what happened?")
    session.reply("So the jar cracked, is that right?")
    said = [line.text for line in session.lines]
    assert said[0] == "Always the same."
    assert len(set(said)) == len(said) == 3
