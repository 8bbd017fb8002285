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

# scipy.special, not scipy.stats: chi2.ppf is 2 * gammaincinv(df / 2, p) (scipy's own
# chi2_gen._ppf), the same bits, and importing scipy.stats costs every app process about
# 46 MB more resident memory (issue 17 item 5).
from scipy.special import gammaincinv

__all__ = [
    "CONFIDENCE_LEVELS",
    "RATE_MULTIPLIERS",
    "byars",
    "chi2_ppf",
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


def _blank(limits, bad: np.ndarray):
    """Each ``(lower, upper)`` pair with NaN where ``bad`` (in place when it can be)."""
    if not bad.any():
        return [(np.asarray(lo), np.asarray(up)) for lo, up in limits]
    if np.ndim(bad) == 0 or any(np.shape(a) != bad.shape for pair in limits for a in pair):
        return [(np.where(bad, np.nan, lo), np.where(bad, np.nan, up)) for lo, up in limits]
    for lo, up in limits:
        lo[bad] = np.nan
        up[bad] = np.nan
    return limits


def _wilson_levels(x: np.ndarray, n: np.ndarray, levels) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`wilson` at each level; what does not depend on the level is worked out once,
    and each step is the same arithmetic in the same order (the same bits)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        four_xq = 4.0 * x * (1.0 - p)
        two_x = 2.0 * x
        limits = []
        for confidence in levels:
            z = z_value(confidence)
            zz = z * z
            centre = two_x + zz
            spread = np.sqrt(zz + four_xq)
            spread *= z  # z * sqrt(...): a product is the same either way round
            scale = n + zz
            scale *= 2.0
            lower = centre - spread
            lower /= scale
            upper = np.add(centre, spread, out=centre) if np.ndim(centre) else centre + spread
            upper /= scale
            limits.append((lower, upper))
    return _blank(limits, ~((x >= 0) & (n > 0) & (x <= n)))


def wilson(count, denominator, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of the proportion ``count / denominator`` (as proportions, 0-1).

    NaN where the inputs cannot make a proportion (missing, negative, count above the
    denominator, denominator not above 0).
    """
    x, n = _arrays(count, denominator)
    return _wilson_levels(x, n, (confidence,))[0]


def _byars_levels(o: np.ndarray, levels) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`byars` at each level, the parts that do not depend on the level worked out once
    (the same arithmetic in the same order: the same bits)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        below = 1.0 - 1.0 / (9.0 * o)
        root = 3.0 * np.sqrt(o)
        o1 = o + 1.0
        above = 1.0 - 1.0 / (9.0 * o1)
        root1 = 3.0 * np.sqrt(o1)
        zero = o == 0
        limits = []
        for confidence in levels:
            z = z_value(confidence)
            lower = o * (below - z / root) ** 3
            upper = o1 * (above + z / root1) ** 3
            lower = np.where(zero, 0.0, np.maximum(lower, 0.0)) if np.ndim(lower) == 0 else lower
            if np.ndim(lower):
                np.maximum(lower, 0.0, out=lower)
                lower[zero] = 0.0
            limits.append((lower, upper))
    return _blank(limits, ~(o >= 0))


def byars(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the Poisson limits of an observed count (any count >= 0)."""
    (o,) = _arrays(count)
    return _byars_levels(o, (confidence,))[0]


def chi2_ppf(p, df):
    """The ``p`` quantile of chi-squared on ``df`` degrees of freedom, for 0 < p < 1 (as
    ``scipy.stats.chi2.ppf``, to the bit)."""
    return 2.0 * gammaincinv(np.asarray(df, dtype=float) / 2.0, p)


def exact_poisson(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits of an observed count from the chi-squared distribution."""
    (o,) = _arrays(count)
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore"):
        # chi2 with 0 degrees of freedom is undefined: a count of 0 has lower limit 0
        lower = np.where(o > 0, chi2_ppf(alpha / 2.0, 2.0 * np.where(o > 0, o, 1.0)) / 2.0, 0.0)
        upper = chi2_ppf(1.0 - alpha / 2.0, 2.0 * o + 2.0) / 2.0
    bad = ~(o >= 0)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def _poisson_levels(o: np.ndarray, levels) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`poisson_limits` at each level."""
    limits = _byars_levels(o, levels)
    small = np.flatnonzero(o < EXACT_BELOW)
    if not len(small):
        return limits
    out = []
    for (lower, upper), confidence in zip(limits, levels, strict=True):
        # the chi-squared quantiles are slow: only for the few small counts
        # fresh arrays from _byars_levels: written in place
        flat_lower, flat_upper = lower.reshape(-1), upper.reshape(-1)
        flat_lower[small], flat_upper[small] = exact_poisson(o.reshape(-1)[small], confidence)
        out.append((flat_lower.reshape(o.shape), flat_upper.reshape(o.shape)))
    return out


def poisson_limits(count, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """PHE's rule: exact limits for counts under 10, Byar's method from 10 up."""
    (o,) = _arrays(count)
    return _poisson_levels(o, (confidence,))[0]


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
    if isinstance(unit, str):  # one unit for every row: no per-row comparison of texts
        return limits_at_levels(unit, count, denominator, (confidence,))[0]
    x, n = _arrays(count, denominator)
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
    """:func:`limits_for_unit` of one unit at each of several confidence ``levels`` (the
    work that does not depend on the level done once)."""
    x, n = _arrays(count, denominator)
    shape = np.broadcast_shapes(x.shape, n.shape)
    method = method_for_unit(unit)
    if method == "wilson":
        limits = _wilson_levels(x, n, levels)
        if not shape:
            return [(lo * 100.0, up * 100.0) for lo, up in limits]
        for lo, up in limits:  # fresh arrays: scaled in place
            lo *= 100.0
            up *= 100.0
        return limits
    if method == "poisson":
        limits = _poisson_levels(np.broadcast_to(x, shape), levels)
        if unit == "count":
            return limits
        multiplier = RATE_MULTIPLIERS[unit]
        with np.errstate(invalid="ignore", divide="ignore"):
            if shape and n.shape == shape:  # fresh arrays of the rows' shape: in place
                for lo, up in limits:
                    lo /= n
                    lo *= multiplier
                    up /= n
                    up *= multiplier
                return _blank(limits, ~(n > 0))
            ok = n > 0
            return [(np.where(ok, lo / n * multiplier, np.nan), np.where(ok, up / n * multiplier, np.nan))
                    for lo, up in limits]
    return [(np.full(shape, np.nan), np.full(shape, np.nan)) for _ in levels]


