"""The overview's table and report pack compare with the benchmark in the URL (AppTest: the page as
Streamlit runs it), on a database holding counts and benchmark values imported through the real
importers."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from performance.vocabulary import BENCHMARK_COLUMN_LABELS as L
from tests.comparisons import ENGLAND, EXPECTED, GREAT_BRITAIN, PERIOD, seeded_with_comparisons

REPO_ROOT = Path(__file__).resolve().parents[2]
VALUES = {"England": ENGLAND, "Great Britain": GREAT_BRITAIN}


@pytest.fixture(scope="module")
def app_database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('comparison-pages') / 'app.sqlite'}"
    seeded_with_comparisons(url).dispose()
    return url


def _overview(monkeypatch, app_database, query: dict) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", app_database)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():  # as when someone opens a shared link
        at.query_params[key] = value
    return at.run()


PARTS = {"view": "Every indicator part"}  # the overview's view with the table of every part


def _parts_table(at: AppTest):
    return next(d.value for d in at.dataframe if L["compared_with_benchmark"] in d.value.columns
                and "Lead partner" in d.value.columns)


@pytest.mark.parametrize("benchmark", ["England", "Great Britain"])
def test_overview_table_shows_the_comparison_with_the_benchmark_in_the_url(monkeypatch, app_database,
                                                                           benchmark):
    at = _overview(monkeypatch, app_database, {"period": PERIOD, "benchmark": benchmark, **PARTS})
    assert not at.exception, at.exception
    assert at.selectbox(key="url_benchmark").value == benchmark
    table = _parts_table(at).set_index("Code")
    assert set(table[L["benchmark"]]) == {benchmark}
    for code, (at_95, at_998) in EXPECTED[benchmark].items():
        assert table.loc[code, L["benchmark_value"]] == VALUES[benchmark][code]
        assert table.loc[code, L["compared_with_benchmark"]] == at_95
        assert table.loc[code, L["compared_with_benchmark_998"]] == at_998
    # blanks are explained under the table, never shown as "None"
    assert any(f"{L['count']}, no count given with the value" in c.value for c in at.caption)
    cells = {str(v) for c in (L["comparison_reason"], L["benchmark_period"]) for v in table[c]}
    assert not cells & {"None", "nan", "<NA>"}


def test_overview_picker_changes_the_benchmark_column(monkeypatch, app_database):
    at = _overview(monkeypatch, app_database, {"period": PERIOD, **PARTS})
    assert at.selectbox(key="url_benchmark").value == "England"  # the default
    assert _parts_table(at).set_index("Code").loc["NI 130", L["benchmark_value"]] == ENGLAND["NI 130"]
    at.selectbox(key="url_benchmark").select("Great Britain").run()
    assert not at.exception, at.exception
    table = _parts_table(at).set_index("Code")
    assert at.query_params["benchmark"] in (["Great Britain"], "Great Britain")
    assert table.loc["NI 130", L["benchmark_value"]] == GREAT_BRITAIN["NI 130"]
    assert table.loc["NI 130", L["benchmark"]] == "Great Britain"


def test_overview_report_pack_compares_with_the_benchmark_chosen(monkeypatch, app_database):
    at = _overview(monkeypatch, app_database, {"period": PERIOD, "benchmark": "Great Britain",
                                               "view": "Report pack and paper"})
    at.button(key="build_pack").click().run()
    assert not at.exception, at.exception
    period, data = at.session_state["report_pack"]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert period == PERIOD and "Compared with Great Britain" in wb.sheetnames
