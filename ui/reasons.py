"""Which rows' reasons a view needs, so only those are built (see performance.reasons)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from performance.matrix import MATRIX_PAGE_PARTS, part_numbers
from ui.page import with_reasons
from ui.tables import page_ranges


def matrix_rows(rows: pd.DataFrame, *, key: str, page_parts: int = MATRIX_PAGE_PARTS) -> pd.DataFrame:
    """``rows`` for :func:`ui.tables.show_status_matrix` (same ``key``) with the reasons of the
    parts on the matrix's page (its hover texts) built, and empty reasons for the others.

    The page is the one its picker (``<key>_page``) holds, as the matrix reads it, or the
    first. A choice this cannot place gets every row's reason: slower, never a wrong text.
    """
    numbers = part_numbers(rows)
    total = int(numbers.max()) + 1 if len(numbers) else 0
    start = 0
    chosen = st.session_state.get(f"{key}_page")
    if total > page_parts and chosen is not None:
        ranges = page_ranges(total, page_parts)  # as the matrix's own picker labels them
        if chosen not in ranges:
            return with_reasons(rows)
        start = ranges[chosen]
    return with_reasons(rows, only=(numbers >= start) & (numbers < start + page_parts))
