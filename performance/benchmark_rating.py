"""Intervals, comparison with a benchmark and recent trend, joined to :func:`performance.rag.rate`'s frame.

Pure pandas/NumPy and separate from the RAG engine: :func:`with_benchmarks` takes the rated
frame as it is and adds columns, so the status rules stay where they are. Rows are matched
on integer codes (no row-wise Python), so a million rated rows take a fraction of a second
(``python -m bench --only benchmarks_1m``).

Columns added (``BENCHMARK_COLUMNS``): the own area's ``count`` and ``denominator`` (from the
returns), its 95% and 99.8% limits (Wilson for percentages, Byar's / exact Poisson for rates
and counts: :mod:`performance.intervals`), the ``benchmark`` area, the ``benchmark_value`` and
the ``benchmark_period`` it is from (the latest at or before the period; a running total is
compared only with the same period), ``compared_with_benchmark`` at 95% and
``compared_with_benchmark_998``, ``comparison_reason`` where not compared, and the recent
``trend`` with its ``trend_basis`` (annual or quarterly) and ``trend_reason``. Comparisons and
trends are codes of :data:`performance.benchmarks.COMPARISONS` / ``TRENDS``; people see the
labels in :mod:`performance.vocabulary`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from performance import benchmarks as bm
from performance import intervals
from performance.periods import PeriodError, parse_period
from performance.vocabulary import COMPARISON_LABELS, TREND_LABELS

__all__ = ["BENCHMARK_COLUMNS", "COMPARISON_REASONS", "TREND_REASONS", "red_red", "with_benchmarks",
           "with_labels"]

BENCHMARK_COLUMNS = [
    "count", "denominator", "lower_95", "upper_95", "lower_998", "upper_998", "benchmark",
    "benchmark_value", "benchmark_period", "compared_with_benchmark", "compared_with_benchmark_998",
    "comparison_reason", "trend", "trend_basis", "trend_reason",
]
COMPARISON_REASONS = (
    "", "no confidence interval (give a count and denominator, or limits)",
    "no benchmark value for this period or before", "no confidence interval and no benchmark value",
    "no benchmark value for this period (a running total is compared only with the same period)",
)
TREND_REASONS = (
    "", "fewer than five consecutive points", "no count and denominator for every point",
    "no confidence interval can be made for this unit", "no values yet",
)
TREND_BASES = ("annual", "quarterly")
_PERIOD_SPAN = 100_000  # ordinals are year * 5 + slot, far below this
_RUNNING_TOTALS = ("cumulative_in_year", "cumulative_agreement")


def _ordinal(text: str) -> int:
    try:
        p = parse_period(text)
    except PeriodError:
        return -1
    return p.year * 5 + (4 if p.quarter is None else p.quarter - 1)


def _as_categorical(col: pd.Series) -> pd.Categorical:
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.array
    return pd.Categorical(col.astype(object).where(col.notna(), "").astype(str))


def _codes_in(col: pd.Series, categories: pd.Index) -> np.ndarray:
    """Codes of ``col``'s values in ``categories`` (-1 where absent)."""
    if isinstance(col.dtype, pd.CategoricalDtype) and col.cat.categories.equals(categories):
        return col.cat.codes.to_numpy().astype(np.int64)
    codes, uniques = pd.factorize(col.astype(object).where(col.notna(), "").astype(str))
    return np.append(categories.get_indexer(pd.Index(uniques, dtype=object)), -1)[codes].astype(np.int64)


class _Keys:
    """(framework, code, part) as one int64 per row, the same for every frame matched."""

    def __init__(self, rated: pd.DataFrame):
        self.cats = [pd.Index(_as_categorical(rated[c]).categories) for c in ("framework", "code", "part")]
        self.sizes = [max(len(c), 1) for c in self.cats]

    def of(self, frame: pd.DataFrame) -> np.ndarray:
        fw, code, part = (_codes_in(frame[c], cats) for c, cats in zip(("framework", "code", "part"),
                                                                         self.cats, strict=True))
        key = (fw * self.sizes[1] + code) * self.sizes[2] + part
        return np.where((fw < 0) | (code < 0) | (part < 0), -1, key)


def _period_ordinals(col: pd.Series) -> np.ndarray:
    cat = _as_categorical(col)
    ords = np.array([_ordinal(str(c)) for c in cat.categories] + [-1], dtype=np.int64)
    return ords[np.asarray(cat.codes)]


def _category_map(col: pd.Series, mapping: dict, default) -> np.ndarray:
    cat = _as_categorical(col)
    table = np.array([mapping.get(str(c), default) for c in cat.categories] + [default])
    return table[np.asarray(cat.codes)]


def _limits(units: pd.Series, count: np.ndarray, denominator: np.ndarray, confidence: float):
    """Limits row by row from the count and denominator, by each unit's method."""
    lower = np.full(len(count), np.nan)
    upper = np.full(len(count), np.nan)
    cat = _as_categorical(units)
    codes = np.asarray(cat.codes)
    has = ~np.isnan(count)
    for i, unit in enumerate(cat.categories):
        if not intervals.method_for_unit(str(unit)):
            continue
        rows = np.flatnonzero(has & (codes == i))
        if len(rows):
            lower[rows], upper[rows] = intervals.limits_for_unit(str(unit), count[rows], denominator[rows],
                                                                 confidence)
    return lower, upper


def _lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Position of each key in ``sorted_keys`` (-1 where absent)."""
    if not len(sorted_keys):
        return np.full(len(keys), -1)
    pos = np.clip(np.searchsorted(sorted_keys, keys), 0, len(sorted_keys) - 1)
    return np.where((sorted_keys[pos] == keys) & (keys >= 0), pos, -1)


def _at_or_before(sorted_part: np.ndarray, sorted_ord: np.ndarray, part: np.ndarray, ordinal: np.ndarray
                  ) -> np.ndarray:
    """Index of the latest row of the same part at or before each ordinal (-1 where none)."""
    if not len(sorted_part):
        return np.full(len(part), -1)
    combined = sorted_part * _PERIOD_SPAN + sorted_ord
    idx = np.searchsorted(combined, part * _PERIOD_SPAN + ordinal, side="right") - 1
    ok = (idx >= 0) & (part >= 0)
    idx = np.clip(idx, 0, None)
    return np.where(ok & (sorted_part[idx] == part), idx, -1)


def with_benchmarks(rated: pd.DataFrame, benchmark: str, benchmark_values: pd.DataFrame,
                    own_series: pd.DataFrame | None = None) -> pd.DataFrame:
    """``rated`` with the :data:`BENCHMARK_COLUMNS` for one benchmark area.

    ``benchmark_values``: ``framework, code, part, area, period, value`` (and optional counts and
    limits), e.g. ``data_loaders.benchmarks_store.read_benchmark_values``. ``own_series``: the
    own area's values with their counts for every period, ``framework, code, part, period,
    value, numerator, denominator``: the count columns of ``rated`` and the trend come from it.
    """
    n = len(rated)
    keys = _Keys(rated)
    part = keys.of(rated)
    ordinal = _period_ordinals(rated["period"])
    out = {}

    # the own area's count and denominator for the rated period
    count = np.full(n, np.nan)
    denominator = np.full(n, np.nan)
    series = own_series if own_series is not None else pd.DataFrame(
        columns=["framework", "code", "part", "period", "value", "numerator", "denominator"])
    s_part = keys.of(series) if len(series) else np.zeros(0, np.int64)
    s_ord = _period_ordinals(series["period"]) if len(series) else np.zeros(0, np.int64)
    s_num, s_den, s_val = (pd.to_numeric(series[c], errors="coerce").to_numpy(float) if len(series)
                           else np.zeros(0) for c in ("numerator", "denominator", "value"))
    order = np.lexsort((s_ord, s_part))
    s_part, s_ord, s_num, s_den, s_val = (a[order] for a in (s_part, s_ord, s_num, s_den, s_val))
    pos = _lookup(s_part * _PERIOD_SPAN + s_ord, np.where(part >= 0, part * _PERIOD_SPAN + ordinal, -1))
    hit = pos >= 0
    count[hit], denominator[hit] = s_num[pos[hit]], s_den[pos[hit]]
    out["count"], out["denominator"] = count, denominator
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        out[f"lower_{suffix}"], out[f"upper_{suffix}"] = _limits(rated["unit"], count, denominator, level)

    # the benchmark value at or before the period (running totals: the same period only)
    bv = (benchmark_values[benchmark_values["area"] == benchmark] if len(benchmark_values)
          else benchmark_values)
    b_part = keys.of(bv) if len(bv) else np.zeros(0, np.int64)
    b_ord = _period_ordinals(bv["period"]) if len(bv) else np.zeros(0, np.int64)
    b_val = bv["value"].to_numpy(float) if len(bv) else np.zeros(0)
    b_labels = bv["period"].astype(str).to_numpy(object) if len(bv) else np.zeros(0, object)
    keep = (b_part >= 0) & (b_ord >= 0)
    b_part, b_ord, b_val, b_labels = b_part[keep], b_ord[keep], b_val[keep], b_labels[keep]
    border = np.lexsort((b_ord, b_part))
    b_part, b_ord, b_val, b_labels = (a[border] for a in (b_part, b_ord, b_val, b_labels))
    idx = _at_or_before(b_part, b_ord, part, ordinal)
    running = _category_map(rated["measure"], {m: True for m in _RUNNING_TOTALS}, False).astype(bool)
    same_period = (idx >= 0) & (b_ord[np.clip(idx, 0, None)] == ordinal) if len(b_ord) else idx >= 0
    idx = np.where(running & ~same_period, -1, idx)
    value = np.where(idx >= 0, b_val[np.clip(idx, 0, None)] if len(b_val) else np.nan, np.nan)
    out["benchmark"] = pd.Categorical.from_codes(np.zeros(n, np.int8), categories=[benchmark])
    out["benchmark_value"] = value
    labels, label_codes = np.unique(b_labels.astype(str), return_inverse=True) if len(b_labels) else (
        np.zeros(0, object), np.zeros(0, np.int64))
    period_codes = np.where(idx >= 0, label_codes[np.clip(idx, 0, None)] if len(label_codes) else -1, -1)
    out["benchmark_period"] = pd.Categorical.from_codes(period_codes, categories=list(labels))

    sign = _category_map(rated["polarity"], {"higher_is_better": 1, "lower_is_better": -1}, 0)
    for suffix, column in (("95", "compared_with_benchmark"), ("998", "compared_with_benchmark_998")):
        codes = bm.compare(out[f"lower_{suffix}"], out[f"upper_{suffix}"], value, sign)
        out[column] = pd.Categorical.from_codes(codes, categories=list(bm.COMPARISONS))
    no_interval = np.isnan(out["lower_95"])
    no_value = np.isnan(value)
    reason = np.where(no_interval & no_value, 3, np.where(no_interval, 1, np.where(no_value, 2, 0)))
    reason = np.where(no_value & running & ~no_interval, 4, reason)
    out["comparison_reason"] = pd.Categorical.from_codes(reason.astype(np.int8),
                                                         categories=list(COMPARISON_REASONS))

    trend_code, trend_basis, trend_reason = _trends(rated, part, ordinal, sign,
                                                    s_part, s_ord, s_num, s_den, s_val)
    out["trend"] = pd.Categorical.from_codes(trend_code, categories=list(bm.TRENDS))
    out["trend_basis"] = pd.Categorical.from_codes(trend_basis, categories=list(TREND_BASES))
    out["trend_reason"] = pd.Categorical.from_codes(trend_reason, categories=list(TREND_REASONS))
    added = pd.DataFrame(out, index=rated.index, copy=False)
    return pd.concat([rated.drop(columns=[c for c in BENCHMARK_COLUMNS if c in rated]), added], axis=1)


def _trends(rated, part, ordinal, sign, s_part, s_ord, s_num, s_den, s_val):
    """Recent trend of each rated row from the five basis points ending at or before its period.

    The basis is quarterly for a quarterly snapshot measure (its quarters are independent) and
    annual otherwise (year-to-date and running totals overlap, so only annual values are used).
    """
    n = len(rated)
    quarterly_row = (_category_map(rated["frequency"], {"quarterly": True}, False).astype(bool)
                     & _category_map(rated["measure"], {"snapshot": True}, False).astype(bool))
    unit_method = _category_map(rated["unit"], {u: intervals.method_for_unit(u) for u in
                                                ("percent", "count", *intervals.RATE_MULTIPLIERS)}, "")
    code = np.full(n, 7, np.int8)
    reason = np.full(n, 4, np.int8)
    if not len(s_part):
        return code, quarterly_row.astype(np.int8), reason
    # each series point takes its part's basis, method, unit and polarity from a rated row of the part
    rated_order = np.argsort(part, kind="stable")
    sorted_part = part[rated_order]
    at = np.searchsorted(sorted_part, s_part)
    at = np.clip(at, 0, n - 1)
    known = sorted_part[at] == s_part
    row_of = rated_order[at]
    s_quarterly = np.where(known, quarterly_row[row_of], False)
    s_method = np.where(known, unit_method[row_of], "")
    is_quarter = (s_ord % 5) != 4
    use = known & (s_quarterly == is_quarter) & ~np.isnan(s_val)
    p, o, num, den, val = (a[use] for a in (s_part, s_ord, s_num, s_den, s_val))
    method, quarterly = s_method[use], s_quarterly[use]
    units = rated["unit"].to_numpy()[row_of[use]] if use.any() else np.zeros(0, object)
    seq = np.where(quarterly, (o // 5) * 4 + o % 5, o // 5)
    m = len(p)
    point_code = np.full(m, 7, np.int8)
    point_reason = np.full(m, 1, np.int8)
    k = bm.TREND_POINTS
    if m >= k:
        ends = np.arange(k - 1, m)
        consecutive = (p[ends - (k - 1)] == p[ends]) & (seq[ends] - seq[ends - (k - 1)] == k - 1)
        wn, wd, wv = (sliding_window_view(a, k) for a in (num, den, val))
        lo, up = intervals.limits_for_unit(units, num, den, 0.95) if m else (np.zeros(0), np.zeros(0))
        wl, wu = sliding_window_view(lo, k), sliding_window_view(up, k)
        proportion = method[ends] == "wilson"
        have_counts = ~np.isnan(wn).any(axis=1) & ~np.isnan(wd).any(axis=1)
        have_limits = ~np.isnan(wl).any(axis=1) & ~np.isnan(wu).any(axis=1)
        # missing inputs are filled only to keep the arithmetic quiet: such windows are unusable
        slope_p, stat_p = bm.trend_statistic_proportions(np.nan_to_num(wn),
                                                         np.where(np.isnan(wd), 1.0, wd))
        beta_w, stat_w = bm.trend_statistic_weighted(wv, np.nan_to_num(wl),
                                                     np.where(np.isnan(wu), 1.0, wu))
        direction = np.where(proportion, slope_p, beta_w)
        statistic = np.where(proportion, stat_p, stat_w)
        usable = consecutive & np.where(proportion, have_counts, have_limits)
        s_sign = sign[row_of[use]][ends]
        point_code[ends] = bm.trend(direction, statistic, s_sign, usable)
        point_reason[ends] = np.where(usable, 0, np.where(~consecutive, 1,
                                                          np.where(method[ends] == "", 3, 2)))
    idx = _at_or_before(p, o, part, ordinal)
    found = idx >= 0
    code[found] = point_code[idx[found]]
    reason[found] = point_reason[idx[found]]
    return code, quarterly_row.astype(np.int8), reason


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The comparison and trend columns in the client's words (for a CSV, table or export)."""
    out = frame.copy()
    for column in ("compared_with_benchmark", "compared_with_benchmark_998"):
        if column in out:
            out[column] = out[column].map(COMPARISON_LABELS)
    if "trend" in out:
        out["trend"] = out["trend"].map(TREND_LABELS)
    return out


def red_red(frame: pd.DataFrame) -> pd.DataFrame:
    """The "red-red" exceptions: red against target and significantly worse than the benchmark
    (at 95%) or getting worse."""
    status = frame["status"].astype(str)
    worse = frame["compared_with_benchmark"].astype(str) == "worse"
    worsening = frame["trend"].astype(str).isin(["increasing_worse", "decreasing_worse"])
    return frame[(status == "red") & (worse | worsening)]
