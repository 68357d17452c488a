"""A whole practice call driven through a pseudo-terminal, as a trainee would type it."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.simulator.scripts import GOOD

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r")
TIMEOUT_S = 120.0


class Terminal:
    """A child process on a pseudo-terminal: type lines, wait for text."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                                        close_fds=True, start_new_session=True)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str) -> str:
        """Read until ``text`` appears after what was already matched; return what came."""
        deadline = time.monotonic() + TIMEOUT_S
        while text not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} in the terminal; saw:\n{self.seen[-3000:]}")
            ready, _w, _x = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk and self.process.poll() is not None:
                    raise AssertionError(f"exited before {text!r}; saw:\n{self.seen[-3000:]}")
                self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))
        before, _sep, self.seen = self.seen.partition(text)
        return before + text

    def type(self, line: str) -> None:
        os.write(self.master, line.encode("utf-8") + b"\r")

    def close(self) -> int:
        try:
            return self.process.wait(timeout=TIMEOUT_S)
        finally:
            os.close(self.master)


@pytest.mark.slow
def test_terminal_practice_call_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-c", "from calmline.cli import main; main()", "practice",
               "double_billing", "--seed", "11", "--trainee", "pat", "--dir", str(tmp_path)]
    terminal = Terminal(command, env)
    try:
        opening = terminal.expect("you>")
        assert "Dana Whitfield:" in opening and "temper" in opening
        terminal.type("/gauge")
        assert "gauge hidden" in terminal.expect("you>")
        terminal.type("/hint")
        assert "hint" in terminal.expect("you>")
        for line in GOOD["double_billing"][:-1]:
            terminal.type(line)
            answer = terminal.expect("you>")
            assert "Dana Whitfield:" in answer and "temper █" not in answer
        terminal.type(GOOD["double_billing"][-1])
        ending = terminal.expect("saved ")
        assert "call ended: resolved" in ending
        assert "Debrief" in ending and "Temper curve" in ending
        assert terminal.close() == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    stored = list(tmp_path.glob("*.jsonl"))
    assert len(stored) == 1 and '"trainee": "pat"' in stored[0].read_text(encoding="utf-8")

