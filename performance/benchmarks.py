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
from scipy.stats import chi2

from performance.intervals import z_value

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
TREND_CRITICAL = float(chi2.ppf(TREND_CONFIDENCE, 1))

_BETTER, _SIMILAR, _WORSE, _HIGHER, _LOWER, _NOT = range(len(COMPARISONS))


def compare(lower, upper, benchmark, sign) -> np.ndarray:
    """Compare each area's interval with its benchmark value; codes into :data:`COMPARISONS`.

    ``sign`` is +1 (higher is better), -1 (lower is better) or 0 (polarity does not apply).
    A benchmark value below the lower limit means the area is significantly higher; above the
    upper limit, lower; inside (limits included), similar. Missing limits or benchmark value:
    ``not_compared``.
    """
    lo, up, b, s = (np.asarray(a, dtype=float) for a in (lower, upper, benchmark, sign))
    higher = b < lo
    lower_ = b > up
    out = np.full(np.broadcast_shapes(lo.shape, up.shape, b.shape, s.shape), _SIMILAR, dtype=np.int8)
    out = np.where(higher, np.where(s > 0, _BETTER, np.where(s < 0, _WORSE, _HIGHER)), out)
    out = np.where(lower_, np.where(s > 0, _WORSE, np.where(s < 0, _BETTER, _LOWER)), out)
    missing = np.isnan(lo) | np.isnan(up) | np.isnan(b)
    return np.where(missing, _NOT, out).astype(np.int8)


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


def trend_statistic_proportions(count, denominator) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared test for trend in proportions (Cochran-Armitage), one series per row.

    ``count`` and ``denominator`` are ``(rows, points)`` arrays of equally spaced points.
    Returns the gradient's sign term (the numerator of the test, positive for an increase)
    and the statistic on one degree of freedom.
    """
    x, n = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (count, denominator))
    t = np.arange(1, x.shape[1] + 1, dtype=float)
    total_n = n.sum(axis=1)
    p = x.sum(axis=1) / total_n
    nt = (n * t).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope_term = (x * t).sum(axis=1) - x.sum(axis=1) * nt / total_n
        variance = p * (1.0 - p) * ((n * t * t).sum(axis=1) - nt * nt / total_n)
        statistic = slope_term * slope_term / variance
    return slope_term, statistic


def trend_statistic_weighted(value, lower_95, upper_95) -> tuple[np.ndarray, np.ndarray]:
    """Chi-squared test for trend by weighted least squares, one series per row.

    The standard error of each point is taken from its 95% interval, (upper - lower) /
    (2 x 1.96); the weights are its inverse squares. Returns the gradient and the statistic
    (gradient squared over its variance).
    """
    y, lo, up = (np.atleast_2d(np.asarray(a, dtype=float)) for a in (value, lower_95, upper_95))
    t = np.arange(1, y.shape[1] + 1, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = (up - lo) / (2.0 * z_value(0.95))
        w = 1.0 / (se * se)
        sw = w.sum(axis=1)
        t_bar = (w * t).sum(axis=1) / sw
        y_bar = (w * y).sum(axis=1) / sw
        sxx = (w * (t - t_bar[:, None]) ** 2).sum(axis=1)
        beta = (w * (t - t_bar[:, None]) * (y - y_bar[:, None])).sum(axis=1) / sxx
        statistic = beta * beta * sxx  # variance of beta is 1 / sxx
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
