"""The area picker on the indicator page (AppTest): none with only the own area; with a
statistical neighbour that has values, an "Area" picker kept in the URL, the neighbour's values
compared with the benchmark, and a plain word that targets and RAG are the own area's only."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders.benchmarks_store import change_group, store_benchmark_values
from data_loaders.comparators_file import check_comparators_upload
from data_loaders.database import file_checksum, open_database, read_register

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source\n"
# NEET (lower is better): Slough 50 of 1,000 = 5.0% (3.81% to 6.53%); England 7.5% above it
VALUES = (HEADER + "NI 117,,Slough,2009/10 Q3,5.0,50,1000,,,,,illustrative neighbour value\n"
          "NI 117,,England,2009/10 Q1,7.5,,,,,,,illustrative England value\n")


@pytest.fixture
def url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'areas.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _indicator(query: dict) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/4_Indicator.py")
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _with_neighbour(url: str) -> None:
    engine = open_database(url)
    change_group(engine, "add", "Statistical neighbours", [("Slough", "CIPFA 2019 list (example)")],
                 actor="admin", reason="test")
    check = check_comparators_upload(engine, read_register(engine), VALUES.encode(), "v.csv")
    assert check.ok, check.errors
    store_benchmark_values(engine, check.rows, file_name="v.csv", checksum=file_checksum(VALUES.encode()),
                           submitted_by="analyst")


def test_with_only_the_own_area_there_is_no_area_picker(url):
    at = _indicator({"code": "NI 117", "area": "Slough"})
    assert "url_area" not in {s.key for s in at.selectbox}
    assert not any("RAG statuses are Luton's only" in i.value for i in at.info)


def test_a_neighbour_with_values_gets_a_picker_the_own_area_by_default(url):
    _with_neighbour(url)
    at = _indicator({"code": "NI 117"})
    picker = at.selectbox(key="url_area")
    assert picker.options == ["Luton", "Slough"] and picker.value == "Luton"
    assert not any("RAG statuses are Luton's only" in i.value for i in at.info)


def test_choosing_the_neighbour_shows_its_values_against_the_benchmark_and_says_targets_are_ours(url):
    _with_neighbour(url)
    at = _indicator({"code": "NI 117", "area": "Slough"})
    assert at.selectbox(key="url_area").value == "Slough"
    assert at.query_params["area"] in ("Slough", ["Slough"])
    assert any("Targets and RAG statuses are Luton's only" in i.value for i in at.info)
    assert any("**NI 117, Slough, 2009/10 Q3:** 5.0% (95% interval 3.81% to 6.53%): better than "
               "benchmark, against England 7.5% (2009/10 Q1)." in m.value for m in at.markdown)
    table = next(d.value for d in at.dataframe if "Compared with benchmark 998" in d.value.columns)
    assert table[["Area", "Value", "Compared with benchmark"]].values.tolist() == [
        ["Slough", 5.0, "Better than benchmark"]]
    # the own area's targets and statuses are still below, as before
    assert any("Original target" in d.value.columns for d in at.dataframe)
    # choosing the own area again: back to the own area's view
    at.selectbox(key="url_area").select("Luton").run()
    assert not any("RAG statuses are Luton's only" in i.value for i in at.info)


def test_an_area_the_picker_does_not_offer_opens_the_own_area(url):
    _with_neighbour(url)
    at = _indicator({"code": "NI 117", "area": "Bedford"})  # e.g. a link to a neighbour since removed
    assert at.selectbox(key="url_area").value == "Luton"
    assert not any("RAG statuses are Luton's only" in i.value for i in at.info)
