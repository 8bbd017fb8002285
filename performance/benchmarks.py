"""Compared with a benchmark (England, the region, GB, statistical neighbours) and recent trend.

Pure NumPy, vectorised over rows. The rules follow Fingertips (Public Health England's
public health profiles; technical guidance "Benchmarking" and "Trend markers"), written out
with worked Luton examples in ``docs/benchmarks.md``:

- **Compared with benchmark**: the benchmark value outside the area's confidence interval is
  a significant difference (at 95%; the 99.8% result is given beside it). Polarity turns
  higher / lower into better / worse; where polarity does not apply the result stays
  ``higher`` / ``lower``. Without an interval or a benchmark value: ``not_compared`` and why.
- **Recent trend**: the most recent five points, a chi-squared test for trend at the 99.8%
  level (Cochran-Armitage for proportions with counts; weighted least squares on the values
  with weights from their 95% intervals otherwise), labelled as Fingertips labels it.
"""

from __future__ import annotations

import numpy as np

from performance.intervals import chi2_ppf, z_value

__all__ = [
    "COMPARISONS",
    "TREND_POINTS",
    "TRENDS",
    "compare",
    "comparison_reason",
    "latest_at_or_before",
    "trend",
    "trend_statistic_proportions",
    "trend_statistic_weighted",
]

COMPARISONS = ("better", "similar", "worse", "higher", "lower", "not_compared")
TRENDS = (
    "increasing_better", "increasing_worse", "decreasing_better", "decreasing_worse",
    "increasing", "decreasing", "no_significant_change", "cannot_be_calculated",
)
TREND_POINTS = 5  # Fingertips: "the most recent five indicator values"
TREND_CONFIDENCE = 0.998
# The 99.8% critical value of chi-squared on 1 degree of freedom (3.0902 squared): 9.5495.
TREND_CRITICAL = float(chi2_ppf(TREND_CONFIDENCE, 1))

_BETTER, _SIMILAR, _WORSE, _HIGHER, _LOWER, _NOT = range(len(COMPARISONS))


# compare()'s answer by polarity (plain, higher is better, lower is better) and by what the
# benchmark does (inside the interval, below it, above it (or both), above it, no comparison)
_COMPARE_CODES = np.array([
    [_SIMILAR, _HIGHER, _LOWER, _LOWER, _NOT, _NOT, _NOT, _NOT],
    [_SIMILAR, _BETTER, _WORSE, _WORSE, _NOT, _NOT, _NOT, _NOT],
    [_SIMILAR, _WORSE, _BETTER, _BETTER, _NOT, _NOT, _NOT, _NOT],
], dtype=np.int8).ravel()


def compare(lower, upper, benchmark, sign) -> np.ndarray:
    """Compare each area's interval with its benchmark value; codes into :data:`COMPARISONS`.

    ``sign`` is +1 (higher is better), -1 (lower is better) or 0 (polarity does not apply).
    A benchmark value below the lower limit means the area is significantly higher; above the
    upper limit, lower; inside (limits included), similar. Missing limits or benchmark value:
    ``not_compared``.
    """
    lo, up, b = (np.asarray(a, dtype=float) for a in (lower, upper, benchmark))
    s = np.asarray(sign)
    if s.dtype.kind not in "iub":
        s = s.astype(float)
    # one small integer per row (1-byte steps, no float temporaries), then a table look-up
    case = (b < lo).view(np.int8)
    case |= (b > up).view(np.int8) << 1
    missing = np.isnan(lo)
    missing |= np.isnan(up)
    missing |= np.isnan(b)
    case |= missing.view(np.int8) << 2
    polarity = (s > 0).view(np.int8) + ((s < 0).view(np.int8) << 1)
    polarity <<= 3
    return np.asarray(_COMPARE_CODES[polarity + case])


def comparison_reason(lower, upper, benchmark) -> np.ndarray:
    """Why a row is ``not_compared`` ("" where it was compared), in the client's words."""
    lo, up, b = (np.asarray(a, dtype=float) for a in (lower, upper, benchmark))
    no_interval = np.isnan(lo) | np.isnan(up)
    no_benchmark = np.isnan(b)
    return np.where(
        no_interval & no_benchmark, "no confidence interval and no benchmark value",
        np.where(no_interval, "no confidence interval (give a count and denominator, or limits)",
                 np.where(no_benchmark, "no benchmark value for this period or before", ""))
    ).astype(object)


def latest_at_or_before(periods, benchmark_periods, benchmark_values) -> tuple[np.ndarray, np.ndarray]:
    """For each ordinal in ``periods``, the latest benchmark value at or before it and the
    index of the benchmark row used (-1 where there is none).

    ``benchmark_periods`` are ordinals in ascending order, ``benchmark_values`` beside them.
    """
    bp = np.asarray(benchmark_periods)
    bv = np.asarray(benchmark_values, dtype=float)
    idx = np.searchsorted(bp, np.asarray(periods), side="right") - 1
    values = np.where(idx >= 0, bv[np.clip(idx, 0, max(len(bv) - 1, 0))] if len(bv) else np.nan,
                      np.nan)
    return values, np.where(len(bv) > 0, idx, -1)


def _points(grid: np.ndarray, k: int) -> list[np.ndarray]:
    """The ``k`` points of every window of ``k`` consecutive columns of ``grid``, as ``k``
    views of shape ``(rows, windows)``: view ``j`` holds point ``j`` of each window."""
    width = grid.shape[1] - k + 1
    return [grid[:, j:j + width] for j in range(k)]


def _total(terms) -> np.ndarray:
    """The sum of the terms in order, exactly as NumPy sums a short row (0, then each term
    added in turn), so that the result does not depend on the layout."""
    terms = iter(terms)
    total = next(terms) + 0.0  # a fresh array; -0.0 turns to 0.0 as in np.sum
    for term in terms:
        total += term
    return total


def trend_statistic_proportions(count, denominator, points: int | None = None
                                ) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared test for trend in proportions (Cochran-Armitage), one series per row.

    ``count`` and ``denominator`` are ``(rows, points)`` arrays of equally spaced points.
    Returns the gradient's sign term (the numerator of the test, positive for an increase)
    and the statistic on one degree of freedom.

    With ``points``: the test on every window of that many consecutive columns, each result
    of shape ``(rows, columns - points + 1)`` (the window starting at each column). A point
    shared by several windows is read once, not copied into each.
    """
    x, n = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (count, denominator))
    k = x.shape[1] if points is None else points
    t = [float(j) for j in range(1, k + 1)]
    xs, ns = _points(x, k), _points(n, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        total_n = _total(ns)
        total_x = _total(xs)
        p = total_x / total_n
        nts = [nj * tj for nj, tj in zip(ns, t, strict=True)]
        nt = _total(nts)
        slope_term = _total(xj * tj for xj, tj in zip(xs, t, strict=True)) - total_x * nt / total_n
        variance = p * (1.0 - p) * (_total(ntj * tj for ntj, tj in zip(nts, t, strict=True))
                                    - nt * nt / total_n)
        statistic = slope_term * slope_term / variance
    if points is None:
        return slope_term[:, 0], statistic[:, 0]
    return slope_term, statistic


def trend_statistic_weighted(value, lower_95, upper_95, points: int | None = None
                             ) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared test for trend by weighted least squares, one series per row.

    The standard error of each point is taken from its 95% interval, (upper - lower) /
    (2 x 1.96); the weights are its inverse squares. Returns the gradient and the statistic
    (gradient squared over its variance).

    With ``points``: the test on every window of that many consecutive columns, as
    :func:`trend_statistic_proportions` (each point's weight made once for all its windows).
    """
    y, lo, up = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (value, lower_95, upper_95))
    k = y.shape[1] if points is None else points
    t = [float(j) for j in range(1, k + 1)]
    with np.errstate(invalid="ignore", divide="ignore"):
        se = (up - lo) / (2.0 * z_value(0.95))
        w = 1.0 / (se * se)
        ws, ys, wys = _points(w, k), _points(y, k), _points(w * y, k)
        sw = _total(ws)
        t_bar = _total(wj * tj for wj, tj in zip(ws, t, strict=True)) / sw
        y_bar = _total(wys) / sw
        ds = [tj - t_bar for tj in t]
        sxx = _total(wj * (dj * dj) for wj, dj in zip(ws, ds, strict=True))
        beta = _total(wj * dj * (yj - y_bar) for wj, dj, yj in zip(ws, ds, ys, strict=True)) / sxx
        statistic = beta * beta * sxx  # variance of beta is 1 / sxx
    if points is None:
        return beta[:, 0], statistic[:, 0]
    return beta, statistic


def trend(direction, statistic, sign, usable) -> np.ndarray:
    """Label each series; codes into :data:`TRENDS`.

    ``direction`` is positive for an increase; ``statistic`` the chi-squared value; ``sign``
    the polarity (+1, -1, 0); ``usable`` False where the trend cannot be calculated.
    """
    d, x, s = (np.asarray(a, dtype=float) for a in (direction, statistic, sign))
    usable = np.asarray(usable, dtype=bool) & np.isfinite(x) & np.isfinite(d)
    significant = x > TREND_CRITICAL
    up = d > 0
    increasing = np.where(s > 0, 0, np.where(s < 0, 1, 4))   # better / worse / plain
    decreasing = np.where(s > 0, 3, np.where(s < 0, 2, 5))
    code = np.where(significant, np.where(up, increasing, decreasing), 6)
    return np.where(usable, code, 7).astype(np.int8)
