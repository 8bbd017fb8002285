"""Tables as people read them: the client's words for every code, blanks for what is missing.

The frames the pages and exports share hold raw codes (``green``, ``improving``,
``higher_is_better``); this turns a copy into the on-screen form (statuses as symbol and word,
directions as arrow and word, every other code as its label from :mod:`performance.vocabulary`),
so colour is never the only cue and the codes stay exportable. The workbook and CSV exports
write each cell with :func:`cell_words`, so a download reads as the screen does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from performance.access import ROLE_LABELS
from performance.vocabulary import (
    COLUMN_VOCABULARIES,
    DIRECTION_SYMBOLS,
    RULE_COLOUR,
    STATUS_LABELS,
    STATUSES,
    TEXT_COLOUR,
    code_label,
    status_badge,
)

STATUS_COLUMNS = ("status", "forecast_status")
DIRECTION_COLUMNS = ("direction", "direction_year")
# The columns holding codes, with their labels (roles are named in performance.access).
CODED_COLUMNS = {**COLUMN_VOCABULARIES, "role": ROLE_LABELS}

# What a blank cell means, by column; said under a table (and in a workbook's About sheet)
# whenever the column has one, so a reader never wonders whether something was lost.
BLANK_MEANINGS = {
    "value": "no value recorded",
    "target": "no usable target (the reason says why)",
    "original_target": "no original target",
    "year_target": "no target for the year",
    "forecast_year_end": "no year-end forecast given",
    "forecast_basis": "no forecast",
    "forecast_status": "no forecast to rate",
    "comparator_value": "not measured against another area",
    "comparator": "not measured against another area",
    "baseline": "no baseline stated",
    "baseline_period": "not stated in the source",
    "baseline_text": "no baseline stated",
    "direction": "no earlier value to compare with",
    "direction_year": "no value a year earlier to compare with",
    "measure": "the indicator's own measure",
    "text": "no target written",
    "effective_from": "in force from the start of the agreement",
    "reason": "none given",
    "commentary": "none given",
    "action": "none given",
}
# The targets table (performance.register.target_history) holds a target's number as "value".
TARGET_BLANKS = {
    "value": "no number: the target is in words, or there is none (see the target status)",
    "reason": "none needed (a version from the register workbook)",
}
# A blank forecast explains the blank basis and status of that forecast: said once.
_SAID_WITH = {"forecast_basis": "forecast_year_end", "forecast_status": "forecast_year_end"}
_YEAR_COLUMN = re.compile(r"^\d{4}/\d{2}$")  # the register's target of each year: "2009/10"


def direction_badge(direction: object) -> str:
    """``"↑ improving"``, ``"↓ worsening"``, ``"→ no change"``; empty when unknown."""
    if not isinstance(direction, str) or direction not in DIRECTION_SYMBOLS:
        return ""
    return f"{DIRECTION_SYMBOLS[direction]} {direction.replace('_', ' ')}"


def column_label(name: str) -> str:
    """A column's heading in words: ``theme_board`` -> ``Theme board``."""
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def cell_words(column: str, value: object) -> object:
    """One cell of ``column`` as people read it: a RAG status as ``"▲ Amber"``, a direction as
    ``"↑ improving"``, any other code as its label (``"Biennial survey"``); free text, numbers
    and missing values unchanged."""
    if column in STATUS_COLUMNS and value in STATUS_LABELS:
        return status_badge(value)
    if column in DIRECTION_COLUMNS:
        return direction_badge(value) or value
    labels = CODED_COLUMNS.get(column)
    return code_label(value, labels) if labels else value


def display_codes() -> frozenset[str]:
    """Every code that a screen or download must show as a word, never as itself."""
    codes = {*STATUSES, *DIRECTION_SYMBOLS}
    for labels in CODED_COLUMNS.values():
        codes |= {code for code, label in labels.items() if code != label}
    return frozenset(codes)


def blank_note(frame: pd.DataFrame, meanings: Mapping[str, str] | None = None) -> str:
    """What the blank cells of ``frame`` mean, e.g. "Blank cells: Target, no usable target
    (the reason says why); Forecast year end, no year-end forecast given."; "" when none is
    blank. ``frame`` has the raw column names; ``meanings`` overrides :data:`BLANK_MEANINGS`
    for this table (a column that means something else here)."""
    meanings = {**BLANK_MEANINGS, **(meanings or {})}
    said = []
    for column in frame.columns:
        col = frame[column]
        if not (col.isna() | (col.astype(object) == "")).any():
            continue
        name = str(column)
        if _SAID_WITH.get(name) in frame.columns and frame[_SAID_WITH[name]].isna().any():
            continue
        if name in meanings:
            meaning = meanings[name]
        elif _YEAR_COLUMN.match(name):
            meaning = "no target for that year"
        else:
            continue  # an empty part, note or source needs no explaining
        said.append(f"{column_label(name)}, {meaning}")
    return f"Blank cells: {'; '.join(said)}." if said else ""


def _words(series: pd.Series, column: str) -> pd.Series:
    """``series`` with each distinct value put into words once (fast on long columns)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    mapping = {v: cell_words(column, v) for v in series.dropna().unique()}
    if all(k == v for k, v in mapping.items()):
        return series
    return series.astype(object).map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for the screen: statuses, directions and every other code in words,
    missing text blank, the demo flag as "demo", and headings in words. Missing numbers stay
    missing (the table draws them blank: ``ui.tables`` passes an empty placeholder)."""
    out = frame.copy()
    for column in out.columns:
        name = str(column)
        if name in STATUS_COLUMNS:
            out[column] = out[column].map(
                lambda s: status_badge(s) if s in STATUS_LABELS else code_label(s, CODED_COLUMNS["status"])
                if isinstance(s, str) else "")
        elif name in DIRECTION_COLUMNS:
            out[column] = out[column].map(direction_badge)
        elif name in CODED_COLUMNS and _is_text(out[column]):
            out[column] = _words(out[column], name)
    for column in out.columns:  # a missing text reads as blank, not "None"
        col = out[column]
        if _is_text(col) and col.isna().any():
            out[column] = col.astype(object).where(col.notna(), "")
    if "is_demo" in out:
        out = out.drop(columns="is_demo").assign(illustrative=frame["is_demo"].map(
            lambda d: "demo" if d is True or d == 1 else ""))
    return out.rename(columns=column_label)


# A plain table's look (html_table): thin rules and the app's text colour, as the grids have.
_TABLE_STYLE = (
    "<style>.lsp-table{overflow-x:auto}.lsp-table table{width:100%;border-collapse:collapse;"
    f"font-size:14px;color:{TEXT_COLOUR};margin:0}}.lsp-table th,.lsp-table td{{border:1px solid "
    f"{RULE_COLOUR};padding:4px 8px;text-align:left;font-weight:400}}.lsp-table thead th{{"
    "background:#F8F8FA;font-weight:600}.lsp-table tbody th{font-weight:600}</style>"  # a grid's header grey
)


def html_table(frame: pd.DataFrame, *, label: str) -> str:
    """``frame`` (already in words, e.g. :func:`for_display`) as a plain HTML table for
    ``st.html``: headings as column headers, its first column as row headers, every text
    escaped, a missing value blank, ``label`` naming it to a screen reader. For a few rows,
    every one in view: lighter for a browser to draw than a grid, and read as it is by screen
    readers and by the browser's own search."""
    from html import escape

    def cell(value) -> str:
        return "" if value is None or (isinstance(value, float) and value != value) else escape(str(value))

    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        f'<tr><th scope="row">{cell(row[0])}</th>{"".join(f"<td>{cell(v)}</td>" for v in row[1:])}</tr>'
        for row in frame.itertuples(index=False))
    return (f'<div class="lsp-table" role="region" aria-label="{escape(label)}"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>{_TABLE_STYLE}")


def _is_text(col: pd.Series) -> bool:
    """Whether a column holds text (plain, arrow or categorical)."""
    dtype = col.cat.categories.dtype if isinstance(col.dtype, pd.CategoricalDtype) else col.dtype
    return pd.api.types.is_string_dtype(dtype)

