"""The RAG engine: status, direction of travel and year-end forecast of every indicator part.

Pure pandas/numpy. Pages, exports and the command line all call :func:`rate`; nothing else
computes a status. The rules are written out with worked Luton examples in
``docs/rag-rules.md``; this docstring is the short version.

Layers, from the bottom:

- :func:`rate_arrays` rates numpy arrays (vectorised, in cache-sized blocks; about 0.03 s for
  a million values on a 2-core machine). :func:`rate_value` rates one value through it, so
  the scalar and the vectorised path cannot disagree.
- :func:`rate` turns a :class:`~performance.register.Register` into one row per indicator part
  and period: due or not, the target version in force, the measure (snapshot, year-to-date,
  running total since the agreement began, level, gap to a comparator area), status, direction
  of travel and the year-end forecast. It works on dense ``part x period`` grids, so a
  whole agreement is rated in one pass with no row-wise Python.

Speed (measured by ``python -m bench --only rag_1m``, a million rows): text columns are
factorized once (the key columns and the copied texts by two worker threads, since pyarrow and
NumPy let go of the GIL; the blocks of rows are rated on the same two threads), cleaned once
per distinct value, and matched and copied as integer codes;
rules that apply to no row are skipped; the numbers are worked out in blocks of rows that stay
in the CPU cache, since fresh whole-million temporaries cost page faults on every one.
- :func:`explain` writes the one-line reason for the rows it is given (on demand only: never in
  the rating path). :func:`indicator_status` takes the worst part of each indicator.

Status precedence (first that applies wins): a removed indicator is ``no_target`` in every
period; ``not_due``; ``no_target``; ``no_data``; then ``green``/``amber``/``red``.

Text columns of the frame :func:`rate` returns are pandas categoricals with alphabetical
categories: a million rows name a few thousand distinct texts, and a small integer per row
instead of a Python object per row keeps the rating quick and the cached frame small. Status,
direction, direction_year, forecast_status, forecast_basis and polarity stay ``object``, since
callers map them to severities, badges and signs (a mapped categorical still sorts in its old
order), and so do the free texts (commentary, action, source, target_text), which callers may
edit. Missing directions, forecasts and the like are NaN.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context

import numpy as np
import pandas as pd

from performance.periods import Period, PeriodError, financial_year, parse_period, parse_year
from performance.register import Register
from performance.vocabulary import (
    DEFAULT_SETTINGS,
    DIRECTIONS,
    MEASURES,
    RAG_SCHEMES,
    STATUS_LABELS,
    STATUS_SEVERITY,
    STATUSES,
    TARGET_STATUSES,
)

__all__ = [
    "FORECAST_BASES",
    "explain",
    "format_value",
    "indicator_status",
    "latest_period_with_data",
    "rate",
    "rate_arrays",
    "rate_value",
    "status_names",
]

# --- codes used on the vectorised path (indices into the vocabulary tuples) -----------------

RED, AMBER, GREEN, NO_DATA, NOT_DUE, NO_TARGET = (
    STATUSES.index(s) for s in ("red", "amber", "green", "no_data", "not_due", "no_target")
)
SNAPSHOT, CUM_YEAR, CUM_AGREEMENT, LEVEL, GAP = (
    MEASURES.index(m)
    for m in ("snapshot", "cumulative_in_year", "cumulative_agreement", "level", "gap_to_comparator")
)
BASELINE_AND_TARGET, TARGET_WITH_TOLERANCE = (
    RAG_SCHEMES.index(s) for s in ("baseline_and_target", "target_with_tolerance")
)
IMPROVING, NO_CHANGE, WORSENING = (DIRECTIONS.index(d) for d in ("improving", "no_change", "worsening"))
T_SET, T_NO_SURVEY, T_TO_BE_CONFIRMED, T_NOT_APPLICABLE = (
    TARGET_STATUSES.index(s) for s in ("set", "no_survey", "to_be_confirmed", "not_applicable")
)
QUARTERLY, ANNUAL, BIENNIAL = 0, 1, 2
_FREQUENCY = {"quarterly": QUARTERLY, "annual": ANNUAL, "biennial_survey": BIENNIAL}
_SIGN = {"higher_is_better": 1, "lower_is_better": -1}

FORECAST_BASES = ("officer", "projection")

_STATUS_NAMES = np.array(STATUSES, dtype=object)

# A period on the grid: 5 slots per financial year, Q1..Q4 then the annual outturn, which is
# the timeline order of performance.periods.Period.
_SLOTS = 5
_ANNUAL_SLOT = 4
_YEARS_BEFORE = 10  # years kept before the earliest framework (comparator values, directions)
_EPS = 1e-9  # relative slack for float comparisons (6.5 * 1.05 must count as within 5%)
# Rows rated per block: a block's temporary arrays (512 KB of floats) stay in the CPU cache
# and are reused by the allocator; whole-million temporaries cost page faults on every one.
_CHUNK = 1 << 16


# --- the vectorised core ---------------------------------------------------------------------


def rate_arrays(
    value,
    target,
    baseline,
    polarity,
    tolerance_pct=5.0,
    tolerance_points=np.nan,
    scheme=BASELINE_AND_TARGET,
    measure=SNAPSHOT,
    due=True,
    has_target=True,
) -> np.ndarray:
    """Rate arrays of values; return status codes (``int8`` indices into ``STATUSES``).

    Every argument is a scalar or an array broadcastable to the others:

    - ``value``, ``target``, ``baseline``: floats in the measure's terms (year-to-date,
      running total or gap already worked out; NaN where missing);
    - ``polarity``: +1 higher is better, -1 lower is better, 0 not applicable;
    - ``tolerance_pct``: percent of the target; ``tolerance_points``: absolute, in the unit,
      used instead of the percentage where not NaN;
    - ``scheme``: index into ``RAG_SCHEMES``; ``measure``: index into ``MEASURES`` (``level``
      has its own rule; a ``gap_to_comparator`` value is oriented so that higher is better);
    - ``due``: False gives ``not_due``; ``has_target``: False gives ``no_target``.

    Use :func:`status_names` to turn the codes into status strings.
    """
    value, target, baseline, tol_pct, tol_pts = (
        np.asarray(a, dtype=float)
        for a in (value, target, baseline, tolerance_pct, tolerance_points)
    )
    sign = np.asarray(polarity, dtype=np.int8)
    scheme, measure = np.asarray(scheme, dtype=np.int8), np.asarray(measure, dtype=np.int8)
    due, has_target = np.asarray(due, dtype=bool), np.asarray(has_target, dtype=bool)
    args = (value, target, baseline, sign, tol_pct, tol_pts, scheme, measure, due, has_target)
    shape = np.broadcast_shapes(*(a.shape for a in args))
    if len(shape) != 1 or shape[0] <= _CHUNK:
        return _rate_block(*args, shape=shape)
    # Long arrays go in cache-sized blocks: each of the rules' dozens of temporary arrays is
    # then reused from block to block instead of being fresh memory (page faults) every time.
    codes = np.empty(shape, dtype=np.int8)
    full = [np.broadcast_to(a, shape) for a in args]  # views, no copies
    for start in range(0, shape[0], _CHUNK):
        block = slice(start, start + _CHUNK)
        codes[block] = _rate_block(*(a[block] for a in full), shape=codes[block].shape)
    return codes


def _rate_block(value, target, baseline, sign, tol_pct, tol_pts, scheme, measure, due, has_target,
                shape) -> np.ndarray:
    """:func:`rate_arrays` on arrays already converted, giving codes of ``shape``."""
    # Rules that apply to no row are skipped (.any() checks): on a million values each
    # skipped rule saves whole-array passes, and np.where picks the same values either way.
    is_gap = measure == GAP
    if is_gap.any():  # a gap is written so that a higher gap is better, whatever the polarity
        sign = np.where(is_gap & (sign != 0), np.int8(1), sign)
    with np.errstate(invalid="ignore"):
        shortfall = sign * (target - value)  # > 0: worse than target
        tol = np.nan_to_num(tol_pct) / 100.0 * np.abs(target)
        has_points = ~np.isnan(tol_pts)
        if has_points.any():
            tol = np.where(has_points, tol_pts, tol)
        eps = _EPS * np.maximum(1.0, np.abs(target))
        in_tolerance = shortfall <= tol + eps
        has_baseline = ~np.isnan(baseline)
        any_baseline = has_baseline.any()
        if any_baseline:
            beats_baseline = sign * (value - baseline) > _EPS * np.maximum(1.0, np.abs(baseline))
        # baseline_and_target: amber while better than the baseline; with no baseline, amber
        # up to twice the tolerance.
        if any_baseline and has_baseline.all():
            amber = beats_baseline
        else:
            amber = shortfall <= 2.0 * tol + eps
            if any_baseline:
                amber = np.where(has_baseline, beats_baseline, amber)
        green = in_tolerance
        is_level = measure == LEVEL
        is_twt = scheme == TARGET_WITH_TOLERANCE
        any_level, any_twt = is_level.any(), is_twt.any()
        if any_level or any_twt:  # green only on reaching the target
            green = np.where(is_level | is_twt, shortfall <= eps, in_tolerance)
        if any_twt:
            amber = np.where(is_twt, in_tolerance, amber)
        if any_level:  # level: amber one level short and above the baseline
            amber_level = shortfall <= 1.0 + eps
            if any_baseline:
                amber_level = amber_level & (~has_baseline | beats_baseline)
            amber = np.where(is_level, amber_level, amber)
        # The NI 093/094 "0": a zero target is a placeholder unless tolerance points or a zero
        # baseline make it real. A gap target of 0 (parity) is always real.
        placeholder = (target == 0) & ~has_points & ~(baseline == 0) & ~is_gap
        no_target = ~has_target | ~np.isfinite(target) | (sign == 0) | placeholder
        # lowest priority first: each later rule overwrites (np.select's first-true-wins)
        codes = np.full(shape, RED, dtype=np.int8)
        np.copyto(codes, np.int8(AMBER), where=amber)
        np.copyto(codes, np.int8(GREEN), where=green)
        np.copyto(codes, np.int8(NO_DATA), where=~np.isfinite(value))
        np.copyto(codes, np.int8(NO_TARGET), where=no_target)
        np.copyto(codes, np.int8(NOT_DUE), where=~due)
    return codes


def status_names(codes) -> np.ndarray:
    """Status strings (an object array shaped like ``codes``) for codes from :func:`rate_arrays`."""
    return np.asarray(_STATUS_NAMES[np.asarray(codes)], dtype=object)


def _code(names: tuple[str, ...], value: str, what: str) -> int:
    if value not in names:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(names)}")
    return names.index(value)


def rate_value(
    value: float | None,
    target: float | None,
    baseline: float | None,
    polarity: str,
    tolerance_pct: float | None = 5.0,
    tolerance_points: float | None = None,
    scheme: str = "baseline_and_target",
    measure: str = "snapshot",
) -> str:
    """Rate one value (already in the measure's terms); return the status string.

    >>> rate_value(6.55, 6.5, 7.2, "lower_is_better")
    'green'
    """
    if polarity not in (*_SIGN, "not_applicable"):
        raise ValueError(f"unknown polarity {polarity!r}")
    code = rate_arrays(
        _float(value), _float(target), _float(baseline), _SIGN.get(polarity, 0),
        5.0 if tolerance_pct is None else tolerance_pct, _float(tolerance_points),
        _code(RAG_SCHEMES, scheme, "RAG scheme"), _code(MEASURES, measure, "measure"),
    )
    return STATUSES[int(code)]


def _float(x) -> float:
    if x is None:
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


# --- reading the register ----------------------------------------------------------------------


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    """A text column with "" for missing (absent optional columns read as all "")."""
    if column not in df.columns:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    col = df[column]
    if not pd.api.types.is_string_dtype(col.dtype):  # e.g. an empty column read as float NaN
        col = col.astype(object)
    return col.fillna("").astype(str).str.strip()


# (id of a frame, column) -> (the frame, the future of its _factorize_text) while a rating
# reads them; holding the frame keeps its id from being reused by another during the rating
_PREFETCHED: ContextVar[dict] = ContextVar("rag_prefetched", default=None)


@contextmanager
def _reading(prefetched: dict):
    """Within this block, :func:`_text_codes` takes the columns in ``prefetched`` from the
    worker threads factorizing them, and keeps there every other column it factorizes, so
    that no column is factorized twice."""
    token = _PREFETCHED.set(prefetched)
    try:
        yield
    finally:
        _PREFETCHED.reset(token)


def _prefetch(prefetched: dict, df: pd.DataFrame, column: str) -> None:
    """Ask a worker thread for ``_factorize_text(df, column)`` (read back by :func:`_text_codes`)."""
    prefetched[(id(df), column)] = (df, _workers().submit(_factorize_text, df, column))


def _text_codes(df: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_factorize_text`, done once per frame and column within :func:`_reading`."""
    prefetched = _PREFETCHED.get()
    if prefetched is None:
        return _factorize_text(df, column)
    key = (id(df), column)
    asked = prefetched.get(key)
    # not asked for, or still queued (cancelled: this thread does it rather than wait)
    if asked is None or asked[1].cancel():
        done: Future = Future()
        done.set_result(_factorize_text(df, column))
        prefetched[key] = asked = (df, done)
    return asked[1].result()


def _factorize_text(df: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A text column as :func:`_text` reads it, factorized: ``(codes, labels)``.

    ``labels`` (an object array) holds each distinct cleaned value once and ``labels[codes]``
    is the column. A million returns name only thousands of codes, areas and periods, so the
    cleaning (missing to "", strip) is done once per distinct value instead of once per row,
    and rows are matched and copied as integers.
    """
    if column not in df.columns:
        return np.zeros(len(df), dtype=np.intp), np.array([""], dtype=object)
    col = df[column]
    text_categories = isinstance(col.dtype, pd.CategoricalDtype) and pd.api.types.infer_dtype(
        col.cat.categories, skipna=True) in ("string", "empty")
    if text_categories:  # already factorized (e.g. a rated frame's text): no hashing
        codes = col.cat.codes.to_numpy().astype(np.intp)
        text = pd.Series(np.asarray(col.cat.categories, dtype=object), dtype=object).astype(str)
    elif _one_value(col):  # e.g. the framework or area of every return: no hashing needed
        codes, uniques = np.zeros(len(col), dtype=np.intp), col.iloc[:1].array
    else:
        codes, uniques = pd.factorize(col)  # missing -> -1
        codes = codes.astype(np.intp, copy=False)
    if text_categories:
        pass  # text set above
    elif isinstance(col.dtype, pd.StringDtype):
        text = pd.Series(uniques).astype(str)  # the same astype/strip as _text, so the same
    elif col.dtype == object and _plain_values(col, uniques):  # string code cleans the values
        text = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    else:
        # Other values may mix 1, 1.0 and True, which hash alike but print differently: clean
        # every row first, exactly as _text does, then factorize the strings.
        codes, labels = pd.factorize(_text(df, column))
        return codes.astype(np.intp, copy=False), np.asarray(labels, dtype=object)
    cleaned = text.str.strip()
    labels = cleaned.to_numpy(dtype=object)
    if (cleaned.str.len() != text.str.len()).any():  # stripped " a" and "a" are one value now
        merged, labels = pd.factorize(labels)
        codes = np.where(codes < 0, -1, merged[codes])
        labels = np.asarray(labels, dtype=object)
    missing = codes < 0
    if missing.any():  # a missing value reads as ""
        blank = np.flatnonzero(labels == "")
        if not len(blank):
            labels, blank = np.append(labels, ""), [len(labels)]
        codes = np.where(missing, blank[0], codes)
    return codes, labels


def _one_value(col: pd.Series) -> bool:
    """Whether an arrow string column holds the same value in every row (none missing).

    One comparison pass costs a fifth of a factorize; a register's returns often come from one
    framework and area.
    """
    if not len(col) or not isinstance(col.dtype, pd.StringDtype) or col.dtype.storage != "pyarrow":
        return False
    import pyarrow.compute as pc  # present: the column is stored in arrow

    values = col.array.__arrow_array__()
    if values.null_count:
        return False
    # a few samples first: a column with many values almost always differs among them
    n = len(values)
    first = values[0]
    if any(values[i] != first for i in (n // 3, n // 2, (2 * n) // 3, n - 1)):
        return False
    return bool(pc.all(pc.equal(values, first)).as_py())


def _plain_values(col: pd.Series, uniques) -> bool:
    """Whether an object column holds only strings or only dates (missing aside), whose equal
    values print alike, so that factorizing before cleaning gives what _text gives."""
    kind = pd.api.types.infer_dtype(col, skipna=True)
    if kind in ("string", "empty"):
        return True
    # datetimes also count as "date"; equal datetimes can print differently (time zones)
    return kind == "date" and all(type(u) is dt.date for u in uniques)


def _number(df: pd.DataFrame, column: str) -> np.ndarray:
    if column not in df.columns:
        return np.full(len(df), np.nan)
    col = df[column]
    if col.dtype == np.float64:  # the readers' numbers: no parsing to do
        return col.to_numpy()
    return pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _lookup(series: pd.Series, mapping: dict, default: int = -1) -> np.ndarray:
    """Codes of a text column through ``mapping`` (``default`` where not in it)."""
    pos = pd.Index(list(mapping)).get_indexer(series)
    codes = np.append(np.fromiter(mapping.values(), dtype=np.int64, count=len(mapping)), default)
    return codes[pos]  # pos -1 (not found) takes the appended default


def _lookup_codes(text: tuple[np.ndarray, np.ndarray], mapping: dict, default: int = -1) -> np.ndarray:
    """:func:`_lookup` of a factorized column (from :func:`_text_codes`): one lookup per label."""
    codes, labels = text
    return _lookup(pd.Series(labels, dtype=object), mapping, default)[codes]


def _index_of(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """``index.get_indexer(values)`` looking up each distinct value once (a value per part
    repeats: the own area, the comparator)."""
    codes, uniques = pd.factorize(values)
    return np.append(index.get_indexer(pd.Index(uniques, dtype=object)), -1)[codes]


def _label_code(labels: np.ndarray, label: str) -> int:
    """The code of ``label`` among factorized labels; -1 (matching no row) if absent."""
    found = np.flatnonzero(labels == label)
    return int(found[0]) if len(found) else -1


class _Keys:
    """The (framework, code, part) key of each indicator part, as one integer per part.

    Returns and targets find their part through these integers (a lookup table or an integer
    index) rather than a MultiIndex of strings, which costs far more on a million rows.
    """

    _MAX_TABLE = 1 << 22  # up to 4M possible keys, a lookup table (32 MB) beats hashing

    def __init__(self, ind: pd.DataFrame) -> None:
        codes, self.labels = [], []
        for column in ("framework", "code", "part"):
            c, labels = _text_codes(ind, column)
            codes.append(c)
            self.labels.append(pd.Index(labels, dtype=object))
        self.sizes = [len(labels) for labels in self.labels]
        self.codes = codes  # per part, into self.labels
        self.flat = self.combine(*codes)
        self.n_keys = math.prod(self.sizes)
        if self.n_keys <= self._MAX_TABLE:
            self._table = np.full(self.n_keys + 1, -1, dtype=np.int64)  # the last slot: no key
            self._table[self.flat] = np.arange(len(self.flat))
            self._index = None
        else:
            self._table, self._index = None, pd.Index(self.flat)

    def combine(self, framework: np.ndarray, code: np.ndarray, part: np.ndarray) -> np.ndarray:
        """One integer per row from positions in the labels; -1 where any of them is -1."""
        _, n_code, n_part = self.sizes
        key = framework.astype(np.int64)  # in place from here: no fresh temporaries per step
        key *= n_code
        key += code
        key *= n_part
        key += part
        key[(framework < 0) | (code < 0) | (part < 0)] = -1
        return key

    def _terms(self, frame: pd.DataFrame, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(codes, labels, terms)`` of a frame's framework (0), code (1) or part (2) column:
        the column factorized, and per label its share of the key (label position x stride),
        or a negative share so large that any key containing it is negative (no part has it);
        the last term is for code -1."""
        codes, labels = _text_codes(frame, ("framework", "code", "part")[i])
        stride = math.prod(self.sizes[i + 1:])
        position = self.labels[i].get_indexer(pd.Index(labels, dtype=object))
        missing = -2 * (self.n_keys + 1)
        return codes, labels, np.append(np.where(position >= 0, position * stride, missing), missing)

    def parts_of(self, frame: pd.DataFrame, fill_framework: bool = False) -> np.ndarray:
        """The part number of each row of ``frame`` (by its framework, code and part), -1
        where no part has that key.

        ``fill_framework``: a row with no framework takes that of the first part with its
        code and part (returns written without one).
        """
        fw_codes, fw_labels, fw_terms = self._terms(frame, 0)
        code_codes, _, code_terms = self._terms(frame, 1)
        part_codes, _, part_terms = self._terms(frame, 2)
        # added in place as integers: one gather per column, no per-step temporaries
        pair = code_terms[code_codes]
        pair += part_terms[part_codes]
        key = fw_terms[fw_codes]
        key += pair
        blank = np.flatnonzero(fw_codes == _label_code(fw_labels, "")) if fill_framework else ()
        if len(blank):
            _, n_code, n_part = self.sizes
            own_pair = self.codes[1] * n_part + self.codes[2]
            firsts = ~pd.Series(own_pair).duplicated().to_numpy()
            found = pd.Index(own_pair[firsts]).get_indexer(np.maximum(pair[blank], -1))
            framework = np.where(found >= 0, self.codes[0][firsts][found], -1)
            key[blank] = np.where(framework >= 0, framework * n_code * n_part + pair[blank], -1)
        np.maximum(key, -1, out=key)  # every key with a missing share -> -1
        if self._table is not None:
            return self._table[key]  # key -1 reads the last slot: no part
        return self._index.get_indexer(key)


def _setting(settings: dict, name: str) -> str:
    value = str(settings.get(name, "") or "").strip()
    return value or DEFAULT_SETTINGS[name]


def _setting_float(settings: dict, name: str) -> float:
    try:
        return float(_setting(settings, name))
    except ValueError:
        return float(DEFAULT_SETTINGS[name])


def _year_or_none(text: object) -> int | None:
    try:
        return parse_year(text)
    except PeriodError:
        return None


def _ordinals_of(codes: np.ndarray, labels) -> tuple[np.ndarray, np.ndarray]:
    """The ordinals of factorized period labels (code -1: unreadable), and the distinct
    ordinals that occur (one per label), parsing each label once."""
    ords = np.empty(len(labels) + 1, dtype=np.int64)
    for i, label in enumerate(labels):
        try:
            p = parse_period(label)
        except PeriodError:
            ords[i] = -1
            continue
        ords[i] = _ordinal(p)
    ords[-1] = -1  # code -1 (missing) indexes the last element
    return ords[codes], ords[:-1]


def _ordinal(period: Period) -> int:
    return period.year * _SLOTS + (_ANNUAL_SLOT if period.quarter is None else period.quarter - 1)


def _period_label(ordinal: int) -> str:
    year, slot = divmod(int(ordinal), _SLOTS)
    return financial_year(year) + ("" if slot == _ANNUAL_SLOT else f" Q{slot + 1}")


def _ffill_index(has: np.ndarray) -> np.ndarray:
    """Along the last axis: index of the latest True at or before each position, else -1."""
    idx = np.where(has, np.arange(has.shape[-1]), -1)
    return np.maximum.accumulate(idx, axis=-1)


def _take_last(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    out = np.take_along_axis(values, np.maximum(idx, 0), axis=-1)
    return np.where(idx >= 0, out, np.nan)


def _earlier_sum(per_year: np.ndarray, first_y: np.ndarray) -> np.ndarray:
    """Sum over the agreement's earlier years (exclusive cumulative sum along years).

    Years before the agreement began count nothing; a missing earlier year makes the sum NaN.
    """
    n_years = per_year.shape[1]
    before = np.arange(n_years)[None, :] < first_y[:, None]
    masked = np.where(before, 0.0, per_year)
    out = np.zeros_like(masked)
    out[:, 1:] = np.cumsum(masked, axis=1)[:, :-1]
    return out


class _Grids:
    """The register laid out as dense arrays: parts x periods and parts x years."""

    def __init__(self, register: Register, copied_texts: bool = True) -> None:
        """``copied_texts``: also factorize the texts rate() copies into its frame (commentary,
        titles ...), so that they are ready when it does."""
        returns = register.returns.reset_index(drop=True)
        targets = register.targets.reset_index(drop=True)
        # Hashing a million texts is the biggest cost of a rating: the key columns of returns
        # and targets, and the texts copied into the rated frame, are factorized by two worker
        # threads (pyarrow lets go of the GIL) while this thread reads the indicators;
        # _text_codes reads them back within _reading(self.prefetched).
        wanted = [(returns, ("code", "part", "framework", "area", "period")),  # needed first
                  (targets, ("framework", "code", "part", "year", "version", "status", "measure",
                             "effective_from"))]
        if copied_texts:
            wanted += [(returns, ("commentary", "action", "source")), (targets, ("text",))]
        self.prefetched: dict = {}
        for frame, columns in wanted:
            for column in columns:
                if len(frame) and column in frame.columns:
                    _prefetch(self.prefetched, frame, column)
        with _reading(self.prefetched):
            self._read(register, returns, targets, copied_texts)

    def _read(self, register: Register, returns: pd.DataFrame, targets: pd.DataFrame,
              copied_texts: bool) -> None:
        settings = {**DEFAULT_SETTINGS, **(register.settings or {})}
        ind = register.indicators.reset_index(drop=True)
        key_cols = ["framework", "code", "part"]
        ind = ind.assign(**{c: _text(ind, c) for c in key_cols})
        self.keys = _Keys(ind)
        duplicate = pd.Series(self.keys.flat).duplicated().to_numpy()
        if duplicate.any():  # a part listed twice: the first row counts (drop_duplicates)
            ind = ind[~duplicate].reset_index(drop=True)
            self.keys = _Keys(ind)
        self.ind = ind
        for column in ("title", "theme", "theme_board", "unit", "comparator", "survey_years"):
            if copied_texts and column in ind.columns:  # for rate()'s identity columns, queued
                _prefetch(self.prefetched, ind, column)  # after the returns' texts
        self.n_parts = len(ind)

        # per part
        self.sign = _lookup_codes(_text_codes(ind, "polarity"), _SIGN, 0).astype(np.int8)
        measures = {m: i for i, m in enumerate(MEASURES)}
        self.measure = _lookup_codes(_text_codes(ind, "measure"), measures, SNAPSHOT)
        self.frequency = _lookup_codes(_text_codes(ind, "frequency"), _FREQUENCY, QUARTERLY)
        self.baseline = _number(ind, "baseline")
        default_tol = _setting_float(settings, "default_tolerance_pct")
        tol_pct = _number(ind, "tolerance_pct")
        self.tolerance_pct = np.where(np.isnan(tol_pct), default_tol, tol_pct)
        self.tolerance_points = _number(ind, "tolerance_points")
        default_scheme = _setting(settings, "rag_scheme")
        schemes = {s: i for i, s in enumerate(RAG_SCHEMES)}
        scheme_codes, scheme_labels = _text_codes(ind, "rag_scheme")
        scheme_labels = np.where(scheme_labels == "", default_scheme, scheme_labels)
        self.scheme = _lookup_codes(
            (scheme_codes, scheme_labels), schemes, BASELINE_AND_TARGET).astype(np.int8)
        self.removed = (_text(ind, "status") == "removed").to_numpy()
        self.comparator = _text(ind, "comparator").to_numpy(dtype=object)
        self.has_comparator = self.comparator != ""
        self.direction_threshold_pct = _setting_float(settings, "direction_threshold_pct")

        # frameworks: years and own area
        fw = register.frameworks if register.frameworks is not None else pd.DataFrame()
        spans: dict[str, tuple[int, int]] = {}
        own_areas: dict[str, str] = {}
        for row in fw.itertuples(index=False):
            name = str(getattr(row, "framework", "") or "").strip()
            first = _year_or_none(getattr(row, "first_year", ""))
            last = _year_or_none(getattr(row, "last_year", ""))
            if name and first is not None and last is not None:
                spans[name] = (first, last)
            area = getattr(row, "own_area", "")
            if name and isinstance(area, str) and area.strip():
                own_areas[name] = area.strip()
        default_area = _setting(settings, "own_area")
        fw_codes, fw_labels = self.keys.codes[0], self.keys.labels[0]
        self.own_area = np.array([own_areas.get(f, default_area) for f in fw_labels], dtype=object)[fw_codes]
        self._load(ind, returns, targets, spans, fw_codes, fw_labels)

    def _load(self, ind: pd.DataFrame, returns: pd.DataFrame, targets: pd.DataFrame, spans: dict,
              fw_codes: np.ndarray, fw_labels) -> None:
        """The periods and years the grids span, survey years, returns and targets."""
        n = self.n_parts
        r_ord, r_periods = (_ordinals_of(*_text_codes(returns, "period")) if len(returns)
                            else (np.empty(0, np.int64), np.empty(0, np.int64)))
        year_codes, year_labels = _text_codes(targets, "year")
        years = [_year_or_none(label) for label in year_labels]
        t_year = np.array([-1 if y is None else y for y in years] + [-1], dtype=np.int64)[year_codes]
        data_years = [int(o) // _SLOTS for o in r_periods if o >= 0]
        data_years += [y for y in years if y is not None]
        if spans:  # an indicator of an unknown framework gets the span of all frameworks
            span_first = min(first for first, _ in spans.values())
            span_last = max(last for _, last in spans.values())
            # earlier years only matter as comparator values and year-earlier directions
            y0 = max(min([span_first, *data_years]), span_first - _YEARS_BEFORE)
            y1 = span_last
        else:
            span_first, span_last = min(data_years, default=2008), max(data_years, default=2008)
            y0, y1 = span_first, span_last
        self.y0, n_years = y0, y1 - y0 + 1
        self.n_years, self.n_t = n_years, n_years * _SLOTS
        first = np.array([spans.get(f, (span_first,))[0] for f in fw_labels], dtype=np.int64)
        last = np.array([spans.get(f, (0, span_last))[1] for f in fw_labels], dtype=np.int64)
        self.first_y = first[fw_codes] - y0
        self.last_y = last[fw_codes] - y0

        # survey years: a biennial survey with survey_years listed is due in those years only
        self.survey_year = np.ones((n, n_years), dtype=bool)
        survey = _text(ind, "survey_years")
        for i in np.flatnonzero((self.frequency == BIENNIAL) & (survey != "").to_numpy()):
            self.survey_year[i] = False
            for label in str(survey.iat[i]).replace(",", ";").split(";"):
                y = _year_or_none(label)
                if y is not None and 0 <= y - y0 < n_years:
                    self.survey_year[i, y - y0] = True

        # targets and returns fill different grids: the targets on a worker thread meanwhile
        # (in this context, so that it reads the same factorized texts)
        targets_loaded = _workers().submit(copy_context().run, self._load_targets, targets, t_year)
        self._load_returns(returns, r_ord)
        if targets_loaded.cancel():  # still queued: done here rather than waited for
            self._load_targets(targets, t_year)
        else:
            targets_loaded.result()

    # returns -> own values, forecasts, row numbers; comparator values carried forward
    def _load_returns(self, returns: pd.DataFrame, r_ord: np.ndarray) -> None:
        n, n_t = self.n_parts, self.n_t
        self.returns = returns
        self.own_val = np.full((n, n_t), np.nan)
        self.own_fc = np.full((n, n_t), np.nan)
        self.own_row = np.full((n, n_t), -1, dtype=np.int64)
        comp = np.full((n, n_t), np.nan)
        if len(returns):
            pid = self.keys.parts_of(returns, fill_framework=True)
            area_codes, areas = _text_codes(returns, "area")
            area_index = pd.Index(areas, dtype=object)
            t = r_ord - self.y0 * _SLOTS
            flat = pid * n_t  # the row's cell in the part x period grids (where ok)
            flat += t
            ok = (pid >= 0) & (t >= 0) & (t < n_t)  # a part, in the grid's years
            any_part = np.maximum(pid, 0)
            values = _number(returns, "value")

            def rows_of(area_of_part: np.ndarray) -> np.ndarray:
                """Rows (in file order) of returns for each part's given area (-1: none)."""
                if not len(area_of_part) or (area_of_part < 0).all():
                    return np.empty(0, dtype=np.intp)
                if (area_of_part == area_of_part[0]).all():  # one area for every part: no gather
                    return np.flatnonzero(ok & (area_codes == area_of_part[0]))
                wanted = area_of_part[any_part]
                return np.flatnonzero(ok & (area_codes == wanted) & (wanted >= 0))

            # rows in file order: np.put writes in order, so a later duplicate wins
            own_rows = rows_of(_index_of(area_index, self.own_area))
            own_flat = flat[own_rows]
            np.put(self.own_val, own_flat, values[own_rows])
            np.put(self.own_fc, own_flat, _number(returns, "forecast_year_end")[own_rows])
            np.put(self.own_row, own_flat, own_rows)
            if self.has_comparator.any():
                comp_rows = rows_of(np.where(self.has_comparator, _index_of(area_index, self.comparator), -1))
                np.put(comp, flat[comp_rows], values[comp_rows])
        # the comparator's value for the same period or the latest before it (worked out for
        # the parts that have comparator values: for the others it is NaN throughout)
        self.comp_ff = np.full((n, n_t), np.nan)
        with_comp = np.flatnonzero(~np.isnan(comp).all(axis=1))
        if len(with_comp):
            self.comp_ff[with_comp] = _take_last(comp[with_comp], _ffill_index(~np.isnan(comp[with_comp])))

        # one value per year for running totals: the annual outturn, else the latest
        # year-to-date quarter
        by_year = self.own_val.reshape(n, self.n_years, _SLOTS)
        quarters = by_year[:, :, :_ANNUAL_SLOT]
        last_q = np.where(~np.isnan(quarters), np.arange(_ANNUAL_SLOT), -1).max(axis=-1, keepdims=True)
        latest_q = _take_last(quarters, last_q)[:, :, 0]
        annual = by_year[:, :, _ANNUAL_SLOT]
        self.year_value = np.where(np.isnan(annual), latest_q, annual)
        self.earlier_value = _earlier_sum(self.year_value, self.first_y)
        # latest quarterly entry (value or officer forecast) at or before each quarter
        officer = self.own_fc.reshape(n, self.n_years, _SLOTS)[:, :, :_ANNUAL_SLOT]
        self.latest_entry_slot = _ffill_index(~np.isnan(quarters) | ~np.isnan(officer))  # (n, years, 4)

    # targets -> current and original versions per part and year
    def _load_targets(self, targets: pd.DataFrame, t_year: np.ndarray) -> None:
        n, n_years = self.n_parts, self.n_years
        shape = (n, n_years)
        self.targets = targets
        self.tgt_val, self.orig_val = np.full(shape, np.nan), np.full(shape, np.nan)
        self.tgt_status = np.full(shape, -1, dtype=np.int64)
        self.tgt_measure = np.full(shape, -1, dtype=np.int64)
        self.orig_measure = np.full(shape, -1, dtype=np.int64)
        self.tgt_row = np.full(shape, -1, dtype=np.int64)
        if len(targets):
            pid = self.keys.parts_of(targets)
            year = np.where(t_year >= 0, t_year - self.y0, -1)
            version_codes, version_labels = _text_codes(targets, "version")
            statuses = {s: i for i, s in enumerate(TARGET_STATUSES)}
            status = _lookup_codes(_text_codes(targets, "status"), statuses)
            measure = _lookup_codes(_text_codes(targets, "measure"), {m: i for i, m in enumerate(MEASURES)})
            values = _number(targets, "value")
            # a row with a value but no (or an unknown) status counts as set
            status = np.where((status < 0) & np.isfinite(values), T_SET, status)
            ok = (pid >= 0) & (year >= 0) & (year < n_years)
            # the register's one rule for the version in force (the original first, every later
            # version by effective date, ties in the order added): the last one wins
            from performance.register import version_precedence
            from performance.vocabulary import ORIGINAL_VERSION

            eff_codes, eff_labels = _text_codes(targets, "effective_from")
            order = version_precedence(version_codes, version_labels, eff_codes, eff_labels)
            order = order[ok[order]]
            orig = order[version_codes[order] == _label_code(version_labels, ORIGINAL_VERSION)]
            flat = pid[order] * n_years + year[order]
            # np.put writes in order, so the last row per part and year wins
            np.put(self.tgt_val, flat, values[order])
            np.put(self.tgt_status, flat, status[order])
            np.put(self.tgt_measure, flat, measure[order])
            np.put(self.tgt_row, flat, order)
            flat_o = pid[orig] * n_years + year[orig]
            np.put(self.orig_val, flat_o, values[orig])
            np.put(self.orig_measure, flat_o, measure[orig])
        usable = np.where(self.tgt_status == T_SET, self.tgt_val, np.nan)
        self.year_target = usable  # the target of the year, where one is set
        self.earlier_target = _earlier_sum(usable, self.first_y)
        self.earlier_orig = _earlier_sum(self.orig_val, self.first_y)
        # the measure in force: the target version's own where given, else the indicator's
        self.measure_in_force = np.where(self.tgt_measure >= 0, self.tgt_measure, self.measure[:, None])
        self.orig_in_force = np.where(self.orig_measure >= 0, self.orig_measure, self.measure[:, None])


def _choose(default: np.ndarray, *cases) -> np.ndarray:
    """``np.select`` that works out a choice only where some row needs it; a new array.

    ``cases`` are ``(condition, compute)`` pairs, the first true condition wins, as in
    ``np.select``; ``compute()`` gives that case's values. Most registers use one or two
    measures, so on a million rows this skips whole-array arithmetic for the others.
    """
    out = np.array(default, copy=True)
    for condition, compute in reversed(cases):
        if condition.any():
            out = np.where(condition, compute(), out)
    return out


class _Measures:
    """Which rows have which measure, worked out once for all the rules that depend on it."""

    def __init__(self, measure: np.ndarray) -> None:
        self.code = measure
        self.gap = measure == GAP
        self.cum_year = measure == CUM_YEAR
        self.cum_agreement = measure == CUM_AGREEMENT
        self.cumulative = self.cum_year | self.cum_agreement


def _profile(m: _Measures, year_value, earlier, fraction):
    """A year's figure profiled to the period: quarter/4 of it year to date; plus earlier years
    for a running total since the agreement began."""
    return _choose(
        year_value,
        (m.cum_year, lambda: year_value * fraction),
        (m.cum_agreement, lambda: earlier + year_value * fraction),
    )


def _baseline_for(m: _Measures, baseline, n_earlier, fraction):
    """The baseline in the measure's terms (profiled like the target; none for a gap)."""
    return _choose(
        baseline,
        (m.cum_year, lambda: baseline * fraction),
        (m.cum_agreement, lambda: baseline * (n_earlier + fraction)),
        (m.gap, lambda: np.nan),
    )


# 4/q for a year-to-date count in quarter q, by slot (the annual outturn is a whole year)
_ANNUALISE = np.array([4.0 / 1.0, 4.0 / 2.0, 4.0 / 3.0, 4.0 / 4.0, 1.0])


def _comparable(m: _Measures, sign, own, comp, slot):
    """A period's value made comparable across periods for direction of travel: year-to-date
    counts annualised (x 4/q), gaps worked out; the rest as recorded."""
    return _choose(
        own,
        (m.gap, lambda: sign * (own - comp)),
        (m.cumulative, lambda: own * _ANNUALISE[slot]),
    )


def _directions(current, earlier, sign, threshold_pct) -> np.ndarray:
    """Direction codes (index into DIRECTIONS, -1 where either value is missing)."""
    with np.errstate(invalid="ignore"):
        # worked in place: a block's temporaries are few (slack is the threshold share of the
        # earlier value plus float slack: threshold/100 x |earlier| + EPS x max(1, |earlier|))
        change = np.subtract(current, earlier)
        change *= sign
        size = np.abs(earlier)
        slack = np.maximum(size, 1.0)
        slack *= _EPS
        size *= threshold_pct / 100.0
        slack += size
        codes = np.full(change.shape, NO_CHANGE, dtype=np.int8)
        codes[change > slack] = IMPROVING
        codes[change < np.negative(slack, out=slack)] = WORSENING
        # a value missing on either side (NaN or infinite change) or no polarity: unknown
        codes[~np.isfinite(change) | (np.asarray(sign) == 0)] = -1
        return codes


# --- rating the register ---------------------------------------------------------------------


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


def _obj(values) -> pd.Series:
    return pd.Series(values, dtype=object, copy=False)


def _code_type(n_categories: int) -> type:
    """The integer type pandas keeps a categorical's codes in (the smallest that holds them)."""
    for kind in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(kind).max:
            return kind
    return np.int64


def _category_codes(codes: np.ndarray, labels) -> tuple[np.ndarray, pd.CategoricalDtype]:
    """``codes`` into ``labels`` (distinct texts; -1 missing) as codes into the same texts in
    alphabetical order, in the integer type pandas keeps them in, and their dtype.

    Recode the short array (one code per part or per period) before spreading it to every
    row: spreading small integers is then all that is done per row.
    """
    labels = np.asarray(labels, dtype=object)
    kind = _code_type(len(labels))
    if len(labels) > 1 and not (labels[1:] > labels[:-1]).all():  # recode alphabetically
        order = np.argsort(labels, kind="stable")
        rank = np.empty(len(order) + 1, dtype=kind)
        rank[order] = np.arange(len(order))
        rank[-1] = -1  # code -1 stays missing
        codes, labels = rank[codes], labels[order]
    return codes.astype(kind, copy=False), pd.CategoricalDtype(pd.Index(labels, dtype=object))


def _from_codes(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Series:
    """A categorical column from codes already in the dtype's integer type (-1: missing)."""
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype, validate=False), copy=False)


def _categorical(codes: np.ndarray, labels) -> pd.Series:
    """A text column as a pandas categorical: ``labels[codes]``, NaN where a code is -1.

    A million rows name a few thousand distinct texts; a categorical holds each once plus a
    small integer per row, so building it is an integer copy (a Python object per row costs a
    pointer and a reference count each). Categories are put in alphabetical order, so sorting
    the column sorts as the text would; ``labels`` must be distinct text (no missing values:
    a missing row is code -1).
    """
    return _from_codes(*_category_codes(codes, labels))


_VOCABULARY_TYPES: dict[tuple[str, ...], pd.CategoricalDtype] = {}


def _vocabulary_column(codes: np.ndarray, vocabulary: tuple[str, ...]) -> pd.Series:
    """A column of vocabulary words from their int8 codes (-1: missing), categories in the
    vocabulary's own order (statuses worst first), so that no code is rewritten."""
    dtype = _VOCABULARY_TYPES.get(vocabulary)
    if dtype is None:
        dtype = _VOCABULARY_TYPES[vocabulary] = pd.CategoricalDtype(pd.Index(vocabulary, dtype=object))
    # from_codes does not check the codes here (validate=False): a code out of range would
    # read past the categories, so check them (two passes over a byte per row)
    if len(codes) and (codes.min() < -1 or codes.max() >= len(vocabulary)):
        raise ValueError(f"a code outside -1..{len(vocabulary) - 1} for {vocabulary}")
    return _from_codes(codes.astype(_code_type(len(vocabulary)), copy=False), dtype)


# by slot (Q1..Q4, annual): the share of the year's target due by then, and how many grid
# periods back the previous period is (Q1 -> the previous year's Q4, annual -> last year's)
_FRACTION = np.array([0.25, 0.5, 0.75, 1.0, 1.0])
_PREVIOUS_STEP = np.array([2, 1, 1, 1, _SLOTS])


class _Cells:
    """The rows to rate (part ``p``, grid period ``t``) and their cells in the grids."""

    def __init__(self, g: _Grids, p: np.ndarray, t: np.ndarray) -> None:
        self.g, self.p, self.t = g, p, t
        self.y, self.slot = t // _SLOTS, t % _SLOTS
        self.is_annual = self.slot == _ANNUAL_SLOT
        self.fraction = _FRACTION[self.slot]
        self.py = p * g.n_years + self.y  # flat index into part x year grids
        self.base = p * g.n_t  # + a grid period: flat index into part x period grids
        self.pt = self.base + t
        self.sign = g.sign[p]
        self.n_earlier = np.maximum(self.y - g.first_y[p], 0)

    def year(self, grid: np.ndarray) -> np.ndarray:
        return np.take(grid, self.py)

    def period(self, grid: np.ndarray, t: np.ndarray | None = None) -> np.ndarray:
        """Cells of a part x period grid at ``t`` (default: the row's period); NaN before it."""
        if t is None:
            return np.take(grid, self.pt)
        return np.where(t >= 0, np.take(grid, self.base + np.maximum(t, 0)), np.nan)


def _rate_cells(c: _Cells) -> dict[str, np.ndarray]:
    """Status, direction and forecast of every row (numbers and codes only)."""
    g, sign = c.g, c.sign
    raw, comp = c.period(g.own_val), c.period(g.comp_ff)
    t_status = c.year(g.tgt_status)
    has_target = t_status == T_SET
    m = _Measures(c.year(g.measure_in_force))
    year_target = c.year(g.year_target)
    earlier_target, earlier_value = c.year(g.earlier_target), c.year(g.earlier_value)
    baseline = g.baseline[c.p]

    def in_measure(own):  # a return's value in the measure's terms
        return _choose(
            own, (m.gap, lambda: sign * (own - comp)), (m.cum_agreement, lambda: earlier_value + own)
        )

    freq = g.frequency[c.p]
    due_annual = _choose(
        np.isfinite(raw), (freq == ANNUAL, lambda: True), (freq == BIENNIAL, lambda: c.year(g.survey_year))
    )
    due = np.where(c.is_annual, due_annual, freq == QUARTERLY) & (t_status != T_NO_SURVEY)
    removed = g.removed[c.p]
    rules = {
        "polarity": sign, "tolerance_pct": g.tolerance_pct[c.p],
        "tolerance_points": g.tolerance_points[c.p], "scheme": g.scheme[c.p], "measure": m.code,
        "has_target": has_target,
    }
    value = in_measure(raw)
    target = _profile(m, year_target, earlier_target, c.fraction)
    baseline_used = _baseline_for(m, baseline, c.n_earlier, c.fraction)
    status = rate_arrays(value, target, baseline_used, due=due, **rules)
    orig_m = _Measures(c.year(g.orig_in_force))

    # direction of travel: against the previous period and the same period a year earlier
    t = c.t
    prev_t = t - _PREVIOUS_STEP[c.slot]  # Q1 -> the previous year's Q4
    year_t = t - _SLOTS

    def comparable(tt, own=None, other=None):
        if own is None:
            own, other = c.period(g.own_val, tt), c.period(g.comp_ff, tt)
        return _comparable(m, sign, own, other, tt % _SLOTS)

    # the row's own period is always on the grid: its cells are raw and comp already
    current = comparable(t, raw, comp)
    previous, year_earlier = comparable(prev_t), comparable(year_t)
    dir_sign = np.where(m.gap & (sign != 0), 1, sign)
    threshold = g.direction_threshold_pct

    # year-end forecast from the latest quarterly entry of the year so far
    latest = np.where(c.is_annual, -1, np.take(g.latest_entry_slot, c.py * 4 + np.minimum(c.slot, 3)))
    latest_t = np.where(latest >= 0, c.y * _SLOTS + latest, -1)
    officer, latest_value = c.period(g.own_fc, latest_t), c.period(g.own_val, latest_t)
    scale = _choose(np.ones(len(t)), (m.cumulative, lambda: _ANNUALISE[np.maximum(latest, 0)]))
    projection = latest_value * scale
    has_officer = np.isfinite(officer)
    basis = np.where(has_officer, 0, np.where(np.isfinite(projection), 1, -1))
    forecast = in_measure(np.where(has_officer, officer, projection))
    forecast_target = _profile(m, year_target, earlier_target, 1.0)
    forecast_baseline = _baseline_for(m, baseline, c.n_earlier, 1.0)
    forecast_status = rate_arrays(forecast, forecast_target, forecast_baseline, due=True, **rules)
    has_forecast = basis >= 0
    status[removed] = NO_TARGET
    forecast_status[removed] = NO_TARGET
    forecast_status[~has_forecast] = -1

    # codes are stored as int8 (a million rows: 1 MB a column instead of 8 MB of fresh memory)
    return {
        "measure": m.code.astype(np.int8),
        "value": value,
        "period_value": raw,
        "target": target,
        "original_target": _profile(orig_m, c.year(g.orig_val), c.year(g.earlier_orig), c.fraction),
        "original_measure": orig_m.code.astype(np.int8),
        "year_target": year_target,
        "baseline_used": baseline_used,
        "due": due,
        "status": status,
        "direction": _directions(current, previous, dir_sign, threshold),
        "direction_year": _directions(current, year_earlier, dir_sign, threshold),
        "previous_value": previous,
        "year_earlier_value": year_earlier,
        "forecast_year_end": np.where(has_forecast, forecast, np.nan),
        "forecast_basis": basis.astype(np.int8),
        "forecast_target": np.where(has_forecast, forecast_target, np.nan),
        "forecast_status": forecast_status,
        "comparator_value": np.where(g.has_comparator[c.p], comp, np.nan),
        # no target row reads "" (the code one past the vocabulary: see rate())
        "target_status": np.where(t_status < 0, len(TARGET_STATUSES), t_status).astype(np.int8),
        "removed": removed,
        "return_row": c.period(g.own_row),  # rows of the returns and targets frames, for the
        "target_row": c.year(g.tgt_row),  # text columns (worked out here, block by block)
    }


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

_WORKERS: ThreadPoolExecutor | None = None


def _workers() -> ThreadPoolExecutor:
    """Two threads shared by every rating (the machines have two cores); made on first use."""
    global _WORKERS
    if _WORKERS is None:
        _WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rag")
    return _WORKERS


class _Rating:
    """:func:`_rate_cells` of every row, in blocks of rows (see ``_CHUNK``) written into whole
    columns: the same numbers, with the temporaries of a block kept in cache.

    The first block is rated at once (it gives the columns' types); the others go to the
    worker threads, and :meth:`result` waits for them, so the caller can build the columns
    that do not depend on the rating in the meantime.
    """

    def __init__(self, g: _Grids, p: np.ndarray, t: np.ndarray) -> None:
        self._pending: list = []
        self._fill = None
        if len(p) <= _CHUNK:
            self._out = _rate_cells(_Cells(g, p, t))
            return
        blocks = [slice(start, start + _CHUNK) for start in range(0, len(p), _CHUNK)]
        first = _rate_cells(_Cells(g, p[blocks[0]], t[blocks[0]]))
        out = {name: np.empty(len(p), dtype=values.dtype) for name, values in first.items()}

        def fill(block: slice, cells: dict | None = None) -> None:
            cells = cells if cells is not None else _rate_cells(_Cells(g, p[block], t[block]))
            for name, values in cells.items():
                out[name][block] = values

        fill(blocks[0], first)
        # NumPy lets go of the GIL inside each operation, so two threads rate blocks side by
        # side on a 2-core machine; the blocks write disjoint slices of the same columns.
        self._pending = [(block, _workers().submit(fill, block)) for block in blocks[1:]]
        self._fill, self._out = fill, out

    def result(self) -> dict[str, np.ndarray]:
        # blocks still queued are rated here rather than waited for (last first: the
        # workers take them from the front)
        for block, done in reversed(self._pending):
            if done.cancel():
                self._fill(block)
        for _, done in self._pending:
            if not done.cancelled():
                done.result()  # re-raises an error of a block
        return self._out


def _take_text(frame: pd.DataFrame, column: str, rows: np.ndarray, fill: str = "") -> pd.Series:
    """``frame[column]`` at positions ``rows`` (``fill`` where a row is -1 or the column absent),
    as a categorical (see :func:`_categorical`)."""
    if column not in frame.columns or not len(frame):
        return _categorical(np.zeros(len(rows), dtype=np.int64), [fill])
    # Copy codes, then name the strings once: turning a million arrow strings into Python
    # objects (to_numpy) costs more than factorizing them.
    codes, labels = _text_codes(frame, column)
    found = np.flatnonzero(labels == fill)
    if not len(found):
        labels, found = np.append(labels, fill), [len(labels)]
    # one more code at the end for row -1 (fill); recoded per source row, then picked
    small, dtype = _category_codes(np.append(codes, found[0]), labels)
    return _from_codes(small[rows], dtype)


def _take_flag(frame: pd.DataFrame, column: str, rows: np.ndarray) -> np.ndarray:
    if column not in frame.columns or not len(frame):
        return np.zeros(len(rows), dtype=bool)
    return np.append(frame[column].fillna(False).to_numpy(dtype=bool), False)[rows]


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


def status_severity(statuses: pd.Series, missing: int = len(STATUSES)) -> np.ndarray:
    """``STATUS_SEVERITY`` of each status (0 red ... 5 no_target; ``missing`` where there is
    none), looked up once per distinct status.

    For any frame's statuses: plain text (``indicator_status``, a return's preview) sorts
    alphabetically, and mapping a categorical gives a categorical that sorts in its old
    category order, so sort by these numbers."""
    codes, labels = pd.factorize(statuses)  # a categorical's own codes: no hashing
    known = [STATUS_SEVERITY.get(s, missing) for s in labels]
    return np.array([*known, missing], dtype=np.int64)[codes]


def indicator_status(rated: pd.DataFrame) -> pd.DataFrame:
    """The worst part of each indicator in each period (order red, amber, green, no_data,
    not_due, no_target).

    Columns: framework, code, period, period_order, status, parts (how many), worst_part (the
    first part with that status, "" for an indicator reported as a whole) and forecast_status
    (worst forecast of the parts, NaN where none). Register order, then timeline order.
    """
    indicator = rated.groupby(["framework", "code"], sort=False).ngroup().to_numpy()
    frame = pd.DataFrame({
        "_indicator": indicator,
        "period_order": rated["period_order"].to_numpy(),
        "_row": np.arange(len(rated)),
        "_sev": status_severity(rated["status"]),
        "_fc": status_severity(rated["forecast_status"]),
    })
    # worst first (stable), so the first row of each group is its worst part
    frame = frame.sort_values("_sev", kind="stable")
    out = frame.groupby(["_indicator", "period_order"], sort=True).agg(
        _row=("_row", "first"), _sev=("_sev", "first"), parts=("_sev", "size"), _fc=("_fc", "min"),
    ).reset_index()
    rows = out["_row"].to_numpy()
    with_missing = np.array((*STATUSES, np.nan), dtype=object)
    columns = {c: _obj(rated[c].to_numpy(dtype=object)[rows]) for c in ("framework", "code", "period")}
    return pd.DataFrame({
        **columns,
        "period_order": out["period_order"].to_numpy(),
        "status": _obj(_STATUS_NAMES[out["_sev"].to_numpy()]),
        "parts": out["parts"].to_numpy(),
        "worst_part": _obj(rated["part"].to_numpy(dtype=object)[rows]),
        "forecast_status": _obj(with_missing[out["_fc"].to_numpy(dtype=np.int64)]),
    })


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


# --- reasons (built on demand for the rows shown) -------------------------------------------

_UNIT_SUFFIX = {
    "rate_per_1000": " per 1,000",
    "rate_per_10000": " per 10,000",
    "rate_per_100000": " per 100,000",
    "days": " days",
    "tonnes_per_capita": " tonnes per head",
    "percentage_points": " percentage points",
}


def _num(x: float, min_dp: int = 0, max_dp: int = 2) -> str:
    text = f"{x:,.{max_dp}f}"
    if max_dp > min_dp and "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(min_dp, "0")
        text = f"{whole}.{frac}" if frac else whole
    return "0" if text in ("-0", "-0.0") else text


def format_value(value: float, unit: str) -> str:
    """A number in the indicator's unit: ``7.0%``, ``1,600``, ``Level 3``, ``42 days``."""
    if value is None or not np.isfinite(value):
        return "no value"
    if unit == "percent":
        return f"{_num(value, 1)}%"
    if unit == "level":
        return f"Level {_num(value)}"
    return _num(value) + _UNIT_SUFFIX.get(unit, "")


def _format_difference(value: float, unit: str) -> str:
    """A difference of two values: percentage points for a percentage."""
    if unit == "percent":
        return f"{_num(value, 1)} percentage points"
    return format_value(value, unit)


def _is(x) -> bool:
    return x is not None and isinstance(x, float | int | np.floating) and np.isfinite(x)


def _reason(r) -> str:
    status, unit, period, year = r.status, r.unit, r.period, r.year
    label = STATUS_LABELS.get(status, str(status))
    if status == "no_target":
        if r.removed:
            return "No target: indicator removed from the agreement, so not rated"
        if r.polarity not in _SIGN:
            return "No target: the indicator has no better or worse direction (polarity not applicable)"
        text = f' ("{r.target_text}")' if r.target_text else ""
        if r.target_status == "to_be_confirmed":
            return f"No target: the {year} target is still to be confirmed{text}"
        if r.target_status == "not_applicable":
            return f"No target: a target does not apply in {year}{text}"
        if r.target_status == "":
            return f"No target: no target set for {year}"
        if not _is(r.year_target):
            return f"No target: the {year} target is not a number{text}"
        if r.year_target == 0:
            return f"No target: the {year} target of 0 is a placeholder, not a real target"
        if r.measure == "cumulative_agreement":
            return f"No target: the running target needs a target for every year since {r.first_year}"
        return f"No target for {period}"
    if status == "not_due":
        if r.target_status == "no_survey":
            return f"Not due: no survey in {year}"
        if r.frequency == "biennial_survey" and period == year:
            return f"Not due: a survey indicator, surveyed in {r.survey_years.replace(';', ', ')}"
        if r.frequency in ("annual", "biennial_survey"):
            return f"Not due: reported once a year ({year}), not each quarter"
        return f"Not due: reported quarterly; no annual outturn recorded for {year}"
    if status == "no_data":
        if _is(r.period_value) and r.measure == "cumulative_agreement":
            return f"No data: the running total since {r.first_year} needs a value for every earlier year"
        if _is(r.period_value) and r.measure == "gap_to_comparator":
            return f"No data: no {r.comparator} value for {period} or before to compare with"
        return f"No data: due for {period} but no value recorded"
    if status not in ("green", "amber", "red"):
        return label
    return f"{label}: {_rated_reason(r, unit)}"


def _rated_reason(r, unit: str) -> str:
    measure, value, target = r.measure, r.value, r.target
    gap = measure == "gap_to_comparator"
    fmt = (lambda v: _format_difference(v, unit)) if gap else (lambda v: format_value(v, unit))
    q = None if r.period == r.year else int(str(r.period)[-1])
    if measure == "cumulative_in_year":
        what = f"{fmt(value)} year to date"
        against = (f"a year-to-date target of {fmt(target)} ({q}/4 of {fmt(r.year_target)})"
                   if q else f"a target of {fmt(target)}")
    elif measure == "cumulative_agreement":
        what = f"{fmt(value)} in total since {r.first_year}"
        against = f"a running target of {fmt(target)}"
    elif gap:
        own, comp = format_value(r.period_value, unit), format_value(r.comparator_value, unit)
        pair = (f"{r.own_area} {own} minus {r.comparator} {comp}" if r.polarity == "higher_is_better"
                else f"{r.comparator} {comp} minus {r.own_area} {own}")
        what = f"a gap of {fmt(value)} ({pair})"
        against = f"a target gap of {fmt(target)}"
    else:
        what, against = fmt(value), f"a target of {fmt(target)}"
    direction = "higher gap is better" if gap else r.polarity.replace("_", " ")
    head = f"{what} against {against} ({direction})"

    sign = 1 if gap or r.polarity == "higher_is_better" else -1
    shortfall = sign * (target - value)
    has_baseline = _is(r.baseline_used)
    kind = {"cumulative_in_year": "year-to-date ", "cumulative_agreement": "running "}.get(measure, "")
    kind = "" if q is None and measure == "cumulative_in_year" else kind
    base = f"the {kind}baseline of {fmt(r.baseline_used)}" if has_baseline else ""
    if measure == "level":
        if r.status == "green":
            tail = "target level reached"
        elif r.status == "amber":
            tail = "one level short, " + (f"better than {base}" if has_baseline else "no baseline")
        elif shortfall <= 1 + _EPS:
            tail = f"one level short and no better than {base}"
        else:
            tail = f"{_num(shortfall)} levels short"
    elif shortfall <= _EPS * max(1.0, abs(target)):
        tail = "on or better than target"
    else:
        if _is(r.tolerance_points):
            off = f"{_format_difference(shortfall, unit)} off target"
            tolerance = f"tolerance of {_format_difference(r.tolerance_points, unit)}"
        else:
            off = (f"{_num(100.0 * shortfall / abs(target), 1, 1)}% off target" if target
                   else f"{_format_difference(shortfall, unit)} off target")
            tolerance = f"{_num(r.tolerance_pct)}% tolerance"
        if r.scheme == "target_with_tolerance":
            tail = f"{off}, {'within' if r.status == 'amber' else 'beyond'} the {tolerance}"
        elif r.status == "green":
            tail = f"{off}, within the {tolerance}"
        elif has_baseline:
            better = "better than" if r.status == "amber" else "no better than"
            tail = f"{off}, beyond the {tolerance}, {better} {base}"
        elif r.status == "amber":
            tail = f"{off}, beyond the {tolerance} but within twice it (no baseline)"
        else:
            tail = f"{off}, more than twice the {tolerance} (no baseline)"
    notes = [n for n, flag in (("provisional", r.provisional), ("demonstration data", r.is_demo)) if flag]
    return f"{head}; {tail}" + "".join(f"; {n}" for n in notes)


#: The columns of a rated row that _reason and _rated_reason read.
_REASON_COLUMNS = (
    "status", "unit", "period", "year", "removed", "polarity", "target_text", "target_status",
    "year_target", "measure", "first_year", "frequency", "survey_years", "period_value",
    "comparator", "value", "target", "own_area", "comparator_value", "baseline_used",
    "tolerance_points", "tolerance_pct", "scheme", "provisional", "is_demo")


def explain(rated: pd.DataFrame, register: Register | None = None) -> pd.Series:
    """One plain-words reason per row of ``rated`` (a frame from :func:`rate`, or rows of it).

    Build it only for the rows shown: it is row-by-row Python. ``register`` is not needed (the
    rated frame carries everything) and is accepted for callers that pass it.
    """
    del register
    # Only the columns the texts read: each row's tuple is then half as wide (about a third
    # quicker for the few thousand rows a page shows).
    needed = [c for c in _REASON_COLUMNS if c in rated.columns]
    reasons = [_reason(r) for r in rated[needed].itertuples(index=False)]
    return pd.Series(reasons, index=rated.index, dtype=object, name="reason")
