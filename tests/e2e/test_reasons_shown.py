"""Reasons are built for what a page shows, and every reason shown is there (ui.reasons).

The app builds a row's reason the first time a page shows it (performance.reasons), not for
every row of every period when the data changes: these check that the views still show every
reason they show, on any page of the status matrix, and that no more is built than is shown.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[2]
FW = "Luton LAA 2008-11"


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")


def _paged_matrix():
    from ui.page import load_rated
    from ui.reasons import matrix_rows
    from ui.tables import show_status_matrix

    rows = load_rated("Luton LAA 2008-11")
    show_status_matrix(matrix_rows(rows, key="m", page_parts=25), key="m", page_parts=25)


def _hovers(html: str) -> dict[str, list[str]]:
    """The hover texts of the status cells of each row of the matrix, by the row's part."""
    out = {}
    for part, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', html):
        out[unescape(part)] = [unescape(t) for t in re.findall(r'<td class="s-[^"]*" title="([^"]*)"', cells)]
    return out


def _reason_cache():
    from data_loaders.database import data_versions, database_url
    from ui.page import _engine, _rated

    url = database_url()
    return _rated(url, data_versions(_engine(url)))


def test_every_page_of_the_matrix_has_the_reasons_of_its_cells(database):
    from performance.matrix import part_numbers
    from performance.rag import explain

    at = AppTest.from_function(_paged_matrix, default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    rated, slices, cache = _reason_cache()
    rows = rated.iloc[slices[FW]]
    # first drawn: the reasons of the first page's 25 parts in every period, and no others
    assert cache.built == (part_numbers(rows) < 25).sum() < len(rows)
    for page in ("1–25", "26–50", at.selectbox(key="m_page").options[-1]):
        at.selectbox(key="m_page").select(page).run()
        assert not at.exception, at.exception
        hovers = _hovers(at.get("html")[0].value)
        assert hovers and all(cells for cells in hovers.values())
        for part, cells in hovers.items():
            for text in cells:
                assert text.partition("\n")[2], f"{part}: no reason in the hover text {text!r}"
        # the texts are the engine's own reasons for the rows of the page's first part
        first = next(iter(hovers))
        mine = rows[(rows["code"].astype(str) + " " + rows["part"].astype(str)).str.strip() == first]
        assert {t.partition("\n")[2] for t in hovers[first]} == set(explain(mine))


def test_overview_builds_reasons_for_what_it_shows_not_every_row(database):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=180)
    at.query_params["framework"] = "Luton Section 256 2013/14"
    at.query_params["view"] = "Every indicator part"
    at.run()
    assert not at.exception, at.exception
    rated, slices, cache = _reason_cache()
    shown = rated.iloc[slices["Luton Section 256 2013/14"]]
    assert 0 < cache.built <= len(shown) < len(rated)  # the other framework's rows: none built
    table = next(d.value for d in at.dataframe if "Reason" in d.value.columns and len(d.value) > 5)
    assert table["Reason"].str.len().gt(0).all()  # every row of the period's table has its reason
