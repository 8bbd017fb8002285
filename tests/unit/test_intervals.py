"""Confidence intervals against figures published by independent implementations."""

from __future__ import annotations

import numpy as np
import pytest

from performance import intervals


# Newcombe RG (1998) "Two-sided confidence intervals for the single proportion: comparison of
# seven methods", Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score), 95%;
# 50 of 100 is the figure in shared/ENGINEERING_NOTES.md ("40.38% to 59.62%").
@pytest.mark.parametrize(("count", "denominator", "lower", "upper"), [
    (50, 100, 0.4038, 0.5962),
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombes_published_limits(count, denominator, lower, upper):
    lo, up = intervals.wilson(count, denominator, 0.95)
    assert float(lo) == pytest.approx(lower, abs=5e-5)
    assert float(up) == pytest.approx(upper, abs=5e-5)


# R's survival package, cipoisson() documentation example: "cipoisson(4) # 95% confidence
# limit: lower 1.089865, upper 10.24153" (exact Poisson limits from the gamma distribution).
def test_exact_poisson_matches_survival_cipoisson_for_four_events():
    lo, up = intervals.exact_poisson(4, 0.95)
    assert float(lo) == pytest.approx(1.089865, abs=1e-5)
    assert float(up) == pytest.approx(10.24153, abs=1e-4)


# Fingertips technical guidance "Confidence intervals" (PHE, 25 May 2018), appendix 1: "for 95%
# confidence intervals, Byar's method is within 0.2% of the exact value for numerators of 10 or
# more".
@pytest.mark.parametrize("count", [10, 11, 25, 65, 389, 1045, 100_000])
def test_byars_is_within_0_2_percent_of_exact_limits_from_ten_events(count):
    byar = np.array(intervals.byars(count, 0.95))
    exact = np.array(intervals.exact_poisson(count, 0.95))
    assert np.all(np.abs(byar / exact - 1.0) < 0.002)


@pytest.mark.parametrize(("count", "method"), [(9, "exact"), (10, "byars"), (0, "exact")])
def test_poisson_limits_switch_from_exact_to_byars_at_ten_events(count, method):
    expected = intervals.exact_poisson(count) if method == "exact" else intervals.byars(count)
    assert np.allclose(intervals.poisson_limits(count), expected)


@pytest.mark.parametrize(("confidence", "z"), [(0.95, 1.959964), (0.998, 3.090232)])
def test_z_value_is_the_two_sided_normal_quantile(confidence, z):
    assert intervals.z_value(confidence) == pytest.approx(z, abs=1e-6)


def test_wilson_at_99_8_percent_is_wider_than_at_95_percent():
    lo95, up95 = intervals.wilson(50, 100, 0.95)
    lo998, up998 = intervals.wilson(50, 100, 0.998)
    assert lo998 < lo95 < 0.5 < up95 < up998


@pytest.mark.parametrize(("count", "denominator"), [(-1, 10), (11, 10), (5, 0), (np.nan, 10)])
def test_wilson_gives_no_limits_for_impossible_proportions(count, denominator):
    lo, up = intervals.wilson(count, denominator)
    assert np.isnan(lo) and np.isnan(up)


@pytest.mark.parametrize(("unit", "count", "denominator", "lower", "upper"), [
    # 50 of 100 as a percentage: Wilson, in percent
    ("percent", 50, 100, 40.38, 59.62),
    # 4 events per 1,000 people as a rate per 1,000: exact limits / 1,000 x 1,000
    ("rate_per_1000", 4, 1_000, 1.0899, 10.2415),
    # 4 events in 100,000 as a rate per 100,000: the same limits
    ("rate_per_100000", 4, 100_000, 1.0899, 10.2415),
    # a count: the limits of the count itself, whatever the denominator
    ("count", 4, np.nan, 1.0899, 10.2415),
])
def test_limits_for_unit_put_the_limits_in_the_units_terms(unit, count, denominator, lower, upper):
    lo, up = intervals.limits_for_unit(unit, count, denominator)
    assert float(lo) == pytest.approx(lower, abs=1e-2)
    assert float(up) == pytest.approx(upper, abs=1e-2)


@pytest.mark.parametrize("unit", ["days", "level", "score", "percentage_points"])
def test_limits_for_unit_gives_none_where_the_unit_has_no_method(unit):
    lo, up = intervals.limits_for_unit(unit, 5, 10)
    assert np.isnan(lo) and np.isnan(up)
    assert intervals.method_for_unit(unit) == ""


def test_limits_for_unit_works_row_by_row_on_mixed_units():
    lo, up = intervals.limits_for_unit(np.array(["percent", "days", "count"], dtype=object),
                                       np.array([50.0, 1.0, 4.0]), np.array([100.0, 2.0, np.nan]))
    assert np.allclose(lo[[0, 2]], [40.383, 1.0899], atol=1e-3)
    assert np.isnan(lo[1]) and np.isnan(up[1])


# Counts on both sides of the switch to Byar's at 10, a zero, impossible inputs (negative,
# missing, a count above its denominator, a denominator of 0).
_COUNTS = np.array([0.0, 1.0, 4.0, 9.0, 10.0, 50.0, 389.0, 120.0, -1.0, np.nan, 7.0])
_DENOMINATORS = np.array([100.0, 29.0, 1_000.0, 100_000.0, 10.0, 100.0, 1_000.0, 100.0, 10.0, 10.0, 0.0])


@pytest.mark.parametrize("unit", ["percent", "count", "rate_per_1000", "rate_per_10000",
                                  "rate_per_100000", "days"])
def test_limits_at_levels_are_limits_for_unit_at_each_level_to_the_bit(unit):
    levels = intervals.CONFIDENCE_LEVELS
    for (lo, up), level in zip(intervals.limits_at_levels(unit, _COUNTS, _DENOMINATORS, levels), levels,
                               strict=True):
        expected_lo, expected_up = intervals.limits_for_unit(unit, _COUNTS, _DENOMINATORS, level)
        assert np.array_equal(lo, expected_lo, equal_nan=True)
        assert np.array_equal(up, expected_up, equal_nan=True)


@pytest.mark.parametrize(("function", "args"), [
    (intervals.wilson, (_COUNTS, _DENOMINATORS)),
    (intervals.byars, (_COUNTS,)),
    (intervals.poisson_limits, (_COUNTS,)),
])
def test_limits_of_a_whole_array_are_those_of_each_value_alone(function, args):
    # the array functions work in place on fresh arrays; one value at a time takes the scalar path
    lo, up = function(*args, 0.998)
    for i in range(len(_COUNTS)):
        one_lo, one_up = function(*(a[i] for a in args), 0.998)
        assert np.array_equal(lo[i], one_lo, equal_nan=True) and np.array_equal(up[i], one_up, equal_nan=True)


# Critical values of the chi-squared distribution as the NIST/SEMATECH e-Handbook of
# Statistical Methods tabulates them (section 1.3.6.7.4, "Critical Values of the Chi-Square
# Distribution": upper-tail 0.05 and 0.025, lower-tail 0.025), and the 99.8% value on one degree
# of freedom the trend test uses (3.0902323 squared).
@pytest.mark.parametrize(("p", "df", "quantile"), [
    (0.95, 1, 3.841), (0.975, 1, 5.024), (0.95, 10, 18.307), (0.975, 10, 20.483),
    (0.025, 10, 3.247), (0.95, 100, 124.342), (0.998, 1, 9.5495),
])
def test_chi2_ppf_matches_the_published_critical_values(p, df, quantile):
    assert intervals.chi2_ppf(p, df) == pytest.approx(quantile, abs=0.0005)


def test_the_domain_does_not_import_scipy_stats():
    """scipy.stats costs every app process about 46 MB of memory (issue 17 item 5): the
    interval and trend methods use scipy.special only."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, performance.benchmark_rating, performance.rag, performance.overview, "
            "performance.exports, performance.benchmark_figures; print('scipy.stats' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
