"""The area picker in Chromium, on the real app: a statistical neighbour chosen on the indicator
page has its own chart against the benchmark and is highlighted on the compare-areas chart.

Screenshots go to ``artifacts/screenshots/`` for people to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.e2e.browser import REPO_ROOT, chromium, streamlit_server, wait_for_app

SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
COMPARATORS = (
    "code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source\n"
    "NI 117,,Slough,2009/10 Q2,5.5,55,1000,,,,,illustrative neighbour figure for the test\n"
    "NI 117,,Slough,2009/10 Q3,5.0,50,1000,,,,,illustrative neighbour figure for the test\n"
    "NI 117,,England,2009/10 Q1,7.5,,,,,,,illustrative England figure for the test\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("area_picker_browser")
    url = f"sqlite:///{folder / 'app.sqlite'}"
    comparators = folder / "comparators.csv"
    comparators.write_text(COMPARATORS)
    env = {**os.environ, "DATABASE_URL": url}
    for args in (("seed",),
                 ("neighbours", "add", "Slough", "--source", "illustrative list for the test",
                  "--reason", "browser test"),
                 ("import-comparators", str(comparators))):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    with streamlit_server(url) as base:
        yield base


def test_a_chosen_neighbour_has_its_chart_and_is_highlighted_among_the_areas(server):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 2600})
        page = context.new_page()
        page.goto(f"{server}/Indicator?code=NI%20117&benchmark=England&area=Slough", timeout=120_000)
        wait_for_app(page, timeout_ms=180_000)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=180_000)
        charts = page.locator('[data-testid="stPlotlyChart"]')
        charts.nth(1).locator(".main-svg").first.wait_for(timeout=60_000)
        own_chart = charts.nth(0).inner_text()
        assert "NI 117: Slough" in own_chart and "England (benchmark)" in own_chart
        assert "Target" not in own_chart  # targets are the own area's only
        compare = charts.nth(1).inner_text()
        assert "Slough (chosen area)" in compare and "Luton (this area)" in compare
        assert "Targets and RAG statuses are Luton's only" in page.inner_text("body")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "indicator_area_picker.png"))
        context.close()
