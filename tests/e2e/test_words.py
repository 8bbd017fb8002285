"""The client's words on every page: no vocabulary code and no "None", "nan" or "NaT" in any grid
or text, Luton with its demo values and with ``DEMO_DATA=off`` (issue 17 items 1 and 2).

A grid (``st.dataframe``) draws on a canvas, so what it shows is read here from the data passed
to it (``at.dataframe[i].value``) and its missing-value placeholder; ``test_browser.py`` reads
the rest of each page (captions, metrics, the matrix) in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_loaders import users
from data_loaders.database import file_checksum, open_database, set_setting, store_returns
from data_loaders.returns_file import check_returns_file
from data_loaders.workbook import read_register
from performance.tables import display_codes
from tests.e2e.test_pages import _filled_template

REPO_ROOT = Path(__file__).resolve().parents[2]
# Pages as the local administrator sees them, with indicators whose tables have blanks: NI 001
# (biennial survey, "No survey" in 2009/10), NI 151 (a gap to Great Britain: comparator values),
# NI 173 (removed), NI 120 (in parts), and the overview of a quarter with exceptions.
PAGES = [
    ("app.py", {}),
    ("app.py", {"period": "2009/10 Q3"}),
    *(("app.py", {"period": "2009/10 Q3", "view": view})  # the overview's views, drawn when open
      for view in ("Red-red", "Every indicator part", "Three years at a glance", "Reward estimate",
                   "Report pack and paper")),
    ("pages/1_Register.py", {"code": "NI 001"}),
    ("pages/2_Returns.py", {}),
    ("pages/3_Theme_board.py", {}),
    ("pages/4_Indicator.py", {"code": "NI 001"}),
    ("pages/4_Indicator.py", {"code": "NI 151"}),
    ("pages/4_Indicator.py", {"code": "NI 173"}),
    ("pages/4_Indicator.py", {"code": "NI 120"}),
    ("pages/5_Sign_off.py", {}),
    ("pages/6_Audit.py", {}),
    ("pages/7_Admin.py", {}),
]
MISSING_WORDS = re.compile(r"\b(None|nan|NaN|NaT)\b|<NA>")
CODES = display_codes()
# A code written into running text: only the codes no English sentence holds (with "_").
CODE_IN_TEXT = re.compile(r"\b(" + "|".join(sorted((c for c in CODES if "_" in c), key=len, reverse=True))
                          + r")\b")


@pytest.fixture(scope="module", params=["on", "off"], ids=["demo data", "DEMO_DATA=off"])
def database(request, tmp_path_factory):
    """Luton's register (with or without demo values), sign-off on, one return waiting, a grant:
    so the sign-off, audit and users tables have rows too."""
    url = f"sqlite:///{tmp_path_factory.mktemp('words') / 'words.sqlite'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DEMO_DATA", request.param)
        engine = open_database(url)
        users.grant(engine, "officer@nhs.net", "editor", scope_kind="theme_board",
                    scope_value="Health and Well-Being Board", actor="test set-up")
        set_setting(engine, "sign_off_required", "yes", actor="test set-up")
        data = _filled_template({"NI 123": 410, "NI 117": 7.0})
        check = check_returns_file(read_register(), data, "q3.xlsx")
        assert check.ok, check.errors
        store_returns(engine, check.rows, file_name="q3.xlsx", checksum=file_checksum(data),
                      submitted_by="officer@nhs.net", state="submitted")
        engine.dispose()
    return url, request.param


@pytest.fixture
def run(database, monkeypatch):
    url, demo = database
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_DATA", demo)

    def page(path: str, query: dict) -> AppTest:
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if path != "app.py":
            at.switch_page(path)
            for key, value in query.items():
                at.query_params[key] = value
            at.run()
        assert not at.exception, at.exception
        return at
    return page


def _grid_problems(frame: pd.DataFrame, placeholder: str | None) -> list[str]:
    """What a grid would show that a reader should not see: a code, "None", "nan", "NaT"."""
    problems = [f"heading {c!r}" for c in frame.columns if str(c) in CODES or "_" in str(c)]
    for column in frame.columns:
        col = frame[column]
        if col.isna().any() and placeholder != "":
            problems.append(f"{column}: {int(col.isna().sum())} missing cells drawn as "
                            f"{placeholder or 'None'!r}")
        for value in col.dropna().unique():
            text = str(value)
            if isinstance(value, str) and (text in CODES or MISSING_WORDS.fullmatch(text.strip())):
                problems.append(f"{column}: {text!r}")
    return problems


def _texts(at: AppTest) -> list[str]:
    """Every piece of text on the page outside the grids, with the widgets' labels and options."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
                 "success", "metric"):
        for element in getattr(at, kind):
            texts.append(str(element.value))
            texts.append(str(getattr(element, "label", "") or ""))
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            texts.append(str(widget.label))
            texts.extend(str(o) for o in widget.options)
    for kind in ("button", "text_input", "text_area", "number_input", "toggle", "date_input"):
        texts.extend(str(w.label) for w in getattr(at, kind))
    return texts


@pytest.mark.parametrize(("path", "query"), PAGES, ids=[f"{p}{q}" for p, q in PAGES])
def test_every_grid_shows_words_and_blanks_not_codes_or_none(run, path, query):
    at = run(path, query)
    problems = {}
    for i, grid in enumerate(at.dataframe):
        found = _grid_problems(grid.value, grid.proto.placeholder if grid.proto.HasField("placeholder")
                               else None)
        if found:
            problems[i] = found
    assert not problems, problems


@pytest.mark.parametrize(("path", "query"), PAGES, ids=[f"{p}{q}" for p, q in PAGES])
def test_every_text_on_the_page_is_free_of_codes_and_none(run, path, query):
    at = run(path, query)
    bad = [t for t in _texts(at) if CODE_IN_TEXT.search(t) or MISSING_WORDS.search(t)]
    assert not bad, bad


def test_indicator_page_targets_and_statuses_of_ni_001_are_blank_where_empty(run):
    """The issue's own example: NI 001's target values and status table held grey "None"."""
    at = run("pages/4_Indicator.py", {"code": "NI 001"})
    targets = next(g for g in at.dataframe if "Target status" in g.value.columns)
    assert targets.proto.placeholder == ""
    assert targets.value["Target status"].tolist() == ["Not applicable", "No survey", "Set"]
    assert targets.value["Value"].isna().sum() == 2
    assert any(c.value.startswith("Blank cells: ") and "Value, no number: the target is in words" in c.value
               for c in at.caption)
    definition = at.dataframe[0].value
    assert definition[["Polarity", "Frequency", "Unit"]].iloc[0].tolist() == [
        "Higher is better", "Biennial survey", "Percent"]
