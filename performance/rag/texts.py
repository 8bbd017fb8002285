"""Reading the register's columns: text cleaned and factorized once per distinct value, numbers,
lookups; key and copied text columns are factorized ahead on the worker threads (``threads``)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd

from performance.rag.threads import _workers


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
