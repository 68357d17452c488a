"""The stored data: users and tokens, agents and customers, calls with their turns and
reports, playbook versions, and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from calmline.storage.types import UtcDateTime, utcnow

# Constraint names fixed by convention, so migrations name them the same on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    team: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[str | None] = mapped_column(String(128))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is kept (tokens are random, so no salt is needed)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # "api" or "login"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PlaybookVersion(Base):
    """Every playbook ever made active; reports point at the one that scored them."""

    __tablename__ = "playbook_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_agent_occurred", "agent_id", "occurred_at"),
                      # the newest closed calls, which the agent and team pages count over
                      Index("ix_calls_status_occurred", "status", "occurred_at"))

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(255))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    customer_name: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)  # "live" or "closed"
    source: Mapped[str] = mapped_column(String(32))  # reader name, or "live"
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))
    redacted: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float, index=True)
    deescalated: Mapped[bool | None] = mapped_column(Boolean)
    peak_temperature: Mapped[float | None] = mapped_column(Float)
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class StoredTurn(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("call_id", "index", name="uq_turns_call_index"),
        UniqueConstraint("call_id", "segment_id", name="uq_turns_call_segment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    segment_id: Mapped[str | None] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    begin_ms: Mapped[int | None] = mapped_column(Integer)
    end_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StoredReport(Base):
    __tablename__ = "reports"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    playbook_version_id: Mapped[int] = mapped_column(ForeignKey("playbook_versions.id"))
    body: Mapped[str] = mapped_column(Text)  # the report's JSON (docs/report-schema.md)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class CallLabel(Base):
    """Labels present in a call, for searching by label."""

    __tablename__ = "call_labels"
    __table_args__ = (Index("ix_call_labels_label", "label"),)

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    label: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class CallRisk(Base):
    __tablename__ = "call_risks"
    __table_args__ = (Index("ix_call_risks_code", "code"),)

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    severity: Mapped[str] = mapped_column(String(16))


class AuditEvent(Base):
    """Who read or changed what, and when. Kept when the call it names is deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    call_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[str | None] = mapped_column(String(255))


class CallFeedback(Base):
    """What people say about a call's verdicts: a supervisor's comment, or an agent disputing
    the verdict. Kept with the call (deleted with it)."""

    __tablename__ = "call_feedback"
    __table_args__ = (Index("ix_call_feedback_call_created", "call_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "comment" or "dispute"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class FollowUpTask(Base):
    """Work a call left behind: a promise to keep, a callback, an escalation (docs/tasks.md)."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_status_due", "status", "due_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(16))  # agent, team or customer
    agent_id: Mapped[str | None] = mapped_column(String(128), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(128), index=True)
    what: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    turn_index: Mapped[int | None] = mapped_column(Integer)
    due_phrase: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_rule: Mapped[str] = mapped_column(String(16))  # phrase or default
    reason: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # open, done, cancelled, overdue
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(64))


class CallTopicRow(Base):
    """A complaint topic found in a call, with its evidence (JSON: turn index and quote)."""

    __tablename__ = "call_topics"
    __table_args__ = (Index("ix_call_topics_topic", "topic"),)

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    hits: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)


class CallNoteEdit(Base):
    """An agent's edit of a call's notes; the generated notes stay in the report beside it."""

    __tablename__ = "call_note_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    editor: Mapped[str | None] = mapped_column(String(64))
    edited_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One webhook event and its delivery attempts (an outbox the worker drains)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[str | None] = mapped_column(String(32), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class StoredPractice(Base):
    """A practice call in the web app: the trainee's turns and the seed (the call is replayed
    from them, so a restart loses nothing), the hints asked for, and the debrief once it ended."""

    __tablename__ = "practice_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    scenario_id: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(120))
    seed: Mapped[int] = mapped_column(Integer)
    turns: Mapped[str] = mapped_column(Text)  # JSON list of the trainee's turns
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    hints: Mapped[str] = mapped_column(Text)  # JSON list of {"after": turns, "text": hint}
    nudges_shown: Mapped[int] = mapped_column(Integer, default=0)
    show_gauge: Mapped[bool] = mapped_column(Boolean, default=True)
    outcome: Mapped[str] = mapped_column(String(16))  # in_progress, resolved, escalated, hung_up, abandoned
    start_temper: Mapped[float] = mapped_column(Float)
    temper: Mapped[float] = mapped_column(Float)
    score: Mapped[int | None] = mapped_column(Integer)
    debrief: Mapped[str | None] = mapped_column(Text)  # the debrief's JSON once the call ended
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CallFacts(Base):
    """What the agent and team pages count about a call, written with its report
    (calmline.storage.facts): one row per stored report."""

    __tablename__ = "call_facts"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    risk_codes: Mapped[str] = mapped_column(Text)  # the report's risk codes in its order, space-separated


class CallOutcome(Base):
    """One scorecard criterion of a call (met, missed or not_applicable), for hit rates."""

    __tablename__ = "call_outcomes"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    technique_id: Mapped[str] = mapped_column(Text, primary_key=True)  # playbook ids have no length limit
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # good or harmful
    verdict: Mapped[str] = mapped_column(String(16))


class CallComplaintTopic(Base):
    """A complaint topic of the team page (calmline.storage.facts.TOPICS) found in a call's notes."""

    __tablename__ = "call_complaint_topics"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
