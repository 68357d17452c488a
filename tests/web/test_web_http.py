"""Role rules on every page and fragment, the review box's storage and the playbook upload,
over HTTP with the session cookie — on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from calmline.api import Settings, create_app
from calmline.storage import Database
from calmline.storage.accounts import UserRole, create_user, issue_token
from calmline.storage.feedback import MAX_FEEDBACK_CHARS
from calmline.storage.models import CallFeedback, PlaybookVersion
from calmline.web.auth import COOKIE
from tests.service.conftest import EXAMPLES, empty_all_tables

PASSWORD = "a long enough password"
FORM = "application/x-www-form-urlencoded"
PEOPLE = (("boss", "admin", None), ("sue", "supervisor", "east"), ("wes", "supervisor", "west"),
          ("ann", "agent", "east"), ("bob", "agent", "east"), ("cat", "agent", "west"))


@dataclass
class Seeded:
    client: TestClient
    database: Database
    sessions: dict[str, str]
    calls: dict[str, str]  # agent -> one call of theirs

    def as_user(self, username: str | None) -> TestClient:
        self.client.cookies.clear()
        if username is not None:
            self.client.cookies.set(COOKIE, self.sessions[username])
        return self.client


@pytest.fixture(scope="module")
def seeded(migrated: Database, database_url: str) -> Iterator[Seeded]:
    """One app per backend for the whole module (the data is made once; tests that write
    look at what changed)."""
    empty_all_tables(migrated)
    tokens = {}
    with migrated.session() as db:
        for name, role, team in PEOPLE:
            user = create_user(db, name, UserRole(role), team=team, password=PASSWORD)
            tokens[name] = issue_token(db, user)
    with TestClient(create_app(Settings(database_url=database_url, redaction=False))) as client:
        calls = {}
        for agent, sample in (("ann", "billing_double_charge.json"), ("bob", "routine_password_reset.json"),
                              ("cat", "manager_demand.txt")):
            answer = client.post("/v1/calls", params={"agent_id": agent, "filename": sample},
                                 content=(EXAMPLES / sample).read_bytes(),
                                 headers={"Authorization": f"Bearer {tokens['boss']}"})
            assert answer.status_code == 201, answer.text
            calls[agent] = answer.json()["call"]["id"]
        sessions = {}
        for name, *_ in PEOPLE:
            client.cookies.clear()
            answer = client.post("/login", data={"username": name, "password": PASSWORD, "next": "/"},
                                 follow_redirects=False)
            assert answer.status_code == 303
            sessions[name] = answer.cookies[COOKIE]
        yield Seeded(client, migrated, sessions, calls)
    empty_all_tables(migrated)



PAGES = ["/", "/board", "/assist", "/calls", "/calls/{ann}", "/agents/ann", "/team", "/playbook", "/me"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_without_a_session_send_to_login(seeded: Seeded, path: str) -> None:
    answer = seeded.as_user(None).get(path.format(**seeded.calls), follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


@pytest.mark.parametrize("path", ["/web/live/calls", "/web/live/stream"])
def test_fragments_without_a_session_are_refused(seeded: Seeded, path: str) -> None:
    assert seeded.as_user(None).get(path).status_code == 401


@pytest.mark.parametrize(("user", "path", "status"), [
    ("ann", "/calls/{ann}", 200), ("ann", "/calls/{bob}", 404), ("ann", "/calls/{cat}", 404),
    ("ann", "/agents/ann", 200), ("ann", "/agents/bob", 404), ("ann", "/board", 403),
    ("ann", "/team", 403), ("ann", "/playbook", 403), ("ann", "/assist", 200), ("ann", "/calls", 200),
    ("sue", "/calls/{ann}", 200), ("sue", "/calls/{bob}", 200), ("sue", "/calls/{cat}", 404),
    ("sue", "/agents/bob", 200), ("sue", "/agents/cat", 404), ("sue", "/board", 200), ("sue", "/team", 200),
    ("sue", "/playbook", 403), ("wes", "/calls/{ann}", 404), ("wes", "/calls/{cat}", 200),
    ("boss", "/calls/{ann}", 200), ("boss", "/calls/{cat}", 200), ("boss", "/agents/cat", 200),
    ("boss", "/board", 200), ("boss", "/team", 200), ("boss", "/team?team=west", 200),
    ("boss", "/playbook", 200),
])
def test_role_rules_on_every_page(seeded: Seeded, user: str, path: str, status: int) -> None:
    answer = seeded.as_user(user).get(path.format(**seeded.calls))
    assert answer.status_code == status
    if status != 200:  # nothing of the call leaks into the refusal
        assert "turn-0" not in answer.text


def test_calls_list_shows_only_what_the_role_may_see(seeded: Seeded) -> None:
    page = seeded.as_user("ann").get("/calls").text
    assert seeded.calls["ann"] in page
    assert seeded.calls["bob"] not in page and seeded.calls["cat"] not in page
    team = seeded.as_user("sue").get("/team?days=3650").text
    assert 'id="team-calls">2<' in team  # ann's and bob's calls, not cat's


def _feedback_count(database: Database) -> int:
    with database.session() as db:
        return db.scalar(select(func.count()).select_from(CallFeedback)) or 0


@pytest.mark.parametrize(("user", "action", "agent", "status"), [
    ("ann", "comments", "ann", 403),  # agents do not comment
    ("sue", "disputes", "ann", 403),  # only the call's agent disputes
    ("bob", "disputes", "ann", 404),  # a team-mate's call is not bob's to see
    ("wes", "comments", "ann", 404),  # another team's supervisor
    ("sue", "comments", "cat", 404),
])
def test_feedback_refused_stores_nothing(seeded: Seeded, user: str, action: str, agent: str,
                                         status: int) -> None:
    before = _feedback_count(seeded.database)
    answer = seeded.as_user(user).post(f"/calls/{seeded.calls[agent]}/{action}", data={"text": "hello"})
    assert answer.status_code == status
    assert _feedback_count(seeded.database) == before


@pytest.mark.parametrize(("text", "problem"), [
    ("", "the text is empty"),
    ("   \n\t  ", "the text is empty"),
    ("\x00\x07\x1b", "the text is empty"),
    ("x" * (MAX_FEEDBACK_CHARS + 1), f"at most {MAX_FEEDBACK_CHARS} are kept"),
])
def test_bad_feedback_is_refused_in_place(seeded: Seeded, text: str, problem: str) -> None:
    before = _feedback_count(seeded.database)
    answer = seeded.as_user("sue").post(f"/calls/{seeded.calls['ann']}/comments", data={"text": text})
    assert answer.status_code == 422
    assert problem in answer.text
    assert _feedback_count(seeded.database) == before


def test_hostile_feedback_is_stored_as_text_and_shown_escaped(seeded: Seeded) -> None:
    call = seeded.calls["ann"]
    hostile = "<script>alert('x')</script> ünïcödé\x00 done"
    before = _feedback_count(seeded.database)
    sue = seeded.as_user("sue")
    answer = sue.post(f"/calls/{call}/comments", data={"text": hostile}, follow_redirects=False)
    assert answer.status_code == 303
    page = sue.get(f"/calls/{call}").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; ünïcödé done" in page
    assert "<script>alert" not in page
    ann = seeded.as_user("ann")
    assert ann.post(f"/calls/{call}/disputes", data={"text": "Turn 3 was empathy."},
                    follow_redirects=False).status_code == 303
    assert "Turn 3 was empathy." in seeded.as_user("sue").get(f"/calls/{call}").text
    assert "Turn 3 was empathy." in seeded.as_user("sue").get("/team?days=3650").text
    assert _feedback_count(seeded.database) == before + 2


@pytest.mark.parametrize(("body", "headers", "status"), [
    (b"text=\xff\xfe", {"content-type": FORM}, 400),
    (b"text=" + b"a" * (1024 * 1024 + 10), {"content-type": FORM}, 413),
    (b"text=hi", {"content-type": FORM, "origin": "https://evil.example"}, 403),
])
def test_unreadable_or_cross_site_forms_are_refused(seeded: Seeded, body: bytes, headers: dict[str, str],
                                                    status: int) -> None:
    before = _feedback_count(seeded.database)
    sue = seeded.as_user("sue")
    answer = sue.post(f"/calls/{seeded.calls['ann']}/comments", content=body, headers=headers)
    assert answer.status_code == status
    assert _feedback_count(seeded.database) == before


@pytest.mark.parametrize(("target", "lands"), [
    ("/calls", "/calls"), ("//evil.example/x", "/"), ("https://evil.example", "/"), ("/\\evil", "/"),
])
def test_login_only_returns_to_this_site(seeded: Seeded, target: str, lands: str) -> None:
    form = {"username": "ann", "password": PASSWORD, "next": target}
    answer = seeded.as_user(None).post("/login", data=form, follow_redirects=False)
    assert answer.headers["location"] == lands


@pytest.mark.parametrize(("username", "password"), [("ann", "wrong"), ("nobody", PASSWORD), ("", ""),
                                                     ("ann", "x" * 5000)])
def test_login_refused_says_so_and_sets_no_cookie(seeded: Seeded, username: str, password: str) -> None:
    answer = seeded.as_user(None).post("/login", data={"username": username, "password": password})
    assert answer.status_code == 401
    assert "Unknown user or wrong password." in answer.text
    assert COOKIE not in answer.cookies


def test_sign_out_revokes_the_session(seeded: Seeded) -> None:
    cookie = seeded.sessions["ann"]
    assert seeded.as_user("ann").post("/logout", follow_redirects=False).status_code == 303
    seeded.client.cookies.set(COOKIE, cookie)
    assert seeded.client.get("/calls", follow_redirects=False).status_code == 303
    seeded.client.cookies.clear()
    again = seeded.client.post("/login", data={"username": "ann", "password": PASSWORD},
                               follow_redirects=False)
    seeded.sessions["ann"] = again.cookies[COOKIE]


@pytest.mark.parametrize(("source", "issue"), [
    ("", "the playbook is empty"),
    ("name: x\nversion: 1\ntechniques: [", "line"),
    ("just a string", "playbook"),
])
def test_playbook_upload_errors_keep_the_active_version(seeded: Seeded, source: str, issue: str) -> None:
    with seeded.database.session() as db:
        before = db.scalar(select(func.count()).select_from(PlaybookVersion))
    answer = seeded.as_user("boss").post("/playbook", data={"source": source})
    assert answer.status_code == 422
    assert 'id="playbook-issues"' in answer.text and issue in answer.text
    with seeded.database.session() as db:
        assert db.scalar(select(func.count()).select_from(PlaybookVersion)) == before


@pytest.mark.parametrize("user", ["sue", "ann"])
def test_only_admins_upload_a_playbook(seeded: Seeded, user: str) -> None:
    with seeded.database.session() as db:
        before = db.scalar(select(func.count()).select_from(PlaybookVersion))
    assert seeded.as_user(user).post("/playbook", data={"source": "name: x"}).status_code == 403
    with seeded.database.session() as db:
        assert db.scalar(select(func.count()).select_from(PlaybookVersion)) == before
