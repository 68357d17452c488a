"""Alembic environment: runs on the engine handed over by calmline.storage.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from calmline.storage.models import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("run migrations through calmline (calmline serve / calmline users)")

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
