"""Migrations build the schema on a fresh database, and the models match them exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from calmline.storage import Database, upgrade_to_head
from calmline.storage.migrate import alembic_config
from calmline.storage.models import Base


def test_migrations_upgrade_head_creates_every_table(migrated: Database) -> None:
    tables = set(inspect(migrated.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_match_migrations(migrated: Database) -> None:
    with migrated.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_twice_is_a_no_op(migrated: Database) -> None:
    upgrade_to_head(migrated.engine)
    with migrated.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    assert current == set(ScriptDirectory.from_config(alembic_config(migrated.engine)).get_heads())
