"""A live call replayed by examples/live_client.py, followed in the browser: the supervisor's
board and the agent's assist panel update without a reload, and the card goes when it ends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.web.browser import screenshot, signed_in
from tests.web.conftest import EXAMPLES, WebServer

pytestmark = pytest.mark.slow

NO_NUDGE = "No nudge — you're doing fine."
CLIENT = Path(__file__).resolve().parents[2] / "examples" / "live_client.py"


def test_live_call_updates_the_board_and_the_assist_panel(browser: Browser, web: WebServer) -> None:
    board = signed_in(browser, web, "sue")
    board.goto("/board")
    expect(board.locator("#board-status")).to_have_text("live")
    assist = signed_in(browser, web, "ann")
    assist.goto("/assist")
    expect(assist.locator("#assist-waiting")).to_be_visible()
    other = signed_in(browser, web, "cat")  # another team's agent sees nothing of it
    other.goto("/assist")

    replay = subprocess.Popen(
        [sys.executable, str(CLIENT), str(EXAMPLES / "abusive_caller_boundary.json"), "--server",
         web.url.replace("http", "ws"), "--token", web.tokens["ann"], "--speed", "8"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        card = board.locator(".live-card")
        expect(card).to_have_count(1, timeout=20_000)
        expect(card.locator(".agent")).to_have_text("ann")
        expect(card.locator(".badge.b-abuse")).to_be_visible(timeout=30_000)
        first_turns = _turns(card.locator(".duration"))
        expect(assist.locator("#assist-live")).to_be_visible()
        expect(assist.locator("#assist-nudge")).not_to_have_text(NO_NUDGE, timeout=30_000)
        expect(assist.locator("#assist-phrasing")).to_be_visible()
        expect(assist.locator("#assist-checklist li.made")).not_to_have_count(0, timeout=30_000)
        expect(assist.locator("#assist-temp")).to_have_text(card.locator(".temp").inner_text())
        screenshot(assist, "assist")
        screenshot(board, "board")
        expect(card.locator(".duration")).not_to_contain_text(f" {first_turns} turns", timeout=20_000)
        output, _ = replay.communicate(timeout=120)
        assert replay.returncode == 0, output
    finally:
        if replay.poll() is None:
            replay.kill()
        replay.communicate()
    expect(board.locator(".live-card")).to_have_count(0, timeout=20_000)
    expect(assist.locator("#assist-ended")).to_be_visible()
    expect(other.locator("#assist-waiting")).to_be_visible()
    for page in (board, assist, other):
        page.context.close()


def _turns(duration: object) -> int:
    text = duration.inner_text()  # type: ignore[attr-defined]
    return int(text.split("·")[-1].split()[0])
