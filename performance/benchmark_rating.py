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

__all__ = ["BENCHMARK_COLUMNS", "COMPARISON_REASONS", "TREND_REASONS", "comparison_counts", "red_red",
           "with_benchmarks", "with_labels"]

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
_PARALLEL_ROWS = 50_000  # below this, threads cost more than they save


def _pool() -> ThreadPoolExecutor:
    """Two threads: to look up key texts (pyarrow lets go of the GIL while it hashes) and to
    work out the trend while the limits are made (so does NumPy on large arrays)."""
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


def _arrow_text(col: pd.Series):
    """The arrow array behind a text column stored in arrow (missing read as ""), else None."""
    if not isinstance(col.dtype, pd.StringDtype) or col.dtype.storage != "pyarrow":
        return None
    import pyarrow.compute as pc  # present: the column is stored in arrow

    values = col.array.__arrow_array__()
    return pc.fill_null(values, "") if values.null_count else values


def _arrow_array(texts: pd.Index, arrow_type):
    """Distinct texts as an arrow array of ``arrow_type`` (taken as they are if in arrow)."""
    import pyarrow as pa

    if isinstance(texts.dtype, pd.StringDtype) and texts.dtype.storage == "pyarrow":
        values = texts.array.__arrow_array__()
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        return values.cast(arrow_type)
    return pa.array(list(texts), type=arrow_type)


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
        categories = col.cat.categories
        if not isinstance(categories.dtype, pd.StringDtype):  # texts are kept as they are (arrow)
            categories = pd.Index(categories.astype(str), dtype=object)
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


def _lookup(table: np.ndarray, codes: np.ndarray | None, n: int) -> np.ndarray:
    """``table[codes]`` (``table`` with its extra last element for code -1), or ``table[0]``
    in every row when ``codes`` is None (one value)."""
    if codes is None:
        return np.full(n, table[0], dtype=table.dtype)
    return table[codes]


def _periods(col: pd.Series) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """A period column as ``(codes, ordinal of each distinct text then -1 for code -1, which
    texts occur)``; ordinals are year x 5 + slot, -1 for a text that is not a period."""
    codes, uniques = _factorize(col)
    table = np.array([_ordinal(u) for u in uniques] + [-1], dtype=np.int64)
    used = np.ones(len(uniques), bool)
    if isinstance(col.dtype, pd.CategoricalDtype):  # a slice keeps every category: which occur
        used = np.bincount(codes[codes >= 0], minlength=len(uniques))[:len(uniques)] > 0
    return codes, table, used


def _run(tasks, parallel: bool) -> list:
    """Each task's result, on the two worker threads when ``parallel``."""
    if not parallel:
        return [task() for task in tasks]
    return [future.result() for future in [_pool().submit(task) for task in tasks]]


_KEY_COLUMNS = ("framework", "code", "part")


class _Keys:
    """(framework, code, part) as one int per row, the same for every frame matched, then the
    rated parts numbered 0..parts-1; periods by their texts' ordinals (year x 5 + slot)."""

    def __init__(self, rated: pd.DataFrame):
        n = len(rated)
        *factorized, self.rated_period = _run(
            [lambda c=c: _factorize(rated[c]) for c in _KEY_COLUMNS] + [lambda: _periods(rated["period"])],
            n >= _PARALLEL_ROWS)
        self.cats = [u for _, u in factorized]
        self.sizes = [max(len(c), 1) for c in self.cats]
        self._arrow_cats: dict = {}
        fw, code, part = (c if c is not None else np.zeros(n, np.int8) for c, _ in factorized)
        key = fw.astype(np.int64)  # in place from here: no fresh temporaries per step
        key *= self.sizes[1]
        key += code
        key *= self.sizes[2]
        key += part
        if n and min(int(c.min()) for c in (fw, code, part)) < 0:  # a missing category
            key[(fw < 0) | (code < 0) | (part < 0)] = -1
        # the rated parts, numbered in key order; the table's last cell stands for key -1
        self.space = self.sizes[0] * self.sizes[1] * self.sizes[2]
        used = np.zeros(self.space + 1, bool)
        used[key] = True
        used[-1] = False
        self.compact = np.where(used, np.cumsum(used) - 1, -1)
        self.n_parts = int(np.count_nonzero(used))
        self.rated_part = self.compact[key]

    def _terms(self, frame: pd.DataFrame, i: int):
        """Each row's share of the key from column ``i`` (framework, code, part): the position
        of its text among the rated texts x the column's stride, or a share so negative that
        the whole key is (no rated part has that text); one number when every row has one
        text."""
        col = frame[_KEY_COLUMNS[i]]
        stride = int(np.prod(self.sizes[i + 1:], dtype=np.int64))
        missing = -2 * (self.space + 1)
        terms = np.append(np.arange(len(self.cats[i]), dtype=np.int64) * stride, missing)
        if _one_value(col):  # one pass of comparisons
            found = self.cats[i].get_indexer([str(col.iloc[0])])[0]
            return int(terms[found])  # found -1: the missing share
        values = _arrow_text(col)
        if values is not None:
            # arrow looks each text up among the rated texts directly: one hash per row, no
            # distinct values to convert and look up again
            import pyarrow.compute as pc

            value_set = self._arrow_cats.get((i, values.type))
            if value_set is None:
                value_set = _arrow_array(self.cats[i], values.type)
                self._arrow_cats[(i, values.type)] = value_set
            position = pc.index_in(values, value_set=value_set).fill_null(-1).to_numpy()
            return terms[position]
        codes, uniques = _factorize(col)
        position = self.cats[i].get_indexer(uniques)
        return _lookup(np.append(terms[position], missing), codes, len(col))

    def match(self, frame: pd.DataFrame | None):
        """Start matching ``frame``'s rows (on the worker threads for a big frame); returns a
        function giving the rated part of each row (-1: none) and its periods
        (:func:`_periods`), or ``(None, None)`` without a frame."""
        if frame is None:
            return lambda: (None, None)
        tasks = [lambda i=i: self._terms(frame, i) for i in range(3)] + [lambda: _periods(frame["period"])]
        if len(frame) >= _PARALLEL_ROWS:
            futures = [_pool().submit(task) for task in tasks]
            tasks = [future.result for future in futures]

        def finish() -> tuple[np.ndarray, tuple]:
            *terms, period = (task() for task in tasks)
            arrays = [t for t in terms if isinstance(t, np.ndarray)]
            key = arrays[0].copy() if arrays else np.zeros(len(frame), np.int64)
            for t in arrays[1:]:
                key += t
            key += sum(t for t in terms if not isinstance(t, np.ndarray))
            np.maximum(key, -1, out=key)  # any missing share -> -1, the table's last cell
            return self.compact[key], period

        return finish


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
            found = intervals.limits_at_levels(unit, count[rows], denominator[rows], levels)
            for (lower, upper), (lo, up) in zip(out, found, strict=True):
                lower[rows], upper[rows] = lo, up
    return out


def _ffill(values: np.ndarray, has: np.ndarray, start) -> np.ndarray:
    """Along axis 0: at each row, the value of the latest row at or before it that ``has``
    (``start`` before the first)."""
    out = np.empty_like(values)
    current = np.broadcast_to(np.asarray(start, dtype=values.dtype), values.shape[1:])
    for j in range(len(values)):
        current = out[j] = np.where(has[j], values[j], current)
    return out


def _window_all(ok: np.ndarray, k: int) -> np.ndarray:
    """Along axis 0: whether all ``k`` rows of each window (starting at each row) are ok."""
    width = ok.shape[0] - k + 1
    out = ok[:width].copy()
    for j in range(1, k):
        out &= ok[j:j + width]
    return out


class _Layout:
    """The grids: a row per slot of the years seen (Q1-Q4 then the year, as a timeline orders
    them) and one more, always empty, for rows of no rated part or no period; a column per
    rated part. Slot-major, so that carrying values forward in time reads whole rows."""

    def __init__(self, n_parts: int, periods) -> None:
        ords = np.concatenate([table[:-1][used] for _, table, used in periods])
        ords = ords[ords >= 0]
        self.y0 = int(ords.min()) // _SLOTS if len(ords) else 0
        self.n_slots = (int(ords.max()) // _SLOTS - self.y0 + 1) * _SLOTS if len(ords) else _SLOTS
        self.n_parts = n_parts
        self.shape = (self.n_slots + 1, n_parts)

    def cells(self, part: np.ndarray, period) -> tuple[np.ndarray, np.ndarray]:
        """Each row's cell (slot x parts + part) and slot (``n_slots``: the empty row)."""
        codes, table, _ = period
        column = table - self.y0 * _SLOTS
        # not a period, or (an unused category's) beyond the grid: the empty row
        column = np.where((table >= 0) & (column < self.n_slots), column, self.n_slots)
        slot = _lookup(column, codes, len(part))
        none = part < 0
        if none.any():
            slot[none] = self.n_slots
            part = np.where(none, 0, part)
        cell = slot * self.n_parts
        cell += part
        return cell, slot

    def grid(self, cells: np.ndarray | None, values: np.ndarray | None) -> np.ndarray:
        """A grid of NaN with ``values`` at ``cells`` (the last of two at one cell), flat."""
        grid = np.full(self.shape[0] * self.shape[1], np.nan)
        if cells is not None:
            grid[cells] = values
            grid[-self.n_parts:] = np.nan  # the empty row stays empty
        return grid


def with_benchmarks(rated: pd.DataFrame, benchmark: str, benchmark_values: pd.DataFrame,
                    own_series: pd.DataFrame | None = None) -> pd.DataFrame:
    """``rated`` with the :data:`BENCHMARK_COLUMNS` for one benchmark area.

    ``benchmark_values``: ``framework, code, part, area, period, value`` (and optional counts and
    limits), e.g. ``data_loaders.benchmarks_store.read_benchmark_values``. ``own_series``: the
    own area's values with their counts for every period, ``framework, code, part, period,
    value, numerator, denominator``: the count columns of ``rated`` and the trend come from it.

    The rows are laid on dense ``period x part`` grids (as the RAG engine does), so matching,
    the latest benchmark value at or before a period and the five-point windows of the trend
    are array indexing, not joins; each five-point window is judged once for its part, not
    once per row.
    """
    n = len(rated)
    keys = _Keys(rated)
    part = keys.rated_part
    series = own_series if own_series is not None and len(own_series) else None
    bv = benchmark_values[benchmark_values["area"] == benchmark] if len(benchmark_values) else None
    bv = bv if bv is not None and len(bv) else None
    # the own series' and the benchmark's rows matched on the worker threads meanwhile
    series_matched, benchmark_matched = keys.match(series), keys.match(bv)

    # per row: unit, polarity, measure, frequency
    unit_codes, units = _factorize(rated["unit"])
    if unit_codes is None:
        unit_codes = np.zeros(n, np.int8)
    sign = _category_map(rated["polarity"], {"higher_is_better": 1, "lower_is_better": -1}, 0)
    running = _category_map(rated["measure"], {m: True for m in _RUNNING_TOTALS}, False, bool)
    quarterly = _category_map(rated["frequency"], {"quarterly": True}, False, bool)
    quarterly &= _category_map(rated["measure"], {"snapshot": True}, False, bool)
    # per part, from its last rated row (with a period or not)
    n_parts = max(keys.n_parts, 1)
    rated_part = part >= 0
    every = bool(rated_part.all())  # as rate() gives it: no mask to apply
    part_unit = np.full(n_parts, -1, np.int64)
    part_unit[part if every else part[rated_part]] = unit_codes if every else unit_codes[rated_part]
    part_sign = np.zeros(n_parts, np.int8)
    part_sign[part if every else part[rated_part]] = sign if every else sign[rated_part]

    (s_part, s_period), (b_part, b_period) = series_matched(), benchmark_matched()
    layout = _Layout(n_parts, [p for p in (keys.rated_period, s_period, b_period) if p])
    n_slots = layout.n_slots
    cell, slot = layout.cells(part, keys.rated_period)
    valid = slot < n_slots

    out = {}
    # the own area's count and denominator for each rated period, and its limits
    s_cell = layout.cells(s_part, s_period)[0] if series is not None else None
    grids = {name: layout.grid(s_cell, None if series is None else
                               pd.to_numeric(series[name], errors="coerce").to_numpy(float))
             for name in ("numerator", "denominator", "value")}
    # the trend needs only the grids: on a worker thread meanwhile (NumPy lets go of the GIL)
    trends = _pool().submit(_trends, layout, grids, part_unit, units, part_sign, part, slot, valid,
                            quarterly) if n >= _PARALLEL_ROWS else None
    count = grids["numerator"][cell]
    denominator = grids["denominator"][cell]
    # the own area's own figure: for a gap measure the rated value is the gap, not the level
    out["area_value"] = grids["value"][cell]
    out["count"], out["denominator"] = count, denominator
    levels = (("95", 0.95), ("998", 0.998))
    limits = _limits(unit_codes, units, count, denominator, [level for _, level in levels])
    for (suffix, _), (lower, upper) in zip(levels, limits, strict=True):
        out[f"lower_{suffix}"], out[f"upper_{suffix}"] = lower, upper

    # the benchmark value at or before the period (running totals: the same period only)
    b_grid = layout.grid(layout.cells(b_part, b_period)[0] if bv is not None else None,
                         None if bv is None else bv["value"].to_numpy(float)).reshape(layout.shape)
    has = ~np.isnan(b_grid)
    has[-1] = True  # the empty row carries nothing forward: no value, no period
    slots = np.append(np.arange(n_slots, dtype=np.int16), -1)[:, None]
    found_slot = _ffill(np.broadcast_to(slots, layout.shape), has, -1).ravel()[cell]
    value = _ffill(b_grid, has, np.nan).ravel()[cell]
    if running.any():  # a running total: only the same period's value
        same = b_grid.ravel()[cell]
        found_slot = np.where(running, np.where(np.isnan(same), -1, slot), found_slot)
        value = np.where(running, same, value)
    out["benchmark"] = pd.Categorical.from_codes(np.zeros(n, np.int8), categories=[benchmark])
    out["benchmark_value"] = value
    labels = [str(Period(layout.y0 + c // _SLOTS, None if c % _SLOTS == _ANNUAL else c % _SLOTS + 1))
              for c in range(n_slots)]
    out["benchmark_period"] = pd.Categorical.from_codes(found_slot, categories=labels)

    for suffix, column in (("95", "compared_with_benchmark"), ("998", "compared_with_benchmark_998")):
        codes = bm.compare(out[f"lower_{suffix}"], out[f"upper_{suffix}"], value, sign)
        out[column] = pd.Categorical.from_codes(codes, categories=list(bm.COMPARISONS))
    # why not compared: no interval (1), no benchmark value (2), neither (3); a running total
    # with an interval but no value for the same period (4)
    case = np.isnan(out["lower_95"]).view(np.int8)
    case |= np.isnan(value).view(np.int8) << 1
    case |= running.view(np.int8) << 2
    reason = np.array([0, 1, 2, 3, 0, 1, 4, 3], dtype=np.int8)[case]
    out["comparison_reason"] = pd.Categorical.from_codes(reason, categories=list(COMPARISON_REASONS))

    code, why = (trends.result() if trends is not None else
                 _trends(layout, grids, part_unit, units, part_sign, part, slot, valid, quarterly))
    out["trend"] = pd.Categorical.from_codes(code, categories=list(bm.TRENDS))
    out["trend_basis"] = pd.Categorical.from_codes(quarterly.astype(np.int8), categories=list(TREND_BASES))
    out["trend_reason"] = pd.Categorical.from_codes(why, categories=list(TREND_REASONS))
    # side by side in one step, the new arrays taken as they are (adding 16 columns one by one,
    # or letting the constructor copy them into one block, costs more than the rest of a step)
    added = pd.DataFrame(out, index=rated.index, copy=False)
    return pd.concat([rated.drop(columns=[c for c in BENCHMARK_COLUMNS if c in rated]), added], axis=1)


def _trends(layout: _Layout, grids, part_unit, units, part_sign, part, slot, valid, quarterly):
    """Recent trend of each rated row: the five basis points ending at the latest one at or
    before its period.

    The basis is quarterly for a quarterly snapshot measure (its quarters are independent) and
    annual otherwise (year-to-date values and running totals overlap, so only annual values).
    Proportions use their counts (chi-squared test for trend); other units a weighted
    regression with weights from the 95% limits made from the counts.

    Each window of five points is judged once for its part, on the part's grid; each row then
    reads the result of the window ending at the latest basis point at or before its period.
    """
    k = bm.TREND_POINTS
    n_slots, n_parts = layout.n_slots, layout.n_parts
    method = np.array([intervals.method_for_unit(u) for u in units] + [""], dtype=object)[part_unit]
    proportion = method == "wilson"
    no_method = method == ""
    code = np.full(len(part), 7, np.int8)
    why = np.full(len(part), 4, np.int8)
    at_part = np.where(part >= 0, part, 0)
    slot_of = np.arange(n_slots) % _SLOTS
    as_grid = {name: grid.reshape(layout.shape) for name, grid in grids.items()}
    for is_quarterly, columns in ((False, np.flatnonzero(slot_of == _ANNUAL)),
                                  (True, np.flatnonzero(slot_of != _ANNUAL))):
        mine = valid & (quarterly == is_quarterly)
        if not mine.any():
            continue
        wanted = np.zeros(n_parts, bool)
        wanted[part if mine.all() else part[mine]] = True
        nb = len(columns)
        val, num, den = (as_grid[name][columns] for name in ("value", "numerator", "denominator"))
        has = ~np.isnan(val)
        point_code = np.full((nb, n_parts), 7, np.int8)
        point_why = np.full((nb, n_parts), 1, np.int8)
        if nb >= k:
            all_values = _window_all(has, k)
            usable = all_values & wanted
            counted = ~(np.isnan(num[:, proportion]) | np.isnan(den[:, proportion]))
            usable[:, proportion] &= _window_all(counted, k)
            # the weighted method needs the 95% limits of each point (proportions use counts)
            weighted = np.flatnonzero(wanted & ~proportion & ~no_method)
            usable[:, ~proportion & no_method] = False
            if len(weighted):
                lo = np.full((nb, len(weighted)), np.nan)
                up = np.full((nb, len(weighted)), np.nan)
                unit_of = part_unit[weighted]
                for i, unit in enumerate(units):
                    rows = np.flatnonzero(unit_of == i)
                    if len(rows) and intervals.method_for_unit(unit) not in ("", "wilson"):
                        picked = weighted[rows]
                        lo[:, rows], up[:, rows] = intervals.limits_for_unit(
                            unit, num[:, picked], den[:, picked], 0.95)
                usable[:, weighted] &= _window_all(~(np.isnan(lo) | np.isnan(up)), k)
            # every window of a part at once: a point shared by five windows is read once
            for prop, parts in ((True, np.flatnonzero(wanted & proportion)), (False, weighted)):
                if not len(parts) or not usable[:, parts].any():
                    continue
                if prop:
                    d, x = bm.trend_statistic_proportions(num[:, parts].T, den[:, parts].T, k)
                else:
                    d, x = bm.trend_statistic_weighted(val[:, parts].T, lo.T, up.T, k)
                point_code[k - 1:, parts] = bm.trend(d, x, part_sign[parts][:, None], usable[:, parts].T).T
            point_why[k - 1:] = np.where(usable, 0, np.where(~all_values, 1, np.where(no_method, 3, 2)))
        # per basis point, the window ending at the latest point with a value at or before it,
        # then a last row for rows before the first basis point: no values yet
        ends = np.empty((nb + 1, n_parts), np.int8)
        reasons = np.empty((nb + 1, n_parts), np.int8)
        ends[:nb], reasons[:nb] = _ffill(point_code, has, 7), _ffill(point_why, has, 4)
        ends[nb], reasons[nb] = 7, 4
        position = np.searchsorted(columns, np.arange(n_slots + 1), side="right") - 1
        position[(position < 0) | (np.arange(n_slots + 1) == n_slots)] = nb
        at = position[slot] * n_parts
        at += at_part
        if mine.all():
            code, why = ends.ravel()[at], reasons.ravel()[at]
        else:
            code = np.where(mine, ends.ravel()[at], code)
            why = np.where(mine, reasons.ravel()[at], why)
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


def comparison_counts(frame: pd.DataFrame) -> tuple[dict[str, int], int]:
    """How many rows of ``frame`` compare each way with the benchmark at 95% (better, similar,
    worse, higher, lower: those with any, in that order) and how many were not compared, for
    the sentences of the report pack and the Forum's paper."""
    codes = frame["compared_with_benchmark"].astype(str)
    counts = codes.value_counts()
    said = {c: int(counts[c]) for c in bm.COMPARISONS if c != "not_compared" and counts.get(c, 0)}
    return said, len(codes) - sum(said.values())


def red_red(frame: pd.DataFrame) -> pd.DataFrame:
    """The "red-red" exceptions: red against target and significantly worse than the benchmark
    (at 95%) or getting worse."""
    status = frame["status"].astype(str)
    worse = frame["compared_with_benchmark"].astype(str) == "worse"
    worsening = frame["trend"].astype(str).isin(["increasing_worse", "decreasing_worse"])
    return frame[(status == "red") & (worse | worsening)]
