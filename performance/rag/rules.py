"""The status rules: red, amber, green (and not due, no target, no data) of values already in
the measure's terms, vectorised. ``docs/rag-rules.md`` sections 1-2 and 4 are written out here."""

from __future__ import annotations

import math

import numpy as np

from performance.rag.codes import (
    _CHUNK,
    _EPS,
    _SIGN,
    _STATUS_NAMES,
    AMBER,
    BASELINE_AND_TARGET,
    GAP,
    GREEN,
    LEVEL,
    NO_DATA,
    NO_TARGET,
    NOT_DUE,
    RED,
    SNAPSHOT,
    TARGET_WITH_TOLERANCE,
)
from performance.vocabulary import MEASURES, RAG_SCHEMES, STATUSES


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
