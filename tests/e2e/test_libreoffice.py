"""Exports opened by a real spreadsheet application: LibreOffice, headless.

openpyxl reading back what openpyxl wrote proves little about what a board member sees. Here
LibreOffice opens the exported table and the report pack and writes every sheet back out as CSV
(and once as PDF), and the values are checked as LibreOffice read them: a commentary of "=1+1"
must come back as the text =1+1, not 2.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from performance import exports, overview
from performance.tables import column_label
from tests.builders import luton_rated
from tests.conftest import skip_or_fail

PERIOD = "2009/10 Q3"
# UTF-8, comma, double quote; raw values (not as shown); formulas as results; -1: every sheet
CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
CSV_FIRST_SHEET = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false'
ABOUT = {"Filters": "status: red, amber", "Period": PERIOD, "Data": "test register with demo values"}


@pytest.fixture(scope="module")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        skip_or_fail("LibreOffice (soffice) is not installed: "
                     "apt-get install -y --no-install-recommends libreoffice-calc-nogui")
    return path


def convert(soffice: str, source: Path, to: str, outdir: Path) -> subprocess.CompletedProcess:
    """Run one headless conversion with a private profile (soffice exits 0 even on failure)."""
    outdir.mkdir(exist_ok=True)
    return subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{outdir.parent / 'lo-profile'}",
         "--convert-to", to, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=180)


def sheets_as_csv(soffice: str, source: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice reads it: {sheet name: rows}. Falls back to the first sheet
    alone on a LibreOffice too old for the all-sheets option (before 7.2)."""
    result = convert(soffice, source, CSV_ALL_SHEETS, outdir)
    found = {p.stem.removeprefix(f"{source.stem}-"): p for p in outdir.glob(f"{source.stem}-*.csv")}
    if not found:
        result = convert(soffice, source, CSV_FIRST_SHEET, outdir)
        single = outdir / f"{source.stem}.csv"
        assert single.exists(), f"LibreOffice wrote nothing:\n{result.stdout}\n{result.stderr}"
        found = {"(first sheet)": single}
    return {name: list(csv.reader(path.open(encoding="utf-8", newline=""))) for name, path in found.items()}


def first_sheet(sheets: dict[str, list[list[str]]], name: str) -> list[list[str]]:
    return sheets.get(name) or sheets["(first sheet)"]


def records(rows: list[list[str]], first_column: str) -> list[dict[str, str]]:
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_column)
    header = rows[start]
    return [dict(zip(header, r, strict=False)) for r in rows[start + 1:] if any(r)]


@pytest.fixture(scope="module")
def luton():
    """The real register with illustrative demo values, rated, one typed-in formula added."""
    register, rated, framework = luton_rated()
    red = rated[(rated["period"] == PERIOD) & (rated["status"] == "red")].iloc[0]
    # typed into the return, as an officer would, and rated again
    returns = register.returns
    typed = ((returns["framework"] == framework) & (returns["code"] == red["code"])
             & (returns["part"] == red["part"]) & (returns["period"] == PERIOD)
             & (returns["area"] == red["own_area"]))
    assert typed.sum() == 1
    register.returns = returns.assign(commentary=returns["commentary"].where(~typed, "=1+1"),
                                      action=returns["action"].where(~typed, "-5 on last quarter; @SUM(A1)"))
    _, rated, _ = luton_rated(register)
    return register, rated, framework, red["code"]


def test_libreoffice_reads_exported_table_values_as_written(soffice, tmp_path):
    frame = pd.DataFrame({
        "code": ["NI 117", "NI 123", "NI 039", "NI 151"],
        "value": [7.0, 480.0, 1600.0, -3.5],
        "unit": ["percent", "count", "rate_per_100000", "percentage_points"],
        "status": ["amber", "green", "red", "no_data"],
        "direction": ["worsening", "improving", "no_change", None],
        "commentary": ["=1+1", "+44 1582 546000", "@SUM(A1)", "-5 on last quarter"],
        "is_demo": [True, False, False, False],
    })
    source = tmp_path / "table.xlsx"
    source.write_bytes(exports.table_workbook(frame, title=f"Overview {PERIOD}", about=ABOUT))
    sheets = sheets_as_csv(soffice, source, tmp_path / "out")
    table = first_sheet(sheets, "Overview 2009-10 Q3")
    assert table[0] == [column_label("illustrative" if c == "is_demo" else c) for c in frame.columns]
    rows = records(table, column_label("code"))
    assert [r["Commentary"] for r in rows] == ["=1+1", "+44 1582 546000", "@SUM(A1)", "-5 on last quarter"]
    assert [r["Status"] for r in rows] == ["▲ Amber", "● Green", "■ Red", "○ No data"]
    assert [r["Direction"] for r in rows] == ["↓ worsening", "↑ improving", "→ no change", ""]
    assert [float(r["Value"]) for r in rows] == [7.0, 480.0, 1600.0, -3.5]  # numbers, not text
    assert [r["Illustrative"] for r in rows] == ["demo", "", "", ""]
    if "About" in sheets:
        about = {r[0]: r[1] for r in sheets["About"] if len(r) > 1 and r[0]}
        assert about["Filters"] == ABOUT["Filters"] and about["Period"] == PERIOD
        assert about["Illustrative values"].startswith("YES")


def test_libreoffice_opens_every_sheet_of_the_report_pack(soffice, tmp_path, luton):
    register, rated, framework, code = luton
    source = tmp_path / "pack.xlsx"
    source.write_bytes(exports.report_pack(register, rated, PERIOD, framework=framework, about=ABOUT))
    sheets = sheets_as_csv(soffice, source, tmp_path / "out")
    summary = first_sheet(sheets, "Summary")
    counts = overview.rag_counts(rated, PERIOD)
    assert [overview.counts_sentence(counts)] in [r[:1] for r in summary]
    table = records(summary, exports.SUMMARY_HEADER)
    assert table[0]["theme board"] == "All theme boards"
    assert int(table[0]["■ Red"]) == counts.loc[0, "red"]
    if "(first sheet)" in sheets:
        return  # an old LibreOffice: only the Summary could be checked
    boards = counts["theme_board"].tolist()[1:]
    from performance import reward

    estimate = reward.estimate(rated, PERIOD, register.settings, register.indicators)
    assert set(sheets) == {"Summary", "Exceptions", "About", *(exports.sheet_name(b) for b in boards),
                           *(["Reward estimate"] if len(estimate) else [])}
    if len(estimate):  # the indicative estimate reads back as the overview shows it
        shown = records(sheets["Reward estimate"], "Code")
        assert [r["Code"] for r in shown] == reward.display(estimate)["Code"].tolist()
        assert {r["Basis"] for r in shown} == {reward.LABEL}
    exceptions = records(sheets["Exceptions"], column_label("theme_board"))
    assert list(exceptions[0]) == [column_label(c) for c in (*exports.EXCEPTION_COLUMNS, "illustrative")]
    listed = {r["Code"]: r for r in exceptions}
    assert listed[code]["Commentary"] == "=1+1"  # text, not the formula's result 2
    assert listed[code]["Action"] == "-5 on last quarter; @SUM(A1)"
    assert listed[code]["Status"] == "■ Red"
    board = records(sheets[exports.sheet_name(boards[0])], column_label("code"))
    assert board and list(board[0])[:3] == ["Code", "Part", "Title"]
    assert not codes_or_none(sheets)


MISSING_WORDS = {"None", "nan", "NaN", "NaT", "<NA>", "none"}


def codes_or_none(sheets: dict[str, list[list[str]]]) -> list[tuple[str, str]]:
    """Cells LibreOffice read that a reader should not see: a vocabulary code, "None", "nan"."""
    from performance.tables import display_codes
    codes = display_codes()
    return [(name, cell) for name, rows in sheets.items() for row in rows for cell in row
            if cell in codes or cell.strip() in MISSING_WORDS]


def test_libreoffice_reads_the_register_and_targets_in_words_without_none(soffice, tmp_path, luton):
    """Every indicator part's definition and NI 001's targets (empty values, "No survey"), as
    exported from the register and indicator pages, in the client's words and blank where empty."""
    from performance.register import target_history
    from performance.tables import TARGET_BLANKS
    register, _, framework, _ = luton
    parts = register.indicators[register.indicators["framework"] == framework]
    definitions = parts[["code", "part", "kind", "unit", "polarity", "measure", "frequency", "baseline",
                         "baseline_period", "comparator", "status", "notes"]].assign(
        notes=lambda f: f["notes"].where(f["code"] != "NI 001", "Survey due\u202e 2010/11\u2069"))
    targets = target_history(register, framework, "NI 001")
    found = {}
    for name, frame, blanks in (("definitions", definitions, None), ("targets", targets, TARGET_BLANKS)):
        source = tmp_path / f"{name}.xlsx"
        source.write_bytes(exports.table_workbook(frame, title=name, about=ABOUT, blanks=blanks))
        found[name] = sheets_as_csv(soffice, source, tmp_path / f"out-{name}")
        assert not codes_or_none(found[name]), codes_or_none(found[name])
    shown = records(first_sheet(found["definitions"], "definitions"), "Code")
    assert {r["Polarity"] for r in shown} == {"Higher is better", "Lower is better"}
    assert {"Biennial survey", "Quarterly", "Annual"} <= {r["Frequency"] for r in shown}
    assert {"Rate per 1,000", "Percent"} <= {r["Unit"] for r in shown}
    assert {r["Status"] for r in shown} == {"Active", "Removed"}
    assert next(r for r in shown if r["Code"] == "NI 001")["Notes"] == "Survey due 2010/11"  # no bidi
    years = records(first_sheet(found["targets"], "targets"), "Part")
    assert [r["Target status"] for r in years] == ["Not applicable", "No survey", "Set"]
    assert [r["Value"] for r in years] == ["", "", "76.5"]
    if "About" in found["targets"]:
        about = {r[0]: r[1] for r in found["targets"]["About"] if len(r) > 1 and r[0]}
        assert "Value, no number: the target is in words" in about["Blank cells"]


def test_libreoffice_prints_the_report_pack_and_page_one_renders(soffice, tmp_path, luton):
    register, rated, framework, _ = luton
    source = tmp_path / "pack.xlsx"
    source.write_bytes(exports.report_pack(register, rated, PERIOD, framework=framework, about=ABOUT))
    result = convert(soffice, source, "pdf", tmp_path / "pdf")
    pdf = tmp_path / "pdf" / "pack.pdf"
    assert pdf.exists(), f"LibreOffice wrote no PDF:\n{result.stdout}\n{result.stderr}"
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the PDF was made, page 1 not rendered")
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = list(tmp_path.glob("page*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 1000
