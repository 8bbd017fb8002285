"""The public entry under AppTest: none public by default, and nothing of the staff app."""

from __future__ import annotations

import ast

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.e2e.browser import REPO_ROOT
from tests.public_data import FRAMEWORK, PERIOD, prepare_public_database

PUBLIC = REPO_ROOT / "scorecard" / "app.py"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('public_apptest') / 'public.sqlite'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("DEMO_DATA", "off")
    engine = prepare_public_database(url, public=False)
    mp.undo()
    yield url, engine
    engine.dispose()


@pytest.fixture
def published(database):
    """The database with the framework made public for one test (then private again)."""
    from data_loaders.public import set_public_frameworks

    url, engine = database
    set_public_frameworks(engine, [FRAMEWORK], actor="test")
    yield url
    set_public_frameworks(engine, [], actor="test")


def _run(url: str, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_DATA", "off")
    # A fresh process's caches: the data version is trusted for 2 s within one process.
    st.cache_data.clear()
    at = AppTest.from_file(str(PUBLIC), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def test_public_entry_imports_nothing_of_the_staff_app():
    imported = set()
    for path in (REPO_ROOT / "scorecard").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
    staff = {m for m in imported if m.split(".")[0] in ("ui", "pages", "app", "manage")
             or m in ("data_loaders.users",)}
    assert not staff, staff
    assert not (REPO_ROOT / "scorecard" / "pages").exists()


def test_with_no_framework_public_the_page_says_nothing_is_published(database, monkeypatch):
    url, engine = database
    at = _run(url, monkeypatch)
    assert not at.exception, at.exception
    assert any("No figures have been published" in i.value for i in at.info)
    assert not at.table


def test_a_public_framework_shows_counts_boards_and_a_chart_table(published, monkeypatch):
    at = _run(published, monkeypatch, {"period": PERIOD, "indicator": "NI 156"})
    assert not at.exception, at.exception
    assert at.title[0].value == "Luton Forum: how the area is doing"
    assert at.selectbox(key="public_period").value == PERIOD
    headings = [h.value for h in at.markdown]
    assert any("Children and Young People's Trust Board" in h for h in headings)
    assert any(h.startswith("NI 156: 1 published value") for h in headings), headings
    assert len(at.table) >= 3  # counts, a table per board, the chart as a table
    assert not at.get("file_uploader") and not at.button


def test_public_chart_says_it_compares_with_england(published, monkeypatch):
    from scorecard.chart import CHART_CAPTION

    at = _run(published, monkeypatch, {"period": PERIOD, "indicator": "NI 156"})
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert CHART_CAPTION in captions and CHART_CAPTION.startswith("Compared with England:")
    # no picker: the page's choices are the period and the indicator only
    assert [s.key for s in at.selectbox if "benchmark" in (s.key or "")] == []
