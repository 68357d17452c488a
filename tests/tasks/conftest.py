"""The service fixtures (SQLite and PostgreSQL) for the follow-up tests."""

from tests.service.conftest import (  # noqa: F401 (fixtures)
    admin_token,
    client,
    database,
    database_url,
    make_user,
    migrated,
    postgres_url,
    settings,
)
