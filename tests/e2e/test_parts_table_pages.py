"""The overview's table of every part, drawn a page at a time on a large register (item 4 of
issue 17): its reasons are built for the page shown, and every page can be reached."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.tables import TABLE_PAGE_ROWS

REPO_ROOT = Path(__file__).resolve().parents[2]
COPIES = 10  # 10 x the Luton LAA's 61 parts: more than one page


@pytest.fixture
def large_database(tmp_path, monkeypatch):
    from bench.app_bench import build_database

    path = tmp_path / "large.sqlite"
    build_database(path, COPIES)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")


def _parts_table(at: AppTest):
    return next(d.value for d in at.dataframe if {"Code", "Value", "Target", "Lead partner"}
                <= set(d.value.columns))


def test_a_large_overview_draws_its_parts_table_a_page_at_a_time(large_database):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    at.query_params["view"] = "Every indicator part"
    at.run()
    assert not at.exception, at.exception
    picker = at.selectbox(key="parts_page")
    total = int(picker.label.split("(")[1].split(" ")[0].replace(",", ""))
    assert total > TABLE_PAGE_ROWS
    assert picker.options[0] == f"1–{TABLE_PAGE_ROWS}"
    first = _parts_table(at)
    assert len(first) == TABLE_PAGE_ROWS and first["Reason"].str.len().gt(0).all()

    picker.select(picker.options[-1]).run()
    assert not at.exception, at.exception
    last = _parts_table(at)
    assert len(last) == total - TABLE_PAGE_ROWS * (len(picker.options) - 1)
    assert last["Reason"].str.len().gt(0).all()
    assert last["Code"].iloc[0] != first["Code"].iloc[0]


def test_a_small_overview_has_no_page_picker(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=180)
    at.query_params["view"] = "Every indicator part"
    at.run()
    assert not at.exception, at.exception
    assert not [s for s in at.selectbox if s.key == "parts_page"]
    assert len(_parts_table(at)) < TABLE_PAGE_ROWS
