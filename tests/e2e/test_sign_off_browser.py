"""Sign-off in Chromium: a reviewer ticks rows of the waiting table with the mouse and decides.

The AppTest tests (``test_roles.py``) put the selection into the table's state; this one makes
the real click on the row's checkbox, so the selection really comes from the grid.
"""

from __future__ import annotations

import pandas as pd
import pytest

from data_loaders import audit
from data_loaders.database import open_database, pending_returns, return_history, store_returns
from tests.e2e.browser import (
    REPO_ROOT,
    chromium,
    new_context,
    open_app,
    streamlit_server,
    wait_for_app,
    wait_for_tables,
)

FW = "Luton LAA 2008-11"
HEADER, ROW = 35, 35  # the grid's header and row heights in pixels (Streamlit's defaults)


@pytest.fixture(scope="module")
def waiting(tmp_path_factory):
    """A database with two returns waiting for sign-off (NI 130 and NI 135, 2009/10 Q3)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sign_off') / 'app.sqlite'}"
    engine = open_database(url)
    rows = pd.DataFrame([{"framework": FW, "code": code, "part": "", "period": "2009/10 Q3", "value": value,
                          "comparator": "", "comparator_value": float("nan"),
                          "forecast_year_end": float("nan"), "provisional": False, "commentary": "",
                          "action": ""} for code, value in (("NI 130", 41.0), ("NI 135", 23.0))])
    store_returns(engine, rows, file_name="q3.xlsx", checksum="q3", submitted_by="officer@nhs.net",
                  state="submitted")
    yield url, engine
    engine.dispose()


def _tick_row(page, row: int) -> None:
    """Click the checkbox of a row of the first table, as a reviewer does."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + HEADER + ROW * row + ROW / 2)
    wait_for_app(page)


def test_reviewer_ticks_rows_then_sends_back_and_approves_in_the_browser(waiting):
    url, engine = waiting
    with streamlit_server(url) as base, chromium() as browser:
        page = new_context(browser, viewport={"width": 1400, "height": 1400}).new_page()
        open_app(page, f"{base}/Sign_off")
        wait_for_tables(page)
        page.get_by_text("2 returns waiting").wait_for()
        assert page.get_by_role("button", name="Approve and publish").is_disabled()

        _tick_row(page, 1)  # NI 135
        page.get_by_text("1 selected: NI 135 2009/10 Q3 from officer@nhs.net").wait_for()
        assert page.get_by_role("button", name="Send back").is_disabled()  # no reason yet
        page.get_by_label("Reason (needed to send back)").fill("Q3 is year to date; give the quarter")
        page.get_by_label("Reason (needed to send back)").press("Control+Enter")
        wait_for_app(page)
        page.get_by_role("button", name="Send back").click()
        wait_for_app(page)
        page.get_by_text("1 returns sent back with your reason.").wait_for()
        page.get_by_text("1 returns waiting").wait_for()

        wait_for_tables(page)
        _tick_row(page, 0)  # NI 130, now alone in the table
        page.get_by_text("1 selected: NI 130 2009/10 Q3").wait_for()
        page.get_by_role("button", name="Approve and publish").click()
        wait_for_app(page)
        page.get_by_text("1 returns approved and published.").wait_for()
        page.get_by_text("0 returns waiting").wait_for()
        screenshots = REPO_ROOT / "artifacts" / "screenshots"
        screenshots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshots / "sign-off.png"))

    assert pending_returns(engine).empty
    def decided(code: str) -> list:
        history = return_history(engine, FW, code)
        mine = history[(history["period"] == "2009/10 Q3") & (history["submitted_by"] == "officer@nhs.net")]
        return mine.iloc[-1][["state", "review_reason"]].tolist()

    states = {code: decided(code) for code in ("NI 130", "NI 135")}
    assert states == {"NI 130": ["published", ""],
                      "NI 135": ["returned", "Q3 is year to date; give the quarter"]}
    trail = audit.read(engine)
    decisions = trail[trail["action"].isin(["return_approved", "return_sent_back"])]
    assert sorted(decisions["action"]) == ["return_approved", "return_sent_back"]
    assert set(decisions["actor"]) == {"local user"}
