"""Every page: guarded, launches without an exception, and its filters change what is shown."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.name)
def test_page_file_calls_page_setup_before_anything_else(page):
    """A cold deep link runs a pages/ file without app.py: the guard must be in the file."""
    body = [node for node in ast.parse(page.read_text()).body
            if not isinstance(node, ast.Import | ast.ImportFrom)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    first = body[0]
    call = first.value if isinstance(first, ast.Assign | ast.Expr) else None
    assert isinstance(call, ast.Call) and getattr(call.func, "id", "") == "page_setup", (
        f"{page.name} must call page_setup() as its first statement")


@pytest.fixture(scope="module")
def app_database(tmp_path_factory):
    """One seeded SQLite database for the page tests of this module."""
    return f"sqlite:///{tmp_path_factory.mktemp('apptest') / 'app.sqlite'}"


@pytest.fixture
def app(app_database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_database)

    def run(page: str, query: dict | None = None) -> AppTest:
        # Pages run as in the app: app.py is the entrypoint, then the page is switched to,
        # so links between pages resolve as they do under streamlit run. The URL's query
        # parameters are there from the first run, as when someone opens a shared link.
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page == "app.py":
            return at.run()
        at.run()
        at.switch_page(page)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        return at.run()
    return run


@pytest.mark.parametrize("page", PAGE_FILES, ids=lambda p: p.name)
def test_page_launches_without_exception(app, page):
    at = app(str(page.relative_to(REPO_ROOT)))
    assert not at.exception, at.exception
    assert at.title, "every page has a title"


def _register_table(at: AppTest):
    return at.dataframe[0].value


def test_register_page_lists_every_laa_indicator(app):
    at = app("pages/1_Register.py")
    table = _register_table(at)
    assert table["Code"].nunique() == 59  # 35 designated, 13 local, 10 statutory, NI 173 removed
    assert {"NI 001", "NI 117", "NI 187", "NI 101"} <= set(table["Code"])


def test_register_page_search_filters_rows(app):
    at = app("pages/1_Register.py")
    at.text_input(key="search").input("NEET").run()
    assert _register_table(at)["Code"].tolist() == ["NI 117"]


def test_register_page_theme_board_filter_keeps_only_that_board(app):
    at = app("pages/1_Register.py")
    at.multiselect(key="board").select("Health and Well-Being Board").run()
    table = _register_table(at)
    assert set(table["Theme board"]) == {"Health and Well-Being Board"}
    assert "NI 120" in set(table["Code"]) and "NI 117" not in set(table["Code"])


def test_register_page_code_in_url_shows_definition_and_targets(app):
    at = app("pages/1_Register.py", {"code": "NI 151"})
    assert not at.exception
    assert any("NI 151" in s.value for s in at.subheader)
    history = at.dataframe[2].value
    assert set(history["Version"]) == {"original", "refreshed"}
    # each year's versions in the order they took effect, the last one in force
    year = history[history["Year"] == "2010/11"]
    assert year["Version"].tolist() == ["original", "refreshed"]
    assert year["In force"].tolist() == [False, True]
    assert "Reason" in history.columns and "Effective from" in history.columns


def test_framework_choice_switches_the_register(app):
    at = app("pages/1_Register.py", {"framework": "Luton Section 256 2013/14"})
    codes = set(_register_table(at)["Code"])
    assert codes and not any(c.startswith("NI ") for c in codes)


def _filled_template(values: dict[str, float]) -> bytes:
    """A returns template for 2009/10 Q3 from the real register, with some values typed in."""
    import io

    import openpyxl

    from data_loaders.returns_file import build_template
    from data_loaders.workbook import read_register

    register = read_register()
    wb = openpyxl.load_workbook(io.BytesIO(build_template(register, "Luton LAA 2008-11", "2009/10 Q3")))
    ws = wb["Returns"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[3].value = values[row[0].value]
            row[7].value = "Figure from the Connexions database"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_returns_page_previews_status_then_saves(app):
    at = app("pages/2_Returns.py")
    assert not at.exception
    at.text_input(key="submitted_by").input("officer@luton.gov.uk")
    at.file_uploader(key="returns_upload").upload("q3.xlsx", _filled_template({"NI 117": 7.0}))
    at.run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    row = shown[shown["Code"] == "NI 117"].iloc[0]  # headings in words, as on every table
    assert row["Status"] == "▲ Amber" and "7.0%" in row["Reason"]
    assert any("an action is expected" in str(w.value) for w in at.warning) or len(at.dataframe) > 1
    at.button[-1].click().run()
    assert any("Saved:" in s.value for s in at.success), [e.value for e in at.error]
    at = app("pages/1_Register.py", {"code": "NI 117"})
    values = at.dataframe[-1].value
    assert 7.0 in values[values["Period"] == "2009/10 Q3"]["Value"].tolist()


def test_returns_page_refuses_a_bad_file_and_says_where(app):
    at = app("pages/2_Returns.py")
    at.file_uploader(key="returns_upload").upload("q3.xlsx", _filled_template({"NI 117": 117.0}))
    at.run()
    assert any("nothing was saved" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert problems.iloc[0][["Sheet", "Column"]].tolist() == ["Returns", "value"]
    assert "not a percentage" in problems.iloc[0]["Problem"]


def test_returns_page_preview_says_what_was_read_differently_from_what_excel_shows(app):
    """A value typed as 7% (held as 0.07) is previewed as 7.0 with a note naming its row and
    column; a hidden row is read and said to be hidden."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_filled_template({"NI 117": 0.07, "NI 016": 9.5})))
    ws = wb["Returns"]
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}
    ws.cell(rows["NI 117"], 4).number_format = "0%"
    ws.row_dimensions[rows["NI 016"]].hidden = True
    out = io.BytesIO()
    wb.save(out)
    at = app("pages/2_Returns.py")
    at.file_uploader(key="returns_upload").upload("q3.xlsx", out.getvalue())
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    preview = at.dataframe[0].value
    assert preview[preview["Code"] == "NI 117"]["Value"].tolist() == [7.0]  # headings in words
    assert any("things to check" in w.value for w in at.warning)
    checks = at.dataframe[1].value
    noted = checks[(checks["Row"] == rows["NI 117"]) & (checks["Column"] == "value")]
    assert noted["Problem"].str.contains("shows 7% in Excel").any()
    hidden = checks[checks["Row"] == rows["NI 016"]]
    assert hidden["Problem"].str.contains("hidden in Excel").any()


def _param(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_overview_defaults_to_the_latest_period_with_data(app):
    at = app("app.py")
    assert not at.exception
    assert at.selectbox(key="url_period").value == "2010/11"  # demo annual outturns are the latest
    assert any(h.startswith("2010/11: ") and " green, " in h for h in _subheaders(at))


def test_overview_period_in_the_url_changes_what_is_counted(app):
    at = app("app.py", {"period": "2009/10 Q3"})
    assert at.selectbox(key="url_period").value == "2009/10 Q3"
    assert any(h.startswith("2009/10 Q3: ") for h in _subheaders(at))
    at.selectbox(key="url_period").select("2009/10 Q2").run()
    assert any(h.startswith("2009/10 Q2: ") for h in _subheaders(at))
    assert _param(at, "period") == ["2009/10 Q2"]


def _parts_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Lead partner" in d.value.columns)


PARTS = {"view": "Every indicator part"}
MATRIX = {"view": "Three years at a glance"}


def test_overview_filters_in_the_url_narrow_the_tables(app):
    everything = _parts_table(app("app.py", {"period": "2009/10 Q3", **PARTS}))
    at = app("app.py", {"period": "2009/10 Q3", "theme_board": "Health and Well-Being Board", **PARTS})
    # a filter in the link opens the filters' panel, which names it
    assert at.expander[0].label == "Filters: theme board: Health and Well-Being Board"
    assert at.multiselect(key="f_theme_board").value == ["Health and Well-Being Board"]
    health = _parts_table(at)
    assert 0 < len(health) < len(everything)
    assert set(health["Theme board"]) == {"Health and Well-Being Board"}
    at.multiselect(key="f_status").select("red").run()
    assert set(_parts_table(at)["Status"]) <= {"■ Red"}
    assert _param(at, "status") == ["red"]


def _matrix_rows(html: str) -> list[str]:
    """The part named at the head of each row of the status matrix (performance.matrix)."""
    import re

    return re.findall(r'<tr><th scope="row">([^<]*)</th>', html)


def test_overview_matrix_shows_every_part_of_the_filtered_view(app):
    query = {"period": "2009/10 Q3", "theme_board": "Health and Well-Being Board"}
    at = app("app.py", {**query, **MATRIX})
    assert not at.exception, at.exception
    (matrix,) = [h for h in at.get("html") if "lsp-matrix" in h.value]
    parts = _parts_table(app("app.py", {**query, **PARTS}))
    assert _matrix_rows(matrix.value) == [f"{c} {p}".strip() for c, p in zip(parts["Code"], parts["Part"],
                                                                               strict=True)]
    assert 'class="s-red' in matrix.value and "Hover over a cell for the reason" in " ".join(
        c.value for c in at.caption)


def _paged_matrix():
    from ui.page import load_rated
    from ui.tables import show_status_matrix

    rated = load_rated()
    show_status_matrix(rated[rated["framework"] == "Luton LAA 2008-11"], key="m", page_parts=25)


def test_status_matrix_of_a_large_register_is_shown_a_page_of_parts_at_a_time(app):
    at = AppTest.from_function(_paged_matrix, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    pager = at.selectbox(key="m_page")
    assert pager.options[:2] == ["1–25", "26–50"] and pager.options[-1].startswith("51–")
    first = _matrix_rows(at.get("html")[0].value)
    assert len(first) == 25 and first[0] == "NI 001"
    pager.select("26–50").run()
    second = _matrix_rows(at.get("html")[0].value)
    assert len(second) == 25 and not set(first) & set(second)


def test_pages_leave_the_shared_register_and_rated_frame_unchanged(app):
    """The register and the rated frame are cached once per data version and shared by every
    session (st.cache_resource, no copy per rerun): no page may change them."""
    import dataclasses

    import pandas as pd

    from ui.page import load_rated, load_register

    app("app.py")  # fills the caches (AppTest runs the pages in this process)
    rated, register = load_rated(), load_register()
    rated_before = rated.copy(deep=True)
    frames = [f.name for f in dataclasses.fields(register)
              if isinstance(getattr(register, f.name), pd.DataFrame)]
    register_before = {name: getattr(register, name).copy(deep=True) for name in frames}
    query = {"period": "2009/10 Q3", "theme_board": "Health and Well-Being Board"}
    for page in PAGE_FILES:
        at = app(str(page.relative_to(REPO_ROOT)), query)
        assert not at.exception, at.exception
    assert load_rated() is rated and load_register() is register  # the same data version
    pd.testing.assert_frame_equal(rated, rated_before)
    for name, frame in register_before.items():
        pd.testing.assert_frame_equal(getattr(register, name), frame)


def test_theme_board_page_shows_the_board_its_chair_and_charts(app):
    at = app("pages/3_Theme_board.py", {"board": "Health and Well-Being Board", "period": "2009/10 Q3"})
    assert not at.exception
    assert at.title[0].value == "Health and Well-Being Board"
    assert any("Penny Furness-Smith" in m.value for m in at.markdown)
    table = _parts_table(at)
    assert set(table["Theme board"]) == {"Health and Well-Being Board"}


def test_indicator_page_shows_targets_versions_and_reasons(app):
    at = app("pages/4_Indicator.py", {"code": "NI 151"})
    assert not at.exception
    assert at.title[0].value.startswith("NI 151 · ")
    targets = next(d.value for d in at.dataframe if "Decided by" in d.value.columns)
    assert {"original", "refreshed"} <= set(targets["Version"])
    assert "Reason" in targets.columns  # why each later version was added
    # the rated periods, each with the reason for its status
    statuses = next(d.value for d in at.dataframe if "Original target" in d.value.columns)
    assert statuses["Reason"].str.len().gt(0).all()


def test_overview_builds_the_report_pack_for_the_period(app):
    import io

    import openpyxl

    at = app("app.py", {"period": "2009/10 Q3", "view": "Report pack and paper"})
    at.button(key="build_pack").click().run()
    assert not at.exception, at.exception
    period, data = at.session_state["report_pack"]
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert period == "2009/10 Q3"
    assert wb.sheetnames[0] == "Summary" and "Exceptions" in wb.sheetnames
    assert any("Health" in name for name in wb.sheetnames)
