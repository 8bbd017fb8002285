"""The overview's filter panel and views in Chromium, on the real app (``streamlit run app.py`` on
a seeded SQLite): chosen with the mouse and with the keyboard, as a board member would.

Every wait is on something the click must change (the URL, a label, a heading), then on the
app's ready markers: never a fixed sleep. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.browser import PAGE_TIMEOUT_MS, REPO_ROOT, open_app, wait_for_app

# One `streamlit run app.py` for the module, on a database the app seeds itself.
from tests.e2e.test_browser import server  # noqa: F401

SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
PERIOD = "2009/10 Q3"
BOARD = "Health and Well-Being Board"


def _headline(page):
    """The heading with the period's counts ("2009/10 Q3: 12 green, 0 amber, 4 red; ...")."""
    return page.get_by_role("heading", name=f"{PERIOD}: ", exact=False)


def _panel(page):
    """The filter panel's summary: its label, which opens and closes it."""
    return page.locator('[data-testid="stExpander"] summary')


def _panel_label(page):
    """The words of the panel's label (without its icon's name)."""
    return _panel(page).locator('[data-testid="stMarkdownContainer"]')


def _focused(page) -> list:
    """The role and the words of the element the keyboard is on."""
    return page.evaluate("() => [document.activeElement.getAttribute('role'),"
                         " document.activeElement.innerText.trim()]")


def _settled(page, change) -> None:
    """Wait for ``change`` (a wait on what a click must change), then for the script to finish."""
    change()
    wait_for_app(page)


def test_filter_panel_board_chosen_filters_and_stays_applied_in_another_view(server, page):  # noqa: F811
    open_app(page, f"{server}/?period={PERIOD}")
    headline = _headline(page)
    everything = headline.inner_text()
    expect(_panel_label(page)).to_have_text("Filters: none set", timeout=PAGE_TIMEOUT_MS)
    assert page.locator(".st-key-f_theme_board").count() == 0  # closed: no widget drawn

    _panel(page).click()
    boards = page.locator(".st-key-f_theme_board")
    _settled(page, lambda: boards.wait_for())
    boards.get_by_role("combobox").click()
    page.get_by_role("option", name=BOARD, exact=True).click()
    _settled(page, lambda: page.wait_for_url(re.compile(r"[?&]theme_board=Health")))
    page.keyboard.press("Escape")  # the options list closes
    assert "theme_board=Health+and+Well-Being+Board" in page.url
    expect(headline).not_to_have_text(everything, timeout=PAGE_TIMEOUT_MS)
    filtered = headline.inner_text()
    expect(_panel_label(page)).to_have_text(f"Filters: theme board: {BOARD}", timeout=PAGE_TIMEOUT_MS)
    page.screenshot(path=str(_shot("overview_filter_panel")))

    page.get_by_role("tab", name="Every indicator part").click()
    _settled(page, lambda: page.wait_for_url(re.compile(r"[?&]view=Every\+indicator\+part")))
    page.get_by_text("the count and denominator, the 95% interval", exact=False).wait_for()
    wait_for_app(page)  # the view's run has finished (the URL changed before it started)
    assert "theme_board=Health+and+Well-Being+Board" in page.url
    assert headline.inner_text() == filtered
    expect(_panel_label(page)).to_have_text(f"Filters: theme board: {BOARD}")


def test_filter_panel_board_removed_clears_the_filter_the_url_and_the_label(server, page):  # noqa: F811
    open_app(page, f"{server}/?period={PERIOD}")
    everything = _headline(page).inner_text()
    open_app(page, f"{server}/?period={PERIOD}&theme_board={BOARD}")
    expect(_panel_label(page)).to_have_text(f"Filters: theme board: {BOARD}", timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name=f"Remove {BOARD}").click()
    _settled(page, lambda: page.wait_for_url(lambda url: "theme_board=" not in url))
    expect(_panel_label(page)).to_have_text("Filters: none set", timeout=PAGE_TIMEOUT_MS)
    expect(_headline(page)).to_have_text(everything, timeout=PAGE_TIMEOUT_MS)


def test_views_reached_and_switched_with_the_keyboard(server, page):  # noqa: F811
    open_app(page, f"{server}/?period={PERIOD}")
    page.get_by_text("Reds, ambers getting worse", exact=False).wait_for()  # the Exceptions view
    # From the panel's label, Tab goes past the counts (their help, their table, its buttons)
    # to the tab list, on the open tab (the others are reached with the arrow keys).
    _panel(page).focus()
    reached = []
    while _focused(page)[0] != "tab" and len(reached) < 60:
        page.keyboard.press("Tab")
        reached.append(_focused(page))
    assert _focused(page) == ["tab", "Exceptions"], reached
    page.keyboard.press("ArrowRight")
    _settled(page, lambda: page.wait_for_url(re.compile(r"[?&]view=Red-red")))
    page.get_by_role("heading", name=re.compile("^Red-red: off target")).wait_for()
    wait_for_app(page)  # the view's run has finished (the URL changed before it started)
    assert page.get_by_role("tab", name="Red-red").get_attribute("aria-selected") == "true"
    assert page.get_by_text("Reds, ambers getting worse", exact=False).count() == 0
    page.screenshot(path=str(_shot("overview_view_by_keyboard")))


def _shot(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
