"""With redaction on (the default), a planted card number never reaches the database file
or the server's log — whether the call is submitted or streamed live."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2 as httpx
import pytest
from websockets.sync.client import connect

from calmline.storage import open_database, upgrade_to_head
from calmline.storage.accounts import UserRole, create_user, issue_token
from tests.service.server import ServerProcess

pytestmark = pytest.mark.slow

PLANTED = [b"4111111111111111", b"4111 1111 1111 1111", b"four one one one one", b"Four one one one one",
           b"219-09-9999", b"marcus.o@example.com", b"555-0199"]
TRANSCRIPT = (
    "Agent: Thanks for calling, how can I help?\n"
    "Customer: You charged me twice! My card is 4111 1111 1111 1111.\n"
    "Agent: I'm sorry about that. Can you read me the card number again?\n"
    "Customer: Four one one one one one one one one one one one one one one one.\n"
    "Customer: My SSN is 219-09-9999, email marcus.o@example.com, phone (212) 555-0199.\n"
    "Agent: Thank you, I'll refund the duplicate charge today.\n"
)


def test_planted_card_number_is_in_neither_database_file_nor_log(tmp_path: Path) -> None:
    db_path = tmp_path / "calmline.db"
    url = f"sqlite:///{db_path}"
    database = open_database(url)
    upgrade_to_head(database.engine)
    with database.session() as db:
        token = issue_token(db, create_user(db, "ann", UserRole.AGENT, team="east"))
    database.dispose()
    log = tmp_path / "serve.log"
    server = ServerProcess(url, log, log_level="debug")
    try:
        headers = {"Authorization": f"Bearer {token}"}
        submitted = httpx.post(f"{server.http}/v1/calls", params={"format": "text"},
                               content=TRANSCRIPT.encode(), headers=headers, timeout=30)
        assert submitted.status_code == 201, submitted.text
        assert "[CREDIT_CARD]" in json.dumps(submitted.json()["report"])
        with connect(f"{server.ws}/v1/live/calls/live-pii", additional_headers=headers) as socket:
            socket.send(json.dumps({"type": "start"}))
            socket.recv(timeout=30)
            for line in TRANSCRIPT.splitlines():
                role, text = line.split(": ", 1)
                socket.send(json.dumps({"type": "segment", "role": role.lower(), "text": text}))
                assert "4111" not in socket.recv(timeout=30)
            socket.send(json.dumps({"type": "end"}))
            assert "[CREDIT_CARD]" in socket.recv(timeout=30)
    finally:
        server.stop()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("calmline.db")] + [log]
    assert db_path in files and log.stat().st_size > 0
    for path in files:
        content = path.read_bytes()
        for secret in PLANTED:
            assert secret not in content, f"{secret!r} found in {path.name}"
