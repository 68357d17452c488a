"""The pages in a real browser (Debian's chromium, headless): sign in as each role, load every
page, the drill-down's highlights against the report, the review box, role rules by URL and the
playbook upload. Screenshots of every page are saved to docs/images/web-<page>.png."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, expect

from calmline.web.views import shown_signals, tone_of
from tests.web.browser import screenshot, signed_in
from tests.web.conftest import AGENT_OF, WebServer

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("username", "lands_on"), [
    ("boss", "/board"),
    ("sue", "/board"),
    ("ann", "/agents/ann"),
])
def test_login_lands_each_role_on_its_home(browser: Browser, web: WebServer, username: str,
                                           lands_on: str) -> None:
    page = signed_in(browser, web, username)
    assert page.url == web.url + lands_on
    expect(page.locator("header.top")).to_contain_text(username)
    page.context.close()


def test_login_with_a_wrong_password_says_so_in_place(browser: Browser, web: WebServer) -> None:
    page = signed_in(browser, web, "ann", password="wrong")
    assert page.url.endswith("/login")
    expect(page.get_by_role("alert")).to_have_text("Unknown user or wrong password.")
    expect(page.locator("input[name=username]")).to_have_value("ann")
    screenshot(page, "login")
    page.context.close()


def test_a_page_without_a_session_goes_to_login_and_back(browser: Browser, web: WebServer) -> None:
    context = browser.new_context(base_url=web.url)
    page = context.new_page()
    call_id = web.calls["billing_double_charge.json"]
    page.goto(f"/calls/{call_id}")
    assert "/login?next=" in page.url
    page.fill("input[name=username]", "ann")
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/calls/{call_id}")
    context.close()


# (user, path, what must show, screenshot name or "")
PAGES = [
    ("sue", "/board", "Live board", "board-empty"),
    ("sue", "/team?days=3650", "Team east", "team"),
    ("sue", "/calls", "Calls", "calls"),
    ("ann", "/agents/ann", "Coaching · ann", "agent"),
    ("ann", "/assist", "Waiting for your next live call", ""),
    ("ann", "/calls", "Calls", ""),
    ("boss", "/playbook", "Playbook", "playbook"),
    ("boss", "/team", "Team · everyone", ""),
    ("boss", "/agents/cat", "Coaching · cat", ""),
]


@pytest.mark.parametrize(("username", "path", "shows", "shot"), PAGES)
def test_every_page_loads_with_its_charts(browser: Browser, web: WebServer, username: str, path: str,
                                          shows: str, shot: str) -> None:
    page = signed_in(browser, web, username)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path)
    expect(page.locator("main")).to_contain_text(shows)
    for canvas in page.locator("canvas").all():  # every chart was drawn by Chart.js
        assert page.evaluate("(c) => !!Chart.getChart(c)", canvas.element_handle()), path
    if shot:
        screenshot(page, shot)
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("days", [30, 3650])
def test_team_page_counts_only_the_teams_calls(browser: Browser, web: WebServer, days: int) -> None:
    page = signed_in(browser, web, "sue")
    page.goto(f"/team?days={days}")
    since = page.locator("#team-window").get_attribute("data-since")
    assert since
    answer = httpx.get(f"{web.url}/v1/calls", params={"since": since, "status": "closed", "limit": 1},
                       headers={"Authorization": f"Bearer {web.tokens['sue']}"}).json()
    expect(page.locator("#team-calls")).to_have_text(str(answer["total"]))
    if days == 3650:  # every call of ann and bob, none of cat's
        assert answer["total"] >= sum(1 for agent in AGENT_OF.values() if agent in ("ann", "bob"))
    page.context.close()


def test_drill_down_highlights_match_the_report(browser: Browser, web: WebServer) -> None:
    call_id = web.calls["abusive_caller_boundary.json"]
    report = httpx.get(f"{web.url}/v1/calls/{call_id}",
                       headers={"Authorization": f"Bearer {web.tokens['sue']}"}).json()["report"]
    expected = [(s["turn_index"], s["label"], s["detector"], s["start"], s["end"], tone_of(s["label"]))
                for s in shown_signals(report)]
    assert {tone for *_, tone in expected} == {"good", "harmful", "customer"} or len(expected) > 5
    page = signed_in(browser, web, "sue")
    page.goto(f"/calls/{call_id}")
    marks = page.locator(".turn mark.hl")
    shown = marks.evaluate_all("""ms => ms.map(m => [Number(m.closest('.turn').dataset.turn), m.dataset.label,
        m.dataset.detector, Number(m.dataset.start), Number(m.dataset.end),
        ['good', 'harmful', 'customer'].find(c => m.classList.contains(c))])""")
    assert [tuple(s) for s in shown] == expected
    texts = marks.all_inner_texts()
    turns = {t["index"]: t["text"] for t in report["turns"]}
    assert texts == [turns[t][start:end] for t, _, _, start, end, _ in expected]
    first = marks.first
    first.click()
    detail = page.locator("#signal-detail")
    expect(detail).to_be_visible()
    expect(detail.locator("[data-field=detector]")).to_have_text(expected[0][2])
    signal = shown_signals(report)[0]
    expect(detail.locator("[data-field=score]")).to_have_text(f"{signal['score']:.2f}")
    assert page.evaluate("() => Chart.getChart(document.getElementById('temperature-chart')).data.datasets[0]"
                         ".data.length") == len(report["turns"])
    expect(page.locator("#overall")).to_have_text(str(round(report["scorecard"]["overall"])))
    expect(page.locator("#scorecard tbody tr")).to_have_count(len(report["scorecard"]["criteria"]))
    screenshot(page, "call")
    page.context.close()


@pytest.mark.parametrize(("username", "sample"), [
    ("ann", "warranty_exception.vtt"),  # bob's call, same team
    ("ann", "routine_password_reset.json"),  # cat's call, other team
    ("sue", "routine_password_reset.json"),  # a supervisor, another team's call
])
def test_nobody_opens_a_call_they_may_not_see_by_url(browser: Browser, web: WebServer, username: str,
                                                     sample: str) -> None:
    page = signed_in(browser, web, username)
    call_id = web.calls[sample]
    answer = page.goto(f"/calls/{call_id}")
    assert answer is not None and answer.status == 404
    expect(page.locator("main")).to_contain_text("Not found")
    assert page.locator(".turn").count() == 0
    fragment = page.request.get(f"/web/live/calls?call={call_id}")
    assert fragment.json() == []
    page.context.close()


def test_agent_is_kept_off_supervisor_and_admin_pages(browser: Browser, web: WebServer) -> None:
    page = signed_in(browser, web, "ann")
    for path in ("/board", "/team", "/playbook", "/agents/bob"):
        answer = page.goto(path)
        assert answer is not None and answer.status in (403, 404), path
    page.context.close()


def test_comment_and_dispute_are_stored_and_seen_by_both(browser: Browser, web: WebServer) -> None:
    call_id = web.calls["dismissive_agent.txt"]
    sue = signed_in(browser, web, "sue")
    sue.goto(f"/calls/{call_id}")
    sue.click("text=Save comment")  # empty: refused in place
    expect(sue.get_by_role("alert")).to_contain_text("the text is empty")
    sue.fill("form[action$=comments] textarea", "Good boundary at turn 6; the opening was rushed.")
    sue.click("text=Save comment")
    expect(sue.locator("#review .fb-comment")).to_contain_text("the opening was rushed")
    ann = signed_in(browser, web, "ann")
    ann.goto(f"/calls/{call_id}")
    expect(ann.locator("#review .fb-comment")).to_contain_text("the opening was rushed")
    assert ann.locator("form[action$=comments]").count() == 0  # agents do not comment
    ann.fill("form[action$=disputes] textarea", "Empathy was there at turn 3: 'I hear you'.")
    ann.click("button:has-text('Dispute this verdict')")
    expect(ann.locator("#review .fb-dispute")).to_contain_text("disputed by ann")
    sue.reload()
    expect(sue.locator("#review .fb-dispute")).to_contain_text("Empathy was there at turn 3")
    assert sue.locator("form[action$=disputes]").count() == 0  # only the call's agent disputes
    sue.goto("/team")
    expect(sue.locator("main")).to_contain_text("Empathy was there at turn 3")
    ann.goto(f"/calls/{call_id}#review")
    screenshot(ann, "review")
    sue.context.close()
    ann.context.close()


def test_playbook_upload_shows_validation_errors_in_place(browser: Browser, web: WebServer) -> None:
    page = signed_in(browser, web, "boss")
    page.goto("/playbook")
    original = page.locator("#playbook-source").input_value()
    broken = original.replace("weight: 3", "weight: 300", 1)
    assert broken != original
    page.fill("#playbook-source", broken)
    page.click("text=Validate and make active")
    issues = page.locator("#playbook-issues")
    expect(issues).to_contain_text("line")
    expect(page.locator("#playbook-source")).to_have_value(broken)  # nothing the admin typed is lost
    screenshot(page, "playbook-errors")
    page.fill("#playbook-source", original.replace('version: "2026.11"', 'version: "2026.11-web"', 1))
    page.click("text=Validate and make active")
    expect(page.get_by_role("status")).to_contain_text("The new playbook is active")
    page.context.close()
