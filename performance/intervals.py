"""Confidence intervals by the methods Public Health England's Fingertips uses.

Pure NumPy/SciPy, vectorised: every function takes scalars or arrays and returns arrays.

- **Proportions** (unit ``percent``): the Wilson score interval (Wilson 1927; Newcombe and
  Altman, *Statistics with confidence*, 2000), as PHEindicatormethods' ``wilson_lower`` /
  ``wilson_upper`` and the Fingertips technical guidance "Proportions".
- **Crude rates and counts** (units ``rate_per_1000`` / ``rate_per_10000`` /
  ``rate_per_100000`` and ``count``): Byar's method for counts of 10 or more and the exact
  Poisson (chi-squared) limits below 10, as PHEindicatormethods' ``phe_rate`` and the
  Fingertips technical guidance "Rates" (Breslow and Day 1987; Armitage and Berry 2002).

Levels are 95% and 99.8% (the two Fingertips shows). ``docs/benchmarks.md`` has each
formula with a worked Luton example.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from scipy.stats import chi2

__all__ = [
    "CONFIDENCE_LEVELS",
    "RATE_MULTIPLIERS",
    "byars",
    "exact_poisson",
    "limits_at_levels",
    "limits_for_unit",
    "method_for_unit",
    "poisson_limits",
    "wilson",
    "z_value",
]

CONFIDENCE_LEVELS = (0.95, 0.998)
# Below this many events Byar's approximation is replaced by the exact limits (PHE's rule).
EXACT_BELOW = 10
RATE_MULTIPLIERS = {"rate_per_1000": 1_000.0, "rate_per_10000": 10_000.0,
                    "rate_per_100000": 100_000.0}


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile: 1.95996 for 95%, 3.09023 for 99.8%."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def _arrays(*values):
    return [np.asarray(v, dtype=float) for v in values]


def wilson(count, denominator, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of the proportion ``count / denominator`` (as proportions, 0-1).

    NaN where the inputs cannot make a proportion (missing, negative, count above the
    denominator, denominator not above 0).
    """
    x, n = _arrays(count, denominator)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = 2.0 * x + z * z
        spread = z * np.sqrt(z * z + 4.0 * x * (1.0 - p))
        scale = 2.0 * (n + z * z)
        lower = (centre - spread) / scale
        upper = (centre + spread) / scale
    bad = ~((x >= 0) & (n > 0) & (x <= n))
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def byars(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the Poisson limits of an observed count (any count >= 0)."""
    (o,) = _arrays(count)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * np.sqrt(o))) ** 3
        o1 = o + 1.0
        upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    lower = np.where(o == 0, 0.0, np.maximum(lower, 0.0))
    bad = ~(o >= 0)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def exact_poisson(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits of an observed count from the chi-squared distribution."""
    (o,) = _arrays(count)
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore"):
        # chi2 with 0 degrees of freedom is undefined: a count of 0 has lower limit 0
        lower = np.where(o > 0, chi2.ppf(alpha / 2.0, 2.0 * np.where(o > 0, o, 1.0)) / 2.0, 0.0)
        upper = chi2.ppf(1.0 - alpha / 2.0, 2.0 * o + 2.0) / 2.0
    bad = ~(o >= 0)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def poisson_limits(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """PHE's rule: exact limits for counts under 10, Byar's method from 10 up."""
    (o,) = _arrays(count)
    lower, upper = byars(o, confidence)
    small = np.flatnonzero(o < EXACT_BELOW)
    if len(small):  # the chi-squared quantiles are slow: only for the few small counts
        lower = lower.copy() if lower.ndim else lower.reshape(1)
        upper = upper.copy() if upper.ndim else upper.reshape(1)
        flat_lower, flat_upper = lower.reshape(-1), upper.reshape(-1)
        flat_lower[small], flat_upper[small] = exact_poisson(o.reshape(-1)[small], confidence)
        lower, upper = flat_lower.reshape(o.shape), flat_upper.reshape(o.shape)
    return lower, upper


def method_for_unit(unit: str) -> str:
    """Which interval a unit gets from its count and denominator: ``wilson``, ``poisson``
    (Byar's / exact) or ``""`` (none: the file must give the limits)."""
    if unit == "percent":
        return "wilson"
    if unit in RATE_MULTIPLIERS or unit == "count":
        return "poisson"
    return ""


def limits_for_unit(unit, count, denominator, confidence: float = 0.95
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Limits in the unit's own terms: percent for proportions, per 1,000 / 10,000 / 100,000
    for crude rates, events for counts; NaN where the unit has no such method or the count or
    denominator is missing.

    ``unit`` is one unit name or an array of them (one per row).
    """
    x, n = _arrays(count, denominator)
    if isinstance(unit, str):  # one unit for every row: no per-row comparison of texts
        return _limits_of_unit(unit, x, n, confidence)
    units = np.asarray(unit, dtype=object)
    shape = np.broadcast_shapes(x.shape, n.shape, units.shape)
    x, n, units = (np.broadcast_to(a, shape) for a in (x, n, units))
    lower = np.full(shape, np.nan)
    upper = np.full(shape, np.nan)
    percent = units == "percent"
    if percent.any():
        lo, up = wilson(x[percent], n[percent], confidence)
        lower[percent], upper[percent] = lo * 100.0, up * 100.0
    counts = units == "count"
    if counts.any():
        lower[counts], upper[counts] = poisson_limits(x[counts], confidence)
    for name, multiplier in RATE_MULTIPLIERS.items():
        rows = units == name
        if rows.any():
            lo, up = poisson_limits(x[rows], confidence)
            with np.errstate(invalid="ignore", divide="ignore"):
                ok = n[rows] > 0
                lower[rows] = np.where(ok, lo / n[rows] * multiplier, np.nan)
                upper[rows] = np.where(ok, up / n[rows] * multiplier, np.nan)
    return lower, upper


def limits_at_levels(unit: str, count, denominator, levels) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`limits_for_unit` of one unit at each of several confidence ``levels``."""
    return [limits_for_unit(unit, count, denominator, level) for level in levels]


def _limits_of_unit(unit: str, x: np.ndarray, n: np.ndarray, confidence: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    shape = np.broadcast_shapes(x.shape, n.shape)
    method = method_for_unit(unit)
    if method == "wilson":
        lo, up = wilson(x, n, confidence)
        return lo * 100.0, up * 100.0
    if method == "poisson":
        lo, up = poisson_limits(np.broadcast_to(x, shape), confidence)
        if unit == "count":
            return lo, up
        multiplier = RATE_MULTIPLIERS[unit]
        with np.errstate(invalid="ignore", divide="ignore"):
            ok = n > 0
            return np.where(ok, lo / n * multiplier, np.nan), np.where(ok, up / n * multiplier, np.nan)
    return np.full(shape, np.nan), np.full(shape, np.nan)
