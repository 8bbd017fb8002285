"""Every page in Chromium, as a board chair reads it: the visible text (captions, metrics, the
status matrix, headings, menus) holds no vocabulary code and no "None", "nan" or "NaT", Luton
with its demo values and with ``DEMO_DATA=off`` (issue 17 items 1 and 2).

The grids draw on a canvas, which ``inner_text`` cannot read: ``test_words.py`` reads what they
are given. Screenshots of every page go to ``artifacts/screenshots/words/`` for people to look at.
"""

from __future__ import annotations

import re

import pytest

from data_loaders.database import open_database
from performance.tables import display_codes
from tests.e2e.browser import REPO_ROOT, streamlit_server, wait_for_app

SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots" / "words"
PAGES = [  # (name of the screenshot, path and query)
    ("overview", "/"),
    ("overview-q3", "/?period=2009/10+Q3"),
    # the overview's other views (each drawn only when open) and its filters' panel, opened
    ("overview-red-red", "/?period=2009/10+Q3&view=Red-red"),
    ("overview-parts", "/?period=2009/10+Q3&view=Every+indicator+part&status=red&status=amber"),
    ("overview-matrix", "/?period=2009/10+Q3&view=Three+years+at+a+glance"),
    ("overview-reward", "/?period=2009/10+Q3&view=Reward+estimate"),
    ("overview-reports", "/?period=2009/10+Q3&view=Report+pack+and+paper"),
    ("register", "/Register?code=NI+001"),
    ("returns", "/Returns"),
    ("theme-board", "/Theme_board"),
    ("indicator-ni-001", "/Indicator?code=NI+001"),
    ("indicator-ni-151", "/Indicator?code=NI+151"),
    ("sign-off", "/Sign_off"),
    ("audit", "/Audit"),
    ("admin", "/Admin"),
]
MISSING_WORDS = re.compile(r"\b(None|nan|NaN|NaT)\b|<NA>")
CODE_IN_TEXT = re.compile(r"\b(" + "|".join(sorted((c for c in display_codes() if "_" in c),
                                                   key=len, reverse=True)) + r")\b")


@pytest.fixture(scope="module", params=["on", "off"], ids=["demo data", "DEMO_DATA=off"])
def server(request, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('words-browser') / 'app.sqlite'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DEMO_DATA", request.param)
        open_database(url).dispose()  # migrated and seeded before the server starts
        with streamlit_server(url) as base:
            yield base, request.param


def settle(page, timeout_ms: int = 180_000) -> None:
    """Wait until the page is drawn: the script has run, no element is still a loading skeleton
    (grids, charts and widgets load their code lazily), every grid has its canvas and every
    chart its drawing."""
    wait_for_app(page, timeout_ms=timeout_ms)
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const all = (id) => [...document.querySelectorAll(`[data-testid="${id}"]`)];
            return !all("stSkeleton").length && all("stDataFrame").every(f => f.querySelector("canvas"))
                && all("stPlotlyChart").every(c => c.querySelector(".main-svg"));
        }""",
        timeout=timeout_ms)
    wait_for_app(page, timeout_ms=timeout_ms)
    page.wait_for_timeout(1000)  # the grids paint their rows on the next animation frames


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[n for n, _ in PAGES])
def test_page_text_in_chromium_has_no_code_and_no_none(browser, server, name, path):
    base, demo = server
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    try:
        page = context.new_page()
        page.goto(base + path, timeout=120_000)
        settle(page)
        text = page.inner_text('[data-testid="stApp"]')
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-demo-{demo}.png"), timeout=180_000)
    finally:
        context.close()
    assert "Traceback" not in text and "Error" not in text.split("\n")[:3]
    codes = sorted({m.group(0) for m in CODE_IN_TEXT.finditer(text)})
    missing = sorted({m.group(0) for m in MISSING_WORDS.finditer(text)})
    assert not codes, codes
    assert not missing, [text[max(0, m.start() - 60):m.end() + 60] for m in MISSING_WORDS.finditer(text)]
