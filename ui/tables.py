"""Showing a table with its Excel and CSV export, exactly the rows and columns shown."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data_loaders.database import database_description
from performance.tables import for_display

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_table(frame: pd.DataFrame, *, key: str, title: str, about: dict[str, str] | None = None,
               height: int | str = "auto", **dataframe_kwargs):
    """Draw ``frame`` (statuses as symbol and word) with buttons that export the same rows.

    The workbook is built only when a button is clicked (deferred download), so drawing the
    page stays quick however large the table.
    """
    shown = st.dataframe(for_display(frame), width="stretch", hide_index=True, height=height,
                         key=key, **dataframe_kwargs)
    info = {"Exported": dt.datetime.now().strftime("%d %B %Y %H:%M"),
            "Data": database_description(), **(about or {})}
    stem = title.lower().replace(" ", "-").replace("/", "-")

    def workbook() -> bytes:
        from performance.exports import table_workbook
        return table_workbook(frame, title=title, about=info)

    def csv() -> bytes:
        from performance.exports import table_csv
        return table_csv(frame)

    left, right, _ = st.columns([1, 1, 6])
    left.download_button("Excel", workbook, file_name=f"{stem}.xlsx", mime=XLSX,
                         icon=":material/download:", key=f"{key}_xlsx", on_click="ignore")
    right.download_button("CSV", csv, file_name=f"{stem}.csv", mime="text/csv",
                          icon=":material/download:", key=f"{key}_csv", on_click="ignore")
    return shown
