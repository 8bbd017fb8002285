"""The Administration page's statistical neighbours and Fingertips IDs (AppTest: the page as
Streamlit runs it, the embedded database's local administrator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_loaders import audit
from data_loaders.benchmarks_store import fingertips_ids, group_members
from data_loaders.database import open_database

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'admin.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/7_Admin.py")
    at.run()
    assert not at.exception, at.exception
    return at, open_database(url)


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_admin_adds_a_neighbour_with_source_and_reason_then_removes_it(admin):
    at, engine = admin
    assert any("Statistical neighbours has no members yet" in i.value for i in at.info)
    at.text_input(key="neighbour_name").input("Slough")
    _click(at, "Add the neighbour")
    shown = " ".join(e.value for e in at.error)
    assert "Nothing was saved" in shown
    assert "**source**: give the source of Slough" in shown and "**reason**: give the reason" in shown
    assert group_members(engine)["member"].tolist() == [""]  # nothing saved on a refusal

    at.text_input(key="neighbour_source").input("CIPFA 2019 list (sub-group copy)")
    at.text_input(key="neighbour_reason").input("agreed at the sub-group, 3 March 2010")
    _click(at, "Add the neighbour")
    assert not at.exception, at.exception
    assert any("Slough added to Statistical neighbours" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Member" in d.value.columns)
    assert table[["Member", "Source"]].values.tolist() == [["Slough", "CIPFA 2019 list (sub-group copy)"]]
    assert at.text_input(key="neighbour_name").value == ""  # ready for the next one

    at.selectbox(key="neighbour_remove").select("Slough")
    at.text_input(key="neighbour_remove_reason").input("not in the 2010 list")
    _click(at, "Remove the neighbour")
    assert any("Slough removed from Statistical neighbours" in s.value for s in at.success)
    entries = audit.read(engine, action="benchmark_group_edited")
    assert entries["reason"].tolist() == ["not in the 2010 list", "agreed at the sub-group, 3 March 2010"]
    assert json.loads(entries["after"].iloc[1]) == {"Slough": "CIPFA 2019 list (sub-group copy)"}

    trail = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    trail.run()
    trail.switch_page("pages/6_Audit.py")
    trail.run()
    shown = trail.dataframe[0].value
    assert "Benchmark group edited" in set(shown["Action"])  # the action in words


def test_admin_sets_a_fingertips_id_and_an_unknown_id_is_refused_by_field(admin):
    at, engine = admin
    at.selectbox(key="fingertips_part").select("NI 117").run()
    at.text_input(key="fingertips_id|NI 117|").input("NEET")
    _click(at, "Save the Fingertips ID")
    shown = " ".join(e.value for e in at.error)
    assert "**fingertips id**: 'NEET' is not a whole number" in shown
    assert "**source**: give the source" in shown
    assert fingertips_ids(engine).empty
    at.text_input(key="fingertips_id|NI 117|").input("93203")
    at.text_input(key="fingertips_source|NI 117|").input("Fingertips indicator page, NEET")
    _click(at, "Save the Fingertips ID")
    assert not at.exception, at.exception
    assert any("NI 117: Fingertips indicator 93203" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Fingertips id" in d.value.columns)
    assert table[["Code", "Fingertips id"]].values.tolist() == [["NI 117", 93203]]
    assert at.text_input(key="fingertips_id|NI 117|").value == "93203"  # the form shows what is stored
    assert audit.read(engine, action="fingertips_id_set")["entity_key"].tolist() == ["NI 117"]
