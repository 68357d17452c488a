"""The practice page in a real browser (Debian's chromium, headless): an agent plays a scenario
to its end with the good-agent script, reads the debrief with its scorecard and temper curve,
and their supervisor finds the session in the trainer's view. Screenshots:
docs/images/web-practice.png (a call in progress) and web-practice-debrief.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from calmline.simulator import curriculum
from tests.simulator.scripts import GOOD
from tests.web.browser import screenshot, signed_in
from tests.web.conftest import WebServer

pytestmark = pytest.mark.slow

SCENARIO = "broken_product"
# The first practice call in a server process loads the detectors' word lists and models.
FIRST_CALL_MS = 90_000


def say(page: Page, text: str) -> None:
    """Type a reply and send it; wait for the customer's answer in the chat."""
    answers = page.locator(".bubble.customer").count()
    page.fill("#reply-text", text)
    page.click("#send")
    expect(page.locator(".bubble.customer")).to_have_count(answers + 1)


def test_an_agent_plays_a_call_to_its_debrief_and_the_supervisor_sees_it(browser: Browser,
                                                                         web: WebServer) -> None:
    scenario = curriculum()[SCENARIO]
    page = signed_in(browser, web, "ann")
    page.set_default_timeout(FIRST_CALL_MS)
    page.goto("/practice")
    expect(page.locator("#curriculum .scenario")).to_have_count(len(curriculum()))
    page.locator(f'[data-scenario="{SCENARIO}"] button').click()
    page.wait_for_url(re.compile(r".*/practice/sessions/[0-9a-f]{32}$"))
    session_url = page.url
    expect(page.locator(".bubble.customer")).to_have_count(1)
    expect(page.locator("#temper-value")).to_have_text(str(round(scenario.temper.start)))

    script = GOOD[SCENARIO]
    say(page, script[0])
    page.click("#hint")
    expect(page.locator(".bubble.hint").first).to_be_visible()
    hints = page.locator(".bubble.hint").count()
    say(page, script[1])
    expect(page.locator(".bubble.trainee")).to_have_count(2)
    assert int(page.locator("#temper-value").inner_text()) < scenario.temper.start
    page.fill("#reply-text", script[2])  # a reply being typed, for the picture
    screenshot(page, "practice")

    page.click("#gauge-toggle")
    expect(page.locator(".gauge-body")).to_be_hidden()
    page.reload()  # the choice is kept, and so is the call
    expect(page.locator(".gauge-body")).to_be_hidden()
    expect(page.locator(".bubble.trainee")).to_have_count(2)
    expect(page.locator(".bubble.hint")).to_have_count(hints)
    page.click("#gauge-toggle")
    expect(page.locator(".gauge-body")).to_be_visible()

    for text in script[2:]:
        say(page, text)
    expect(page.locator("#call-ended")).to_contain_text("resolved")
    expect(page.locator("#composer")).to_have_count(0)
    page.click("#call-ended a")
    page.wait_for_url(session_url + "/debrief")
    expect(page.locator("#outcome")).to_have_text("resolved")
    expect(page.locator("#scorecard tbody tr").first).to_be_visible()
    expect(page.locator("#scorecard .v-met").first).to_be_visible()
    expect(page.locator("#what-moved-it tbody tr")).to_have_count(len(script))
    points = page.evaluate("() => Chart.getChart('temper-chart').data.datasets[0].data.length")
    assert points == len(script) + 1
    score = page.locator("#score").inner_text()
    screenshot(page, "practice-debrief")
    page.context.close()

    supervisor = signed_in(browser, web, "sue")
    supervisor.goto("/practice/trainer")
    session_id = session_url.rsplit("/", 1)[1]
    row = supervisor.locator(f'#trainer-sessions tr[data-session="{session_id}"]')
    expect(row).to_contain_text("ann")
    expect(row).to_contain_text("resolved")
    expect(supervisor.locator(f'#trainer-progress tr[data-trainee="ann"][data-scenario="{SCENARIO}"]')
           ).to_contain_text(score)
    row.locator("a").click()
    expect(supervisor.locator("#outcome")).to_have_text("resolved")
    supervisor.context.close()

    other_team = signed_in(browser, web, "cat")
    answer = other_team.goto(session_url)
    assert answer is not None and answer.status == 404
    expect(other_team.locator("h1")).to_have_text("Not found")
    other_team.context.close()
