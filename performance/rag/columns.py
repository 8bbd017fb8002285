"""The rated frame's columns: categorical text columns built from integer codes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from performance.rag.texts import _text_codes


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
