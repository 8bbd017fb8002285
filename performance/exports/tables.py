"""Any table of the app as a workbook (a styled sheet and its About sheet) or as CSV, and the
overview's table of indicator parts for one period."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from performance import overview
from performance.exports.cells import (
    _BIDI_CONTROLS,
    _clean_text,
    _is_formula_like,
    _missing,
    _timestamp,
    rag_rules,
    sheet_name,
)
from performance.exports.columns import (
    DEMO_COLUMN,
    ILLUSTRATIVE_COLUMN,
    LONG_TEXT_COLUMNS,
    OVERVIEW_COLUMNS,
    UNIT_COLUMNS,
    UNIT_FORMATS,
)
from performance.exports.styles import (
    _ABOUT_WIDTH,
    _LINE_HEIGHT,
    _MAX_ROW_HEIGHT,
    _PAPER_A4,
    Progress,
    _Progress,
    _Writer,
)
from performance.periods import parse_period
from performance.tables import (
    CODED_COLUMNS,
    DIRECTION_COLUMNS,
    STATUS_COLUMNS,
    blank_note,
    cell_words,
    column_label,
)
from performance.vocabulary import (
    BENCHMARK_COLUMN_LABELS,
    STATUS_LABELS,
    STATUSES,
    TREND_BASIS_LABELS,
    UNITS,
    status_badge,
)


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


def comparison_columns(rows: pd.DataFrame, compared: pd.DataFrame) -> pd.DataFrame:
    """The comparison with a benchmark for ``rows``, in the client's words: the
    :data:`COMPARISON_COLUMNS` (count, denominator, the 95% interval, the benchmark area, its
    value and the period it is from, compared at 95% and 99.8%, why not compared, the recent
    trend, its basis and why there is none), on ``rows``' index.

    ``compared``: rows with :data:`performance.benchmark_rating.BENCHMARK_COLUMNS` on the same
    index as ``rows`` (``with_benchmarks`` of the period, e.g. the app's cached
    ``ui.benchmarks.period_with_benchmarks``); only the rows of ``rows`` are taken from it.
    """
    from performance.benchmark_rating import with_labels

    picked = with_labels(compared.reindex(rows.index)[list(BENCHMARK_COLUMN_LABELS)])
    picked["trend_basis"] = picked["trend_basis"].map(TREND_BASIS_LABELS)  # "annual" is a code
    return picked.rename(columns=BENCHMARK_COLUMN_LABELS)


def overview_table(rated: pd.DataFrame, period: str, compared: pd.DataFrame | None = None) -> pd.DataFrame:
    """The overview's table of indicator parts in ``period``, one row per part, with reasons.

    ``rated``: rows of :func:`performance.rag.rate` with the register columns
    (:func:`performance.overview.with_register_columns`), already filtered. Columns:
    :data:`OVERVIEW_COLUMNS`; reasons are built for these rows unless ``rated`` has them.
    With ``compared`` (the period's rows with the benchmark columns, indexed as ``rated``: see
    :func:`comparison_columns`), the :data:`COMPARISON_COLUMNS` follow the action, before the
    illustrative flag; blank cells mean what :data:`COMPARISON_BLANKS` says.
    """
    period = str(parse_period(period))
    rows = rated[rated["period"] == period]
    out = overview.with_reasons(rows)
    for column in OVERVIEW_COLUMNS:
        if column not in out.columns:
            out[column] = False if column == DEMO_COLUMN else ""
    table = out[list(OVERVIEW_COLUMNS)]
    if compared is not None:
        before, flag = [c for c in OVERVIEW_COLUMNS if c != DEMO_COLUMN], table[[DEMO_COLUMN]]
        table = pd.concat([table[before], comparison_columns(table, compared), flag], axis=1)
    return table.reset_index(drop=True)
