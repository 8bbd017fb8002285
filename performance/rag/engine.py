"""The register to a rated frame: one row per indicator part and period (:func:`rate`), and the
latest period with data."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from performance.periods import financial_year, parse_period
from performance.rag.codes import _SLOTS, FORECAST_BASES
from performance.rag.columns import _category_codes, _from_codes, _take_flag, _take_text, _vocabulary_column
from performance.rag.layout import _Grids, _ordinal, _period_label
from performance.rag.texts import _label_code, _reading, _text_codes
from performance.rag.threads import _Rating
from performance.register import Register
from performance.vocabulary import DIRECTIONS, MEASURES, RAG_SCHEMES, STATUSES, TARGET_STATUSES

# The columns of rate()'s frame, in order (documented in its docstring).
RATED_COLUMNS = (
    "framework", "code", "part", "title", "theme", "theme_board", "unit", "polarity", "frequency",
    "measure", "period", "year", "period_order", "value", "period_value", "target",
    "original_target", "original_measure", "year_target", "baseline_used", "tolerance_pct",
    "tolerance_points", "scheme", "due", "status", "provisional", "is_demo", "direction",
    "direction_year", "previous_value", "year_earlier_value", "forecast_year_end", "forecast_basis",
    "forecast_target", "forecast_status", "comparator", "comparator_value", "own_area",
    "target_status", "target_text", "target_version", "commentary", "action", "source", "removed",
    "first_year", "survey_years",
)


class _Rows:
    """The rows to rate: part numbers ``p`` and grid periods ``t``, each part in its
    framework's years (or in the periods asked for), in register then timeline order.

    :meth:`spread` copies a value per part to the part's rows. Rating every period gives
    each part a run of rows, often the same number each; copying per-part text into
    that shape is cheaper than a fancy-index take, which matters for a million rows times a
    dozen text columns.
    """

    def __init__(self, grids: _Grids, periods: Iterable[str] | None) -> None:
        first_t, last_t = grids.first_y * _SLOTS, grids.last_y * _SLOTS + _SLOTS - 1
        self.n_parts, self.counts, self.width, self.same_periods = grids.n_parts, None, None, False
        if grids.n_parts == 0:
            self.p, self.t = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        elif periods is None:
            counts = last_t - first_t + 1
            self.counts = counts
            if counts.min() == counts.max():  # a part x period block: built by broadcasting
                self.width = int(counts[0])
                self.same_periods = first_t.min() == first_t.max()
                self.p = np.repeat(np.arange(grids.n_parts), self.width)
                self.t = (first_t[:, None] + np.arange(self.width)).reshape(-1)
            else:
                self.p = np.repeat(np.arange(grids.n_parts), counts)
                starts = np.repeat(first_t - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
                self.t = starts + np.arange(counts.sum())
        else:
            wanted = np.array([_ordinal(parse_period(x)) for x in periods], dtype=np.int64)
            wanted = wanted - grids.y0 * _SLOTS
            wanted = np.sort(np.unique(wanted))
            pid = np.repeat(np.arange(grids.n_parts), len(wanted))
            t = np.tile(wanted, grids.n_parts)
            inside = (t >= first_t[pid]) & (t <= last_t[pid])
            self.p, self.t = pid[inside], t[inside]

    def spread(self, per_part: np.ndarray) -> np.ndarray:
        """``per_part[p]``: the value of each row's part."""
        if self.width is not None:
            out = np.empty((self.n_parts, self.width), dtype=per_part.dtype)
            out[...] = per_part[:, None]
            return out.reshape(-1)
        if self.counts is not None:
            return np.repeat(per_part, self.counts)
        return per_part[self.p]

    def by_period(self, per_period: np.ndarray) -> np.ndarray:
        """``per_period[t]``: the value of each row's grid period."""
        if self.width is not None and self.same_periods:  # every part rates the same periods
            out = np.empty((self.n_parts, self.width), dtype=per_period.dtype)
            out[...] = per_period[self.t[:self.width]]
            return out.reshape(-1)
        return per_period[self.t]


def rate(register: Register, periods: Iterable[str] | None = None) -> pd.DataFrame:
    """Rate every indicator part in every period (or the periods given); one row each.

    ``periods=None`` rates every quarter and annual period of each framework's years; given
    periods are rated for the parts whose framework covers them. Rows come in register order,
    then timeline order (``period_order``). Columns:

    - identity: framework, code, part, title, theme, theme_board, unit, polarity, frequency,
      measure (the one in force), period, year, period_order (an integer in timeline order);
    - rating: value (in the measure's terms: year to date, running total, gap), period_value
      (the return as recorded), target (profiled to the period), original_target (likewise,
      original version), original_measure, year_target, baseline_used, tolerance_pct,
      tolerance_points, scheme, due, status, provisional, is_demo;
    - direction, direction_year (NaN where a value is missing), previous_value,
      year_earlier_value (the values compared, year-to-date counts annualised);
    - forecast_year_end, forecast_basis (officer/projection), forecast_target,
      forecast_status (NaN where there is no forecast, and in annual periods);
    - comparator, comparator_value, own_area; target_status, target_text, target_version;
      commentary, action, source (of the return); removed, first_year, survey_years.

    Every text column is a pandas categorical: compare, filter and ``isin`` as with text. The
    register's texts (code, title, period, commentary ...) have their categories in alphabetical
    order, so they sort as text; the vocabulary columns (status, forecast_status, direction,
    direction_year, forecast_basis, measure, original_measure, target_status) list their whole
    vocabulary in its own order, so statuses sort worst first (red, amber, green, no_data,
    not_due, no_target). To write a new text into a copy of a column (a categorical takes only
    its categories), turn it into text first: ``frame["commentary"].astype(object)``.
    """
    if isinstance(periods, str):
        periods = [periods]
    g = _Grids(register)
    rows = _Rows(g, None if periods is None else list(periods))
    p, t = rows.p, rows.t
    rating = _Rating(g, p, t)  # on the worker threads from here

    ind, returns, targets = g.ind, g.returns, g.targets
    grid_periods = range(g.y0 * _SLOTS, (g.y0 + g.n_years) * _SLOTS)
    period_labels = np.array([_period_label(o) for o in grid_periods], dtype=object)
    year_labels = np.array([financial_year(g.y0 + i) for i in range(g.n_years)], dtype=object)

    def spread(codes: np.ndarray, labels) -> pd.Series:  # a text per part, to its rows
        small, dtype = _category_codes(codes, labels)
        return _from_codes(rows.spread(small), dtype)

    def by_period(codes: np.ndarray, labels) -> pd.Series:  # a text per grid period, to its rows
        small, dtype = _category_codes(codes, labels)
        return _from_codes(rows.by_period(small), dtype)

    def indicator(column: str) -> pd.Series:
        return spread(*_text_codes(ind, column))

    # the texts: factorized by the worker threads or once here (within _reading)
    with _reading(g.prefetched):
        # the columns that do not depend on the rating, built while the blocks are rated
        n_grid = len(period_labels)
        out = {
            **{c: indicator(c) for c in ("framework", "code", "part", "title", "theme", "theme_board",
                                         "unit", "polarity", "frequency", "comparator", "survey_years")},
            "period": by_period(np.arange(n_grid), period_labels),
            "year": by_period(np.arange(n_grid) // _SLOTS, year_labels),
            "period_order": t + g.y0 * _SLOTS,
            "tolerance_pct": g.tolerance_pct[p],
            "tolerance_points": g.tolerance_points[p],
            "scheme": spread(g.scheme, RAG_SCHEMES),
            "own_area": spread(*pd.factorize(g.own_area)),
            "first_year": spread(g.first_y, year_labels),
        }
        cells = rating.result()
        return_row, target_row = cells.pop("return_row"), cells.pop("target_row")
        out.update({
            **{c: cells[c] for c in ("value", "period_value", "target", "original_target", "year_target",
                                     "baseline_used", "due", "previous_value", "year_earlier_value",
                                     "forecast_year_end", "forecast_target", "comparator_value",
                                     "removed")},
            **{c: _vocabulary_column(cells[c], MEASURES) for c in ("measure", "original_measure")},
            **{c: _vocabulary_column(cells[c], STATUSES) for c in ("status", "forecast_status")},
            **{c: _vocabulary_column(cells[c], DIRECTIONS) for c in ("direction", "direction_year")},
            "forecast_basis": _vocabulary_column(cells["forecast_basis"], FORECAST_BASES),
            "provisional": _take_flag(returns, "provisional", return_row),
            "is_demo": _take_flag(returns, "is_demo", return_row),
            "target_status": _vocabulary_column(cells["target_status"], (*TARGET_STATUSES, "")),
            "target_text": _take_text(targets, "text", target_row),
            "target_version": _take_text(targets, "version", target_row),
            **{c: _take_text(returns, c, return_row) for c in ("commentary", "action", "source")},
        })
    return pd.DataFrame({c: out[c] for c in RATED_COLUMNS}, copy=False)


def latest_period_with_data(register: Register, framework: str | None = None) -> str | None:
    """The latest period (timeline order) in which a part (of ``framework``, if given) has a
    value for its own area within its framework's years, e.g. ``2009/10 Q3``: the latest
    period whose rating shows a value. ``None`` when there is none."""
    if register.returns is None or not len(register.returns):
        return None
    g = _Grids(register, copied_texts=False)
    parts = np.arange(g.n_parts)
    if framework is not None:
        parts = parts[g.keys.codes[0] == _label_code(np.asarray(g.keys.labels[0]), framework)]
    t = np.arange(g.n_t)
    in_years = (t >= g.first_y[parts, None] * _SLOTS) & (t < (g.last_y[parts, None] + 1) * _SLOTS)
    has = ~np.isnan(g.own_val[parts]) & in_years
    if not has.any():
        return None
    return _period_label(g.y0 * _SLOTS + int(np.flatnonzero(has.any(axis=0)).max()))
