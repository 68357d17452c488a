"""Follow-up tasks, complaint topics per call, agents' edits of call notes, and the webhook
delivery outbox.

Revision ID: 0006_tasks
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_tasks"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _call_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=f"fk_{table}_call_id_calls",
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(16), nullable=False),
        sa.Column("agent_id", sa.String(128), nullable=True),
        sa.Column("customer_id", sa.String(128), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("turn_index", sa.Integer(), nullable=True),
        sa.Column("due_phrase", sa.String(255), nullable=True),
        _ts("due_at"),
        sa.Column("due_rule", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("closed_by", sa.String(64), nullable=True),
        _call_fk("tasks"),
        sa.PrimaryKeyConstraint("id", name="pk_tasks"),
    )
    op.create_index("ix_tasks_call_id", "tasks", ["call_id"])
    op.create_index("ix_tasks_agent_id", "tasks", ["agent_id"])
    op.create_index("ix_tasks_customer_id", "tasks", ["customer_id"])
    op.create_index("ix_tasks_status_due", "tasks", ["status", "due_at"])
    op.create_table(
        "call_topics",
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        _call_fk("call_topics"),
        sa.PrimaryKeyConstraint("call_id", "topic", name="pk_call_topics"),
    )
    op.create_index("ix_call_topics_topic", "call_topics", ["topic"])
    op.create_table(
        "call_note_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("editor", sa.String(64), nullable=True),
        _ts("edited_at"),
        _call_fk("call_note_edits"),
        sa.PrimaryKeyConstraint("id", name="pk_call_note_edits"),
    )
    op.create_index("ix_call_note_edits_call_id", "call_note_edits", ["call_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("task_id", sa.String(32), nullable=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        _ts("created_at"),
        _ts("delivered_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
    )
    op.create_index("ix_webhook_deliveries_task_id", "webhook_deliveries", ["task_id"])
    op.create_index("ix_webhook_deliveries_status_next", "webhook_deliveries", ["status", "next_attempt_at"])


def downgrade() -> None:
    for table in ("webhook_deliveries", "call_note_edits", "call_topics", "tasks"):
        op.drop_table(table)
