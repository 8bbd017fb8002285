"""Exports: a table as shown and the quarterly report pack, reopened with openpyxl and checked."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter

from performance import exports, overview, rag
from performance.tables import column_label
from performance.vocabulary import DIRECTION_SYMBOLS, STATUS_COLOURS, STATUSES, UNITS, status_badge
from tests.builders import luton_rated

PERIOD = "2009/10 Q3"
ABOUT = {"Filters": "theme board: Health and Well-Being Board; status: red, amber",
         "Period": PERIOD, "Data": "sqlite:///test.sqlite (load 7)"}
CYP = "Children and Young People's Trust Board"
HWB = "Health and Well-Being Board"
EEB = "Environment and Economy Board"


# --- helpers -------------------------------------------------------------------------------------


def table(**columns) -> pd.DataFrame:
    """A small frame in the shape the pages pass (one row unless columns say otherwise)."""
    base = {"code": ["NI 117"], "part": [""], "title": ["16-18 year olds who are not in education"],
            "value": [7.0], "unit": ["percent"], "target": [6.5], "status": ["amber"],
            "direction": ["worsening"], "commentary": ["Behind target"], "is_demo": [False]}
    base.update(columns)
    n = max(len(v) for v in base.values())
    return pd.DataFrame({k: (v * n if len(v) == 1 else v) for k, v in base.items()})


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def workbook(frame: pd.DataFrame, **kwargs) -> openpyxl.Workbook:
    return reopen(exports.table_workbook(frame, title=f"Overview {PERIOD}", about=ABOUT, **kwargs))


def column_cells(ws, name: str, header_row: int = 1) -> list:
    """The cells below the heading of column ``name``, found by its heading as on screen."""
    headers = [c.value for c in ws[header_row]]
    col = headers.index(column_label(name)) + 1
    return [ws.cell(row=r, column=col) for r in range(header_row + 1, ws.max_row + 1)]


def about_values(wb) -> dict[str, str]:
    return {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True) if row and row[0]}


def contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[-6:][i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- a table as shown ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
def test_table_workbook_status_cell_is_filled_and_labelled(status):
    ws = workbook(table(status=[status], forecast_status=[status])).worksheets[0]
    for cell in (*column_cells(ws, "status"), *column_cells(ws, "forecast_status")):
        assert cell.value == status_badge(status)
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb == "FF" + STATUS_COLOURS[status].lstrip("#").upper()
        assert contrast(cell.font.color.rgb, STATUS_COLOURS[status]) >= 4.5  # text readable on the fill


def test_table_workbook_status_label_reads_amber_with_its_symbol():
    ws = workbook(table(status=["amber"])).worksheets[0]
    assert column_cells(ws, "status")[0].value == "▲ Amber"


@pytest.mark.parametrize(("direction", "expected"), [
    ("improving", "↑ improving"), ("worsening", "↓ worsening"), ("no_change", "→ no change"),
])
def test_table_workbook_direction_is_arrow_and_word(direction, expected):
    ws = workbook(table(direction=[direction], direction_year=[direction])).worksheets[0]
    assert column_cells(ws, "direction")[0].value == expected
    assert column_cells(ws, "direction_year")[0].value == expected
    assert expected.startswith(DIRECTION_SYMBOLS[direction])


def test_table_workbook_missing_status_and_direction_stay_empty():
    ws = workbook(table(status=[math.nan], direction=[None])).worksheets[0]
    assert column_cells(ws, "status")[0].value is None
    assert column_cells(ws, "direction")[0].value is None


@pytest.mark.parametrize("unit", UNITS)
def test_table_workbook_numbers_take_their_units_format(unit):
    frame = table(unit=[unit], value=[1234.5], target=[1200.0], forecast_year_end=[1300.0])
    ws = workbook(frame).worksheets[0]
    for header in ("value", "target", "forecast_year_end"):
        cell = column_cells(ws, header)[0]
        assert cell.data_type == "n"
        assert cell.number_format == exports.UNIT_FORMATS[unit]


@pytest.mark.parametrize(("unit", "value", "expected_format"), [
    ("percent", 6.5, '0.0"%"'),          # stored as written: 6.5 means 6.5%, not divided
    ("count", 1600, "#,##0"),
    ("rate_per_100000", 1957.25, "#,##0.0#"),
    ("rate_per_1000", 0.55, "#,##0.0#"),
])
def test_table_workbook_number_keeps_its_value_with_the_unit_format(unit, value, expected_format):
    cell = column_cells(workbook(table(unit=[unit], value=[value])).worksheets[0], "value")[0]
    assert cell.value == value and cell.number_format == expected_format


def test_table_workbook_without_unit_column_writes_plain_numbers():
    frame = table().drop(columns="unit")
    cell = column_cells(workbook(frame).worksheets[0], "value")[0]
    assert cell.value == 7.0 and cell.number_format == "General"


def test_table_workbook_header_is_styled_frozen_filtered_and_columns_sized():
    frame = table(code=["NI 117", "NI 123", "NI 039"])
    ws = workbook(frame).worksheets[0]
    assert [c.value for c in ws[1]] == [*map(column_label, frame.columns[:-1]), "Illustrative"]
    assert [c.value for c in ws[1]] == ["Code", "Part", "Title", "Value", "Unit", "Target", "Status",
                                        "Direction", "Commentary", "Illustrative"]
    assert all(c.font.bold and c.fill.fill_type == "solid" for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(frame.columns))}4"
    widths = {}
    for dim in ws.column_dimensions.values():
        for col in range(dim.min, dim.max + 1):
            widths[col] = dim.width
    assert all(widths.get(col, 0) >= len(c.value) for col, c in enumerate(ws[1], 1))
    assert widths[list(frame.columns).index("commentary") + 1] > widths[1]  # fitted, not one size


def test_table_workbook_writes_exactly_the_rows_and_columns_in_order():
    frame = table(code=["NI 039", "NI 117", "NI 123"], value=[1600.0, 6.5, 480.0],
                  unit=["rate_per_100000", "percent", "count"])
    ws = workbook(frame[["value", "code", "unit"]]).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [("Value", "Code", "Unit"), (1600, "NI 039", "Rate per 100,000"),
                    (6.5, "NI 117", "Percent"), (480, "NI 123", "Count")]


@pytest.mark.parametrize("number", [-3.5, 0.0, 12.25, -1_250_000.0, 7])
def test_table_workbook_numbers_round_trip_as_numbers(number):
    frame = table(value=[number], unit=["count"], target=[-number])
    ws = workbook(frame).worksheets[0]
    for header, expected in (("value", number), ("target", -number)):
        cell = column_cells(ws, header)[0]
        assert cell.data_type == "n" and cell.value == expected


@pytest.mark.parametrize("column", ["reason", "commentary", "action", "notes", "title"])
def test_table_workbook_long_text_wraps(column):
    frame = table(**{column: ["Behind target because the new provision started late; " * 3]})
    ws = workbook(frame).worksheets[0]
    assert column_cells(ws, column)[0].alignment.wrap_text
    assert not column_cells(ws, "code")[0].alignment.wrap_text
    assert ws.row_dimensions[2].height and ws.row_dimensions[2].height > 15  # grown to fit the lines


INJECTIONS = ["=1+1", "+44 1582 546000", "-5 on last quarter", "@SUM(A1)", "\t=cmd",
              '=HYPERLINK("http://example.com","click")', "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", INJECTIONS)
@pytest.mark.parametrize("column", ["commentary", "action", "part", "code"])
def test_table_workbook_formula_like_text_is_stored_as_text(text, column):
    ws = workbook(table(**{column: [text]}, value=[-3.5])).worksheets[0]
    cell = column_cells(ws, column)[0]
    assert cell.data_type == "s"
    assert cell.value == text
    assert cell.quotePrefix
    value = column_cells(ws, "value")[0]
    assert value.data_type == "n" and value.value == -3.5  # a negative number stays a number


def test_table_workbook_carriage_return_text_is_text_with_a_line_break():
    ws = workbook(table(commentary=["\r=cmd"], action=["one\r\ntwo"])).worksheets[0]
    cell = column_cells(ws, "commentary")[0]
    assert cell.data_type == "s" and cell.value == "\n=cmd"  # XML keeps line feeds only
    assert column_cells(ws, "action")[0].value == "one\ntwo"


def test_table_workbook_plain_text_has_no_quote_prefix():
    cell = column_cells(workbook(table(commentary=["On track"])).worksheets[0], "commentary")[0]
    assert cell.value == "On track" and not cell.quotePrefix


@pytest.mark.parametrize(("text", "expected"), [
    ("bad\x00te\x07xt\x1f", "badtext"),
    ("\x00=1+1", "=1+1"),
    ("line one\nline two\ttab", "line one\nline two\ttab"),  # newline and tab are legal
])
def test_table_workbook_strips_illegal_control_characters(text, expected):
    cell = column_cells(workbook(table(commentary=[text])).worksheets[0], "commentary")[0]
    assert cell.value == expected and cell.data_type == "s"


def test_table_workbook_marks_demo_rows_illustrative_and_says_so():
    wb = workbook(table(code=["NI 117", "NI 123"], is_demo=[True, False]))
    assert [c.value for c in column_cells(wb.worksheets[0], "illustrative")] == ["demo", None]
    assert about_values(wb)["Illustrative values"].startswith("YES: 1 of 2 rows")


def test_table_workbook_without_demo_rows_says_none_are_illustrative():
    wb = workbook(table(is_demo=[False]))
    assert about_values(wb)["Illustrative values"].startswith("no")


def test_table_workbook_about_sheet_says_what_when_where_and_the_rules():
    wb = workbook(table())
    assert wb.sheetnames == ["Overview 2009-10 Q3", "About"]
    about = about_values(wb)
    assert about["Title"] == f"Overview {PERIOD}"
    assert about["Filters"] == ABOUT["Filters"] and about["Period"] == PERIOD
    assert about["Data"] == ABOUT["Data"] and about["Rows"] == "1"
    assert str(pd.Timestamp.now().year) in about["Exported"]
    rules = " ".join(f"{k} {v}" for k, v in about.items())
    assert "5% of the target" in rules and "better than the baseline" in rules
    for status in STATUSES:  # every status, grey ones too, with its colour as a legend
        assert status_badge(status) in about
    legend = {c.value: c for c in wb["About"]["A"] if c.value in {status_badge(s) for s in STATUSES}}
    assert legend[status_badge("red")].fill.fgColor.rgb.endswith(STATUS_COLOURS["red"][1:])


def test_table_workbook_about_uses_the_callers_export_time_once():
    wb = reopen(exports.table_workbook(table(), title="t", about={"Exported": "5 March 2010 14:05", **ABOUT}))
    keys = [r[0] for r in wb["About"].iter_rows(values_only=True) if r[0]]
    assert keys.count("Exported") == 1 and about_values(wb)["Exported"] == "5 March 2010 14:05"


def test_table_workbook_about_follows_the_registers_tolerance():
    wb = workbook(table(), settings={"default_tolerance_pct": "10"})
    assert "10% of the target" in about_values(wb)["Tolerance"]


def test_table_workbook_reports_progress_every_few_hundred_rows():
    calls = []
    frame = table(code=[f"NI {i:03}" for i in range(1000)])
    exports.table_workbook(frame, title="t", about={}, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (1000, 1000)
    assert 3 <= len(calls) <= 10 and all(t == 1000 for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_table_workbook_empty_table_writes_header_and_about():
    wb = workbook(table().iloc[0:0])
    ws = wb.worksheets[0]
    assert ws.max_row == 1 and ws["A1"].value == column_label("code") == "Code"
    assert about_values(wb)["Rows"] == "0"


# --- CSV -------------------------------------------------------------------------------------------


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_table_csv_is_utf8_with_bom_header_and_rows():
    frame = table(code=["NI 117", "NI 123"], value=[6.5, 480.0], unit=["percent", "count"],
                  status=["amber", "green"], is_demo=[True, False])
    data = exports.table_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = read_csv(data)
    assert list(back.columns) == [*map(column_label, frame.columns[:-1]), "Illustrative"]
    assert back["Code"].tolist() == ["NI 117", "NI 123"]
    assert back["Value"].tolist() == ["6.5", "480"]
    assert back["Status"].tolist() == ["▲ Amber", "● Green"]
    assert back["Direction"].tolist() == ["↓ worsening"] * 2
    assert back["Illustrative"].tolist() == ["demo", ""]


def test_table_csv_headings_are_the_screens_words():
    frame = table(theme_board=[HWB], forecast_year_end=[6.0], forecast_status=["green"])
    header = exports.table_csv(frame).decode("utf-8-sig").split("\r\n")[0]
    assert header.split(",") == [column_label("illustrative" if c == "is_demo" else c) for c in frame.columns]
    assert {"Theme board", "Forecast year end", "Forecast status"} <= set(header.split(","))


@pytest.mark.parametrize("name", ["=1+1", "@SUM(A1)", "-x"])
def test_table_csv_formula_like_heading_is_neutralised(name):
    back = read_csv(exports.table_csv(table(**{name: ["x"]})))
    assert back.columns[-1] == "'" + column_label(name)


@pytest.mark.parametrize("text", [*INJECTIONS, "\r=cmd"])
def test_table_csv_neutralises_formula_like_text_but_not_numbers(text):
    back = read_csv(exports.table_csv(table(commentary=[text], value=[-3.5])))
    assert back["Commentary"][0] == "'" + text
    assert back["Value"][0] == "-3.5"


def test_table_csv_keeps_plain_text_as_is():
    back = read_csv(exports.table_csv(table(commentary=['He said "on track", 5% up'])))
    assert back["Commentary"][0] == 'He said "on track", 5% up'


# --- sheet names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("Health and Well-Being Board", "Health and Well-Being Board"),
    (CYP, "Children & Young People's Trust"),
    ("Stronger and Safer Communities Board", "Stronger & Safer Communities"),
    ("Board [A]: *what?* / why \\ now", "Board -A-- -what-- - why - now"),
    ("'Quoted'", "Quoted"),
    ("x" * 40, "x" * 30 + "…"),
    ("", "Sheet"),
])
def test_sheet_name_is_valid_for_excel(name, expected):
    got = exports.sheet_name(name)
    assert got == expected
    assert len(got) <= 31 and not set(got) & set("[]:*?/\\")


def test_sheet_name_avoids_names_already_used():
    assert exports.sheet_name("Summary", ["summary"]) == "Summary (2)"
    assert exports.sheet_name("x" * 40, ["x" * 30 + "…"]) == "x" * 27 + " (2)"


# --- the overview table and the report pack -------------------------------------------------------


@pytest.fixture
def pack_register(build):
    """Four indicators on three boards, with Q2 and Q3 values so counts change between quarters."""
    build.indicator("NI 117", theme_board=CYP, polarity="lower_is_better", baseline=7.2, unit="percent",
                    title="16-18 year olds who are not in education, employment or training (NEET)",
                    lead_partner="Campus Luton")
    build.indicator("NI 123", theme_board=HWB, polarity="higher_is_better", baseline=945, unit="count",
                    measure="cumulative_in_year", title="Stopping smoking", lead_partner="NHS Luton")
    build.indicator("NI 039", theme_board=HWB, polarity="lower_is_better", baseline=1513,
                    unit="rate_per_100000", title="Alcohol-harm related hospital admission rates")
    build.indicator("NI 154", theme_board=EEB, polarity="higher_is_better", unit="count",
                    frequency="annual", title="Net additional homes provided")
    for year in ("2008/09", "2009/10", "2010/11"):
        build.target("NI 117", year, 6.5).target("NI 123", year, 940).target("NI 039", year, 2165)
        build.target("NI 154", year, 720)
    build.ret("NI 117", "2009/10 Q2", 6.55).ret("NI 117", PERIOD, 7.0, commentary="=1+1",
                                                 action="-5 on last quarter: @SUM(A1)")
    build.ret("NI 123", "2009/10 Q2", 480).ret("NI 123", PERIOD, 600, commentary="Behind target",
                                               action="Extra clinics", is_demo=True)
    build.ret("NI 039", PERIOD, 1600)
    return build.register()


@pytest.fixture
def pack_rated(pack_register):
    return overview.with_register_columns(rag.rate(pack_register), pack_register)


def summary_table(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == exports.SUMMARY_HEADER)
    out = []
    for r in rows[start + 1:]:
        if r[0] is None:
            break
        row = {"theme_board": r[0]}
        for i, s in enumerate(("green", "amber", "red", "no_data", "not_due", "no_target")):
            row[s], row[f"{s}_change"] = r[1 + 2 * i], r[2 + 2 * i]
        out.append(row)
    return pd.DataFrame(out)


def table_rows(ws, header_row: int = 3) -> pd.DataFrame:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_overview_table_has_the_overview_columns_and_reasons(pack_rated):
    shown = exports.overview_table(pack_rated, "2009/10  q3")
    assert tuple(shown.columns) == exports.OVERVIEW_COLUMNS
    assert set(shown["period"]) == {PERIOD} and len(shown) == 4
    expected = rag.explain(pack_rated[pack_rated["period"] == PERIOD]).tolist()
    assert shown["reason"].tolist() == expected
    assert shown.set_index("code").loc["NI 123", "lead_partner"] == "NHS Luton"


def test_overview_table_filtered_rows_export_as_shown(pack_rated):
    filtered = overview.apply_filters(pack_rated, overview.Filters(status=["red", "amber"]))
    shown = exports.overview_table(filtered, PERIOD)
    ws = workbook(shown).worksheets[0]
    assert [c.value for c in column_cells(ws, "status")] == [status_badge(s) for s in shown["status"]]
    assert {c.value for c in column_cells(ws, "status")} <= {"▲ Amber", "■ Red"}


def pack(register, rated, **kwargs) -> openpyxl.Workbook:
    return reopen(exports.report_pack(register, rated, PERIOD, framework="LAA", about=ABOUT, **kwargs))


def test_report_pack_has_summary_one_sheet_per_board_exceptions_and_about(pack_register, pack_rated):
    wb = pack(pack_register, pack_rated)
    assert wb.sheetnames == ["Summary", "Children & Young People's Trust", EEB, HWB, "Exceptions", "About"]


def test_report_pack_summary_counts_equal_rag_counts(pack_register, pack_rated):
    wb = pack(pack_register, pack_rated)
    counts = overview.rag_counts(pack_rated, PERIOD)
    got = summary_table(wb["Summary"])
    pd.testing.assert_frame_equal(got, counts[got.columns.tolist()], check_dtype=False)
    headline = [r[0] for r in wb["Summary"].iter_rows(values_only=True)]
    assert exports.SUMMARY_HEADER == "theme board" and "theme board" in headline  # its own headings
    assert overview.counts_sentence(counts) in headline
    assert counts.loc[0, "red"] == 1 and counts.loc[0, "red_change"] == 1  # NI 123 went red


def test_report_pack_board_sheet_lists_its_parts_with_statuses(pack_register, pack_rated):
    wb = pack(pack_register, pack_rated)
    ws = wb[HWB]
    assert ws["A1"].value == f"{HWB}: {PERIOD}"
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:")
    rows = table_rows(ws)
    assert list(rows.columns) == [*map(column_label, exports.REPORT_PACK_COLUMNS), "Illustrative"]
    assert rows[column_label("code")].tolist() == ["NI 123", "NI 039"]
    assert rows[column_label("status")].tolist() == ["■ Red", "● Green"]
    assert rows["Illustrative"].fillna("").tolist() == ["demo", ""]
    assert rows[column_label("reason")][0].startswith("Red: 600 year to date")
    assert ws["D3"].value == "Value" and ws["H3"].value == "Direction year"
    value = column_cells(ws, "value", header_row=3)[0]
    assert value.number_format == exports.UNIT_FORMATS["count"]
    assert column_cells(ws, "status", header_row=3)[0].fill.fgColor.rgb.endswith(STATUS_COLOURS["red"][1:])


def test_report_pack_exceptions_list_reds_and_worsening_ambers_with_commentary(pack_register, pack_rated):
    wb = pack(pack_register, pack_rated)
    ws = wb["Exceptions"]
    rows = table_rows(ws)
    assert list(rows.columns) == [*map(column_label, exports.EXCEPTION_COLUMNS), "Illustrative"]
    assert rows.columns[0] == "Theme board" and rows.columns[4] == "Listed for"
    expected = overview.exceptions(pack_rated, PERIOD)
    assert rows[column_label("code")].tolist() == expected["code"].tolist() == ["NI 123", "NI 117"]
    assert rows[column_label("listed_for")].tolist() == expected["listed_for"].tolist()
    assert "Amber and worsening" in rows[column_label("listed_for")][1]
    commentary = column_cells(ws, "commentary", header_row=3)[1]
    assert commentary.value == "=1+1" and commentary.data_type == "s"  # text, never a formula
    assert column_cells(ws, "action", header_row=3)[1].value == "-5 on last quarter: @SUM(A1)"


def test_report_pack_about_names_framework_period_and_demo(pack_register, pack_rated):
    about = about_values(pack(pack_register, pack_rated))
    assert about["Period"] == PERIOD and about["Compared with"] == "2009/10 Q2"
    assert about["Framework"] == "Luton LAA 2008-11" and about["Data"] == ABOUT["Data"]
    assert about["Illustrative values"].startswith("YES: 1 of 4")


def test_report_pack_reports_progress_to_the_end(pack_register, pack_rated):
    calls = []
    pack(pack_register, pack_rated, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (6, 6)  # 4 indicator parts and 2 exceptions


@pytest.mark.parametrize("period", ["2015/16 Q1", "2004/05"])
def test_report_pack_period_outside_the_framework_raises(pack_register, pack_rated, period):
    with pytest.raises(ValueError, match="no indicator parts"):
        exports.report_pack(pack_register, pack_rated, period, framework="LAA", about={})


@pytest.fixture(scope="module")
def luton():
    """The real register with its illustrative demo values, rated: what the sub-group would see."""
    return luton_rated()


def test_report_pack_for_luton_counts_and_sheets_match_the_overview(luton):
    register, rated, framework = luton
    wb = reopen(exports.report_pack(register, rated, PERIOD, framework=framework, about=ABOUT))
    counts = overview.rag_counts(rated, PERIOD)
    got = summary_table(wb["Summary"])
    pd.testing.assert_frame_equal(got, counts[got.columns.tolist()], check_dtype=False)
    boards = counts["theme_board"].tolist()[1:]
    assert wb.sheetnames[len(boards) + 1:] == ["Exceptions", "Reward estimate", "About"]
    board_rows = sum(len(table_rows(wb[name])) for name in wb.sheetnames[1:1 + len(boards)])
    assert board_rows == int((rated["period"] == PERIOD).sum())
    assert len(table_rows(wb["Exceptions"])) == len(overview.exceptions(rated, PERIOD))
    assert all(len(name) <= 31 for name in wb.sheetnames)


def test_report_pack_for_luton_has_the_indicative_reward_estimate_of_the_overview(luton):
    from performance import reward

    register, rated, framework = luton
    wb = reopen(exports.report_pack(register, rated, PERIOD, framework=framework, about=ABOUT))
    ws = wb["Reward estimate"]
    expected = reward.display(reward.estimate(rated, PERIOD, register.settings, register.indicators))
    assert ws["A1"].value == f"Indicative reward estimate: {PERIOD}"
    assert ws["A2"].value.startswith("Indicative only.")
    assert (reward.NOT_TRACED in ws["A2"].value) == (reward.rule(register.settings) is None)
    got = table_rows(ws)
    assert len(got) == len(expected) > 0
    assert got["Code"].tolist() == expected["Code"].tolist()
    assert got["Reward share so far"].tolist() == expected["Reward share so far"].tolist()
    assert set(got["Basis"]) == {reward.LABEL}


def test_report_pack_without_reward_eligible_parts_has_no_reward_sheet(pack_register, pack_rated):
    assert "Reward estimate" not in pack(pack_register, pack_rated).sheetnames


# --- the client's words, blanks and bidirectional controls (issue 17 items 1-2, issue 18 item 9) ---


CODES_AND_WORDS = [
    ("polarity", "higher_is_better", "Higher is better"),
    ("polarity", "lower_is_better", "Lower is better"),
    ("measure", "cumulative_in_year", "Cumulative in year"),
    ("frequency", "biennial_survey", "Biennial survey"),
    ("target_status", "no_survey", "No survey"),
    ("target_status", "not_applicable", "Not applicable"),
    ("unit", "rate_per_1000", "Rate per 1,000"),
    ("kind", "statutory", "Statutory"),
    ("status", "removed", "Removed"),
]


@pytest.mark.parametrize(("column", "code", "words"), CODES_AND_WORDS)
def test_table_workbook_writes_codes_in_the_clients_words(column, code, words):
    cell = column_cells(workbook(table(**{column: [code]})).worksheets[0], column)[0]
    assert cell.value == words and cell.data_type == "s"


@pytest.mark.parametrize(("column", "code", "words"), CODES_AND_WORDS)
def test_table_csv_writes_codes_in_the_clients_words(column, code, words):
    assert read_csv(exports.table_csv(table(**{column: [code]})))[column_label(column)][0] == words


def test_table_workbook_unit_in_words_keeps_the_units_number_format():
    ws = workbook(table(unit=["rate_per_1000"], value=[18.4])).worksheets[0]
    assert column_cells(ws, "unit")[0].value == "Rate per 1,000"
    assert column_cells(ws, "value")[0].number_format == exports.UNIT_FORMATS["rate_per_1000"]


def test_table_workbook_about_says_what_blank_cells_mean():
    about = about_values(workbook(table(target=[math.nan], forecast_year_end=[math.nan])))
    assert about["Blank cells"] == ("Target, no usable target (the reason says why); Forecast year end, "
                                    "no year-end forecast given.")
    assert "Blank cells" not in about_values(workbook(table()))


BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_table_workbook_removes_bidirectional_controls(control):
    text = f"Target met{control} (see 2009/10){control}"
    ws = workbook(table(commentary=[text], code=[f"NI{control} 117"])).worksheets[0]
    assert column_cells(ws, "commentary")[0].value == "Target met (see 2009/10)"
    assert column_cells(ws, "code")[0].value == "NI 117"


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_table_csv_removes_bidirectional_controls(control):
    back = read_csv(exports.table_csv(table(commentary=[f"{control}1 red{control}"])))
    assert back["Commentary"][0] == "1 red"


def test_bidirectional_control_before_a_formula_does_not_hide_it():
    """"\u202e=1+1" would start with "=" once the control is gone: still text, not a formula."""
    cell = column_cells(workbook(table(commentary=["\u202e=1+1"])).worksheets[0], "commentary")[0]
    assert cell.value == "=1+1" and cell.data_type == "s" and cell.quotePrefix
    assert read_csv(exports.table_csv(table(commentary=["\u2066=1+1"])))["Commentary"][0] == "'=1+1"


def test_bidirectional_controls_leave_headings_sheet_names_and_about():
    wb = workbook(table(**{"note\u202e": ["x"]}), settings=None)
    assert column_label("note") in [c.value for c in wb.worksheets[0][1]]
    wb = reopen(exports.table_workbook(table(), title="Overview\u202e 2009/10",
                                       about={"Filters": "a\u2067b"}))
    assert wb.sheetnames[0] == "Overview 2009-10"
    assert about_values(wb)["Filters"] == "ab"


def _texts(wb) -> list[str]:
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None]


def test_report_pack_for_luton_has_no_code_and_no_none(luton):
    from performance.tables import display_codes
    register, rated, framework = luton
    wb = reopen(exports.report_pack(register, rated, PERIOD, framework=framework, about=ABOUT))
    texts = _texts(wb)
    assert not {t for t in texts if t in display_codes()}
    assert not {t for t in texts if t.strip() in ("None", "nan", "NaN", "NaT", "<NA>")}


def test_overview_table_of_luton_exports_without_codes_or_none(luton):
    from performance.tables import display_codes
    register, rated, framework = luton
    shown = exports.overview_table(rated, PERIOD)
    texts = _texts(workbook(shown))
    csv_cells = read_csv(exports.table_csv(shown)).to_numpy().ravel().tolist()
    for cells in (texts, csv_cells):
        assert not {t for t in cells if t in display_codes()}
        assert not {t for t in cells if t.strip() in ("None", "nan", "NaN", "NaT", "<NA>")}
    assert "Rate per 1,000" in texts and "rate_per_1000" in set(shown["unit"])


# --- the comparison with a benchmark (issue 14) ----------------------------------------------------


def _compared(rated: pd.DataFrame, benchmark: str = "England", value: float = 9.0) -> pd.DataFrame:
    """The period's rows with the benchmark columns: NI 117's 7.0% is 70 of 1,000 (95% interval
    5.58% to 8.75%), the benchmark's NI 117 value is ``value``."""
    from performance.benchmark_rating import with_benchmarks

    rows = rated[rated["period"] == PERIOD]
    fw = rows["framework"].iloc[0]
    values = pd.DataFrame({"framework": [fw], "code": ["NI 117"], "part": [""], "area": [benchmark],
                           "period": [PERIOD], "value": [value]})
    series = pd.DataFrame({"framework": [fw], "code": ["NI 117"], "part": [""], "period": [PERIOD],
                           "value": [7.0], "numerator": [70.0], "denominator": [1000.0]})
    return with_benchmarks(rows, benchmark, values, series)


@pytest.mark.parametrize(("value", "words"), [
    (9.0, "Better than benchmark"),  # lower is better: 7.0% (5.58 to 8.75) below England's 9.0
    (7.5, "Similar to benchmark"),
    (5.0, "Worse than benchmark"),
])
def test_overview_table_comparison_follows_polarity_in_words(pack_rated, value, words):
    shown = exports.overview_table(pack_rated, PERIOD, _compared(pack_rated, value=value))
    row = shown.set_index("code").loc["NI 117"]
    assert row["Compared with benchmark (95%)"] == words
    assert row["Benchmark value"] == value and row["Benchmark"] == "England"
    assert row["Trend basis"] == "Quarterly values"
    other = shown.set_index("code").loc["NI 039"]  # no count: not compared, with the reason
    assert other["Compared with benchmark (95%)"] == "Not compared"
    assert other["Why not compared"] == "no confidence interval and no benchmark value"


@pytest.mark.parametrize("text", INJECTIONS)
def test_comparison_columns_formula_like_benchmark_name_is_written_as_text(pack_rated, text):
    shown = exports.overview_table(pack_rated, PERIOD, _compared(pack_rated, benchmark=text))
    ws = workbook(shown, blanks=exports.COMPARISON_BLANKS).worksheets[0]
    for cell in column_cells(ws, "Benchmark"):
        assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
    limits = [c for c in column_cells(ws, "Lower 95% limit") if c.value is not None]
    assert [c.data_type for c in limits] == ["n"]  # numbers stay numbers
    csv_rows = read_csv(exports.table_csv(shown))
    assert set(csv_rows["Benchmark"]) == {"'" + text}


def test_report_pack_comparison_sheet_has_a_valid_name_for_a_long_benchmark(pack_register, pack_rated):
    wb = pack(pack_register, pack_rated, compared=_compared(pack_rated, "Statistical neighbours"))
    name = exports.sheet_name("Compared with Statistical neighbours")
    assert name in wb.sheetnames and len(name) <= 31
    about = about_values(wb)
    assert about["Benchmark"].startswith(f"Statistical neighbours. On the sheet \"{name}\"")
    rows = table_rows(wb[name])
    assert sorted(rows["Code"]) == ["NI 039", "NI 117", "NI 123"]  # NI 154 is not due: nothing to compare
    assert "Illustrative" in rows.columns  # NI 123 holds a demo value: marked here too
    assert rows.set_index("Code").loc["NI 123", "Illustrative"] == "demo"
