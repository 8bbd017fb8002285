"""The officers' returns workbook: writing the template and reading a filled-in one safely."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_loaders.excel import MAX_ROWS, WorkbookRefused, open_workbook, read_sheet
from performance import returns as rt
from performance.errors import CellError

GUIDANCE_SHEET = "Guidance"
ABOUT_SHEET = "About"
TEMPLATE_SHEETS = (rt.SHEET, GUIDANCE_SHEET, ABOUT_SHEET)
_LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
_HEADER_FONT = Font(bold=True)
_WIDTHS = {"code": 11, "part": 18, "period": 12, "value": 11, "comparator_value": 17,
           "forecast_year_end": 17, "provisional": 12, "commentary": 60, "action": 60,
           "numerator": 12, "denominator": 13, rt.INTERNAL_COLUMN: 21}
# The optional columns last: older templates lack them and are still read.
_TEMPLATE_COLUMNS = rt.COLUMNS + rt.COUNT_COLUMNS + (rt.INTERNAL_COLUMN,)


def write_template(rows: pd.DataFrame, guidance: pd.DataFrame, period: str,
                   framework: str) -> bytes:
    """Build the returns template: pre-filled rows, locked read-only columns, a guidance sheet.

    The sheet is protected without a password: it stops accidental edits of code, part and
    period (which identify the row), not a determined user; the import checks them anyway.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = rt.SHEET
    ws.append(list(_TEMPLATE_COLUMNS))
    for r in rows.itertuples():
        given = {"code": r.code, "part": r.part, "period": r.period}
        ws.append([given.get(name, "no" if name in rt.YES_NO_COLUMNS else None)
                   for name in _TEMPLATE_COLUMNS])
    for idx, name in enumerate(_TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = _WIDTHS[name]
        ws.cell(row=1, column=idx).font = _HEADER_FONT
        for row in range(2, len(rows) + 2):
            cell = ws.cell(row=row, column=idx)
            if name in rt.READ_ONLY_COLUMNS:
                cell.fill = _LOCKED_FILL
            else:
                cell.protection = Protection(locked=False)
            if name in rt.TEXT_COLUMNS:
                cell.number_format = "@"  # typed text stays text, even "=..." or "-..."
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row, r in enumerate(rows.itertuples(), start=2):
        if not r.comparator:  # only gap indicators take a comparator value
            ws.cell(row=row, column=rt.COLUMNS.index("comparator_value") + 1).protection = \
                Protection(locked=True)
            ws.cell(row=row, column=rt.COLUMNS.index("comparator_value") + 1).fill = _LOCKED_FILL
    yes_no = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    ws.add_data_validation(yes_no)
    if len(rows):
        for name in rt.YES_NO_COLUMNS:
            letter = get_column_letter(_TEMPLATE_COLUMNS.index(name) + 1)
            yes_no.add(f"{letter}2:{letter}{len(rows) + 1}")
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let people widen columns

    gs = wb.create_sheet(GUIDANCE_SHEET)
    gs.append(list(guidance.columns))
    for rec in guidance.itertuples(index=False):
        gs.append([None if isinstance(v, float) and v != v else v for v in rec])
    for idx in range(1, len(guidance.columns) + 1):
        gs.cell(row=1, column=idx).font = _HEADER_FONT
        gs.column_dimensions[get_column_letter(idx)].width = 18
    gs.column_dimensions["C"].width = 60
    gs.freeze_panes = "C2"

    about = wb.create_sheet(ABOUT_SHEET)
    for line in (
        f"Quarterly return for {period} · {framework}",
        "",
        "Fill in the 'Returns' sheet: one row per indicator part. Grey columns (code, part,",
        "period) identify the row and are locked; do not change them.",
        "value: the figure for the period, in the indicator's unit (percentages as 6.5, not 0.065).",
        "  Cumulative indicators (e.g. NI 123 quitters, NI 155 homes): the year-to-date figure.",
        "comparator_value: only for gap targets (NI 151: Great Britain; NI 152: England).",
        "forecast_year_end: your forecast of the year-end outturn, if you have one.",
        "provisional: yes if the figure is not yet confirmed.",
        "numerator, denominator: optional, the count and population behind a percentage or rate",
        "  (e.g. 65 of 1,000 for 6.5%); the value must agree with them. They give its confidence interval.",
        "commentary: what the figure shows. action: what is being done; expected for every",
        "  amber or red indicator.",
        "commentary_internal: yes if the commentary and action are for the partnership only:",
        "  they are then never shown on the public scorecard (the value still is, once published).",
        "Rows left without a value are not imported. The 'Guidance' sheet shows each indicator's",
        "unit, polarity (which direction is better), target and baseline.",
    ):
        about.append([line])
    about.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class ReturnsFile:
    """A filled-in template as read: its rows, the cells Excel shows as percentages, and
    warnings about what the officer cannot see in Excel (hidden rows, columns, sheets)."""

    rows: list[tuple[int, dict]]
    percent_cells: frozenset[tuple[int, str]] = frozenset()
    warnings: list[CellError] = field(default_factory=list)


def read_returns_file(source: bytes | str | Path, name: str | None = None,
                      max_rows: int = MAX_ROWS) -> ReturnsFile:
    """Read the ``Returns`` sheet of a filled-in template.

    Refuses (``WorkbookRefused``) a file that is not a plain .xlsx, has missing or renamed
    columns, sheets that are not the template's, two sheets named ``Returns``, merged cells,
    formulas with no value, or numbers that are not numbers, wherever the workbook stores
    the sheet's XML.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    label = name or (Path(source).name if not isinstance(source, bytes) else "the file")
    with open_workbook(data, label) as wb:
        sheetnames = list(wb.sheetnames)
        states = {ws.title: getattr(ws, "sheet_state", "visible") for ws in wb.worksheets}
        errors = [CellError(s, None, None, "is not a sheet of the returns template"
                            + (f" (it is hidden in Excel: {states[s]})" if states.get(s, "visible")
                               != "visible" else "")
                            + f"; put the values on the '{rt.SHEET}' sheet and remove this one")
                  for s in dict.fromkeys(sheetnames) if s not in TEMPLATE_SHEETS]
        if rt.SHEET not in sheetnames:
            errors.insert(0, CellError(rt.SHEET, None, None, "the sheet is missing; found "
                                       f"{', '.join(repr(s) for s in sheetnames) or 'no sheets'}"))
            raise WorkbookRefused(errors)
        if sheetnames[0] != rt.SHEET:
            position = sheetnames.index(rt.SHEET) + 1
            errors.append(CellError(rt.SHEET, None, None,
                                    f"must be the first sheet (it is sheet {position})"))
        sheet, found = read_sheet(wb, rt.SHEET, rt.COLUMNS, rt.COUNT_COLUMNS, max_rows=max_rows)
        errors.extend(found)
        if sheet is not None:
            extra = [h for h in sheet.header if h and h not in _TEMPLATE_COLUMNS]
            errors.extend(CellError(rt.SHEET, 1, h, "is not a column of the template; the columns are "
                                    + ", ".join(_TEMPLATE_COLUMNS)) for h in extra)
    if sheet is not None and not sheet.rows:
        errors.append(CellError(rt.SHEET, None, None, "has no rows; the workbook is empty"))
    if errors:
        raise WorkbookRefused(errors)
    return ReturnsFile(sheet.rows, sheet.percent_cells, list(sheet.warnings))


def build_template(register, framework: str, period: str, parts: pd.DataFrame | None = None) -> bytes:
    """The returns template for ``period``: every active part in scope that is due then."""
    from performance.periods import parse_period

    when = parse_period(period)
    rows = rt.template_rows(register, framework, when, parts)
    return write_template(rows, rt.guidance(register, framework, when, rows), str(when), framework)


def check_returns_file(register, data: bytes, name: str, max_rows: int = MAX_ROWS
                       ) -> rt.ReturnsCheck:
    """Read and check a filled-in template; file-level problems come back as errors too."""
    try:
        read = read_returns_file(data, name, max_rows)
    except WorkbookRefused as refused:
        return rt.ReturnsCheck(rows=pd.DataFrame(), errors=refused.errors, warnings=[])
    check = rt.check_rows(register, read.rows, percent_cells=read.percent_cells)
    check.warnings[:0] = read.warnings
    return check
