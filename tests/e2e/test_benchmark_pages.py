"""The indicator page compares with a benchmark (AppTest: the page as Streamlit runs it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app_database(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('benchmarks') / 'app.sqlite'}"


def _indicator(monkeypatch, app_database, query: dict) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", app_database)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/4_Indicator.py")
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_indicator_page_compares_with_england_by_default_and_keeps_the_choice_in_the_url(
        monkeypatch, app_database):
    at = _indicator(monkeypatch, app_database, {"code": "NI 152"})
    assert not at.exception, at.exception
    picker = at.selectbox(key="url_benchmark")
    assert picker.value == "England"
    assert at.query_params["benchmark"] == ["England"] or at.query_params["benchmark"] == "England"
    statuses = next(d.value for d in at.dataframe if "Original target" in d.value.columns)
    benchmark_columns = [c for c in statuses.columns if "benchmark" in c.lower()]
    assert benchmark_columns, list(statuses.columns)
    # England's 12.3% (001_7c62a6d3c6b93d0e.txt line 248) is the benchmark value of NI 152
    value_column = next(c for c in benchmark_columns if "value" in c.lower())
    assert 12.3 in set(statuses[value_column].dropna())


def test_indicator_page_takes_the_benchmark_from_the_url(monkeypatch, app_database):
    at = _indicator(monkeypatch, app_database, {"code": "NI 151", "benchmark": "Great Britain"})
    assert not at.exception, at.exception
    assert at.selectbox(key="url_benchmark").value == "Great Britain"


def test_overview_lists_red_red_exceptions_against_the_chosen_benchmark(monkeypatch, app_database):
    monkeypatch.setenv("DATABASE_URL", app_database)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["benchmark"] = "East of England"
    at.query_params["view"] = "Red-red"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="url_benchmark").value == "East of England"
    assert any(s.value.startswith("Red-red: off target and worse than East of England")
               for s in at.subheader)


def test_theme_board_page_has_the_benchmark_picker(monkeypatch, app_database):
    monkeypatch.setenv("DATABASE_URL", app_database)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/3_Theme_board.py")
    at.query_params["benchmark"] = "Great Britain"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="url_benchmark").value == "Great Britain"


HEADER = "code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source\n"


def _returns_page(monkeypatch, app_database) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", app_database)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/2_Returns.py")
    return at.run()


def test_returns_page_refuses_a_bad_comparators_file_with_row_and_column(monkeypatch, app_database):
    at = _returns_page(monkeypatch, app_database)
    at.file_uploader(key="comparators_upload").upload(
        "bad.csv", (HEADER + "NI 117,,Narnia,2009/10 Q3,6.0,,,,,,,ONS\n").encode(), "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert any("nothing was saved" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert "unknown area 'Narnia'" in " ".join(problems.astype(str).agg(" ".join, axis=1))


def test_returns_page_saves_good_comparator_values(monkeypatch, app_database):
    at = _returns_page(monkeypatch, app_database)
    at.file_uploader(key="comparators_upload").upload(
        "good.csv", (HEADER + "NI 117,,England,2009/10 Q3,6.0,,,,,,,ONS (example)\n").encode(), "text/csv")
    at.run()
    at.button(key="save_comparators").click().run()
    assert not at.exception, at.exception
    assert any("1 benchmark values, 1 stored" in s.value for s in at.success), [e.value for e in at.error]


def test_indicator_page_says_why_a_chart_has_no_benchmark_line(monkeypatch, tmp_path):
    # A fresh database: NI 117 has no England value; NI 152 has England's 12.3% (line 248)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    without = _indicator(monkeypatch, fresh, {"code": "NI 117"})
    assert not without.exception, without.exception
    assert any(c.value.startswith("No England value for NI 117 yet") for c in without.caption)
    with_line = _indicator(monkeypatch, fresh, {"code": "NI 152"})
    assert not any("No England value" in c.value for c in with_line.caption)
