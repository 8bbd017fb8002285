"""The benchmark line and the compare-areas chart in Chromium, on the real app (issue 14).

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
    "NI 152,,England,2010/11 Q2,12.0,,,,,,,illustrative England figure for the test\n"
    "NI 152,,East of England,2010/11 Q2,10.1,,,,,,,illustrative regional figure for the test\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("benchmark_browser")
    url = f"sqlite:///{folder / 'app.sqlite'}"
    comparators = folder / "comparators.csv"
    comparators.write_text(COMPARATORS)
    env = {**os.environ, "DATABASE_URL": url}
    for args in (("seed",), ("import-comparators", str(comparators))):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    with streamlit_server(url) as base:
        yield base


@pytest.fixture
def page(server):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 2400})
        yield context.new_page()
        context.close()


def test_indicator_page_shows_the_benchmark_line_and_the_compare_areas_chart(server, page):
    page.goto(f"{server}/Indicator?code=NI%20152&benchmark=England", timeout=120_000)
    wait_for_app(page, timeout_ms=180_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=180_000)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.nth(1).locator(".main-svg").first.wait_for(timeout=60_000)
    trajectory = charts.nth(0).inner_text()
    assert "England" in trajectory  # the benchmark line's legend entry
    compare = charts.nth(1).inner_text()
    assert "compared with other areas" in compare
    assert "Luton (this area)" in compare and "East of England" in compare and "England" in compare
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "indicator_benchmarks.png"))
