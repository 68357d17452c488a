"""`calmline serve` as a real subprocess on a free loopback port, for crash, log and
streaming tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

CALMLINE = Path(sys.executable).with_name("calmline")
START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """One ``calmline serve`` process; its output goes to ``log_path``."""

    def __init__(self, database_url: str, log_path: Path, port: int | None = None,
                 log_level: str = "info") -> None:
        self.port = port or free_port()
        self.log_path = log_path
        env = {**os.environ, "CALMLINE_DATABASE_URL": database_url}
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(CALMLINE), "serve", "--port", str(self.port), "--log-level", log_level],
                stdout=log, stderr=subprocess.STDOUT, env=env)
        self._wait_until_up()

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"calmline serve exited: {self.log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.http}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"calmline serve did not start: {self.log_path.read_text(errors='replace')}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing — a crash."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
