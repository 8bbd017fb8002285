"""Tables as people read them: statuses as symbol and word, directions as arrow and word.

The frames the pages and exports share hold raw codes (``green``, ``improving``); this turns
a copy into the on-screen form, so colour is never the only cue and the codes stay exportable.
"""

from __future__ import annotations

import pandas as pd

from performance.vocabulary import DIRECTION_SYMBOLS, STATUS_LABELS, status_badge

STATUS_COLUMNS = ("status", "forecast_status")
DIRECTION_COLUMNS = ("direction", "direction_year")


def direction_badge(direction: object) -> str:
    """``"↑ improving"``, ``"↓ worsening"``, ``"→ no change"``; empty when unknown."""
    if not isinstance(direction, str) or direction not in DIRECTION_SYMBOLS:
        return ""
    return f"{DIRECTION_SYMBOLS[direction]} {direction.replace('_', ' ')}"


def column_label(name: str) -> str:
    """A column's heading in words: ``theme_board`` -> ``Theme board``."""
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with statuses, directions and the demo flag written for people,
    and headings in words."""
    out = frame.copy()
    for column in STATUS_COLUMNS:
        if column in out:
            out[column] = out[column].map(lambda s: status_badge(s) if s in STATUS_LABELS else "")
    for column in DIRECTION_COLUMNS:
        if column in out:
            out[column] = out[column].map(direction_badge)
    for column in out.columns:  # a missing text reads as blank, not "None"
        col = out[column]
        if _is_text(col) and col.isna().any():
            out[column] = col.astype(object).where(col.notna(), "")
    if "is_demo" in out:
        out = out.drop(columns="is_demo").assign(illustrative=frame["is_demo"].map(
            lambda d: "demo" if d is True or d == 1 else ""))
    return out.rename(columns=column_label)


def _is_text(col: pd.Series) -> bool:
    """Whether a column holds text (plain, arrow or categorical)."""
    dtype = col.cat.categories.dtype if isinstance(col.dtype, pd.CategoricalDtype) else col.dtype
    return pd.api.types.is_string_dtype(dtype)
