"""Reading indicators.xlsx: every loader error names the sheet, row and column."""

from __future__ import annotations

import pytest

from data_loaders.excel import WorkbookRefused
from data_loaders.workbook import read_register
from performance import vocabulary as v
from tests.builders import register_rows, write_register


def _set(sheet, index, **changes):
    def change(rows):
        rows[sheet][index].update(changes)
    return change


def _duplicate_first(sheet):
    def change(rows):
        rows[sheet].append(dict(rows[sheet][0]))
    return change


def _drop_column(sheet, column):
    def change(rows):
        for record in rows[sheet]:
            record.pop(column)
    return change


def _drop_sheet(sheet):
    def change(rows):
        rows.pop(sheet)
    return change


CASES = [
    # (what is wrong, change, sheet, row, column, words in the message)
    ("unknown theme board", _set(v.SHEET_INDICATORS, 0, theme_board="Transport Board"),
     "Indicators", 2, "theme_board", "unknown theme board 'Transport Board'"),
    ("missing polarity", _set(v.SHEET_INDICATORS, 0, polarity=None),
     "Indicators", 2, "polarity", "is empty"),
    ("polarity not allowed", _set(v.SHEET_INDICATORS, 1, polarity="down"),
     "Indicators", 3, "polarity", "'down' is not allowed"),
    ("duplicate code and part", _duplicate_first(v.SHEET_INDICATORS),
     "Indicators", 6, "code", "NI 117 is listed twice"),
    ("text where a number is required", _set(v.SHEET_INDICATORS, 0, baseline="seven"),
     "Indicators", 2, "baseline", "'seven' is text where a number is required"),
    ("parts disagree on the title", _set(v.SHEET_INDICATORS, 2, title="Other"),
     "Indicators", 4, "title", "differs from row 3"),
    ("unknown measure", _set(v.SHEET_INDICATORS, 0, measure="average"),
     "Indicators", 2, "measure", "'average' is not allowed"),
    ("target year outside the agreement", _set(v.SHEET_TARGETS, 0, year="2011/12"),
     "Targets", 2, "year", "outside the framework's years"),
    ("target year written wrongly", _set(v.SHEET_TARGETS, 1, year="09/10"),
     "Targets", 3, "year", "not a financial year"),
    ("target year that does not follow", _set(v.SHEET_TARGETS, 1, year="2009/11"),
     "Targets", 3, "year", "does not follow"),
    ("target value as text", _set(v.SHEET_TARGETS, 1, value="6.5%"),
     "Targets", 3, "value", "'6.5%' is text where a number is required"),
    ("target for an unknown part", _set(v.SHEET_TARGETS, 3, part="child"),
     "Targets", 5, "code", "unknown indicator NI 120 part 'child'"),
    ("duplicate target version", _duplicate_first(v.SHEET_TARGETS),
     "Targets", 8, "year", "already given in row 2"),
    ("set target without a number", _set(v.SHEET_TARGETS, 0, value=None),
     "Targets", 2, "value", "status is 'set'"),
    ("return in an unknown period format", _set(v.SHEET_RETURNS, 0, period="2009 Q3"),
     "Returns", 2, "period", "not a period"),
    ("return for an unknown code", _set(v.SHEET_RETURNS, 0, code="NI 999"),
     "Returns", 2, "code", "unknown indicator 'NI 999'"),
    ("return value as text", _set(v.SHEET_RETURNS, 0, value="n/a"),
     "Returns", 2, "value", "'n/a' is text"),
    ("renamed column", _drop_column(v.SHEET_INDICATORS, "polarity"),
     "Indicators", 1, "polarity", "required column 'polarity' is missing"),
    ("missing sheet", _drop_sheet(v.SHEET_THEME_BOARDS),
     "Theme boards", None, None, "the sheet is missing"),
    ("unknown setting", _set(v.SHEET_SETTINGS, 0, setting="colour"),
     "Settings", 2, "setting", "unknown setting 'colour'"),
]


@pytest.mark.parametrize(("what", "change", "sheet", "row", "column", "words"), CASES,
                         ids=[c[0] for c in CASES])
def test_read_register_bad_workbook_names_sheet_row_and_column(
        tmp_path, what, change, sheet, row, column, words):
    rows = register_rows()
    change(rows)
    path = write_register(tmp_path / "indicators.xlsx", rows)
    with pytest.raises(WorkbookRefused) as refused:
        read_register(path)
    matching = [e for e in refused.value.errors
                if (e.sheet, e.row, e.column) == (sheet, row, column) and words in e.message]
    assert matching, f"{what}: no error at {sheet}/{row}/{column} with '{words}' in {refused.value}"
    text = str(matching[0])
    assert f"sheet '{sheet}'" in text
    if row:
        assert f"row {row}" in text


def test_read_register_valid_workbook_gives_typed_frames(tmp_path):
    register = read_register(write_register(tmp_path / "indicators.xlsx"))
    assert list(register.indicators["part"]) == ["", "male", "female", ""]
    assert register.indicators["baseline"].dtype == float
    assert register.indicators["reward_eligible"].all()
    assert register.returns.iloc[0]["provisional"]
    assert register.returns.iloc[0]["period"] == "2009/10"
    assert register.settings["own_area"] == "Luton"


@pytest.mark.parametrize(("content", "words"), [
    (b"code,part,value\nNI 117,,6.5\n", "not an Excel .xlsx workbook"),
    (bytes(range(256)) * 40, "not an Excel .xlsx workbook"),
    (b"", "not an Excel .xlsx workbook"),
])
def test_read_register_not_a_workbook_is_refused(tmp_path, content, words):
    path = tmp_path / "indicators.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookRefused, match=words):
        read_register(path)
