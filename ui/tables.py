"""Showing a table with its Excel and CSV export, exactly the rows and columns shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from data_loaders.database import database_description
from performance.events import timed
from performance.matrix import MATRIX_PAGE_PARTS, part_numbers, status_grid, status_matrix_html
from performance.tables import blank_note, for_display, html_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A missing number or date is drawn blank, not Streamlit's grey "None"; the caption under the
# table says what a blank means (performance.tables.blank_note).
MISSING = ""
# Rows of a long table drawn at once (a page picker above it chooses which): the overview's
# table of parts at 150 areas is 9,150 rows, each with a reason built in Python and every row
# sent to the browser; the Excel and CSV buttons still export every row.
TABLE_PAGE_ROWS = 500


def show_grid(frame: pd.DataFrame, *, blanks: dict[str, str] | None = None, plain: bool = False,
              label: str = "", **dataframe_kwargs):
    """Draw ``frame`` in the client's words (:func:`performance.tables.for_display`), missing
    values blank, with a caption saying what the blanks mean (``blanks`` overrides the usual
    meaning of a column in this table); no export buttons. ``plain``: a short summary (a few
    rows) as a plain HTML table named ``label`` (:func:`performance.tables.html_table`) instead
    of a grid: every row in view, lighter to draw."""
    if plain:
        shown = st.html(html_table(for_display(frame), label=label))
    else:
        shown = st.dataframe(for_display(frame), width=dataframe_kwargs.pop("width", "stretch"),
                             hide_index=True, placeholder=MISSING, **dataframe_kwargs)
    if note := blank_note(frame, blanks):
        st.caption(note)
    return shown


def _who() -> str:
    """The signed-in person's e-mail for the event log, or "local" on the embedded default."""
    try:
        return st.user.get("email") or "local" if st.user.is_logged_in else "local"
    except Exception:  # no sign-in configured at all
        return "local"


def show_table(frame: pd.DataFrame, *, key: str, title: str, about: dict[str, str] | None = None,
               height: int | str = "auto", blanks: dict[str, str] | None = None,
               export: Callable[[], pd.DataFrame] | None = None, plain: bool = False, **dataframe_kwargs):
    """Draw ``frame`` (statuses as symbol and word) with buttons that export the same rows.

    The workbook is built only when a button is clicked (deferred download), so drawing the
    page stays quick however large the table. When ``frame`` is one page of a longer list,
    ``export`` gives every row of it, and the buttons export those. ``plain``: a short summary
    drawn as a plain table (see :func:`show_grid`).
    """
    shown = (show_grid(frame, blanks=blanks, plain=True, label=title) if plain else
             show_grid(frame, height=height, key=key, blanks=blanks, **dataframe_kwargs))
    info = {"Exported": dt.datetime.now().strftime("%d %B %Y %H:%M"),
            "Data": database_description(), **(about or {})}
    stem = title.lower().replace(" ", "-").replace("/", "-")

    def workbook() -> bytes:
        from performance.exports import table_workbook
        with timed("export", who=_who(), title=title, format="xlsx", rows=len(frame)):
            return table_workbook(export() if export else frame, title=title, about=info, blanks=blanks)

    def csv() -> bytes:
        from performance.exports import table_csv
        with timed("export", who=_who(), title=title, format="csv", rows=len(frame)):
            return table_csv(export() if export else frame)

    left, right, _ = st.columns([1, 1, 6])
    left.download_button("Excel", workbook, file_name=f"{stem}.xlsx", mime=XLSX,
                         icon=":material/download:", key=f"{key}_xlsx", on_click="ignore")
    right.download_button("CSV", csv, file_name=f"{stem}.csv", mime="text/csv",
                          icon=":material/download:", key=f"{key}_csv", on_click="ignore")
    return shown


def show_status_matrix(rated: pd.DataFrame, *, key: str, period: str | None = None,
                       page_parts: int = MATRIX_PAGE_PARTS) -> None:
    """The three-year matrix of ``rated``'s parts (see :mod:`performance.matrix`), the column of
    ``period`` marked.

    Up to ``page_parts`` parts are drawn at once; a larger register gets a picker of the range
    of parts to show (register order), so the page stays quick for a region of many areas.
    """
    numbers = part_numbers(rated)
    total = int(numbers.max()) + 1 if len(numbers) else 0
    if not total:
        st.info("No indicator parts match the filters.", icon=":material/filter_alt:")
        return
    start, stop = page_picker(total, page_parts, key=f"{key}_page", what="parts",
                              hint="; the filters above narrow them")
    st.html(status_matrix_html(status_grid(rated, start=start, rows=stop - start, numbers=numbers),
                               current=period))


def page_ranges(total: int, per_page: int) -> dict[str, int]:
    """The pages of ``total`` rows, ``per_page`` at a time: each page's label ("1–500") and its
    first row."""
    return {f"{s + 1:,}–{min(s + per_page, total):,}": s for s in range(0, total, per_page)}


def page_picker(total: int, per_page: int, *, key: str, what: str, hint: str = "") -> tuple[int, int]:
    """The range of ``total`` rows to show, ``per_page`` at a time: ``(start, stop)``. A picker
    of the ranges (``hint`` added to its label) is drawn only when there is more than one page."""
    if total <= per_page:
        return 0, total
    ranges = page_ranges(total, per_page)
    chosen = st.selectbox(f"{what.capitalize()} shown ({total:,} in all, {per_page:,} at a time{hint})",
                          list(ranges), key=key)
    start = ranges[chosen]
    return start, min(start + per_page, total)
