"""Schemathesis fuzzes every OpenAPI operation: whatever it sends, no 500, and every answer
matches the documented schema."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance

from calmline.api import Settings, create_app
from tests.service.conftest import bearer

pytestmark = pytest.mark.slow
# Examples per operation: enough to hit every parameter's edges, small enough to keep the run
# to seconds on two cores.
EXAMPLES = 15
ENDLESS = {"/v1/live/stream"}  # an endless stream: covered by test_live_board


def _operations() -> list[str]:
    app = create_app(Settings(database_url="sqlite://", migrate_on_start=False, redaction=False))
    return sorted(f"{method.upper()} {path}" for path, methods in app.openapi()["paths"].items()
                  for method in methods if path not in ENDLESS)


@pytest.mark.parametrize("operation", _operations())
def test_no_operation_fails_or_breaks_its_schema(client: TestClient, admin_token: str,
                                                 operation: str) -> None:
    method, path = operation.split(" ", 1)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    found = schema[path][method].as_strategy()
    run: Callable[[], None]

    @given(found)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def run(case: Case) -> None:
        # A schema cannot describe a readable transcript or playbook, so schema-valid bodies may
        # rightly be refused with 422; every other check (no 5xx, documented statuses, response
        # schemas, content types, rejection of invalid data) applies.
        case.call_and_validate(headers=bearer(admin_token), excluded_checks=[positive_data_acceptance])

    run()
