"""Benchmark values on the Quarterly returns page (AppTest): the command line's check, a
preview saying what saving does, "Confirm and save", and every page showing them at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders.benchmarks_store import read_benchmark_values, set_fingertips_indicator
from data_loaders.database import open_database
from tests.e2e.test_roles import database, signed_in  # noqa: F401 (fixtures: signed-in roles)

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source\n"
ENGLAND = "NI 117,,England,2009/10 Q3,50.0,50,100,40.38,59.62,,,ONS table A (example)\n"


@pytest.fixture
def local(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'returns.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return open_database(url)


def _page(path: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(path)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _upload(at: AppTest, name: str, text: str) -> AppTest:
    at.file_uploader(key="comparators_upload").upload(name, text.encode(), "text/csv")
    return at.run()


def _preview(at: AppTest):
    return next(d.value for d in at.dataframe if "On saving" in d.value.columns)


def test_preview_then_confirm_and_save_and_the_indicator_page_shows_the_value_at_once(local):
    at = _upload(_page("pages/2_Returns.py"), "england.csv", HEADER + ENGLAND)
    assert not at.exception, at.exception
    assert any("1 value: 1 new, 0 corrections, 0 the same as stored from england.csv" in m.value
               for m in at.markdown)
    preview = _preview(at)
    assert preview[["Area", "Value", "95% interval", "On saving"]].values.tolist() == [
        ["England", 50.0, "40.38 to 59.62", "New value"]]
    assert read_benchmark_values(local).empty  # nothing before "Confirm and save"

    at.button(key="save_comparators").click().run()
    assert not at.exception, at.exception
    assert any("Saved: 1 benchmark values, 1 stored from england.csv" in s.value for s in at.success)
    assert _preview(at)["On saving"].tolist() == ["Same as stored: not saved again"]

    indicator = _page("pages/4_Indicator.py", {"code": "NI 117"})
    statuses = next(d.value for d in indicator.dataframe if "Original target" in d.value.columns)
    q3 = statuses[statuses["Period"] == "2009/10 Q3"]
    assert q3["Benchmark value"].tolist() == [50.0]

    corrected = _upload(at, "england.csv", HEADER + ENGLAND.replace("50.0,50,100,40.38,59.62",
                                                                    "51.0,51,100,41.35,60.55"))
    assert _preview(corrected)["On saving"].tolist() == ["Corrects the stored 50 (kept in the history)"]


def test_a_refused_file_lists_row_and_column_and_saves_nothing(local):
    bad = HEADER + ENGLAND + ENGLAND.replace("England", "Narnia").replace("50,100", "150,100")
    at = _upload(_page("pages/2_Returns.py"), "bad.csv", bad)
    assert not at.exception, at.exception
    assert any("**bad.csv** cannot be imported; nothing was saved" in e.value for e in at.error)
    problems = at.dataframe[0].value
    text = problems.astype(str).agg(" ".join, axis=1).tolist()
    assert any("3" in t and "area" in t and "unknown area 'Narnia'" in t for t in text), text
    assert any("count" in t and "more than the denominator" in t for t in text), text
    assert not [b for b in at.button if b.key == "save_comparators"]
    assert read_benchmark_values(local).empty


def test_a_fingertips_download_is_previewed_for_the_mapped_part(local):
    set_fingertips_indicator(local, "Luton LAA 2008-11", "NI 117", "", 93203, source="Fingertips",
                             actor="admin")
    download = ("Indicator ID,Indicator Name,Area Name,Time period,Value,Lower CI 95.0 limit,"
                "Upper CI 95.0 limit,Count,Denominator\n"
                "93203,NEET,England,2009/10,50.0,40.38,59.62,50,100\n"
                "93203,NEET,Bedford,2009/10,50.0,40.38,59.62,50,100\n")
    at = _upload(_page("pages/2_Returns.py"), "fingertips.csv", download)
    assert not at.exception, at.exception
    assert any("1 rows for areas that are not benchmark areas were left out" in w.value for w in at.warning)
    assert _preview(at)[["Code", "Area", "Period"]].values.tolist() == [["NI 117", "England", "2009/10"]]


@pytest.mark.parametrize(("role", "sees"), [("editor", False), ("performance_officer", True),
                                            ("admin", True)])
def test_only_performance_officers_and_admins_import_benchmark_values(signed_in, role, sees):  # noqa: F811
    at = signed_in(role, "pages/2_Returns.py")
    assert not at.exception, at.exception
    assert bool([u for u in at.get("file_uploader") if u.key == "comparators_upload"]) is sees
