"""The FastAPI application, built by ``create_app(settings)``: nothing is connected or loaded
at import time."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import to_thread
from fastapi import FastAPI

from calmline import __version__
from calmline.api.errors import install_error_handlers
from calmline.api.followups import start_followups, stop_followups
from calmline.api.limits import BodyLimit, NoNulInAddress
from calmline.api.live.hub import LiveHub
from calmline.api.routes import agents, audit, auth, calls, live, playbook, tasks
from calmline.api.settings import Settings
from calmline.api.state import ServiceState
from calmline.redaction import loaded_redactor
from calmline.storage import open_database, upgrade_to_head
from calmline.storage.playbooks import PlaybookCache, active_version

log = logging.getLogger("calmline.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The calmline service for ``settings`` (default: from ``CALMLINE_*`` variables)."""
    settings = settings or Settings()
    app = FastAPI(title="calmline", version=__version__, lifespan=_lifespan,
                  description="De-escalation copilot: calls, reports, live assist and the playbook.")
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(NoNulInAddress)
    for module in (auth, calls, agents, playbook, live, audit, tasks):
        app.include_router(module.router)
    app.add_api_route("/healthz", _healthz, methods=["GET"], tags=["health"],
                      summary="Liveness: the service is up.")
    from calmline.web import install as install_web  # the pages need Jinja2, a server extra

    install_web(app)
    _document_address_refusal(app)
    return app


def _document_address_refusal(app: FastAPI) -> None:
    """Every operation may answer 422 for an address holding a NUL (``NoNulInAddress``):
    say so in the OpenAPI document, beside the 422s the operations document already."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for operations in schema["paths"].values():
                for operation in operations.values():
                    operation.setdefault("responses", {}).setdefault("422", _ADDRESS_REFUSED)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


_ADDRESS_REFUSED: dict[str, Any] = {
    "description": "invalid_request (e.g. a NUL character in the path or a parameter)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}


def _healthz() -> dict[str, str]:
    return {"status": "ok"}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = await to_thread.run_sync(start_service, app.state.settings)
    app.state.calmline = state
    followups = start_followups(state.database, getattr(app.state, "task_settings", None))
    try:
        yield
    finally:
        stop_followups(state.database, followups)
        state.database.dispose()


def start_service(settings: Settings) -> ServiceState:
    """Open the database (migrated), load the redactor and make sure a playbook is active."""
    database = open_database(settings.database_url)
    if settings.migrate_on_start:
        upgrade_to_head(database.engine)
    redactor = None
    if settings.redaction:
        redactor = loaded_redactor(tuple(settings.redaction_entities), settings.redaction_spacy_model)
    with database.session() as db:
        active_version(db)
    _warm_up()
    # Everything loaded so far (models, lexicons, the redactor's spaCy pipeline: ~350,000
    # objects) lives as long as the process. Left in view, each full collection walks it
    # all and stalls the event loop for 100-450 ms, which is a live call's p99.
    gc.freeze()
    log.info("calmline service ready (database %s, redaction %s)", database.engine.url.render_as_string(),
             "on" if redactor else "off")
    return ServiceState(settings, database, redactor, PlaybookCache(), LiveHub())


def _warm_up() -> None:
    """Load the detectors' lazily loaded models now, so the first live call does not wait."""
    from calmline.detectors.pipeline import WARM_UP_CALL
    from calmline.session import Session

    session = Session()
    for turn in WARM_UP_CALL.turns:
        session.feed(turn)
    session.close()
