"""Workbooks and CSV files people download: a table as shown, and the quarterly report pack.

Pure builders (openpyxl and pandas; no Streamlit, no database): each takes frames and returns the
file's bytes, so pages, the command line and tests all call the same code.

- :func:`table_workbook` / :func:`table_csv`: any table of the app, exactly the rows and columns
  shown, as a finished document (styled frozen header, autofilter, fitted widths, numbers in each
  indicator's unit, RAG statuses filled with their colour and labelled with symbol and word) with
  an ``About`` sheet saying what was exported, from which data and under which RAG rules.
- :func:`overview_table`: the overview's table of indicator parts for one period.
- :func:`report_pack`: what the Performance Management Sub-Group circulates each quarter: a
  Summary (RAG counts overall and per theme board with the change since last quarter), one sheet
  per theme board and an Exceptions sheet.

The frame contract of :func:`table_workbook`: column names are the client's words; ``status`` and
``forecast_status`` hold status codes, ``direction`` and ``direction_year`` direction codes; an
optional ``unit`` column gives each row's unit for the numeric columns in :data:`UNIT_COLUMNS`;
the columns in :data:`LONG_TEXT_COLUMNS` wrap; a boolean ``is_demo`` column becomes an
``illustrative`` column holding "demo". Headings are written in words exactly as the app shows
them on screen (:func:`performance.tables.column_label`: ``theme_board`` -> "Theme board",
``illustrative`` -> "Illustrative"); the Summary sheet's own headings are its own.

Safety: every text cell is written as text, never as a formula: a value starting with ``=``,
``+``, ``-``, ``@``, tab, CR or NUL gets the string type and ``quotePrefix`` (a leading ``'`` in
CSV). Only text is treated so, so negative numbers stay numbers. Control characters that
openpyxl rejects are stripped, and so are bidirectional override and isolate controls
(U+202A-U+202E, U+2066-U+2069), which would make a cell read otherwise than it is.

Words: every code is written as the screen shows it (:func:`performance.tables.cell_words`:
"Higher is better", "Biennial survey", "Rate per 1,000"), and the About sheet says what each
blank column means (:func:`performance.tables.blank_note`).

Speed: workbooks are written in openpyxl's write-only mode; every look is a ``NamedStyle``
registered once per workbook and each cell takes a copy of its style array, so 10,000 formatted
rows cost about what ``DataFrame.to_excel`` costs unformatted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from copy import copy
from io import BytesIO

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from performance import overview
from performance.periods import parse_period
from performance.register import Register
from performance.tables import (
    CODED_COLUMNS,
    DIRECTION_COLUMNS,
    STATUS_COLUMNS,
    blank_note,
    cell_words,
    column_label,
)
from performance.vocabulary import (
    DEFAULT_SETTINGS,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUSES,
    UNITS,
    status_badge,
)

__all__ = [
    "DIRECTION_COLUMNS",
    "LONG_TEXT_COLUMNS",
    "OVERVIEW_COLUMNS",
    "REPORT_PACK_COLUMNS",
    "STATUS_COLUMNS",
    "UNIT_COLUMNS",
    "UNIT_FORMATS",
    "overview_table",
    "rag_rules",
    "report_pack",
    "sheet_name",
    "table_csv",
    "table_workbook",
]

Progress = Callable[[int, int], None]

# --- the frame contract -------------------------------------------------------------------------

UNIT_COLUMNS = ("value", "target", "original_target", "baseline", "forecast_year_end",
                "comparator_value", "year_target")
LONG_TEXT_COLUMNS = ("reason", "commentary", "action", "notes", "title")
DEMO_COLUMN, ILLUSTRATIVE_COLUMN = "is_demo", "illustrative"

OVERVIEW_COLUMNS = (
    "code", "part", "title", "theme_board", "lead_partner", "period", "value", "unit", "target",
    "status", "direction", "direction_year", "forecast_year_end", "forecast_status", "reason",
    "commentary", "action", "is_demo",
)
REPORT_PACK_COLUMNS = (
    "code", "part", "title", "value", "target", "status", "direction", "direction_year",
    "forecast_year_end", "forecast_status", "reason", "commentary", "action",
)
EXCEPTION_COLUMNS = (
    "theme_board", "code", "part", "title", "listed_for", "value", "target", "status", "direction",
    "forecast_year_end", "forecast_status", "reason", "commentary", "action",
)

# Values are stored as written (6.5 means 6.5%), so the percent format adds the sign rather
# than multiplying by 100 as Excel's 0.0% would.
UNIT_FORMATS = {
    "percent": '0.0"%"',
    "percentage_points": '0.0" pts"',
    "count": "#,##0",
    "rate_per_1000": "#,##0.0#",
    "rate_per_10000": "#,##0.0#",
    "rate_per_100000": "#,##0.0#",
    "days": '#,##0.0" days"',
    "tonnes_per_capita": '0.00" t"',
    "level": '"Level "0',
    "score": "#,##0.0#",
    "ratio": "0.00",
}
GENERAL_FORMAT = "General"
CHANGE_FORMAT = "+0;-0;0"
DATE_FORMAT = "d mmm yyyy"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")
# Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): in a
# cell they reorder what a reader sees ("Trojan Source"), so a comment could show one figure and
# hold another. Invisible and never needed in the client's English text: removed.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MAX_CELL_TEXT = 32_767  # Excel's limit on the characters of one cell
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_PROGRESS_EVERY = 250

_HEADER_FILL = "1F3A5F"  # navy: the header band (not a status colour)
_HEADER_TEXT = "FFFFFF"
_BLACK, _WHITE = "000000", "FFFFFF"
_WARNING_TEXT = "7A2E00"  # dark brown: the demo warning (not a status colour)
_PAPER_A4 = "9"  # Worksheet.PAPERSIZE_A4
FONT_NAME, FONT_SIZE = "Arial", 10
_ABOUT_WIDTH = 100
_LINE_HEIGHT = 12.5  # points per line of Arial 10
_MAX_ROW_HEIGHT = 409.0  # Excel's limit


# --- small helpers ------------------------------------------------------------------------------


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and not math.isfinite(value)


def _clean_text(text: str) -> str:
    """Text without the control characters a workbook cannot hold, within Excel's cell limit.

    Line breaks become ``\n``: XML turns a carriage return into one anyway. Bidirectional
    override and isolate controls are removed (they could make a cell read otherwise than it is).
    """
    text = _BIDI_CONTROLS.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:_MAX_CELL_TEXT]


def _is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()[-6:]


def _argb(colour: str) -> str:
    """An opaque ARGB colour for openpyxl ("#E69F00" -> "FFE69F00")."""
    return "FF" + _hex(colour)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    rgb = _hex(colour)
    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def readable_text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (WCAG contrast ratio)."""
    lum = _luminance(fill)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return _BLACK if on_black >= on_white else _WHITE


def sheet_name(name: str, used: Iterable[str] = ()) -> str:
    """A valid, unused sheet name for ``name``: at most 31 characters, none of ``[]:*?/\\``.

    Long theme board names are shortened readably ("and" becomes "&", then "Board" goes)
    before being cut.
    """
    text = _SHEET_NAME_BAD.sub("-", _clean_text(str(name))).strip().strip("'").strip() or "Sheet"
    if len(text) > 31:
        text = text.replace(" and ", " & ")
    if len(text) > 31 and text.lower().endswith(" board"):
        text = text[: -len(" board")]
    if len(text) > 31:
        text = text[:30].rstrip() + "…"
    taken = {u.casefold() for u in used}
    candidate, n = text, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = text[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    return candidate


def _timestamp(now: dt.datetime | None = None) -> str:
    now = (now or dt.datetime.now()).astimezone()
    return f"{now:%d %B %Y, %H:%M} {now:%Z}".strip()


def rag_rules(settings: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The RAG rules in force, in a few lines (the short version of ``docs/rag-rules.md``)."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    tolerance = str(settings.get("default_tolerance_pct") or DEFAULT_SETTINGS["default_tolerance_pct"])
    scheme = settings.get("rag_scheme") or DEFAULT_SETTINGS["rag_scheme"]
    threshold = settings.get("direction_threshold_pct") or DEFAULT_SETTINGS["direction_threshold_pct"]
    tol = f"the tolerance ({tolerance}% of the target unless the indicator sets its own)"
    if scheme == "target_with_tolerance":
        lines = [
            ("Scheme", "Target with tolerance (the default here; an indicator may use baseline and target)"),
            (status_badge("green"), "on or better than the target"),
            (status_badge("amber"), f"short of the target by no more than {tol}"),
            (status_badge("red"), "short of the target by more than the tolerance"),
        ]
    else:
        lines = [
            ("Scheme", "Baseline and target (the default; an indicator may use target with tolerance)"),
            (status_badge("green"), f"on or better than the target, or short of it by no more than {tol}"),
            (status_badge("amber"), "beyond the tolerance but better than the baseline "
                                    "(with no baseline: within twice the tolerance)"),
            (status_badge("red"), "no better than the baseline "
                                  "(with no baseline: short by more than twice the tolerance)"),
        ]
    return [
        *lines,
        ("Tolerance", f"{tolerance}% of the target by default; an indicator may set its own percentage, "
                      "or points in its unit"),
        ("Better, worse", "follow each indicator's polarity (higher or lower is better)"),
        (status_badge("no_data"), "due this period but no value recorded"),
        (status_badge("not_due"), "not reported this period (annual or survey indicators, no survey)"),
        (status_badge("no_target"), "no usable target (to be confirmed, not applicable, placeholder 0, "
                                    "indicator removed)"),
        ("Counts", "an indicator in parts counts once, with the worst status of its parts"),
        ("Direction", f"↑ improving, ↓ worsening or → no change (within {threshold}%) since the previous "
                      "period (Direction) and the same period a year earlier (Direction year)"),
        ("Full rules", "docs/rag-rules.md"),
    ]


# --- styles: NamedStyles registered once per workbook ----------------------------------------


def _font(**kwargs) -> Font:
    return Font(**{"name": FONT_NAME, "size": FONT_SIZE, **kwargs})


def _named_styles() -> list[NamedStyle]:
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top")
    thin = Side(style="thin", color="999999")
    plain, bold = _font(), _font(bold=True)
    styles = [
        NamedStyle("x header", font=_font(bold=True, color=_argb(_HEADER_TEXT)),
                   fill=PatternFill("solid", fgColor=_argb(_HEADER_FILL)),
                   alignment=Alignment(vertical="center", wrap_text=True), border=Border(bottom=thin)),
        NamedStyle("x text", font=plain, alignment=top),
        NamedStyle("x long text", font=plain, alignment=wrap),
        NamedStyle("x number", font=plain, alignment=top, number_format=GENERAL_FORMAT),
        NamedStyle("x date", font=plain, alignment=top, number_format=DATE_FORMAT),
        NamedStyle("x change", font=plain, alignment=centre, number_format=CHANGE_FORMAT),
        NamedStyle("x count", font=plain, alignment=centre, number_format="#,##0"),
        NamedStyle("x title", font=_font(bold=True, size=14)),
        NamedStyle("x subtitle", font=_font(italic=True, color=_argb("444444"))),
        NamedStyle("x headline", font=_font(bold=True, size=12)),
        NamedStyle("x key", font=bold, alignment=top),
        NamedStyle("x warning", font=_font(bold=True, color=_argb(_WARNING_TEXT)), alignment=wrap),
        NamedStyle("x warning line", font=_font(bold=True, color=_argb(_WARNING_TEXT))),
        NamedStyle("x bold text", font=bold, alignment=top),
        NamedStyle("x bold count", font=bold, alignment=centre, number_format="#,##0"),
        NamedStyle("x bold change", font=bold, alignment=centre, number_format=CHANGE_FORMAT),
    ]
    for unit, fmt in UNIT_FORMATS.items():
        styles.append(NamedStyle(f"x number {unit}", font=plain, alignment=top, number_format=fmt))
    for status in STATUSES:
        colour = STATUS_COLOURS[status]
        font = _font(bold=True, color=_argb(readable_text_colour(colour)))
        fill = PatternFill("solid", fgColor=_argb(colour), bgColor=_argb(colour))
        styles.append(NamedStyle(f"x status {status}", font=font, fill=fill, alignment=top))
        styles.append(NamedStyle(f"x status header {status}", font=font, fill=fill,
                                 alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                                 border=Border(bottom=thin)))
    return styles


class _Writer:
    """One write-only workbook with its named styles; makes styled cells cheaply."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.arrays = {}
        for style in _named_styles():
            self.wb.add_named_style(style)
            self.arrays[style.name] = style.as_tuple()

    def sheet(self, name: str):
        return self.wb.create_sheet(sheet_name(name, self.wb.sheetnames))

    def cell(self, ws, value, style: str) -> Cell | None:
        """A cell holding ``value`` (None for a missing value) in the named style."""
        if _missing(value):
            return None
        c = Cell(ws, row=1, column=1)
        if isinstance(value, str):
            text = _clean_text(value)
            c._value, c.data_type = text, "s"
            c._style = copy(self.arrays[style])
            if _is_formula_like(text):
                c.quotePrefix = True
            return c
        if isinstance(value, bool | np.bool_):
            return self.cell(ws, "yes" if value else "no", style)
        if isinstance(value, int | float | np.integer | np.floating):
            c._value, c.data_type = (int(value) if isinstance(value, int | np.integer) else float(value)), "n"
            c._style = copy(self.arrays[style])
            return c
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, dt.datetime | dt.date | dt.time):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            c.value = value
            c._style = copy(self.arrays["x date"])
            return c
        return self.cell(ws, str(value), style)

    def save(self) -> bytes:
        buffer = BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()


class _Progress:
    def __init__(self, callback: Progress | None, total: int) -> None:
        self.callback, self.total, self.done = callback, total, 0

    def step(self) -> None:
        self.done += 1
        if self.callback is not None and self.done % _PROGRESS_EVERY == 0 and self.done < self.total:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(self.total, self.total)


# --- tables -----------------------------------------------------------------------------------


def _kind(column: str, units: pd.Series | None) -> str:
    if column in STATUS_COLUMNS:
        return "status"
    if column in DIRECTION_COLUMNS:
        return "direction"
    if column == DEMO_COLUMN:
        return "demo"
    if column in UNIT_COLUMNS and units is not None:
        return "unit number"
    if column in LONG_TEXT_COLUMNS:
        return "long text"
    return "plain"


def _text_length(values: list) -> int:
    return max((max(len(line) for line in str(v).split("\n")) for v in values if not _missing(v)),
               default=0)


def _width(kind: str, header: str, values: list, column: str) -> tuple[float, bool]:
    """Column width in characters and whether the column wraps."""
    head = len(header) + 2
    if kind in ("status", "direction"):
        return max(head, 13), False
    if kind == "demo":
        return max(head, 8), False
    numbers = [v for v in values if isinstance(v, int | float | np.integer | np.floating) and not _missing(v)]
    if kind == "unit number" or (numbers and len(numbers) == sum(not _missing(v) for v in values)):
        biggest = max((abs(float(v)) for v in numbers), default=0.0)
        digits = len(f"{biggest:,.2f}") + 1 + (4 if kind == "unit number" else 0)
        return max(head, min(digits, 20), 8), False
    longest = _text_length(values) + 2
    cap = 36 if column == "title" else 42 if kind == "long text" else 40
    wraps = kind == "long text" or longest > cap
    return max(head, min(longest, cap), 15 if wraps else 6), wraps


def _lines(value, width: float) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (an estimate)."""
    if not isinstance(value, str) or (len(value) <= width and "\n" not in value):
        return 1
    per_line = max(1.0, width * 1.1 - 2)
    return sum(max(1, math.ceil(len(p) / per_line)) for p in value.split("\n"))


def _row_height(lines: int) -> float:
    return min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 2)


def _demo_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The ``is_demo`` flags as "demo" or "" (written under the header "Illustrative")."""
    if DEMO_COLUMN not in frame.columns:
        return frame
    flags = frame[DEMO_COLUMN].fillna(False).astype(bool).to_numpy()
    return frame.assign(**{DEMO_COLUMN: np.where(flags, "demo", "").astype(object)})


def _demo_rows(frame: pd.DataFrame) -> int | None:
    """How many rows hold illustrative values; None when the frame does not say."""
    if DEMO_COLUMN not in frame.columns:
        return None
    return int(frame[DEMO_COLUMN].fillna(False).astype(bool).sum())


def _write_table(w: _Writer, ws, frame: pd.DataFrame, *, units: pd.Series | None,
                 progress: _Progress, title_rows: list[tuple[str, str]] = (), print_title: str = "") -> None:
    """Title rows (text, style), then a styled header and one row per frame row.

    Rows whose wrapped text needs more than one line get a height to fit it: LibreOffice does not
    grow rows on opening, and Excel does not either once a row has been drawn.
    """
    header_row = len(title_rows) + 1
    columns = [str(c) for c in frame.columns]
    # Headings in words, as on screen (performance.tables.column_label).
    headers = [column_label(ILLUSTRATIVE_COLUMN if c == DEMO_COLUMN else c) for c in columns]
    lists = [frame.iloc[:, i].tolist() for i in range(len(columns))]
    unit_list = units.tolist() if units is not None else None
    kinds = [_kind(c, units) for c in columns]
    for i, column in enumerate(columns):  # codes in the client's words, as on screen
        if kinds[i] != "status" and column in CODED_COLUMNS:
            lists[i] = _in_words(column, lists[i])
    styles, wrapping = [], []
    for i, (column, header, kind) in enumerate(zip(columns, headers, kinds, strict=True)):
        width, wraps = _width(kind, header, lists[i], column)
        ws.column_dimensions[get_column_letter(i + 1)].width = width
        styles.append("x long text" if wraps else "x text")
        if wraps:
            wrapping.append((lists[i], width))

    last_col = get_column_letter(max(len(columns), 1))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last_col}{header_row + len(frame)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = _PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if print_title:
        ws.oddHeader.center.text = _clean_text(print_title).replace("&", "&&")
    ws.oddFooter.right.text = "Page &P of &N"

    for text, style in title_rows:
        ws.append([w.cell(ws, text, style)])
    ws.append([w.cell(ws, h, "x header") for h in headers])

    cell = w.cell
    unit_styles = {u: f"x number {u}" for u in UNITS if u in UNIT_FORMATS}
    for r in range(len(frame)):
        row = []
        for i, kind in enumerate(kinds):
            v = lists[i][r]
            if _missing(v) or (isinstance(v, str) and not v):
                row.append(None)
            elif kind == "status":
                style = f"x status {v}" if v in STATUS_LABELS else "x text"
                row.append(cell(ws, cell_words("status", v), style))
            elif kind == "direction":
                row.append(cell(ws, cell_words(columns[i], v), "x text"))
            elif kind == "demo":
                row.append(cell(ws, v, "x text"))
            elif isinstance(v, str):
                row.append(cell(ws, v, styles[i]))
            elif kind == "unit number":
                row.append(cell(ws, v, unit_styles.get(unit_list[r], "x number")))
            else:
                row.append(cell(ws, v, "x number"))
        if wrapping:
            lines = max(_lines(values[r], width) for values, width in wrapping)
            if lines > 1:
                ws.row_dimensions[header_row + 1 + r].height = _row_height(lines)
        ws.append(row)
        progress.step()


def _about_rows(title: str, about: Mapping[str, str], rows: int, demo: int | None,
                now: str, blanks: str = "") -> list[tuple[str, str]]:
    if demo is None:
        illustrative = "not recorded in this table"
    elif demo:
        illustrative = (f"YES: {demo} of {rows} rows hold illustrative demo values, marked \"demo\" in the "
                        "Illustrative column. They were made up to show how the dashboard works; nobody "
                        "reported them.")
    else:
        illustrative = "no: every value was reported (none is an illustrative demo value)"
    given = [(str(k), str(v)) for k, v in about.items()]
    exported = next((v for k, v in given if k.casefold() == "exported"), now)  # the caller's time wins
    given = [(k, v) for k, v in given if k.casefold() != "exported"]
    return [("Title", title), ("Exported", exported), *given,
            ("Rows", f"{rows:,}"), ("Illustrative values", illustrative),
            *((("Blank cells", blanks.removeprefix("Blank cells: ")),) if blanks else ())]


def _write_about(w: _Writer, title: str, about: Mapping[str, str], rows: int, demo: int | None,
                 settings: Mapping[str, str] | None, now: str, blanks: str = "") -> None:
    ws = w.sheet("About")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = _ABOUT_WIDTH
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    lines = [("About this export", "", "x title", ""), ("", "", "", "")]
    for key, value in _about_rows(title, about, rows, demo, now, blanks):
        style = "x warning" if key == "Illustrative values" and demo else "x long text"
        lines.append((key, value, "x key", style))
    lines += [("", "", "", ""), ("RAG rules in force", "", "x headline", "")]
    for key, text in rag_rules(settings):
        code = next((s for s in STATUSES if status_badge(s) == key), None)
        lines.append((key, text, f"x status {code}" if code else "x key", "x long text"))
    for row, (key, value, key_style, value_style) in enumerate(lines, start=1):
        if _lines(value, _ABOUT_WIDTH) > 1:
            ws.row_dimensions[row].height = _row_height(_lines(value, _ABOUT_WIDTH))
        ws.append([w.cell(ws, key, key_style) if key else None,
                   w.cell(ws, value, value_style) if value else None])


def table_workbook(frame: pd.DataFrame, *, title: str, about: Mapping[str, str],
                   progress: Progress | None = None, settings: Mapping[str, str] | None = None,
                   blanks: Mapping[str, str] | None = None) -> bytes:
    """A table exactly as shown (rows, columns, order) as a finished .xlsx; returns its bytes.

    The first sheet holds the table: styled header row frozen, autofilter on, fitted column
    widths, numbers in each row's unit, statuses filled with their RAG colour and labelled
    ("▲ Amber"), directions as arrow and word ("↑ improving"), long text wrapped. An ``About``
    sheet gives ``title``, the export time, every ``about`` entry in order (say the filters, the
    period and the data it came from), the row count, whether illustrative demo values are
    included, and the RAG rules in force (``settings``: the register's, default tolerance 5%).
    ``progress(done, total)`` is called every few hundred rows and once at the end. The About
    sheet also says what blank cells mean (``blanks`` overrides the usual meaning of a column:
    :func:`performance.tables.blank_note`).
    """
    w = _Writer()
    ws = w.sheet(title if sheet_name(title) != "About" else "Table")
    units = frame["unit"] if "unit" in frame.columns else None
    tick = _Progress(progress, len(frame))
    now = _timestamp()
    _write_table(w, ws, _demo_as_text(frame), units=units,
                 progress=tick, print_title=f"{title} (exported {now})")
    _write_about(w, title, about, len(frame), _demo_rows(frame), settings, now, blank_note(frame, blanks))
    data = w.save()
    tick.finish()
    return data


def _in_words(column: str, values: list) -> list:
    """The cells of a coded column with each code as its label (each distinct value once)."""
    words = {v: cell_words(column, v) for v in set(values) if isinstance(v, str)}
    return [words.get(v, v) if isinstance(v, str) else v for v in values]


def _csv_value(v, kind: str, column: str = ""):
    if _missing(v):
        return ""
    if kind == "status" and isinstance(v, str):
        v = cell_words("status", v)
    elif isinstance(v, str) and column:
        v = cell_words(column, v)
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, str):
        text = _BIDI_CONTROLS.sub("", ILLEGAL_CHARACTERS_RE.sub("", v))
        return "'" + text if _is_formula_like(text) else text
    return v


def table_csv(frame: pd.DataFrame) -> bytes:
    """The table as CSV: UTF-8 with a byte-order mark (Excel then reads it as UTF-8).

    Statuses and directions are written as in the workbook ("▲ Amber", "↑ improving"),
    ``is_demo`` as an "Illustrative" column, every heading in words as on screen; text that a
    spreadsheet would run as a formula gets a leading ``'``; numbers are left as numbers.
    """
    display = _demo_as_text(frame)
    units = frame["unit"] if "unit" in frame.columns else None
    data = {}
    for i, column in enumerate(frame.columns):
        series = display.iloc[:, i]
        if pd.api.types.is_float_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
            data[i] = series.to_numpy()
        else:
            kind = _kind(str(column), units)
            data[i] = [_csv_value(v, kind, str(column)) for v in series.tolist()]
    table = pd.DataFrame(data, index=range(len(frame)), columns=range(len(frame.columns)))
    headers = [column_label(ILLUSTRATIVE_COLUMN) if c == DEMO_COLUMN
               else _csv_value(column_label(str(c)), "plain") for c in frame.columns]
    text = table.to_csv(index=False, header=headers, float_format="%.15g", lineterminator="\r\n")
    return text.encode("utf-8-sig")


# --- the overview's table ------------------------------------------------------------------


def overview_table(rated: pd.DataFrame, period: str) -> pd.DataFrame:
    """The overview's table of indicator parts in ``period``, one row per part, with reasons.

    ``rated``: rows of :func:`performance.rag.rate` with the register columns
    (:func:`performance.overview.with_register_columns`), already filtered. Columns:
    :data:`OVERVIEW_COLUMNS`; reasons are built for these rows unless ``rated`` has them.
    """
    period = str(parse_period(period))
    rows = rated[rated["period"] == period]
    out = overview.with_reasons(rows)
    for column in OVERVIEW_COLUMNS:
        if column not in out.columns:
            out[column] = False if column == DEMO_COLUMN else ""
    return out[list(OVERVIEW_COLUMNS)].reset_index(drop=True)


# --- the quarterly report pack -----------------------------------------------------------


_SUMMARY_STATUSES = ("green", "amber", "red", "no_data", "not_due", "no_target")
SUMMARY_HEADER = "theme board"


def _summary(w: _Writer, counts: pd.DataFrame, *, framework_title: str, period: str, previous: str,
             now: str, demo: int, total_parts: int, boards: Mapping[str, str]) -> None:
    ws = w.sheet("Summary")
    ws.column_dimensions["A"].width = 42
    for i in range(len(_SUMMARY_STATUSES) * 2):
        ws.column_dimensions[get_column_letter(i + 2)].width = 11 if i % 2 == 0 else 9
    ws.column_dimensions[get_column_letter(len(_SUMMARY_STATUSES) * 2 + 2)].width = 34
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = _PAPER_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddFooter.right.text = "Page &P of &N"

    headline = overview.counts_sentence(counts)
    ws.append([w.cell(ws, f"{framework_title}: quarterly performance report, {period}", "x title")])
    ws.append([w.cell(ws, f"Indicators by RAG status in {period}, with the change since {previous}. "
                          f"Produced {now}.", "x subtitle")])
    ws.append([w.cell(ws, headline, "x headline")])
    ws.append([w.cell(ws, f"Illustrative demo values are included: {demo} of {total_parts} indicator "
                          "parts this period hold made-up values, marked \"demo\".", "x warning line")
               if demo else None])
    ws.append([])
    header = [w.cell(ws, SUMMARY_HEADER, "x header")]
    for s in _SUMMARY_STATUSES:
        header += [w.cell(ws, status_badge(s), f"x status header {s}"), w.cell(ws, "change", "x header")]
    header.append(w.cell(ws, "sheet", "x header"))
    ws.append(header)
    for i, row in enumerate(counts.itertuples(index=False)):
        first = i == 0
        cells = [w.cell(ws, row.theme_board, "x bold text" if first else "x text")]
        for s in _SUMMARY_STATUSES:
            cells += [w.cell(ws, getattr(row, s), "x bold count" if first else "x count"),
                      w.cell(ws, getattr(row, f"{s}_change"), "x bold change" if first else "x change")]
        cells.append(w.cell(ws, boards.get(row.theme_board, ""), "x text"))
        ws.append(cells)
    ws.append([])
    notes = [
        "Counted per indicator: an indicator in parts counts once, with the worst status of its parts.",
        "change: indicators with that status now minus in the previous quarter (+ more, - fewer).",
        "Each theme board's sheet lists its indicator parts; Exceptions lists every red, every amber "
        "that is worsening and every year-end forecast short of target; About gives the RAG rules.",
    ]
    for note in notes:
        ws.append([w.cell(ws, note, "x subtitle")])


def report_pack(register: Register, rated: pd.DataFrame, period: str, *, framework: str,
                about: Mapping[str, str], progress: Progress | None = None) -> bytes:
    """The quarterly report pack for ``framework`` in ``period`` as .xlsx bytes.

    Sheets: ``Summary`` (the headline "12 green, 3 amber, 4 red", RAG counts overall and per
    theme board with the change since the previous quarter: :func:`overview.rag_counts`), one
    sheet per theme board (its indicator parts in the period: :data:`REPORT_PACK_COLUMNS`),
    ``Exceptions`` (:func:`overview.exceptions`, with ``listed_for``) and ``About``.
    ``rated``: ``overview.with_register_columns(rag.rate(register), register)`` for the
    framework, with the previous quarter in it. Reasons are built for the rows written only.
    ``progress(done, total)`` is called every few hundred rows and once at the end.
    Raises ``ValueError`` when the framework has no indicator parts in ``period``.
    """
    period = str(parse_period(period))
    previous = overview.previous_quarter(period)
    if "framework" in rated.columns:
        rated = rated[rated["framework"] == framework]
    rows = rated[rated["period"] == period]
    if rows.empty:
        raise ValueError(f"{framework} has no indicator parts rated in {period}")
    rows = overview.with_reasons(rows, register)
    counts = overview.rag_counts(rated, period)
    picked = overview.exceptions(rows, period)
    demo = _demo_rows(rows) or 0

    w = _Writer()
    tick = _Progress(progress, len(rows) + len(picked))
    now = _timestamp()
    fw = register.frameworks
    titles = dict(zip(fw["framework"], fw["title"], strict=False)) if "title" in fw.columns else {}
    framework_title = str(titles.get(framework) or framework)

    board_names = [b for b in counts["theme_board"].tolist()[1:]]
    used = ["Summary", "Exceptions", "About"]
    sheets = {}
    for board in board_names:
        sheets[board] = sheet_name(board, used)
        used.append(sheets[board])
    _summary(w, counts, framework_title=framework_title, period=period, previous=previous, now=now,
             demo=demo, total_parts=len(rows), boards=sheets)

    columns = [*REPORT_PACK_COLUMNS, *((DEMO_COLUMN,) if demo else ())]
    for i, board in enumerate(board_names, start=1):
        part = rows[rows["theme_board"] == board]
        ws = w.wb.create_sheet(sheets[board])
        sentence = overview.counts_sentence(counts.iloc[[i]])
        _write_table(w, ws, _demo_as_text(part[columns]), units=part["unit"], progress=tick,
                     print_title=f"{board}, {period}",
                     title_rows=[(f"{board}: {period}", "x title"),
                                 (f"Indicators: {sentence}. {len(part)} indicator parts.", "x subtitle")])

    ws = w.wb.create_sheet("Exceptions")
    listed = (f"{len(picked)} indicator parts listed: every red, every amber that is worsening and every "
              "year-end forecast short of target." if len(picked) else f"No exceptions in {period}.")
    _write_table(w, ws, _demo_as_text(picked[[*EXCEPTION_COLUMNS, *((DEMO_COLUMN,) if demo else ())]]),
                 units=picked["unit"], progress=tick, print_title=f"Exceptions, {period}",
                 title_rows=[(f"Exceptions: {period}", "x title"), (listed, "x subtitle")])

    about_rows = {"Framework": framework_title, "Period": period, "Compared with": previous, **about}
    _write_about(w, f"Quarterly report pack, {period}", about_rows, len(rows), demo,
                 register.settings, now, blank_note(rows[list(REPORT_PACK_COLUMNS)]))
    data = w.save()
    tick.finish()
    return data
