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


def _factorize(col: pd.Series) -> tuple[np.ndarray | None, pd.Index]:
    """Codes and the distinct values of a column (missing text read as "").

    The codes index the values; -1 (a missing category) indexes nothing, so a lookup table
    built from the values takes one extra last element for it. ``None`` for the codes: every
    row holds the one value (no array of a million zeros to gather through).
    """
    if isinstance(col.dtype, pd.CategoricalDtype):  # rate()'s columns: the codes are there
        categories = pd.Index(col.cat.categories.astype(str), dtype=object)
        return col.cat.codes.to_numpy(), categories
    if _one_value(col):  # one pass of comparisons instead of hashing every row
        return None, pd.Index([str(col.iloc[0])], dtype=object)
    codes, uniques = pd.factorize(col)
    if isinstance(col.dtype, pd.StringDtype):
        uniques = pd.Index(np.asarray(uniques, dtype=object), dtype=object)  # already str
    else:
        uniques = pd.Index([str(u) for u in uniques], dtype=object)
    if len(codes) and codes.min() < 0:  # a missing value: the "" text
        uniques = uniques.append(pd.Index([""], dtype=object))
        codes = np.where(codes < 0, len(uniques) - 1, codes)
    return codes, uniques


def _factorize_all(frame: pd.DataFrame, columns) -> list[tuple[np.ndarray | None, pd.Index]]:
    if len(frame) < 50_000:
        return [_factorize(frame[c]) for c in columns]
    return list(_pool().map(lambda c: _factorize(frame[c]), columns))


def _lookup(table: np.ndarray, codes: np.ndarray | None, n: int) -> np.ndarray:
    """``table[codes]`` (``table`` with its extra last element for code -1), or ``table[0]``
    in every row when ``codes`` is None (one value)."""
    if codes is None:
        return np.full(n, table[0], dtype=table.dtype)
    return table[codes]


def _period_table(uniques: pd.Index) -> np.ndarray:
    """The ordinal (year x 5 + slot) of each distinct period text, then -1 for code -1."""
    return np.array([_ordinal(u) for u in uniques] + [-1], dtype=np.int64)


def _used(codes: np.ndarray | None, n_values: int) -> np.ndarray:
    """Which of ``n_values`` distinct values occur in ``codes`` (a category may be unused)."""
    if codes is None:
        return np.ones(n_values, bool)
    counts = np.bincount(codes[codes >= 0] if codes.dtype.kind == "i" and len(codes) and codes.min() < 0
                         else codes, minlength=n_values)
    return counts[:n_values] > 0


class _Keys:
    """(framework, code, part) as one int per row, the same for every frame matched, then the
    rated parts numbered 0..parts-1; periods by their texts' ordinals (year x 5 + slot)."""

    def __init__(self, rated: pd.DataFrame):
        n = len(rated)
        factorized = _factorize_all(rated, ("framework", "code", "part", "period"))
        self.cats = [u for _, u in factorized[:3]]
        self.sizes = [max(len(c), 1) for c in self.cats]
        fw, code, part = (c if c is not None else np.zeros(n, np.int8) for c, _ in factorized[:3])
        key = fw.astype(np.int64)  # in place from here: no fresh temporaries per step
        key *= self.sizes[1]
        key += code
        key *= self.sizes[2]
        key += part
        if min((int(c.min()) for c in (fw, code, part) if len(c)), default=0) < 0:
            key[(fw < 0) | (code < 0) | (part < 0)] = -1
        # the rated parts, numbered in key order; the last cell of the table is key -1
        self.space = self.sizes[0] * self.sizes[1] * self.sizes[2]
        used = np.zeros(self.space + 1, bool)
        used[key] = True
        used[-1] = False
        self.compact = np.where(used, np.cumsum(used) - 1, -1)
        self.n_parts = int(np.count_nonzero(used))
        self.rated_part = self.compact[key]
        codes, uniques = factorized[3]
        self.rated_period = (codes, _period_table(uniques), _used(codes, len(uniques)))

    def of(self, frame: pd.DataFrame) -> tuple[np.ndarray, tuple]:
        """The rated part of each row of ``frame`` (-1: none) and its periods as
        ``(codes, ordinal of each text, texts used)``."""
        n = len(frame)
        factorized = _factorize_all(frame, ("framework", "code", "part", "period"))
        missing = -2 * (self.space + 1)  # a share so negative that the whole key is
        key = None
        for i, ((codes, uniques), cats) in enumerate(zip(factorized[:3], self.cats, strict=True)):
            stride = int(np.prod(self.sizes[i + 1:], dtype=np.int64))
            position = cats.get_indexer(uniques)
            terms = np.append(np.where(position >= 0, position * stride, missing), missing)
            if codes is None:  # one value: a number added to every row
                key = np.full(n, terms[0], np.int64) if key is None else key + terms[0]
            elif key is None:
                key = terms[codes]
            else:
                key += terms[codes]
        np.maximum(key, -1, out=key)  # any missing share -> -1, the table's last cell
        codes, uniques = factorized[3]
        return self.compact[key], (codes, _period_table(uniques), _used(codes, len(uniques)))


def _category_map(col: pd.Series, mapping: dict, default, dtype=np.int8) -> np.ndarray:
    codes, uniques = _factorize(col)
    return _lookup(np.array([mapping.get(u, default) for u in uniques] + [default], dtype=dtype),
                   codes, len(col))


def _limits(unit_codes: np.ndarray, units: pd.Index, count: np.ndarray, denominator: np.ndarray,
            levels=(0.95,)) -> list[tuple[np.ndarray, np.ndarray]]:
    """Limits row by row from the count and denominator, by each unit's method, at each level
    (the rows of a unit found once for every level)."""
    out = [(np.full(len(count), np.nan), np.full(len(count), np.nan)) for _ in levels]
    has = ~np.isnan(count)
    for i, unit in enumerate(units):
        if not intervals.method_for_unit(unit):
            continue
        rows = np.flatnonzero(has & (unit_codes == i))
        if len(rows):
            x, n = count[rows], denominator[rows]
            for (lower, upper), level in zip(out, levels, strict=True):
                lower[rows], upper[rows] = intervals.limits_for_unit(unit, x, n, level)
    return out


def _ffill_index(has: np.ndarray) -> np.ndarray:
    """For each cell, the column of the latest cell at or before it along axis 1 that ``has``
    (-1 where none)."""
    idx = np.where(has, np.arange(has.shape[1])[None, :], -1)
    return np.maximum.accumulate(idx, axis=1)


def _window_all(ok: np.ndarray, k: int) -> np.ndarray:
    """Along axis 1: whether all ``k`` cells of each window (starting at each column) are ok."""
    width = ok.shape[1] - k + 1
    out = ok[:, :width].copy()
    for j in range(1, k):
        out &= ok[:, j:j + width]
    return out


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
    part = keys.rated_part
    series = own_series if own_series is not None and len(own_series) else None
    bv = benchmark_values[benchmark_values["area"] == benchmark] if len(benchmark_values) else None
    bv = bv if bv is not None and len(bv) else None
    s_part, s_period = keys.of(series) if series is not None else (None, None)
    b_part, b_period = keys.of(bv) if bv is not None else (None, None)

    # the grids: the rated parts x every slot of the years seen, flat, with one last cell
    # (always missing) for the rows of no rated part or no period
    periods = [p for p in (keys.rated_period, s_period, b_period) if p is not None]
    ords = np.concatenate([table[:-1][used] for _, table, used in periods])
    ords = ords[ords >= 0]
    y0 = int(ords.min()) // _SLOTS if len(ords) else 0
    n_slots = (int(ords.max()) // _SLOTS - y0 + 1) * _SLOTS if len(ords) else _SLOTS
    n_parts = max(keys.n_parts, 1)
    cells = n_parts * n_slots

    def flat(part_of: np.ndarray, period) -> np.ndarray:
        """Each row's cell: part x n_slots + column, the last cell where either is missing."""
        codes, table, _ = period
        column = np.where(table >= 0, table - y0 * _SLOTS, -(cells + 1))  # missing: negative
        at = part_of * n_slots
        at += _lookup(column, codes, len(part_of))
        return np.where(at >= 0, at, cells)

    r_flat = flat(part, keys.rated_period)
    valid = r_flat != cells

    # per row: unit, polarity, measure, frequency
    unit_codes, units = _factorize(rated["unit"])
    if unit_codes is None:
        unit_codes = np.zeros(n, np.int8)
    sign = _category_map(rated["polarity"], {"higher_is_better": 1, "lower_is_better": -1}, 0)
    running = _category_map(rated["measure"], {m: True for m in _RUNNING_TOTALS}, False, bool)
    quarterly = (_category_map(rated["frequency"], {"quarterly": True}, False, bool)
                 & _category_map(rated["measure"], {"snapshot": True}, False, bool))
    # per part, from its last rated row (with a period or not)
    rated_part = part >= 0
    part_unit = np.full(n_parts, -1, np.int64)
    part_unit[part[rated_part]] = unit_codes[rated_part]
    part_sign = np.zeros(n_parts, np.int8)
    part_sign[part[rated_part]] = sign[rated_part]

    out = {}
    # the own area's count and denominator for each rated period, and its limits
    grids = {}
    s_flat = flat(s_part, s_period) if series is not None else None
    for name in ("numerator", "denominator", "value"):
        grid = np.full(cells + 1, np.nan)
        if series is not None:
            grid[s_flat] = pd.to_numeric(series[name], errors="coerce").to_numpy(float)
            grid[-1] = np.nan
        grids[name] = grid
    count = grids["numerator"][r_flat]
    denominator = grids["denominator"][r_flat]
    # the own area's own figure: for a gap measure the rated value is the gap, not the level
    out["area_value"] = grids["value"][r_flat]
    out["count"], out["denominator"] = count, denominator
    levels = (("95", 0.95), ("998", 0.998))
    limits = _limits(unit_codes, units, count, denominator, [level for _, level in levels])
    for (suffix, _), (lower, upper) in zip(levels, limits, strict=True):
        out[f"lower_{suffix}"], out[f"upper_{suffix}"] = lower, upper

    # the benchmark value at or before the period (running totals: the same period only)
    b_grid = np.full(cells + 1, np.nan)
    if bv is not None:
        b_grid[flat(b_part, b_period)] = bv["value"].to_numpy(float)
        b_grid[-1] = np.nan
    latest = _ffill_index(~np.isnan(b_grid[:-1].reshape(n_parts, n_slots)))
    found_col = np.append(latest.ravel(), -1)[r_flat]
    value = np.append(np.take_along_axis(b_grid[:-1].reshape(n_parts, n_slots), np.maximum(latest, 0), axis=1)
                      .ravel(), np.nan)[r_flat]
    value[found_col < 0] = np.nan
    if running.any():  # a running total: only the same period's value
        same = b_grid[r_flat]
        column = r_flat % n_slots
        found_col = np.where(running, np.where(np.isnan(same), -1, column), found_col)
        value = np.where(running, same, value)
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

    code, why = _trends(grids, n_parts, n_slots, part_unit, units, part_sign, part, valid, r_flat,
                        quarterly)
    out["trend"] = pd.Categorical.from_codes(code, categories=list(bm.TRENDS))
    out["trend_basis"] = pd.Categorical.from_codes(quarterly.astype(np.int8), categories=list(TREND_BASES))
    out["trend_reason"] = pd.Categorical.from_codes(why, categories=list(TREND_REASONS))
    result = rated.drop(columns=[c for c in BENCHMARK_COLUMNS if c in rated])
    for name, values in out.items():
        result[name] = values
    return result


def _trends(grids, n_parts, n_slots, part_unit, units, part_sign, part, valid, r_flat, quarterly):
    """Recent trend of each rated row: the five basis points ending at the latest one at or
    before its period.

    The basis is quarterly for a quarterly snapshot measure (its quarters are independent) and
    annual otherwise (year-to-date values and running totals overlap, so only annual values).
    Proportions use their counts (chi-squared test for trend); other units a weighted
    regression with weights from the 95% limits made from the counts.

    Each window of five points is judged once per part (not once per row), on the part's
    grid; each row then reads the result of the window ending at its latest basis point.
    """
    k = bm.TREND_POINTS
    n = len(r_flat)
    slot = np.arange(n_slots) % _SLOTS
    method = np.array([intervals.method_for_unit(u) for u in units] + [""], dtype=object)[part_unit]
    proportion = method == "wilson"
    no_method = method == ""
    code = np.full(n, 7, np.int8)
    why = np.full(n, 4, np.int8)
    as_grid = {name: grid[:-1].reshape(n_parts, n_slots) for name, grid in grids.items()}
    for is_quarterly, columns in ((False, np.flatnonzero(slot == _ANNUAL)),
                                  (True, np.flatnonzero(slot != _ANNUAL))):
        mine = valid & (quarterly == is_quarterly)
        if not mine.any():
            continue
        wanted = np.zeros(n_parts, bool)
        wanted[part[mine]] = True
        nb = len(columns)
        val, num, den = (as_grid[name][:, columns] for name in ("value", "numerator", "denominator"))
        has = ~np.isnan(val)
        point_code = np.full((n_parts, nb), 7, np.int8)
        point_why = np.full((n_parts, nb), 1, np.int8)
        if nb >= k:
            all_values = _window_all(has, k)
            have_counts = _window_all(~(np.isnan(num) | np.isnan(den)), k)
            usable = all_values & wanted[:, None]
            usable[proportion] &= have_counts[proportion]
            # the weighted method needs the 95% limits of each point (proportions use counts)
            weighted = np.flatnonzero(wanted & ~proportion & ~no_method)
            usable[~proportion & no_method] = False
            if len(weighted):
                lo = np.full((len(weighted), nb), np.nan)
                up = np.full((len(weighted), nb), np.nan)
                unit_of = part_unit[weighted]
                for i, unit in enumerate(units):
                    rows = np.flatnonzero(unit_of == i)
                    if len(rows) and intervals.method_for_unit(unit) not in ("", "wilson"):
                        picked = weighted[rows]
                        lo[rows], up[rows] = intervals.limits_for_unit(unit, num[picked], den[picked], 0.95)
                usable[weighted] &= _window_all(~(np.isnan(lo) | np.isnan(up)), k)
            # every window of a part at once: a point shared by five windows is read once
            for prop, parts in ((True, np.flatnonzero(wanted & proportion)), (False, weighted)):
                if not len(parts) or not usable[parts].any():
                    continue
                if prop:
                    d, x = bm.trend_statistic_proportions(num[parts], den[parts], k)
                else:
                    d, x = bm.trend_statistic_weighted(val[parts], lo, up, k)
                point_code[parts, k - 1:] = bm.trend(d, x, part_sign[parts][:, None], usable[parts])
            point_why[:, k - 1:] = np.where(usable, 0, np.where(~all_values, 1,
                                                                np.where(no_method[:, None], 3, 2)))
        # each cell of the part's grid: the window ending at the latest basis point at or before it
        position = np.searchsorted(columns, np.arange(n_slots), side="right") - 1
        end = _ffill_index(has)[:, np.maximum(position, 0)]
        end[:, position < 0] = -1
        at = np.maximum(end, 0)
        cell_code = np.append(np.where(end >= 0, np.take_along_axis(point_code, at, axis=1), 7), 7)
        cell_why = np.append(np.where(end >= 0, np.take_along_axis(point_why, at, axis=1), 4), 4)
        if mine.all():
            code, why = cell_code[r_flat].astype(np.int8), cell_why[r_flat].astype(np.int8)
        else:
            code[mine], why[mine] = cell_code[r_flat[mine]], cell_why[r_flat[mine]]
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
