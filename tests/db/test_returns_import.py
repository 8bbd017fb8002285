"""Quarterly returns: template round trip, corrections, conflicts, and the bad-input corpus.

Every bad file is made here as real bytes; each test asserts the message names the sheet,
row and column, and that the database is exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile

import openpyxl
import pytest

from data_loaders.database import (
    ReturnConflict,
    current_versions,
    make_engine,
    read_register,
    return_history,
    seed_register,
    store_returns,
    upgrade,
)
from data_loaders.returns_file import build_template, check_returns_file
from tests.builders import FW, patch_xlsx, register_rows, set_cell_xml, write_register
from tests.db.test_database import _snapshot

PERIOD = "2009/10 Q3"


@pytest.fixture
def engine(database_url, tmp_path):
    engine = make_engine(database_url)
    upgrade(engine)
    seed_register(engine, write_register(tmp_path / "indicators.xlsx"))
    yield engine
    engine.dispose()


@pytest.fixture
def register(engine):
    return read_register(engine)


def _template(register) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template(register, FW, PERIOD)))


def _fill(wb: openpyxl.Workbook, values: dict[tuple[str, str], dict]) -> bytes:
    ws = wb["Returns"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        key = (row[0].value, row[1].value or "")
        for column, value in values.get(key, {}).items():
            row[header.index(column)].value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _import(engine, register, data: bytes, name="return.xlsx", by="officer@luton.gov.uk", **kw):
    check = check_returns_file(register, data, name, **kw)
    if not check.ok:
        return check
    store_returns(engine, check.rows, file_name=name, checksum="x", submitted_by=by)
    return check


GOOD = {("NI 117", ""): {"value": 6.7, "commentary": "Seasonal rise", "action": "Follow-up calls"},
        ("NI 155", ""): {"value": 41}}


def test_template_lists_due_parts_with_locked_identity_columns(register):
    wb = _template(register)
    ws = wb["Returns"]
    assert [c.value for c in ws[1]] == ["code", "part", "period", "value", "comparator_value",
                                        "forecast_year_end", "provisional", "commentary", "action",
                                        "numerator", "denominator", "commentary_internal"]
    rows = [(r[0], r[1] or "", r[2]) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows == [("NI 117", "", PERIOD), ("NI 120", "female", PERIOD), ("NI 120", "male", PERIOD),
                    ("NI 155", "", PERIOD)] or sorted(rows) == sorted(
        [("NI 117", "", PERIOD), ("NI 120", "male", PERIOD), ("NI 120", "female", PERIOD),
         ("NI 155", "", PERIOD)])
    assert ws.protection.sheet
    assert ws["A2"].protection.locked and not ws["D2"].protection.locked
    guidance = wb["Guidance"]
    assert [c.value for c in guidance[1]][:4] == ["code", "part", "title", "unit"]


def test_template_round_trip_stores_values(engine, register):
    data = _fill(_template(register), GOOD)
    check = _import(engine, register, data)
    assert check.ok, check.errors
    stored = read_register(engine).returns
    q3 = stored[stored["period"] == PERIOD].set_index("code")
    assert q3.loc["NI 117", "value"] == 6.7 and q3.loc["NI 155", "value"] == 41
    assert q3.loc["NI 117", "commentary"] == "Seasonal rise"


def test_commentary_marked_internal_in_the_template_stays_off_the_public_scorecard(
        engine, register, monkeypatch):
    from data_loaders.public import read_public_register, set_public_frameworks

    monkeypatch.setenv("DEMO_DATA", "off")
    marked = {("NI 117", ""): {"value": 6.7, "commentary": "INTERNAL-WORDS-x1", "action": "INTERNAL-ACT-x2",
                               "commentary_internal": "yes"},
              ("NI 155", ""): {"value": 41, "commentary": "Public words", "commentary_internal": "no"}}
    check = _import(engine, register, _fill(_template(register), marked))
    assert check.ok, check.errors
    set_public_frameworks(engine, [FW], actor="test")
    public = read_public_register(engine, [FW]).returns
    public = public[public["period"] == PERIOD].set_index("code")
    assert public.loc["NI 117", "value"] == 6.7  # the value is public once published ...
    assert public.loc["NI 117", ["commentary", "action"]].tolist() == ["", ""]  # ... its words are not
    assert public.loc["NI 155", "commentary"] == "Public words"
    staff = read_register(engine).returns
    staff = staff[staff["period"] == PERIOD].set_index("code")
    assert staff.loc["NI 117", "commentary"] == "INTERNAL-WORDS-x1"


def test_correction_adds_a_version_and_keeps_history(engine, register):
    _import(engine, register, _fill(_template(register), GOOD), name="first.xlsx", by="a")
    corrected = {("NI 117", ""): {"value": 6.6, "commentary": "Corrected after data cleanse"}}
    _import(engine, register, _fill(_template(register), corrected), name="second.xlsx", by="b")
    history = return_history(engine, FW, "NI 117")
    q3 = history[history["period"] == PERIOD]
    assert q3[["version", "value", "submitted_by", "file_name"]].values.tolist() == [
        [1, 6.7, "a", "first.xlsx"], [2, 6.6, "b", "second.xlsx"]]
    current = read_register(engine).returns
    assert current[(current["code"] == "NI 117") & (current["period"] == PERIOD)]["value"].item() == 6.6


@pytest.mark.parametrize("text", ["=1+1", "+44 1582 546000", "-5 on last quarter", "@channel",
                                  "=HYPERLINK(\"http://example.org\")"])
def test_commentary_starting_like_a_formula_is_stored_as_text(engine, register, text):
    wb = _template(register)
    data = _fill(wb, {("NI 117", ""): {"value": 6.7, "commentary": None}})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cell = wb["Returns"]["H2"]
    cell.value, cell.data_type = text, "s"  # typed as text, as Excel stores text in a @ cell
    buffer = io.BytesIO()
    wb.save(buffer)
    assert _import(engine, register, buffer.getvalue()).ok
    current = read_register(engine).returns
    assert current[current["period"] == PERIOD]["commentary"].tolist() == [text]


def test_stale_preview_is_told_the_value_changed(engine, register):
    first = check_returns_file(register, _fill(_template(register), GOOD), "a.xlsx")
    second = check_returns_file(register, _fill(_template(register), {
        ("NI 117", ""): {"value": 7.1}}), "b.xlsx")
    seen_by_first = current_versions(engine, first.rows)
    seen_by_second = current_versions(engine, second.rows)
    store_returns(engine, first.rows, file_name="a.xlsx", checksum="a", submitted_by="a",
                  expected_versions=seen_by_first)
    before = _snapshot(engine)
    with pytest.raises(ReturnConflict, match="NI 117 Luton 2009/10 Q3"):
        store_returns(engine, second.rows, file_name="b.xlsx", checksum="b", submitted_by="b",
                      expected_versions=seen_by_second)
    assert _snapshot(engine) == before


def test_concurrent_saves_of_the_same_value_one_wins_nothing_lost(engine, register):
    rows = [check_returns_file(register, _fill(_template(register), {
        ("NI 117", ""): {"value": v}}), f"{v}.xlsx").rows for v in (6.8, 6.9)]
    expected = current_versions(engine, rows[0])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(i):
        barrier.wait()
        try:
            store_returns(engine, rows[i], file_name=f"{i}.xlsx", checksum=str(i),
                          submitted_by=f"user{i}", expected_versions=expected)
            outcomes.append("saved")
        except ReturnConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    history = return_history(engine, FW, "NI 117")
    assert history[history["period"] == PERIOD]["version"].tolist() == [1]


# --- the bad-input corpus -------------------------------------------------------------------

def _wb_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _edit(register, values=None, change=None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(_fill(_template(register), values or GOOD)))
    if change:
        change(wb)
    return _wb_bytes(wb)


def _set_cell(ref, value):
    def change(wb):
        wb["Returns"][ref].value = value
    return change


def _rename_header(old, new):
    def change(wb):
        ws = wb["Returns"]
        for cell in ws[1]:
            if cell.value == old:
                cell.value = new
    return change


def _sheet_first(wb):
    wb.create_sheet("My figures", 0)["A1"] = "NI 117"


def _duplicate_row(wb):
    ws = wb["Returns"]
    ws.append([c.value for c in ws[2]])


def _merge(wb):
    wb["Returns"].merge_cells("H2:I2")


def _formula(wb):
    wb["Returns"]["D3"] = "=D2*2"  # openpyxl saves no cached value, like a non-calculating tool


def _empty(wb):
    ws = wb["Returns"]
    ws.delete_rows(2, ws.max_row)


def _zip_with(member: str, payload: bytes, base: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = payload if item.filename == member else src.read(item.filename)
            dst.writestr(item.filename, data)
        if member not in src.namelist():
            dst.writestr(member, payload)
    return out.getvalue()


XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""

SHEET1 = "xl/worksheets/sheet1.xml"


def _in_xml(ref, text, values=None):
    """A filled-in template whose cell ``ref`` holds ``text`` in its XML (NaN, 1e309)."""
    return lambda r: patch_xlsx(_edit(r, values), {SHEET1: set_cell_xml(ref, text)})


def _percent_formatted(ref, value, number_format="0%"):
    def change(wb):
        cell = wb["Returns"][ref]
        cell.value, cell.number_format = value, number_format
    return change


def _elsewhere(change):
    """The template with ``change``, its Returns sheet stored as xl/worksheets/returns.xml
    (a name other programs use; only the workbook's relationships say where a sheet is)."""
    return lambda r: patch_xlsx(_edit(r, change=change), rename={SHEET1: "xl/worksheets/returns.xml"})


def _two_sheets_named_returns(r):
    return patch_xlsx(_edit(r), {"xl/workbook.xml": lambda x: x.replace(b'name="Guidance"',
                                                                         b'name="Returns"')})


# (case, how the file is made, sheet, row, column, words in the message)
CORPUS = [
    ("renamed column", lambda r: _edit(r, change=_rename_header("value", "Value")),
     "Returns", 1, "value", "required column 'value' is missing"),
    ("extra sheet in the wrong place", lambda r: _edit(r, change=_sheet_first),
     "My figures", None, None, "not a sheet of the returns template"),
    ("unknown code", lambda r: _edit(r, change=_set_cell("A2", "NI 999")),
     "Returns", 2, "code", "unknown indicator code 'NI 999'"),
    ("unknown part", lambda r: _edit(r, {("NI 120", "male"): {"value": 700}},
                                     change=_set_cell("B3", "child")),
     "Returns", 3, "part", "unknown part 'child' of NI 120"),
    ("period in the wrong format", lambda r: _edit(r, change=_set_cell("C2", "Q3 2009")),
     "Returns", 2, "period", "not a period"),
    ("period outside the agreement", lambda r: _edit(r, change=_set_cell("C2", "2007/08 Q3")),
     "Returns", 2, "period", "not in the agreement"),
    ("period in the future", lambda r: _edit(r, change=_set_cell("C2", "2099/00 Q1")),
     "Returns", 2, "period", "has not ended yet"),
    ("same code, part and period twice", lambda r: _edit(r, change=_duplicate_row),
     "Returns", 6, "period", "also in row 2"),
    ("text where a number is required", lambda r: _edit(r, {("NI 117", ""): {"value": "six"}}),
     "Returns", 2, "value", "'six' is text where a number is required"),
    ("percentage above 100", lambda r: _edit(r, {("NI 117", ""): {"value": 106.5}}),
     "Returns", 2, "value", "not a percentage between 0 and 100"),
    ("negative count", lambda r: _edit(r, {("NI 155", ""): {"value": -3}}),
     "Returns", 5, "value", "negative"),
    ("formula with no cached value", lambda r: _edit(r, change=_formula),
     "Returns", 3, "value", "formula =D2*2 with no calculated value"),
    ("merged cells", lambda r: _edit(r, change=_merge),
     "Returns", None, None, "merged cells"),
    ("empty workbook", lambda r: _edit(r, change=_empty),
     "Returns", None, None, "no rows"),
    ("nothing filled in", lambda r: _wb_bytes(_template(r)),
     "Returns", None, "value", "no values are filled in"),
    ("a CSV renamed", lambda r: b"code,part,period,value\nNI 117,,2009/10 Q3,6.7\n",
     None, None, None, "not an Excel .xlsx workbook"),
    ("random bytes", lambda r: bytes(range(256)) * 64,
     None, None, None, "not an Excel .xlsx workbook"),
    ("macro-enabled workbook", lambda r: _zip_with("xl/vbaProject.bin", b"\0" * 512, _edit(r)),
     None, None, None, "contains macros"),
    ("file over the size limit", lambda r: b"PK" + b"\0" * (21 * 1024 * 1024),
     None, None, None, "the limit is 20 MB"),
    ("zip bomb", lambda r: _zip_with("xl/media/padding.bin", b"\0" * (40 * 1024 * 1024), _edit(r)),
     None, None, None, "possible zip bomb"),
    ("XML bomb", lambda r: _zip_with("xl/worksheets/sheet1.xml", XML_BOMB, _edit(r)),
     None, None, None, "possible XML bomb"),
    # values that cannot be (issue 17 item 3); rows: NI 117 2, NI 120 male 3, female 4, NI 155 5
    ("NaN in a value cell", _in_xml("D2", "NaN"),
     "Returns", 2, "value", "holds 'NaN', which is not a number"),
    ("1e309 in a value cell", _in_xml("D2", "1e309"),
     "Returns", 2, "value", "is infinite"),
    ("negative rate", lambda r: _edit(r, {("NI 120", "male"): {"value": -5}}),
     "Returns", 3, "value", "-5 is negative; a rate per 100,000 cannot be"),
    # openpyxl writes 1.8e308 as an empty cell; Excel and others write the number
    ("rate beyond any plausible bound", _in_xml("D3", "1.7e308", {("NI 120", "male"): {"value": 1}}),
     "Returns", 3, "value", "beyond any plausible rate per 100,000"),
    ("rate above one per person", lambda r: _edit(r, {("NI 120", "female"): {"value": 150_000}}),
     "Returns", 4, "value", "more than a rate per 100,000 can be"),
    ("negative forecast", lambda r: _edit(r, {("NI 155", ""): {"value": 41, "forecast_year_end": -10}}),
     "Returns", 5, "forecast_year_end", "-10 is negative; a count cannot be"),
    ("infinite forecast", _in_xml("F5", "1e309", {("NI 155", ""): {"value": 41, "forecast_year_end": 1}}),
     "Returns", 5, "forecast_year_end", "is infinite"),
    ("percentage above 100 as a forecast", lambda r: _edit(r, {("NI 117", ""): {
        "value": 6.7, "forecast_year_end": 670}}),
     "Returns", 2, "forecast_year_end", "not a percentage between 0 and 100"),
    # issue 18 items 1, 2 and 9
    ("count formatted as a percentage", lambda r: _edit(r, change=_percent_formatted("D5", 0.41)),
     "Returns", 5, "value", "shows 41% in Excel"),
    ("date in a value cell", lambda r: _edit(r, {("NI 117", ""): {"value": dt.datetime(2009, 10, 1)}}),
     "Returns", 2, "value", "is a date or time (01 October 2009)"),
    ("formula on a sheet stored under another part name", _elsewhere(_formula),
     "Returns", 3, "value", "formula =D2*2 with no calculated value"),
    ("merged cells on a sheet stored under another part name", _elsewhere(_merge),
     "Returns", None, None, "merged cells (H2:I2)"),
    ("two sheets named Returns", _two_sheets_named_returns,
     "Returns", None, None, "2 sheets are named 'Returns'"),
    # issue 16: the commentary's public/internal mark
    ("internal mark neither yes nor no",
     lambda r: _edit(r, {("NI 117", ""): {"value": 6.7, "commentary_internal": "maybe"}}),
     "Returns", 2, "commentary_internal", "'maybe' must be yes"),
]


@pytest.mark.parametrize(("case", "make", "sheet", "row", "column", "words"), CORPUS,
                         ids=[c[0] for c in CORPUS])
def test_bad_returns_file_is_refused_and_nothing_changes(
        engine, register, case, make, sheet, row, column, words):
    before = _snapshot(engine)
    check = _import(engine, register, make(register), name=f"{case}.xlsx")
    assert not check.ok, f"{case}: accepted"
    hits = [e for e in check.errors
            if (e.sheet, e.row, e.column) == (sheet, row, column) and words in e.message]
    assert hits, f"{case}: expected {sheet}/{row}/{column} '{words}', got {[str(e) for e in check.errors]}"
    assert _snapshot(engine) == before


def test_more_rows_than_the_limit_is_refused(engine, register):
    check = check_returns_file(register, _edit(register), "big.xlsx", max_rows=2)
    assert not check.ok and "more than the limit of 2" in str(check.errors[0])


def test_percent_formatted_value_is_stored_as_the_percentage_it_shows(engine, register):
    """Typed as 6.5% in Excel the cell holds 0.065: a percentage part stores 6.5, and the
    preview says so by row and column (it was stored as 0.065 and rated at 0.07%)."""
    data = _edit(register, {("NI 117", ""): {"value": 0.065}},
                 change=_percent_formatted("D2", 0.065, "0.0%"))
    check = _import(engine, register, data)
    assert check.ok, check.errors
    notes = [e for e in check.warnings if (e.sheet, e.row, e.column) == ("Returns", 2, "value")]
    assert notes and "shows 6.5% in Excel" in notes[0].message and "read as 6.5" in notes[0].message
    current = read_register(engine).returns
    assert current[(current["code"] == "NI 117") & (current["period"] == PERIOD)]["value"].item() == 6.5


def test_value_outside_the_registers_plausible_range_is_stored_with_a_warning(engine, tmp_path):
    rows = register_rows()
    rows["Indicators"][0].update(plausible_min=3, plausible_max=12)  # NI 117, a percentage
    seed_register(engine, write_register(tmp_path / "with range.xlsx", rows))
    register = read_register(engine)
    part = register.indicators.set_index("code").loc["NI 117"]
    assert (part["plausible_min"], part["plausible_max"]) == (3, 12)
    check = _import(engine, register, _edit(register, {("NI 117", ""): {"value": 25}}))
    assert check.ok, check.errors
    warned = [e for e in check.warnings if (e.sheet, e.row, e.column) == ("Returns", 2, "value")]
    assert warned and "outside the plausible range the register gives (3 to 12)" in warned[0].message
    current = read_register(engine).returns
    assert current[(current["code"] == "NI 117") & (current["period"] == PERIOD)]["value"].item() == 25
