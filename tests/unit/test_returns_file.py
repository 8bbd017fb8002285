"""Reading a filled-in returns template: what Excel hides from the officer is read, and said."""

from __future__ import annotations

import io

import openpyxl
import pytest

from data_loaders.excel import is_percent_format
from data_loaders.returns_file import build_template, check_returns_file
from data_loaders.workbook import read_register
from tests.builders import FW, patch_xlsx, write_register

PERIOD = "2009/10 Q3"


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return read_register(write_register(tmp_path_factory.mktemp("register") / "indicators.xlsx"))


def _filled(register, change=None) -> bytes:
    """The template with NI 117 (row 2) and NI 155 (row 5) filled in, then ``change``."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(register, FW, PERIOD)))
    ws = wb["Returns"]
    ws["D2"], ws["D5"], ws["H2"] = 6.7, 41, "Seasonal rise"
    if change:
        change(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _located(check, sheet, row, column, words):
    return [w for w in check.warnings if (w.sheet, w.row, w.column) == (sheet, row, column)
            and words in w.message]


def test_hidden_row_is_read_with_a_warning_naming_it(register):
    def hide(wb):
        wb["Returns"].row_dimensions[5].hidden = True
    check = check_returns_file(register, _filled(register, hide), "r.xlsx")
    assert check.ok, check.errors
    assert 41 in check.rows["value"].tolist()  # the hidden row is still imported ...
    assert _located(check, "Returns", 5, None, "the row is hidden in Excel")  # ... and said


def test_hidden_column_is_read_with_a_warning_naming_it(register):
    def hide(wb):
        wb["Returns"].column_dimensions["H"].hidden = True
    check = check_returns_file(register, _filled(register, hide), "r.xlsx")
    assert check.ok, check.errors
    assert check.rows["commentary"].tolist()[0] == "Seasonal rise"
    assert _located(check, "Returns", None, "commentary", "column H is hidden in Excel")


def test_hidden_returns_sheet_is_read_with_a_warning(register):
    data = patch_xlsx(_filled(register), {"xl/workbook.xml": lambda x: x.replace(
        b'name="Returns" sheetId="1" state="visible"', b'name="Returns" sheetId="1" state="hidden"')})
    check = check_returns_file(register, data, "r.xlsx")
    assert check.ok, check.errors
    assert _located(check, "Returns", None, None, "the sheet is hidden in Excel (hidden)")


def test_hidden_extra_sheet_is_refused_saying_it_is_hidden(register):
    def add_hidden(wb):
        wb.create_sheet("Workings").sheet_state = "hidden"
    check = check_returns_file(register, _filled(register, add_hidden), "r.xlsx")
    assert not check.ok
    assert any(e.sheet == "Workings" and "hidden in Excel" in e.message for e in check.errors)


def test_visible_file_has_no_hidden_warnings(register):
    check = check_returns_file(register, _filled(register), "r.xlsx")
    assert check.ok and not [w for w in check.warnings if "hidden" in w.message]


def test_percent_formatted_value_is_read_as_the_percentage_it_shows(register):
    def percent(wb):
        wb["Returns"]["D2"].value, wb["Returns"]["D2"].number_format = 0.0655, "0.00%"
    check = check_returns_file(register, _filled(register, percent), "r.xlsx")
    assert check.ok, check.errors
    assert check.rows["value"].tolist()[0] == 6.55  # exactly, not 6.550000000000001
    assert _located(check, "Returns", 2, "value", "shows 6.55% in Excel (the cell holds 0.0655)")


@pytest.mark.parametrize(("number_format", "percent"), [
    ("0%", True), ("0.00%", True), ("0.0%;[Red]-0.0%", True), ("General", False), ("0.00", False),
    ('0.0" %"', False), ("0.0\\%", False), ("@", False), (None, False), ("yyyy-mm-dd", False),
])
def test_is_percent_format_reads_excel_number_formats(number_format, percent):
    assert is_percent_format(number_format) is percent


def test_template_guidance_shows_the_plausible_range_only_where_the_register_gives_one(tmp_path, register):
    from tests.builders import register_rows

    def guidance_header(reg):
        sheet = openpyxl.load_workbook(io.BytesIO(build_template(reg, FW, PERIOD)))["Guidance"]
        return [c.value for c in sheet[1]], list(sheet.iter_rows(min_row=2, values_only=True))

    header, _ = guidance_header(register)
    assert "plausible_min" not in header
    rows = register_rows()
    rows["Indicators"][0].update(plausible_min=3, plausible_max=12)
    header, lines = guidance_header(read_register(write_register(tmp_path / "range.xlsx", rows)))
    neet = next(line for line in lines if line[0] == "NI 117")
    assert (neet[header.index("plausible_min")], neet[header.index("plausible_max")]) == (3, 12)
