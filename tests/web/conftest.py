"""Web app fixtures: a real ``calmline`` server (uvicorn in a thread) on a SQLite file seeded
from the sample calls, users of every role with passwords, and Debian's chromium driven by
Playwright. The service's database fixtures (SQLite and PostgreSQL) are reused for the
storage-touching HTTP tests."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
import uvicorn

from calmline.api import Settings, create_app
from calmline.storage import open_database, upgrade_to_head
from calmline.storage.accounts import UserRole, create_user, issue_token
from tests.service.conftest import (  # noqa: F401 - fixtures, re-exported for tests/web
    EXAMPLES,
    client,
    database,
    database_url,
    migrated,
    postgres_url,
    settings,
)
from tests.service.server import free_port

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
# (username, role, team): two agents and their supervisor in "east", one agent in "west".
PEOPLE = (("boss", "admin", None), ("sue", "supervisor", "east"), ("ann", "agent", "east"),
          ("bob", "agent", "east"), ("cat", "agent", "west"), ("wes", "supervisor", "west"))
# Who handled which sample call.
AGENT_OF = {"abusive_caller_boundary.json": "ann", "billing_double_charge.json": "ann",
            "manager_demand.txt": "ann", "talk_over_venting.json": "ann", "dismissive_agent.txt": "ann",
            "warranty_exception.vtt": "bob", "jargon_fibre_outage.txt": "bob",
            "non_apology_blame_cancel.csv": "bob", "repeat_caller_third_time.json": "bob",
            "routine_password_reset.json": "cat", "defective_mixer_refund_or_replace.json": "cat",
            "unresolved_wire_followup.srt": "cat"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


@dataclass
class WebServer:
    url: str
    tokens: dict[str, str]
    calls: dict[str, str] = field(default_factory=dict)  # sample file name -> stored call id


def _serve(app_settings: Settings) -> tuple[uvicorn.Server, threading.Thread, int]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(app_settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the calmline server did not start")
        time.sleep(0.05)
    return server, thread, port


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """The server, seeded: every sample call with its agent, and a token per user."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    seeded = open_database(url)
    upgrade_to_head(seeded.engine)
    tokens: dict[str, str] = {}
    with seeded.session() as db:
        for name, role, team in PEOPLE:
            user = create_user(db, name, UserRole(role), team=team, password=PASSWORD)
            tokens[name] = issue_token(db, user)
    seeded.dispose()
    server, thread, port = _serve(Settings(database_url=url, redaction=False, sse_heartbeat_seconds=1.0))
    found = WebServer(f"http://127.0.0.1:{port}", tokens)
    headers = {"Authorization": f"Bearer {tokens['boss']}"}
    for name, agent in AGENT_OF.items():
        answer = httpx.post(f"{found.url}/v1/calls", params={"agent_id": agent, "filename": name},
                            content=(EXAMPLES / name).read_bytes(), headers=headers, timeout=60)
        assert answer.status_code == 201, answer.text
        found.calls[name] = answer.json()["call"]["id"]
    yield found
    server.should_exit = True
    thread.join(timeout=30)


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True, capture_output=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    _ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield launched
        launched.close()
