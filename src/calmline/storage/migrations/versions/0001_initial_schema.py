"""Initial schema: users and tokens, agents, customers, playbook versions, calls with turns,
reports, labels and risks, and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(column: str, target: str, table: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    name = f"fk_{table}_{column}_{target.split('.')[0]}"
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_agents"),
    )
    op.create_index("ix_agents_team", "agents", ["team"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_call_id", "audit_events", ["call_id"])
    op.create_table(
        "customers",
        sa.Column("id", sa.String(128), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("agent_id", sa.String(128), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _ts("created_at"),
        _ts("expires_at", nullable=True),
        _ts("revoked_at", nullable=True),
        _fk("user_id", "users.id", "api_tokens", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "playbook_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _fk("created_by", "users.id", "playbook_versions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_playbook_versions"),
    )
    _create_calls()
    _create_call_children()


def _create_calls() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("agent_id", sa.String(128), nullable=True),
        sa.Column("customer_id", sa.String(128), nullable=True),
        sa.Column("customer_name", sa.String(255), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        _ts("started_at", nullable=True),
        _ts("occurred_at"),
        _ts("created_at"),
        _ts("ended_at", nullable=True),
        sa.Column("playbook_version_id", sa.Integer(), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("deescalated", sa.Boolean(), nullable=True),
        sa.Column("peak_temperature", sa.Float(), nullable=True),
        sa.Column("turn_count", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        _fk("agent_id", "agents.id", "calls"),
        _fk("customer_id", "customers.id", "calls"),
        _fk("playbook_version_id", "playbook_versions.id", "calls"),
        _fk("submitted_by", "users.id", "calls", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_calls"),
    )
    op.create_index("ix_calls_agent_occurred", "calls", ["agent_id", "occurred_at"])
    for column in ("customer_id", "occurred_at", "score", "status"):
        op.create_index(f"ix_calls_{column}", "calls", [column])


def _create_call_children() -> None:
    op.create_table(
        "call_labels",
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        _fk("call_id", "calls.id", "call_labels", "CASCADE"),
        sa.PrimaryKeyConstraint("call_id", "label", name="pk_call_labels"),
    )
    op.create_index("ix_call_labels_label", "call_labels", ["label"])
    op.create_table(
        "call_risks",
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        _fk("call_id", "calls.id", "call_risks", "CASCADE"),
        sa.PrimaryKeyConstraint("call_id", "code", name="pk_call_risks"),
    )
    op.create_index("ix_call_risks_code", "call_risks", ["code"])
    op.create_table(
        "reports",
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("playbook_version_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _ts("created_at"),
        _fk("call_id", "calls.id", "reports", "CASCADE"),
        _fk("playbook_version_id", "playbook_versions.id", "reports"),
        sa.PrimaryKeyConstraint("call_id", name="pk_reports"),
    )
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.String(128), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("speaker", sa.String(255), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("begin_ms", sa.Integer(), nullable=True),
        sa.Column("end_ms", sa.Integer(), nullable=True),
        _ts("created_at"),
        _fk("call_id", "calls.id", "turns", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_turns"),
        sa.UniqueConstraint("call_id", "index", name="uq_turns_call_index"),
        sa.UniqueConstraint("call_id", "segment_id", name="uq_turns_call_segment"),
    )


def downgrade() -> None:
    for table in ("turns", "reports", "call_risks", "call_labels", "calls", "playbook_versions",
                  "api_tokens", "users", "customers", "audit_events", "agents"):
        op.drop_table(table)
