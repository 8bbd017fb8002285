"""The real app in Chromium: ``streamlit run`` and a browser, as a user would see it.

Screenshots go to ``artifacts/screenshots/`` for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.e2e.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO_ROOT,
    streamlit_server,
    wait_for_app,
    wait_for_tables,
)

SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'app.sqlite'}"
    with streamlit_server(url) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_deep_link_to_register_opens_indicator_detail(server, page):
    # The first request after the server starts is the deep link itself: the page file runs
    # without app.py, so this checks the page's own guard loads the data and the menu.
    page.goto(f"{server}/Register?code=NI%20117")
    wait_for_app(page)
    page.get_by_text("NI 117 · 16-18 year olds who are not in education").first.wait_for()
    assert page.get_by_role("link", name="Indicator register").count() >= 1
    wait_for_tables(page)
    _shot(page, "register")


def test_home_page_summarises_the_agreement(server, page):
    page.goto(server)
    wait_for_app(page)
    page.get_by_text("Luton Forum performance dashboard").wait_for()
    page.get_by_text("59 indicators", exact=False).first.wait_for()
    wait_for_tables(page)
    _shot(page, "home")
