"""Intervals, comparison with a benchmark and recent trend, joined to :func:`performance.rag.rate`'s frame.

Pure pandas/NumPy and separate from the RAG engine: :func:`with_benchmarks` takes the rated
frame as it is and adds columns, so the status rules stay where they are. Rows are matched
on integer codes laid on dense grids (no row-wise Python; ``python -m bench --only
benchmarks_1m`` times it on a million rows).

Columns added (``BENCHMARK_COLUMNS``): the own area's own figure ``area_value`` (for a gap
measure the rated ``value`` is the gap), its ``count`` and ``denominator`` (from the returns),
its 95% and 99.8% limits (Wilson for percentages, Byar's / exact Poisson for rates and
counts: :mod:`performance.intervals`), the ``benchmark`` area, the ``benchmark_value`` and
the ``benchmark_period`` it is from (the latest at or before the period; a running total is
compared only with the same period), ``compared_with_benchmark`` at 95% and
``compared_with_benchmark_998``, ``comparison_reason`` where not compared, and the recent
``trend`` with its ``trend_basis`` (annual or quarterly) and ``trend_reason``. Comparisons and
trends are codes of :data:`performance.benchmarks.COMPARISONS` / ``TRENDS``; people see the
labels in :mod:`performance.vocabulary`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from performance import benchmarks as bm
from performance import intervals
from performance.periods import Period, PeriodError, parse_period
from performance.vocabulary import COMPARISON_LABELS, TREND_LABELS

__all__ = ["BENCHMARK_COLUMNS", "COMPARISON_REASONS", "TREND_REASONS", "red_red", "with_benchmarks",
           "with_labels"]

BENCHMARK_COLUMNS = [
    "area_value", "count", "denominator", "lower_95", "upper_95", "lower_998", "upper_998", "benchmark",
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
_RUNNING_TOTALS = ("cumulative_in_year", "cumulative_agreement")
_SLOTS = 5  # Q1-Q4 then the annual value, as a timeline orders them
_ANNUAL = 4
_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """Two threads to hash key columns: pyarrow lets go of the GIL while it factorizes."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="benchmarks")
    return _POOL


def _ordinal(text: str) -> int:
    try:
        p = parse_period(text)
    except PeriodError:
        return -1
    return p.year * _SLOTS + (_ANNUAL if p.quarter is None else p.quarter - 1)


def _one_value(col: pd.Series) -> bool:
    """Whether an arrow string column holds one value in every row (a single framework)."""
    if not len(col) or not isinstance(col.dtype, pd.StringDtype) or col.dtype.storage != "pyarrow":
        return False
    import pyarrow.compute as pc  # present: the column is stored in arrow

    values = col.array.__arrow_array__()
    if values.null_count or values[0] != values[len(values) - 1]:
        return False
    return bool(pc.all(pc.equal(values, values[0])).as_py())


def _factorize(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes and the distinct values of a column (missing text read as "")."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        categories = pd.Index(col.cat.categories.astype(str), dtype=object)
        return col.cat.codes.to_numpy().astype(np.int64), categories
    if _one_value(col):  # one pass of comparisons instead of hashing every row
        return np.zeros(len(col), np.int64), pd.Index([str(col.iloc[0])], dtype=object)
    codes, uniques = pd.factorize(col)
    uniques = pd.Index([str(u) for u in uniques], dtype=object)
    if (codes < 0).any():  # a missing value: the "" text
        uniques = uniques.append(pd.Index([""], dtype=object))
        codes = np.where(codes < 0, len(uniques) - 1, codes)
    return codes.astype(np.int64), uniques


def _factorize_all(frame: pd.DataFrame, columns) -> list[tuple[np.ndarray, pd.Index]]:
    if len(frame) < 50_000:
        return [_factorize(frame[c]) for c in columns]
    return list(_pool().map(lambda c: _factorize(frame[c]), columns))


class _Keys:
    """(framework, code, part) as one int per row, the same for every frame matched; periods as
    ordinals (year x 5 + slot)."""

    def __init__(self, rated: pd.DataFrame):
        factorized = _factorize_all(rated, ("framework", "code", "part", "period"))
        self.cats = [u for _, u in factorized[:3]]
        self.sizes = [max(len(c), 1) for c in self.cats]
        self.rated_part = self._combine([c for c, _ in factorized[:3]])
        self.rated_ordinal = self._ordinals(*factorized[3])

    def _combine(self, codes) -> np.ndarray:
        fw, code, part = codes
        key = (fw * self.sizes[1] + code) * self.sizes[2] + part
        return np.where((fw < 0) | (code < 0) | (part < 0), -1, key)

    @staticmethod
    def _ordinals(codes: np.ndarray, uniques: pd.Index) -> np.ndarray:
        return np.array([_ordinal(u) for u in uniques] + [-1], dtype=np.int64)[codes]

    def of(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Part keys (-1: not a rated part) and period ordinals (-1: not a period) of ``frame``."""
        factorized = _factorize_all(frame, ("framework", "code", "part", "period"))
        codes = [np.append(cats.get_indexer(uniques), -1)[c]
                 for (c, uniques), cats in zip(factorized[:3], self.cats, strict=True)]
        return self._combine(codes), self._ordinals(*factorized[3])

    @property
    def space(self) -> int:
        return self.sizes[0] * self.sizes[1] * self.sizes[2]


def _category_map(col: pd.Series, mapping: dict, default) -> np.ndarray:
    codes, uniques = _factorize(col)
    return np.array([mapping.get(u, default) for u in uniques] + [default])[codes]


def _limits(unit_codes: np.ndarray, units: pd.Index, count: np.ndarray, denominator: np.ndarray,
            confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits row by row from the count and denominator, by each unit's method."""
    lower = np.full(len(count), np.nan)
    upper = np.full(len(count), np.nan)
    has = ~np.isnan(count)
    for i, unit in enumerate(units):
        if not intervals.method_for_unit(unit):
            continue
        rows = np.flatnonzero(has & (unit_codes == i))
        if len(rows):
            lower[rows], upper[rows] = intervals.limits_for_unit(unit, count[rows], denominator[rows],
                                                                 confidence)
    return lower, upper


def _ffill_index(has: np.ndarray) -> np.ndarray:
    """For each cell, the column of the latest cell at or before it along axis 1 that ``has``
    (-1 where none)."""
    idx = np.where(has, np.arange(has.shape[1])[None, :], -1)
    return np.maximum.accumulate(idx, axis=1)


def _take(grid: np.ndarray, rows: np.ndarray, cols: np.ndarray, fill=np.nan) -> np.ndarray:
    ok = (rows >= 0) & (cols >= 0)
    out = grid[np.where(ok, rows, 0), np.where(ok, cols, 0)]
    return np.where(ok, out, fill)


def with_benchmarks(rated: pd.DataFrame, benchmark: str, benchmark_values: pd.DataFrame,
                    own_series: pd.DataFrame | None = None) -> pd.DataFrame:
    """``rated`` with the :data:`BENCHMARK_COLUMNS` for one benchmark area.

    ``benchmark_values``: ``framework, code, part, area, period, value`` (and optional counts and
    limits), e.g. ``data_loaders.benchmarks_store.read_benchmark_values``. ``own_series``: the
    own area's values with their counts for every period, ``framework, code, part, period,
    value, numerator, denominator``: the count columns of ``rated`` and the trend come from it.

    The rows are laid on dense ``part x period`` grids (as the RAG engine does), so matching,
    the latest benchmark value at or before a period and the five-point windows of the trend
    are array indexing, not joins.
    """
    n = len(rated)
    keys = _Keys(rated)
    part, ordinal = keys.rated_part, keys.rated_ordinal
    series = own_series if own_series is not None and len(own_series) else None
    s_part, s_ord = keys.of(series) if series is not None else (np.zeros(0, np.int64),) * 2
    bv = benchmark_values[benchmark_values["area"] == benchmark] if len(benchmark_values) else None
    b_part, b_ord = keys.of(bv) if bv is not None and len(bv) else (np.zeros(0, np.int64),) * 2

    # the grids: the rated parts (keys compacted to 0..parts-1) x every slot of the years seen
    ords = np.concatenate([o[o >= 0] for o in (ordinal, s_ord, b_ord)])
    y0 = int(ords.min()) // _SLOTS if len(ords) else 0
    n_slots = (int(ords.max()) // _SLOTS - y0 + 1) * _SLOTS if len(ords) else _SLOTS
    used = np.zeros(keys.space + 1, bool)  # the last cell stands for "not a rated part"
    used[part[part >= 0]] = True
    used[-1] = False
    compact = np.where(used, np.cumsum(used) - 1, -1)
    space = max(int(used.sum()), 1)
    part, s_part, b_part = (compact[np.where(k >= 0, k, keys.space)] for k in (part, s_part, b_part))
    col, s_col, b_col = (np.where(o >= 0, o - y0 * _SLOTS, -1) for o in (ordinal, s_ord, b_ord))
    s_ok = (s_part >= 0) & (s_col >= 0)
    b_ok = (b_part >= 0) & (b_col >= 0)

    # per part: unit, polarity, measure, frequency (from its rated rows)
    unit_codes, units = _factorize(rated["unit"])
    sign = _category_map(rated["polarity"], {"higher_is_better": 1, "lower_is_better": -1}, 0)
    running = _category_map(rated["measure"], {m: True for m in _RUNNING_TOTALS}, False).astype(bool)
    quarterly = (_category_map(rated["frequency"], {"quarterly": True}, False).astype(bool)
                 & _category_map(rated["measure"], {"snapshot": True}, False).astype(bool))
    part_unit = np.full(space, -1, np.int64)
    part_unit[part[part >= 0]] = unit_codes[part >= 0]
    part_sign = np.zeros(space, np.int8)
    part_sign[part[part >= 0]] = sign[part >= 0]

    out = {}
    # the own area's count and denominator for each rated period, and its limits
    grids = {}
    for name in ("numerator", "denominator", "value"):
        grid = np.full((space, n_slots), np.nan)
        if series is not None:
            numbers = pd.to_numeric(series[name], errors="coerce").to_numpy(float)
            grid[s_part[s_ok], s_col[s_ok]] = numbers[s_ok]
        grids[name] = grid
    count = _take(grids["numerator"], part, col)
    denominator = _take(grids["denominator"], part, col)
    # the own area's own figure: for a gap measure the rated value is the gap, not the level
    out["area_value"] = _take(grids["value"], part, col)
    out["count"], out["denominator"] = count, denominator
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        out[f"lower_{suffix}"], out[f"upper_{suffix}"] = _limits(unit_codes, units, count, denominator, level)

    # the benchmark value at or before the period (running totals: the same period only)
    b_grid = np.full((space, n_slots), np.nan)
    if bv is not None and len(bv):
        b_grid[b_part[b_ok], b_col[b_ok]] = bv["value"].to_numpy(float)[b_ok]
    latest = _ffill_index(~np.isnan(b_grid))
    found_col = _take(latest, part, col, fill=-1).astype(np.int64)
    found_col = np.where(running & (found_col != col), -1, found_col)
    value = _take(b_grid, part, found_col)
    out["benchmark"] = pd.Categorical.from_codes(np.zeros(n, np.int8), categories=[benchmark])
    out["benchmark_value"] = value
    labels = [str(Period(y0 + c // _SLOTS, None if c % _SLOTS == _ANNUAL else c % _SLOTS + 1))
              for c in range(n_slots)]
    out["benchmark_period"] = pd.Categorical.from_codes(found_col, categories=labels)

    for suffix, column in (("95", "compared_with_benchmark"), ("998", "compared_with_benchmark_998")):
        codes = bm.compare(out[f"lower_{suffix}"], out[f"upper_{suffix}"], value, sign)
        out[column] = pd.Categorical.from_codes(codes, categories=list(bm.COMPARISONS))
    no_interval = np.isnan(out["lower_95"])
    no_value = np.isnan(value)
    reason = np.where(no_interval & no_value, 3, np.where(no_interval, 1, np.where(no_value, 2, 0)))
    reason = np.where(no_value & running & ~no_interval, 4, reason)
    out["comparison_reason"] = pd.Categorical.from_codes(reason.astype(np.int8),
                                                         categories=list(COMPARISON_REASONS))

    code, why = _trends(grids, part_unit, units, part_sign, part, col, quarterly)
    out["trend"] = pd.Categorical.from_codes(code, categories=list(bm.TRENDS))
    out["trend_basis"] = pd.Categorical.from_codes(quarterly.astype(np.int8), categories=list(TREND_BASES))
    out["trend_reason"] = pd.Categorical.from_codes(why, categories=list(TREND_REASONS))
    result = rated.drop(columns=[c for c in BENCHMARK_COLUMNS if c in rated])
    for name, values in out.items():
        result[name] = values
    return result


def _trends(grids, part_unit, units, part_sign, part, col, quarterly):
    """Recent trend of each rated row: the five basis points ending at the latest one at or
    before its period.

    The basis is quarterly for a quarterly snapshot measure (its quarters are independent) and
    annual otherwise (year-to-date values and running totals overlap, so only annual values).
    Proportions use their counts (chi-squared test for trend); other units a weighted
    regression with weights from the 95% limits made from the counts.
    """
    k = bm.TREND_POINTS
    n_slots = grids["value"].shape[1]
    slot = np.arange(n_slots) % _SLOTS
    method = np.array([intervals.method_for_unit(u) for u in units] + [""], dtype=object)[part_unit]
    proportion = method == "wilson"
    code = np.full(len(part), 7, np.int8)
    why = np.full(len(part), 4, np.int8)
    for is_quarterly, columns in ((False, np.flatnonzero(slot == _ANNUAL)),
                                  (True, np.flatnonzero(slot != _ANNUAL))):
        rows = np.flatnonzero((quarterly == is_quarterly) & (part >= 0) & (col >= 0))
        if not len(rows):
            continue
        wanted = np.zeros(len(part_unit), bool)
        wanted[part[rows]] = True
        parts_used = np.flatnonzero(wanted)
        val = grids["value"][np.ix_(parts_used, columns)]
        num = grids["numerator"][np.ix_(parts_used, columns)]
        den = grids["denominator"][np.ix_(parts_used, columns)]
        # each rated row's latest basis point at or before its period
        position = np.searchsorted(columns, col[rows], side="right") - 1
        has = ~np.isnan(val)
        latest = _ffill_index(has)
        which = (np.cumsum(wanted) - 1)[part[rows]]
        end = np.where(position >= 0, latest[which, np.clip(position, 0, None)], -1)
        point_code = np.full(val.shape, 7, np.int8)
        point_why = np.full(val.shape, 1, np.int8)
        if val.shape[1] >= k:
            # limits only where the weighted method needs them (proportions use their counts)
            unit = np.where(proportion[parts_used], -1, part_unit[parts_used])
            flat_unit = np.repeat(unit, val.shape[1])
            lo, up = _limits(flat_unit, units, num.ravel(), den.ravel(), 0.95)
            lo, up = lo.reshape(val.shape), up.reshape(val.shape)
            wv, wn, wd, wl, wu = (sliding_window_view(a, k, axis=1) for a in (val, num, den, lo, up))
            shape = wv.shape[:2]
            all_values = ~np.isnan(wv).any(axis=2)
            have_counts = ~(np.isnan(wn).any(axis=2) | np.isnan(wd).any(axis=2))
            have_limits = ~(np.isnan(wl).any(axis=2) | np.isnan(wu).any(axis=2))
            prop = np.broadcast_to(proportion[parts_used][:, None], shape)
            usable = all_values & np.where(prop, have_counts, have_limits)
            direction = np.full(shape, np.nan)
            statistic = np.full(shape, np.nan)
            pick = usable & prop
            if pick.any():
                d, x = bm.trend_statistic_proportions(wn[pick], wd[pick])
                direction[pick], statistic[pick] = d, x
            pick = usable & ~prop
            if pick.any():
                d, x = bm.trend_statistic_weighted(wv[pick], wl[pick], wu[pick])
                direction[pick], statistic[pick] = d, x
            signs = np.broadcast_to(part_sign[parts_used][:, None], shape)
            point_code[:, k - 1:] = bm.trend(direction, statistic, signs, usable)
            no_method = np.broadcast_to((method[parts_used] == "")[:, None], shape)
            point_why[:, k - 1:] = np.where(usable, 0, np.where(~all_values, 1, np.where(no_method, 3, 2)))
        found = end >= 0
        code[rows[found]] = point_code[which[found], end[found]]
        why[rows[found]] = point_why[which[found], end[found]]
    return code, why


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
