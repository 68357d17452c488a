"""Migration 0008_page_facts fills in the page facts of the reports stored before it, so a
database upgraded from an older version shows the same agent and team pages — on SQLite and
on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert, select, true
from sqlalchemy.orm import Session

from calmline import analyze, read_conversation
from calmline.errors import CalmlineError
from calmline.storage import Database, open_database, upgrade_to_head
from calmline.storage.facts import fact_rows, page_facts
from calmline.storage.migrate import alembic_config
from calmline.storage.models import CallComplaintTopic, CallFacts, CallOutcome
from calmline.web import queries
from calmline.web.views import complaint_texts, complaint_topics, review_priority, tally_outcomes
from tests.service.conftest import BACKENDS, EXAMPLES, POSTGRES_ADMIN_URL

SAMPLES = ("abusive_caller_boundary.json", "billing_double_charge.json", "manager_demand.txt",
           "routine_password_reset.json", "warranty_exception.vtt")
NEWEST = datetime(2026, 11, 20, 17, tzinfo=UTC)
# The revisions before page facts (the schema an older calmline left behind).
BEFORE = ("0005_web", "0006_tasks")


@pytest.fixture(scope="module")
def bodies() -> list[dict[str, Any]]:
    """Report JSON of a few sample calls, as an older calmline stored them."""
    return [analyze(read_conversation(EXAMPLES / name)).to_dict() for name in SAMPLES]


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A new, empty database brought up to the revisions before page facts."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        name = None
    else:
        name = f"calmline_migrate_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    database = open_database(url)
    for revision in BEFORE:
        command.upgrade(alembic_config(database.engine), revision)
    yield database
    database.dispose()
    if name is not None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def store_old(database: Database, bodies: list[dict[str, Any]], copies: int = 2) -> list[str]:
    """Calls and reports written straight into the old schema (no page facts); their ids."""
    tables = MetaData()
    table = {n: Table(n, tables, autoload_with=database.engine)
             for n in ("playbook_versions", "agents", "calls", "reports")}
    ids = []
    with database.engine.begin() as connection:
        connection.execute(insert(table["playbook_versions"]).values(
            id=1, name="default", version="1", fingerprint="f", source="", active=True, created_at=NEWEST))
        connection.execute(insert(table["agents"]).values(id="ann", team="east", created_at=NEWEST))
        for n in range(copies * len(bodies)):
            body, call_id, at = bodies[n % len(bodies)], f"c{n:03d}", NEWEST - timedelta(hours=n)
            connection.execute(insert(table["calls"]).values(
                id=call_id, external_id=call_id, agent_id="ann", channel="voice", status="closed",
                source="old", occurred_at=at, created_at=at, playbook_version_id=1, redacted=False,
                score=float(body["scorecard"]["overall"]), deescalated=body["outcome"]["deescalated"],
                turn_count=len(body["turns"])))
            connection.execute(insert(table["reports"]).values(
                call_id=call_id, playbook_version_id=1, body=json.dumps(body), created_at=at))
            ids.append(call_id)
    return ids


def test_upgrade_fills_in_the_facts_of_stored_reports(old_database: Database,
                                                      bodies: list[dict[str, Any]]) -> None:
    ids = store_old(old_database, bodies)
    command.upgrade(alembic_config(old_database.engine), "0008_page_facts")
    with old_database.session() as db:
        for n, call_id in enumerate(ids):
            expected = fact_rows(call_id, page_facts(bodies[n % len(bodies)]))
            assert stored_facts(db, call_id) == {t: sorted(rows, key=repr) for t, rows in expected.items()}


def stored_facts(db: Session, call_id: str) -> dict[str, list[dict[str, Any]]]:
    """The fact rows of ``call_id`` as :func:`fact_rows` gives them."""
    found = {}
    for model in (CallFacts, CallOutcome, CallComplaintTopic):
        columns = [c.name for c in model.__table__.columns]
        rows = db.execute(select(model.__table__).where(model.__table__.c.call_id == call_id))
        found[model.__tablename__] = sorted((dict(zip(columns, row, strict=True)) for row in rows), key=repr)
    return found


def test_an_upgraded_database_shows_the_same_pages(old_database: Database,
                                                   bodies: list[dict[str, Any]]) -> None:
    ids = store_old(old_database, bodies)
    upgrade_to_head(old_database.engine)
    newest_first = [bodies[n % len(bodies)] for n in range(len(ids))]  # c000 is the newest call
    with old_database.session() as db:
        tallies = queries.outcome_tallies(db, true(), 7, "ann")
        topics, calls = queries.complaint_topic_counts(db, true(), 7, count=100)
        review = queries.review_candidates(db, true(), "ann", 7)
    assert sorted(tallies, key=lambda t: t.technique_id) == sorted(tally_outcomes(newest_first[:7]),
                                                                   key=lambda t: t.technique_id)
    assert calls == 7
    assert dict(topics) == dict(complaint_topics((complaint_texts(b) for b in newest_first[:7]), count=100))
    assert [c.id for c, _ in review] == ids[:7]
    assert [review_priority(s) for _, s in review] == [review_priority(b) for b in newest_first[:7]]


def test_a_stored_report_that_is_not_json_stops_the_upgrade_naming_the_call(
        old_database: Database, bodies: list[dict[str, Any]]) -> None:
    store_old(old_database, bodies[:1], copies=1)
    with old_database.engine.begin() as connection:
        reports = Table("reports", MetaData(), autoload_with=connection)
        connection.execute(reports.update().values(body="{not json"))
    with pytest.raises(CalmlineError, match=r"call c000: the stored report is not JSON"):
        command.upgrade(alembic_config(old_database.engine), "0008_page_facts")
