"""The practice pages over HTTP with the session cookie, on SQLite and on PostgreSQL: playing a
call to its debrief, surviving a restart, the trainer's view, role rules on every page, and
bad input refused in place with nothing lost."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import func, select

from calmline.api import Settings, create_app
from calmline.simulator import curriculum, replay
from calmline.simulator.practice import MAX_TRAINEE_CHARS
from calmline.storage import Database
from calmline.storage.accounts import UserRole, create_user
from calmline.storage.models import StoredPractice
from calmline.web.auth import COOKIE
from tests.service.conftest import empty_all_tables
from tests.simulator.scripts import GOOD, POOR

PASSWORD = "a long enough password"
FORM = "application/x-www-form-urlencoded"
PEOPLE = (("boss", "admin", None), ("sue", "supervisor", "east"), ("wes", "supervisor", "west"),
          ("ann", "agent", "east"), ("bob", "agent", "east"), ("cat", "agent", "west"),
          ("nell", "supervisor", "north"), ("dan", "agent", "north"))


@dataclass
class Practice:
    client: TestClient
    database: Database
    database_url: str
    cookies: dict[str, str]

    def as_user(self, username: str | None) -> TestClient:
        self.client.cookies.clear()
        if username is not None:
            self.client.cookies.set(COOKIE, self.cookies[username])
        return self.client

    def start(self, username: str, scenario: str) -> str:
        answer = self.as_user(username).post("/practice/start", data={"scenario": scenario},
                                             follow_redirects=False)
        assert answer.status_code == 303, answer.text
        match = re.fullmatch(r"/practice/sessions/([0-9a-f]{32})", answer.headers["location"])
        assert match, answer.headers["location"]
        return match.group(1)

    def say(self, username: str, session_id: str, text: str) -> int:
        row = self.row(session_id)
        answer = self.as_user(username).post(f"/practice/sessions/{session_id}/reply",
                                             data={"text": text, "turn": str(row.turn_count)},
                                             follow_redirects=False)
        return answer.status_code

    def play(self, username: str, scenario: str, script: list[str]) -> str:
        session_id = self.start(username, scenario)
        for text in script:
            if self.row(session_id).outcome != "in_progress":
                break
            assert self.say(username, session_id, text) == 303
        return session_id

    def row(self, session_id: str) -> StoredPractice:
        with self.database.session() as db:
            row = db.get(StoredPractice, session_id)
            assert row is not None
            return row

    def count(self) -> int:
        with self.database.session() as db:
            return db.scalar(select(func.count()).select_from(StoredPractice)) or 0


@pytest.fixture(scope="module")
def practice(migrated: Database, database_url: str) -> Iterator[Practice]:
    empty_all_tables(migrated)
    with migrated.session() as db:
        for name, role, team in PEOPLE:
            create_user(db, name, UserRole(role), team=team, password=PASSWORD)
    with TestClient(create_app(Settings(database_url=database_url, redaction=False))) as client:
        cookies = {}
        for name, *_ in PEOPLE:
            client.cookies.clear()
            answer = client.post("/login", data={"username": name, "password": PASSWORD},
                                 follow_redirects=False)
            assert answer.status_code == 303
            cookies[name] = answer.cookies[COOKIE]
        yield Practice(client, migrated, database_url, cookies)
    empty_all_tables(migrated)


@pytest.fixture(scope="module")
def ann_resolved(practice: Practice) -> str:
    """One call ann played to a resolution with the good-agent script."""
    session_id = practice.play("ann", "double_billing", GOOD["double_billing"])
    assert practice.row(session_id).outcome == "resolved"
    return session_id


def test_practice_page_lists_the_curriculum(practice: Practice) -> None:
    page = practice.as_user("ann").get("/practice").text
    for scenario in curriculum().values():
        assert f'data-scenario="{scenario.id}"' in page
        assert shown(scenario.title) in page
        assert f"level {scenario.level}" in page
    assert page.count('action="/practice/start"') == len(curriculum())


def test_a_good_call_ends_resolved_with_its_debrief(practice: Practice, ann_resolved: str) -> None:
    row = practice.row(ann_resolved)
    script = GOOD["double_billing"]
    expected = replay(curriculum()["double_billing"], row.seed, script)
    assert row.turn_count == len(script) and row.score is not None and row.finished_at is not None
    assert row.temper == expected.temper
    call = practice.as_user("ann").get(f"/practice/sessions/{ann_resolved}").text
    for line in expected.lines:  # the page shows the same customer the engine replays
        assert shown(line.text) in call
    assert 'id="call-ended"' in call and 'id="composer"' not in call
    page = practice.as_user("ann").get(f"/practice/sessions/{ann_resolved}/debrief").text
    assert 'id="outcome" class="outcome-resolved">resolved<' in page
    assert f'id="score">{row.score}<' in page
    assert 'id="scorecard"' in page and "v-met" in page
    data = re.search(r'id="temper-data">(.*?)</script>', page, re.S)
    assert data is not None
    steps = json.loads(data.group(1))
    assert [s["turn"] for s in steps] == list(range(len(script) + 1))
    assert steps[-1]["temper"] == expected.temper
    assert any("empathy" in move for step in steps for move in step["moves"])


def test_a_poor_call_ends_without_a_resolution(practice: Practice) -> None:
    session_id = practice.play("bob", "double_billing", POOR["double_billing"])
    row = practice.row(session_id)
    assert row.outcome in {"escalated", "hung_up"}
    page = practice.as_user("bob").get(f"/practice/sessions/{session_id}/debrief").text
    assert f"outcome-{row.outcome}" in page
    advice = json.loads(row.debrief or "{}")["helpful_moves"]
    assert advice and all(shown(tip) in page for tip in advice)


def test_a_restart_loses_no_call_in_progress(practice: Practice) -> None:
    session_id = practice.start("ann", "broken_product")
    first = GOOD["broken_product"][0]
    assert practice.say("ann", session_id, first) == 303
    with TestClient(create_app(Settings(database_url=practice.database_url, redaction=False))) as again:
        again.cookies.set(COOKIE, practice.cookies["ann"])
        page = again.get(f"/practice/sessions/{session_id}").text
        assert shown(first) in page
        for text in GOOD["broken_product"][1:]:
            answer = again.post(f"/practice/sessions/{session_id}/reply",
                                data={"text": text, "turn": str(practice.row(session_id).turn_count)},
                                follow_redirects=False)
            assert answer.status_code == 303
    assert practice.row(session_id).outcome == "resolved"


def test_reply_as_json_gives_the_customer_answer(practice: Practice) -> None:
    session_id = practice.start("ann", "customer_is_right")
    answer = practice.as_user("ann").post(f"/practice/sessions/{session_id}/reply",
                                          data={"text": GOOD["customer_is_right"][0], "turn": "0"},
                                          headers={"Accept": "application/json"})
    assert answer.status_code == 200
    body = answer.json()
    expected = replay(curriculum()["customer_is_right"], practice.row(session_id).seed,
                      GOOD["customer_is_right"][:1])
    assert body["customer"] == expected.lines[-1].text
    assert body["temper"] == expected.temper and body["turn"] == 1 and body["finished"] is False


@pytest.mark.parametrize(("text", "turn", "status", "problem"), [
    ("", "0", 422, "Your reply is empty"),
    ("Sorry, sent twice.", "5", 409, "moved on"),
])
def test_bad_replies_as_json_say_why(practice: Practice, text: str, turn: str, status: int,
                                     problem: str) -> None:
    session_id = practice.start("ann", "customer_is_right")
    answer = practice.as_user("ann").post(f"/practice/sessions/{session_id}/reply",
                                          data={"text": text, "turn": turn},
                                          headers={"Accept": "application/json"})
    assert answer.status_code == status
    assert problem in answer.json()["error"]
    assert practice.row(session_id).turn_count == 0


def test_hints_are_shown_and_kept(practice: Practice) -> None:
    session_id = practice.start("ann", "venting_caller")
    hint = curriculum()["venting_caller"].hint
    answer = practice.as_user("ann").post(f"/practice/sessions/{session_id}/hint",
                                          data={"text": "a draft I am still writing"},
                                          follow_redirects=False)
    # a redirect to the call page, so reloading it asks for nothing again
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/practice/sessions/{session_id}?draft=")
    page = practice.as_user("ann").get(answer.headers["location"])
    assert "a draft I am still writing" in page.text  # the draft survives asking for a hint
    hostile = practice.as_user("ann").get(f"/practice/sessions/{session_id}",
                                          params={"draft": "<script>x</script>" + "a" * 5000})
    assert hostile.status_code == 200 and "<script>x</script>" not in hostile.text
    assert "a" * 2001 not in hostile.text  # a draft is cut to the longest reply allowed
    assert shown(hint) in practice.as_user("ann").get(f"/practice/sessions/{session_id}").text
    assert [h["text"] for h in json.loads(practice.row(session_id).hints)] == [hint]
    again = practice.as_user("ann").post(f"/practice/sessions/{session_id}/hint",
                                         headers={"Accept": "application/json"})
    assert again.json() == {"hints": []}  # asking again at the same point adds nothing
    assert [h["text"] for h in json.loads(practice.row(session_id).hints)] == [hint]
    assert practice.row(session_id).turn_count == 0


def test_end_call_gives_an_early_debrief(practice: Practice) -> None:
    session_id = practice.start("ann", "callback_needed")
    assert practice.say("ann", session_id, GOOD["callback_needed"][0]) == 303
    answer = practice.as_user("ann").post(f"/practice/sessions/{session_id}/end", follow_redirects=False)
    assert answer.headers["location"] == f"/practice/sessions/{session_id}/debrief"
    assert practice.row(session_id).outcome == "abandoned"
    assert "ended early" in practice.as_user("ann").get(answer.headers["location"]).text


def test_the_gauge_can_be_hidden(practice: Practice) -> None:
    session_id = practice.start("ann", "third_time_caller")
    practice.as_user("ann").post(f"/practice/sessions/{session_id}/gauge", data={"show": "0"})
    assert practice.row(session_id).show_gauge is False
    assert "gauge-hidden" in practice.as_user("ann").get(f"/practice/sessions/{session_id}").text


@pytest.mark.parametrize(("text", "status", "problem"), [
    ("", 422, "Your reply is empty"),
    ("   \n ", 422, "Your reply is empty"),
    ("x" * (MAX_TRAINEE_CHARS + 1), 422, f"keep it under {MAX_TRAINEE_CHARS}"),
])
def test_bad_replies_are_refused_in_place(practice: Practice, text: str, status: int, problem: str) -> None:
    session_id = practice.start("ann", "double_billing")
    answer = practice.as_user("ann").post(f"/practice/sessions/{session_id}/reply",
                                          data={"text": text, "turn": "0"})
    assert answer.status_code == status
    assert problem in answer.text
    if text.strip():
        assert text in answer.text  # what was typed is kept
    assert practice.row(session_id).turn_count == 0


def test_a_stale_or_ended_call_takes_no_reply(practice: Practice, ann_resolved: str) -> None:
    session_id = practice.start("ann", "double_billing")
    stale = practice.as_user("ann").post(f"/practice/sessions/{session_id}/reply",
                                         data={"text": "Sent from an old tab", "turn": "3"})
    assert stale.status_code == 409 and "moved on" in stale.text and "Sent from an old tab" in stale.text
    assert practice.row(session_id).turn_count == 0
    before = practice.row(ann_resolved).turns
    ended = practice.as_user("ann").post(f"/practice/sessions/{ann_resolved}/reply",
                                         data={"text": "One more thing"})
    assert ended.status_code == 409 and "has ended" in ended.text
    assert practice.row(ann_resolved).turns == before


@pytest.mark.parametrize("scenario", ["no_such_scenario", "", "../double_billing", "x" * 5000])
def test_unknown_scenarios_are_not_started(practice: Practice, scenario: str) -> None:
    before = practice.count()
    answer = practice.as_user("ann").post("/practice/start", data={"scenario": scenario})
    assert answer.status_code == 404
    assert "there is no practice scenario" in answer.text
    assert practice.count() == before


@pytest.mark.parametrize("session_id", ["nope", "0" * 32, "1%27 OR %271%27=%271", "A" * 32, "f" * 33,
                                        "f" * 400])
@pytest.mark.parametrize("suffix", ["", "/debrief"])
def test_tampered_session_ids_are_not_found(practice: Practice, session_id: str, suffix: str) -> None:
    answer = practice.as_user("ann").get(f"/practice/sessions/{session_id}{suffix}")
    assert answer.status_code == 404
    assert "no practice session" in answer.text


@pytest.mark.parametrize("path", ["/practice/start", "/practice/sessions/{id}/reply",
                                  "/practice/sessions/{id}/hint", "/practice/sessions/{id}/end",
                                  "/practice/sessions/{id}/gauge"])
def test_posts_from_another_site_are_refused(practice: Practice, path: str) -> None:
    session_id = practice.start("ann", "manager_demand")
    before = (practice.count(), practice.row(session_id).turns, practice.row(session_id).hints)
    answer = practice.as_user("ann").post(path.format(id=session_id),
                                          content=b"text=hello&scenario=manager_demand",
                                          headers={"content-type": FORM, "origin": "https://evil.example"})
    assert answer.status_code == 403
    row = practice.row(session_id)
    assert (practice.count(), row.turns, row.hints) == before and row.outcome == "in_progress"


@pytest.mark.parametrize("path", ["/practice", "/practice/trainer", "/practice/sessions/{id}",
                                  "/practice/sessions/{id}/debrief"])
def test_practice_pages_need_a_sign_in(practice: Practice, ann_resolved: str, path: str) -> None:
    answer = practice.as_user(None).get(path.format(id=ann_resolved), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


@pytest.mark.parametrize(("user", "status"), [("ann", 200), ("bob", 404), ("cat", 404), ("sue", 200),
                                              ("wes", 404), ("boss", 200)])
@pytest.mark.parametrize("suffix", ["", "/debrief"])
def test_who_may_open_a_practice_call(practice: Practice, ann_resolved: str, user: str, status: int,
                                      suffix: str) -> None:
    answer = practice.as_user(user).get(f"/practice/sessions/{ann_resolved}{suffix}")
    assert answer.status_code == status
    if status != 200:  # nothing of the call leaks into the refusal
        assert "double_billing" not in answer.text and GOOD["double_billing"][0][:20] not in answer.text


@pytest.mark.parametrize(("user", "status"), [("bob", 404), ("sue", 403), ("boss", 403)])
@pytest.mark.parametrize("action", ["reply", "hint", "end", "gauge"])
def test_only_the_trainee_speaks_on_their_call(practice: Practice, user: str, status: int,
                                               action: str) -> None:
    session_id = practice.start("ann", "warranty_expired")
    answer = practice.as_user(user).post(f"/practice/sessions/{session_id}/{action}",
                                         data={"text": "I'm sorry.", "turn": "0", "show": "0"})
    assert answer.status_code == status
    row = practice.row(session_id)
    assert (row.turn_count, row.hints, row.outcome, row.show_gauge) == (0, "[]", "in_progress", True)


def test_the_trainer_view_follows_the_team(practice: Practice) -> None:
    practice.play("dan", "customer_is_right", POOR["customer_is_right"])
    practice.play("dan", "customer_is_right", GOOD["customer_is_right"])
    cat_session = practice.play("cat", "customer_is_right", GOOD["customer_is_right"])
    dan_progress = 'data-trainee="dan" data-scenario="customer_is_right"'
    nell = practice.as_user("nell").get("/practice/trainer").text
    row = re.search(dan_progress + r".*?</tr>", nell, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(0))
    scores = _scores(practice, "dan")
    assert cells[2:4] == ["2", "1"]
    assert cells[4:6] == [str(max(s or 0 for s in scores)), str(scores[-1])]
    assert "resolved" in cells[6]
    assert cat_session not in nell and 'data-trainee="cat"' not in nell
    wes = practice.as_user("wes").get("/practice/trainer").text
    assert cat_session in wes and dan_progress not in wes
    everyone = practice.as_user("boss").get("/practice/trainer").text
    assert cat_session in everyone and dan_progress in everyone
    own = practice.as_user("cat").get("/practice/trainer").text
    assert cat_session in own and dan_progress not in own


def test_my_practice_page_shows_only_my_record(practice: Practice, ann_resolved: str) -> None:
    ann = practice.as_user("ann").get("/practice").text
    assert ann_resolved in ann and 'data-trainee="ann" data-scenario="double_billing"' in ann
    bob = practice.as_user("bob").get("/practice").text
    assert ann_resolved not in bob and 'data-trainee="ann"' not in bob


def shown(text: str) -> str:
    """``text`` as the page shows it (HTML-escaped)."""
    return str(escape(text))


def _scores(practice: Practice, username: str) -> list[int | None]:
    """The user's practice scores, oldest first."""
    with practice.database.session() as db:
        return list(db.scalars(select(StoredPractice.score).where(StoredPractice.username == username)
                               .order_by(StoredPractice.finished_at)))

