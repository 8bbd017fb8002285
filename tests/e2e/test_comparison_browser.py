"""The real downloads in Chromium (``streamlit run``): the overview's parts table and the report
pack, opened on a shared link naming a benchmark, carry the comparison with that benchmark."""

from __future__ import annotations

import openpyxl
import pytest

from performance.vocabulary import BENCHMARK_COLUMN_LABELS as L
from tests.comparisons import EXPECTED, GREAT_BRITAIN, PERIOD, seeded_with_comparisons
from tests.e2e.browser import open_app, streamlit_server, wait_for_app, wait_for_tables

LINK = "/?period=2009/10%20Q3&benchmark=Great%20Britain"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('comparison-browser') / 'app.sqlite'}"
    seeded_with_comparisons(url).dispose()
    with streamlit_server(url) as base:
        yield base


def _download(page, locator, tmp_path) -> openpyxl.Workbook:
    with page.expect_download(timeout=120_000) as download:
        locator.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return openpyxl.load_workbook(path)


def test_parts_table_download_compares_with_the_benchmark_in_the_link(server, page, tmp_path):
    open_app(page, f"{server}{LINK}&view=Every%20indicator%20part")
    wait_for_tables(page)
    wb = _download(page, page.locator(".st-key-parts_xlsx").get_by_role("button", name="Excel"), tmp_path)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = list(rows[0])
    assert header.index(L["count"]) == header.index("Action") + 1
    by_code = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    for code, (at_95, at_998) in EXPECTED["Great Britain"].items():
        assert by_code[code][L["benchmark"]] == "Great Britain"
        assert by_code[code][L["benchmark_value"]] == GREAT_BRITAIN[code]
        assert by_code[code][L["compared_with_benchmark"]] == at_95
        assert by_code[code][L["compared_with_benchmark_998"]] == at_998
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Compared with"] == "Great Britain" and about["Period"] == PERIOD
    assert "Lower 95% limit, no confidence interval" in about["Blank cells"]


def test_report_pack_built_on_the_overview_compares_with_the_benchmark_in_the_link(server, page, tmp_path):
    open_app(page, f"{server}{LINK}&view=Report%20pack%20and%20paper")
    page.locator(".st-key-build_pack").get_by_role("button").click()
    wait_for_app(page)
    button = page.locator(".st-key-download_pack").get_by_role("button")
    button.wait_for(timeout=120_000)
    wb = _download(page, button, tmp_path)
    assert "Compared with Great Britain" in wb.sheetnames
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Benchmark"].startswith("Great Britain.")
