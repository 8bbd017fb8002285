"""Reading indicators.xlsx: every loader error names the sheet, row and column."""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pytest

from data_loaders.excel import WorkbookRefused
from data_loaders.workbook import read_register
from performance import vocabulary as v
from tests.builders import patch_xlsx, register_rows, set_cell_xml, write_register


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
    # values that cannot be (issue 17 item 3); NI 120 male is row 3, a rate per 100,000
    ("negative rate baseline", _set(v.SHEET_INDICATORS, 1, baseline=-5),
     "Indicators", 3, "baseline", "-5 is negative; a rate per 100,000 cannot be"),
    ("percentage baseline above 100", _set(v.SHEET_INDICATORS, 0, baseline=720),
     "Indicators", 2, "baseline", "720 is not a percentage between 0 and 100"),
    ("date as a baseline", _set(v.SHEET_INDICATORS, 0, baseline=dt.date(2008, 3, 31)),
     "Indicators", 2, "baseline", "is a date or time (31 March 2008)"),
    ("negative tolerance in points", _set(v.SHEET_INDICATORS, 0, tolerance_points=-0.5),
     "Indicators", 2, "tolerance_points", "negative"),
    ("tolerance above 100 percent", _set(v.SHEET_INDICATORS, 0, tolerance_pct=250),
     "Indicators", 2, "tolerance_pct", "not a percentage between 0 and 100"),
    ("plausible range the wrong way round", _set(v.SHEET_INDICATORS, 0, plausible_min=12, plausible_max=3),
     "Indicators", 2, "plausible_max", "3 is below plausible_min 12"),
    ("plausible bound the unit cannot hold", _set(v.SHEET_INDICATORS, 0, plausible_min=-10),
     "Indicators", 2, "plausible_min", "-10 is not a percentage between 0 and 100"),
    ("negative count target", _set(v.SHEET_TARGETS, 5, value=-80),
     "Targets", 7, "value", "-80 is negative; a count cannot be"),
    ("percentage target above 100", _set(v.SHEET_TARGETS, 1, value=650),
     "Targets", 3, "value", "650 is not a percentage between 0 and 100"),
    ("rate target beyond any plausible bound", _set(v.SHEET_TARGETS, 3, value=1.7e308),
     "Targets", 5, "value", "beyond any plausible rate per 100,000"),
    ("stated value above 100 percent", _set(v.SHEET_RETURNS, 0, value=655),
     "Returns", 2, "value", "not a percentage between 0 and 100"),
    ("tolerance setting that is no number", _set(v.SHEET_SETTINGS, 0, value="inf"),
     "Settings", 2, "value", "'inf' is not a percentage between 0 and 100"),
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


def _sheet_part(sheet: str) -> str:
    """The XML part of a register sheet as write_register saves it (in sheet order)."""
    return f"xl/worksheets/sheet{list(register_rows()).index(sheet) + 1}.xml"


@pytest.mark.parametrize(("sheet", "ref", "text", "column", "words"), [
    (v.SHEET_TARGETS, "E2", "NaN", "value", "holds 'NaN', which is not a number"),
    (v.SHEET_RETURNS, "E2", "1e309", "value", "is infinite"),
    (v.SHEET_INDICATORS, "L2", "-1e309", "baseline", "is infinite"),
])
def test_read_register_number_that_is_no_number_names_its_cell(tmp_path, sheet, ref, text, column, words):
    """A cell of NaN made the whole workbook 'could not be read (ValueError ...)'; 1e309 was
    stored as inf. Both are refused by sheet, row and column."""
    data = write_register(tmp_path / "indicators.xlsx").read_bytes()
    with pytest.raises(WorkbookRefused) as refused:
        read_register(patch_xlsx(data, {_sheet_part(sheet): set_cell_xml(ref, text)}), "indicators.xlsx")
    located = [e for e in refused.value.errors
               if (e.sheet, e.row, e.column) == (sheet, 2, column) and words in e.message]
    assert located, [str(e) for e in refused.value.errors]


def test_read_register_percent_formatted_figure_is_refused_with_the_reason(tmp_path):
    path = write_register(tmp_path / "indicators.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[v.SHEET_TARGETS]["E3"].number_format = "0.0%"  # NI 117's 6.5 now shows as 650.0%
    wb.save(path)
    with pytest.raises(WorkbookRefused) as refused:
        read_register(path)
    assert [(e.sheet, e.row, e.column) for e in refused.value.errors] == [("Targets", 3, "value")]
    assert "shows 650% in Excel (the cell holds 6.5)" in refused.value.errors[0].message


def test_read_register_reads_the_optional_plausible_range(tmp_path):
    rows = register_rows()
    rows[v.SHEET_INDICATORS][0].update(plausible_min=3, plausible_max=12)
    register = read_register(write_register(tmp_path / "indicators.xlsx", rows))
    ranges = register.indicators[["plausible_min", "plausible_max"]].values.tolist()
    assert ranges[0] == [3, 12] and all(math.isnan(x) for row in ranges[1:] for x in row)


def test_read_register_without_plausible_columns_reads_as_before(tmp_path):
    register = read_register(write_register(tmp_path / "indicators.xlsx"))
    assert register.indicators[["plausible_min", "plausible_max"]].isna().all().all()


def test_read_register_two_sheets_of_one_name_is_refused(tmp_path):
    data = write_register(tmp_path / "indicators.xlsx").read_bytes()
    twice = patch_xlsx(data, {"xl/workbook.xml": lambda x: x.replace(b'name="Settings"', b'name="Targets"')})
    with pytest.raises(WorkbookRefused, match="2 sheets are named 'Targets'"):
        read_register(twice, "indicators.xlsx")
