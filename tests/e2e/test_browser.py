"""The real app in Chromium: ``streamlit run`` and a browser, as a user would see it.

Screenshots go to ``artifacts/screenshots/`` for people to look at.
"""

from __future__ import annotations

import socket

import pytest

from tests.e2e.browser import (
    REPO_ROOT,
    new_context,
    open_app,
    streamlit_server,
    wait_for_app,
    wait_for_tables,
)

SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'app.sqlite'}"
    with streamlit_server(url) as base:
        yield base


def test_open_app_fails_naming_what_it_awaited_when_the_server_never_answers(browser):
    # A hung server: it takes the connection and never answers. The wait must end in a clear
    # failure (not hang until pytest-timeout), whatever its margin.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        context = new_context(browser)
        try:
            with pytest.raises(AssertionError, match=rf"an answer from {url} not seen within 2 s"):
                open_app(context.new_page(), url, timeout_ms=2_000)
        finally:
            context.close()


def test_wait_for_app_fails_naming_the_ready_marker_it_awaited(browser):
    context = new_context(browser)
    try:
        page = context.new_page()
        page.set_content("<html><body>Not a Streamlit app</body></html>")
        with pytest.raises(AssertionError, match="the app connected to its server not seen within 2 s"):
            wait_for_app(page, timeout_ms=2_000)
    finally:
        context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_deep_link_to_register_opens_indicator_detail(server, page):
    # The first request after the server starts is the deep link itself: the page file runs
    # without app.py, so this checks the page's own guard loads the data and the menu.
    open_app(page, f"{server}/Register?code=NI%20117")
    page.get_by_text("NI 117 · 16-18 year olds who are not in education").first.wait_for()
    assert page.get_by_role("link", name="Indicator register").count() >= 1
    wait_for_tables(page)
    _shot(page, "register")


def test_overview_with_a_filter_in_the_url_shows_only_that_board(server, page):
    open_app(page, f"{server}/?period=2009/10%20Q3&theme_board=Health%20and%20Well-Being%20Board")
    page.get_by_text("Performance overview").wait_for()
    page.get_by_text("2009/10 Q3: ", exact=False).first.wait_for()
    wait_for_tables(page)
    assert page.get_by_text("Stronger and Safer Communities Board").count() == 0
    _shot(page, "overview")
    # The three-year matrix is a view of its own, drawn when its tab is chosen, which the URL
    # then names (a link opens the same view).
    assert page.locator('[data-testid="stHtml"] .lsp-matrix').count() == 0
    page.get_by_role("tab", name="Three years at a glance").click()
    matrix = page.locator('[data-testid="stHtml"] .lsp-matrix')
    matrix.locator("tbody tr").first.wait_for()
    assert "view=Three+years+at+a+glance" in page.url
    assert "theme_board=Health+and+Well-Being+Board" in page.url
    # A row per part of the board, every cell a symbol and a reason.
    rows = matrix.locator("tbody tr")
    assert rows.count() == 9
    assert rows.first.locator("th").inner_text() == "NI 120 male"
    red = matrix.locator("td.s-red").first
    assert red.inner_text() == "■"
    assert "■ Red" in red.get_attribute("title") and "target" in red.get_attribute("title")
    red.scroll_into_view_if_needed()
    red.hover()
    page.screenshot(path=str(SCREENSHOTS / "overview_matrix.png"))


def test_theme_board_page_draws_a_chart_per_indicator(server, page):
    open_app(page, f"{server}/Theme_board?board=Children%20and%20Young%20People%27s%20Trust%20Board")
    page.get_by_role("heading", name="Children and Young People's Trust Board").wait_for()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 10
    wait_for_tables(page)
    _shot(page, "theme_board")


def test_indicator_detail_from_the_menu(server, page):
    open_app(page, server)
    page.get_by_role("link", name="Indicator detail").click()
    wait_for_app(page)
    page.get_by_role("heading", name="NI 001", exact=False).first.wait_for()
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    wait_for_tables(page)
    _shot(page, "indicator")


def test_export_button_downloads_the_table_shown(server, page, tmp_path):
    import openpyxl

    open_app(page, f"{server}/?period=2009/10%20Q3&status=red&view=Every%20indicator%20part")
    wait_for_tables(page)
    with page.expect_download() as download:
        # The parts table's own button (its key), not the n-th: the exception lists above it
        # come and go with the data.
        page.locator(".st-key-parts_xlsx").get_by_role("button", name="Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    statuses = {row[header.index("Status")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"■ Red"}
    assert "About" in wb.sheetnames
