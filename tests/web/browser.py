"""Helpers for the browser tests: a signed-in page per role, and screenshots."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.web.conftest import PASSWORD, SCREENSHOTS, WebServer

VIEWPORT = {"width": 1440, "height": 900}


def signed_in(browser: Browser, web: WebServer, username: str, password: str = PASSWORD) -> Page:
    """A fresh browser context signed in as ``username`` through the login form."""
    context = browser.new_context(viewport=VIEWPORT, base_url=web.url)  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def screenshot(page: Page, name: str) -> None:
    """docs/images/web-<name>.png at 1440×900 (the viewport, as a person sees it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"web-{name}.png"))
