"""The three-year status matrix: every indicator part against every period, as an HTML table.

One row per indicator part (register order), one column per period (timeline order: the four
quarters of each year, then its year-end column, so annual indicators show their outturn).
Each cell is filled with the status colour of :mod:`performance.vocabulary` *and* carries the
status symbol, and its hover text (the ``title`` attribute) gives the part, the period, the
status in words and the reason, so colour is never the only cue. The part's title is in the
row's second column (shortened; whole on hover).

Why a plain HTML table rather than a Plotly heatmap: the table needs no chart library in the
browser (Plotly's 4.7 MB bundle and its drawing were most of the overview's time in Chromium),
it is text a screen reader can read and the browser can search (Ctrl+F "NI 117"), and its cost
grows with the rows shown, so a large register is shown a page of parts at a time
(:func:`status_grid` lays out only the parts on screen).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from performance.vocabulary import (
    RULE_COLOUR,
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUS_SYMBOLS,
    STATUSES,
    TEXT_COLOUR,
    status_badge,
)

__all__ = ["MATRIX_PAGE_PARTS", "StatusGrid", "matrix_legend_html", "part_numbers", "status_grid",
           "status_matrix_html"]

#: Parts shown at once. The Luton agreement has 72; a register larger than this (a region
#: watching many areas) is shown a page at a time, so the browser never gets a grid of
#: thousands of rows nobody can read on one screen.
MATRIX_PAGE_PARTS = 200

_KEYS = ["framework", "code", "part"]
_SLOTS, _ANNUAL_SLOT = 5, 4  # period_order = year * 5 + slot (Q1..Q4 = 0..3, annual = 4)
_TEXT = TEXT_COLOUR
_RULE = "#555555"
_GRID = RULE_COLOUR
_KEY_BORDER = "#999999"


@dataclass(frozen=True)
class StatusGrid:
    """Statuses and reasons of a run of parts (rows) in every period (columns)."""

    parts: pd.DataFrame  # framework, code, part, label, title: one row per part, register order
    periods: list[str]  # timeline order
    orders: np.ndarray  # period_order of each column
    status: np.ndarray  # (parts, periods) status codes; "" where the part has no row
    reason: np.ndarray  # (parts, periods) reason text; "" where none
    start: int = 0  # the first part's position among all the parts of the rated rows
    total: int = 0  # how many parts the rated rows hold in all

    def __len__(self) -> int:
        return len(self.parts)


def _label(code: object, part: object) -> str:
    return f"{code} {part}".strip() if isinstance(part, str) else str(code)


def _text(values: pd.Series) -> np.ndarray:
    """A text column as an object array with "" for missing values (str or category dtype)."""
    out = values.astype(object).to_numpy()
    return np.where(pd.isna(out), "", out).astype(object)


def part_numbers(rated: pd.DataFrame) -> np.ndarray:
    """The position of each row's part (framework, code, part) in the order parts first appear."""
    return rated.groupby(_KEYS, sort=False, observed=True, dropna=False).ngroup().to_numpy()


def status_grid(rated: pd.DataFrame, reasons: pd.Series | None = None, *, start: int = 0,
                rows: int | None = None, numbers: np.ndarray | None = None) -> StatusGrid:
    """Lay ``rated`` (rows of :func:`performance.rag.rate`, any filter applied) out as a grid.

    Parts keep the order of their first row in ``rated`` (register order); periods are ordered
    by ``period_order`` (every period of ``rated``, whatever parts are shown). Only the parts
    ``start`` to ``start + rows`` (all by default) are laid out, so the cost follows the rows
    shown, not the register. ``reasons`` (aligned with ``rated``) defaults to its ``reason``
    column; ``numbers`` is :func:`part_numbers` of ``rated`` if already known.
    """
    numbers = part_numbers(rated) if numbers is None else numbers
    total = int(numbers.max()) + 1 if len(numbers) else 0
    stop = total if rows is None else min(total, start + rows)
    orders, col = np.unique(rated["period_order"].to_numpy(dtype=np.int64), return_inverse=True)
    names = pd.Series(rated["period"].astype(str).to_numpy()).groupby(col).first()
    if reasons is None:
        reasons = rated["reason"] if "reason" in rated.columns else pd.Series("", index=rated.index)
    elif not reasons.index.equals(rated.index):
        if reasons.index.isin(rated.index).all():
            reasons = reasons.reindex(rated.index)
        elif len(reasons) != len(rated):
            raise ValueError(f"{len(reasons)} reasons for {len(rated)} rated rows")
    keep = (numbers >= start) & (numbers < stop)
    shown = rated[keep]
    row, col = numbers[keep] - start, col[keep]
    first = shown.drop_duplicates(_KEYS)
    labels = [_label(c, p) for c, p in zip(_text(first["code"]), first["part"].astype(object), strict=True)]
    frameworks = _text(first["framework"])
    # Two frameworks may share a code: keep their rows apart by naming the framework.
    shared = _shared_labels(rated) if rated["framework"].nunique() > 1 else set()
    labels = [f"{lab} ({fw})" if lab in shared else lab for lab, fw in zip(labels, frameworks, strict=True)]
    parts = pd.DataFrame({"framework": frameworks, "code": _text(first["code"]),
                          "part": _text(first["part"]), "label": labels,
                          "title": _text(first["title"]) if "title" in first else ""})
    status = np.full((len(parts), len(orders)), "", dtype=object)
    reason = np.full((len(parts), len(orders)), "", dtype=object)
    status[row, col] = _text(shown["status"])
    reason[row, col] = _text(pd.Series(reasons.to_numpy()[keep]))
    return StatusGrid(parts=parts, periods=names.tolist(), orders=orders, status=status, reason=reason,
                      start=start, total=total)


def _shared_labels(rated: pd.DataFrame) -> set[str]:
    """Labels that name parts of more than one framework."""
    parts = rated[_KEYS].drop_duplicates()
    labels = pd.Series([_label(c, p) for c, p in zip(_text(parts["code"]), parts["part"].astype(object),
                                                       strict=True)])
    counts = labels.value_counts()
    return set(counts[counts > 1].index)


def _headers(grid: StatusGrid, current: str | None) -> tuple[str, str]:
    """Two header rows: the years (spanning their columns) and the quarters / year end; the
    ``current`` period (the one the page is showing) is marked."""
    years, quarters = [], []
    year_of = grid.orders // _SLOTS
    for j, (period, order) in enumerate(zip(grid.periods, grid.orders, strict=True)):
        start = j == 0 or year_of[j] != year_of[j - 1]
        rule = ' class="ys"' if start and j else ""
        if start:
            span = int((year_of == year_of[j]).sum())
            years.append(f'<th scope="colgroup" colspan="{span}"{rule}>{escape(period.split(" ")[0])}</th>')
        slot = int(order) % _SLOTS
        head = "Year" if slot == _ANNUAL_SLOT else f"Q{slot + 1}"
        classes = " ".join(c for c in ("ys" if start and j else "", "now" if period == current else "") if c)
        marked = f' class="{classes}"' if classes else ""
        quarters.append(f'<th scope="col"{marked} title="{escape(period)}">{head}</th>')
    corner = '<th scope="col" rowspan="2">Indicator</th><th scope="col" rowspan="2" class="title">Title</th>'
    return (f'<tr>{corner}{"".join(years)}</tr>',
            f'<tr>{"".join(quarters)}</tr>')


def _style() -> str:
    fills = "".join(f".lsp-matrix td.s-{s}{{background:{STATUS_COLOURS[s]}}}" for s in STATUSES)
    swatches = "".join(f".lsp-legend .s-{s}{{background:{STATUS_COLOURS[s]}}}" for s in STATUSES)
    return (
        "<style>"
        ".lsp-matrix{max-height:75vh;overflow:auto;border:1px solid " + _GRID + ";border-radius:6px}"
        # the title column takes the width left over and ends in an ellipsis (full title on hover)
        ".lsp-matrix table{width:100%;border-collapse:separate;border-spacing:2px;font-size:13px;"
        "color:" + _TEXT + ";background:white;margin:0}"
        ".lsp-matrix thead th{position:sticky;background:white;z-index:2;font-weight:600;"
        "text-align:center;padding:0 4px;height:22px;line-height:22px;white-space:nowrap;border:none}"
        ".lsp-matrix thead th.title{text-align:left}"
        ".lsp-matrix thead tr:first-child th{top:0}"
        ".lsp-matrix thead tr:nth-child(2) th{top:24px}"
        ".lsp-matrix tbody th{position:sticky;left:0;background:white;z-index:1;text-align:left;"
        "font-weight:600;padding:0 6px;white-space:nowrap;border:none}"
        ".lsp-matrix td{text-align:center;min-width:2.3em;padding:1px 2px;border:none;line-height:1.45}"
        ".lsp-matrix td.title{text-align:left;width:100%;max-width:0;min-width:6em;overflow:hidden;"
        "text-overflow:ellipsis;white-space:nowrap;padding:0 8px 0 2px}"
        ".lsp-matrix .ys{border-left:2px solid " + _RULE + "}"
        ".lsp-matrix thead th.now{background:" + _TEXT + ";color:white;border-radius:3px}"
        + fills +
        ".lsp-legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px;margin:0 0 6px}"
        ".lsp-legend span.k{display:inline-block;width:1.6em;text-align:center;margin-right:4px;"
        "border:1px solid " + _KEY_BORDER + ";border-radius:2px}"
        + swatches +
        "</style>"
    )


def matrix_legend_html() -> str:
    """The key: each status as a filled swatch with its symbol, and its name."""
    keys = "".join(f'<span><span class="k s-{s}">{STATUS_SYMBOLS[s]}</span>{STATUS_LABELS[s]}</span>'
                   for s in STATUSES)
    return f'<div class="lsp-legend" aria-label="Key to the statuses">{keys}</div>'


def status_matrix_html(grid: StatusGrid, current: str | None = None) -> str:
    """The matrix of ``grid``'s parts as one HTML fragment (key, table and its style), for
    ``st.html``; the column of the ``current`` period is marked in the heading. Every text is
    escaped."""
    year_of = grid.orders // _SLOTS
    rules = [' class="ys"' if j and year_of[j] != year_of[j - 1] else "" for j in range(len(grid.periods))]
    periods = grid.periods
    body = []
    for i, label, title in zip(range(len(grid)), grid.parts["label"], grid.parts["title"], strict=True):
        head = escape(label)  # the title is in the row's second cell (whole on hover)
        cells = []
        for j, status in enumerate(grid.status[i]):
            if status not in STATUS_LABELS:
                cells.append(f"<td{rules[j]}></td>")
                continue
            hover = f"{head} · {escape(periods[j])}: {status_badge(status)}"
            if grid.reason[i, j]:
                hover += "&#10;" + escape(grid.reason[i, j])
            rule = " ys" if rules[j] else ""
            cells.append(f'<td class="s-{status}{rule}" title="{hover}">{STATUS_SYMBOLS[status]}</td>')
        body.append(f'<tr><th scope="row">{escape(label)}</th>'
                    f'<td class="title" title="{escape(title)}">{escape(title)}</td>{"".join(cells)}</tr>')
    top, second = _headers(grid, current)
    return (f'{matrix_legend_html()}<div class="lsp-matrix" role="region" tabindex="0" '
            f'aria-label="Status of each indicator part in each period">'
            f'<table><thead>{top}{second}</thead><tbody>{"".join(body)}</tbody></table></div>{_style()}')
