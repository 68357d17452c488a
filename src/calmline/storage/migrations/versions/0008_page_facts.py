"""Page facts: each stored call's scorecard outcomes, risk codes and complaint topics, so the
agent and team pages count them in SQL; filled in from the reports already stored.

Revision ID: 0008_page_facts
Revises: 0006_tasks
Create Date: 2026-11-23
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from calmline.errors import CalmlineError, ErrorCode
from calmline.storage.facts import CALL_COMPLAINT_TOPICS, CALL_FACTS, CALL_OUTCOMES, fact_rows, page_facts

revision = "0008_page_facts"
down_revision = "0006_tasks"
branch_labels = None
depends_on = None

# Reports read and parsed per round of the backfill (bounded memory on large archives).
BACKFILL_BATCH = 500


def _call_id() -> sa.Column[object]:
    return sa.Column("call_id", sa.String(64), nullable=False)


def _call_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=f"fk_{table}_call_id_calls",
                                   ondelete="CASCADE")


def upgrade() -> None:
    facts = op.create_table(
        CALL_FACTS,
        _call_id(),
        sa.Column("risk_codes", sa.Text(), nullable=False),
        _call_fk(CALL_FACTS),
        sa.PrimaryKeyConstraint("call_id", name=f"pk_{CALL_FACTS}"),
    )
    outcomes = op.create_table(
        CALL_OUTCOMES,
        _call_id(),
        sa.Column("technique_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        _call_fk(CALL_OUTCOMES),
        sa.PrimaryKeyConstraint("call_id", "technique_id", name=f"pk_{CALL_OUTCOMES}"),
    )
    topics = op.create_table(
        CALL_COMPLAINT_TOPICS,
        _call_id(),
        sa.Column("topic", sa.String(64), nullable=False),
        _call_fk(CALL_COMPLAINT_TOPICS),
        sa.PrimaryKeyConstraint("call_id", "topic", name=f"pk_{CALL_COMPLAINT_TOPICS}"),
    )
    op.create_index("ix_calls_status_occurred", "calls", ["status", "occurred_at"])
    _backfill({t.name: t for t in (facts, outcomes, topics) if t is not None})


def _backfill(tables: dict[str, sa.Table]) -> None:
    """Facts for every report stored before this revision, read in batches by call id."""
    reports = sa.table("reports", sa.column("call_id", sa.String), sa.column("body", sa.Text))
    connection = op.get_bind()
    after = ""
    while True:
        batch = connection.execute(sa.select(reports.c.call_id, reports.c.body)
                                   .where(reports.c.call_id > after)
                                   .order_by(reports.c.call_id).limit(BACKFILL_BATCH)).all()
        if not batch:
            return
        rows: dict[str, list[dict[str, object]]] = {name: [] for name in tables}
        for call_id, body in batch:
            facts = page_facts(_parsed(call_id, body), f"call {call_id}")
            for name, found in fact_rows(call_id, facts).items():
                rows[name].extend(found)
        for name, found in rows.items():
            if found:
                connection.execute(sa.insert(tables[name]), found)
        after = batch[-1][0]


def _parsed(call_id: str, body: str) -> dict[str, object]:
    try:
        found = json.loads(body)
    except ValueError as exc:
        raise CalmlineError(f"the stored report is not JSON ({exc})", source=f"call {call_id}",
                            code=ErrorCode.E004_MALFORMED, hint="re-score the call") from None
    if not isinstance(found, dict):
        raise CalmlineError("the stored report is not a JSON object", source=f"call {call_id}",
                            hint="re-score the call")
    return found


def downgrade() -> None:
    op.drop_index("ix_calls_status_occurred", table_name="calls")
    for table in (CALL_COMPLAINT_TOPICS, CALL_OUTCOMES, CALL_FACTS):
        op.drop_table(table)
