"""`calmline serve`: the service under uvicorn."""

from __future__ import annotations

import logging
from typing import Any

# Seconds uvicorn waits for open connections (live sockets, SSE streams) on shutdown.
GRACEFUL_SHUTDOWN_SECONDS = 3
# uvicorn's own WebSocket frame limit sits well above the service's, so an oversized frame
# gets an error frame from calmline instead of a dropped connection.
WS_MAX_BYTES = 16 * 1024 * 1024


class FrameLogFilter(logging.Filter):
    """Drops the WebSocket library's per-frame debug lines: they quote transcript text, which
    must never reach a log (redaction happens after a frame is received)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg[:2] in ("< ", "> ", "% ", "= "))


def run_serve(host: str, port: int, log_level: str, overrides: dict[str, Any]) -> None:
    """Build the app from the settings (environment, then ``overrides``) and serve it."""
    import uvicorn

    from calmline.api import Settings, create_app

    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_level=log_level,
                            ws_max_size=WS_MAX_BYTES, timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS)
    for name in ("uvicorn.error", "websockets"):
        logging.getLogger(name).addFilter(FrameLogFilter())
    _log_calmline(log_level)
    uvicorn.Server(config).run()


def _log_calmline(level: str) -> None:
    """calmline's own messages (ids and counts, never transcript text) beside uvicorn's."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:%(spaces)s%(message)s"))
    handler.addFilter(_pad)
    logger = logging.getLogger("calmline")
    logger.addHandler(handler)
    logger.setLevel(level.upper() if level != "trace" else "DEBUG")
    logger.propagate = False


def _pad(record: logging.LogRecord) -> bool:
    record.spaces = " " * max(1, 9 - len(record.levelname))
    return True
