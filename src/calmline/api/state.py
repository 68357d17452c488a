"""What the app holds while it runs: settings, database, redactor, playbooks, live calls."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from calmline.api.live.hub import LiveHub
from calmline.api.settings import Settings
from calmline.redaction import Redactor
from calmline.storage import Database
from calmline.storage.playbooks import PlaybookCache


@dataclass(slots=True)
class ServiceState:
    settings: Settings
    database: Database
    redactor: Redactor | None
    playbooks: PlaybookCache
    hub: LiveHub

    def redact(self, text: str) -> str:
        return self.redactor.redact(text) if self.redactor is not None else text


def service_state(connection: HTTPConnection) -> ServiceState:
    state = connection.app.state.calmline
    assert isinstance(state, ServiceState)
    return state
