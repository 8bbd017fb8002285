"""Workbooks and CSV files people download: a table as shown, and the quarterly report pack.

Pure builders (openpyxl and pandas; no Streamlit, no database): each takes frames and returns the
file's bytes, so pages, the command line and tests all call the same code.

- :func:`table_workbook` / :func:`table_csv`: any table of the app, exactly the rows and columns
  shown, as a finished document (styled frozen header, autofilter, fitted widths, numbers in each
  indicator's unit, RAG statuses filled with their colour and labelled with symbol and word) with
  an ``About`` sheet saying what was exported, from which data and under which RAG rules.
- :func:`overview_table`: the overview's table of indicator parts for one period, with the
  comparison with a benchmark area when given (:func:`comparison_columns`, headed in words).
- :func:`report_pack`: what the Performance Management Sub-Group circulates each quarter: a
  Summary (RAG counts overall and per theme board with the change since last quarter), one sheet
  per theme board, an Exceptions sheet and, with a benchmark, a sheet comparing every part with it.

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

Files: ``columns`` (the frame contract), ``cells`` (safe text, sheet names, colours),
``styles`` (NamedStyles and the writer), ``tables`` (any table, CSV, the overview's table) and
``report_pack``.

Speed: workbooks are written in openpyxl's write-only mode; every look is a ``NamedStyle``
registered once per workbook and each cell takes a copy of its style array, so 10,000 formatted
rows cost about what ``DataFrame.to_excel`` costs unformatted.
"""

from performance.exports.cells import rag_rules, readable_text_colour, sheet_name
from performance.exports.columns import (
    CHANGE_FORMAT,
    COMPARISON_BLANKS,
    COMPARISON_COLUMNS,
    DATE_FORMAT,
    EXCEPTION_COLUMNS,
    GENERAL_FORMAT,
    LONG_TEXT_COLUMNS,
    OVERVIEW_COLUMNS,
    REPORT_PACK_COLUMNS,
    REPORT_PACK_COMPARISON_COLUMNS,
    UNIT_COLUMNS,
    UNIT_FORMATS,
)
from performance.exports.report_pack import SUMMARY_HEADER, report_pack
from performance.exports.tables import comparison_columns, overview_table, table_csv, table_workbook
from performance.tables import DIRECTION_COLUMNS, STATUS_COLUMNS

__all__ = [
    "CHANGE_FORMAT",
    "COMPARISON_BLANKS",
    "COMPARISON_COLUMNS",
    "DATE_FORMAT",
    "DIRECTION_COLUMNS",
    "EXCEPTION_COLUMNS",
    "GENERAL_FORMAT",
    "LONG_TEXT_COLUMNS",
    "OVERVIEW_COLUMNS",
    "REPORT_PACK_COLUMNS",
    "REPORT_PACK_COMPARISON_COLUMNS",
    "STATUS_COLUMNS",
    "SUMMARY_HEADER",
    "UNIT_COLUMNS",
    "UNIT_FORMATS",
    "comparison_columns",
    "overview_table",
    "rag_rules",
    "readable_text_colour",
    "report_pack",
    "sheet_name",
    "table_csv",
    "table_workbook",
]
