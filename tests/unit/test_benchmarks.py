"""Comparison with a benchmark and recent trend: the Fingertips rules, both polarities."""

from __future__ import annotations

import numpy as np
import pytest

from performance import benchmarks as b
from performance.vocabulary import COMPARISON_LABELS, TREND_LABELS

HIGHER_IS_BETTER, LOWER_IS_BETTER, NOT_APPLICABLE = 1, -1, 0


# Area interval 40.38 to 59.62 (50 of 100, Wilson 95%).
@pytest.mark.parametrize(("benchmark", "sign", "expected"), [
    (35.0, HIGHER_IS_BETTER, "better"),
    (35.0, LOWER_IS_BETTER, "worse"),
    (35.0, NOT_APPLICABLE, "higher"),
    (65.0, HIGHER_IS_BETTER, "worse"),
    (65.0, LOWER_IS_BETTER, "better"),
    (65.0, NOT_APPLICABLE, "lower"),
    (50.0, HIGHER_IS_BETTER, "similar"),
    (50.0, LOWER_IS_BETTER, "similar"),
    (50.0, NOT_APPLICABLE, "similar"),
    (40.38, HIGHER_IS_BETTER, "similar"),  # on the limit: inside
    (np.nan, HIGHER_IS_BETTER, "not_compared"),
])
def test_compare_follows_polarity(benchmark, sign, expected):
    code = b.compare(40.38, 59.62, benchmark, sign)
    assert b.COMPARISONS[int(code)] == expected


def test_compare_without_an_interval_is_not_compared_and_says_why():
    codes = b.compare([np.nan, 40.0, np.nan], [np.nan, 60.0, np.nan], [50.0, np.nan, np.nan], 1)
    assert [b.COMPARISONS[c] for c in codes] == ["not_compared"] * 3
    reasons = b.comparison_reason([np.nan, 40.0, np.nan], [np.nan, 60.0, np.nan], [50.0, np.nan, np.nan])
    assert reasons[0].startswith("no confidence interval")
    assert reasons[1] == "no benchmark value for this period or before"
    assert reasons[2] == "no confidence interval and no benchmark value"
    assert b.comparison_reason(40, 60, 50)[()] == ""


def test_every_comparison_and_trend_has_a_label():
    assert set(COMPARISON_LABELS) == set(b.COMPARISONS)
    assert set(TREND_LABELS) == set(b.TRENDS)


@pytest.mark.parametrize(("period", "value", "used"), [
    (5, np.nan, -1),   # before the first benchmark value
    (10, 74.3, 0),     # the same period
    (15, 74.3, 0),     # a later period takes the latest before it
    (20, 75.0, 1),
    (99, 75.0, 1),
])
def test_latest_at_or_before_takes_the_latest_benchmark_value_and_says_which(period, value, used):
    values, idx = b.latest_at_or_before([period], [10, 20], [74.3, 75.0])
    assert (np.isnan(values[0]) and np.isnan(value)) or values[0] == value
    assert idx[0] == used


# Chi-squared test for trend in proportions, two published worked examples:
# - Dalgaard, Introductory Statistics with R (2008), section 7.3: caesarean section by mother's
#   shoe size (Altman 1991), prop.trend.test gives "X-squared = 8.0237, df = 1";
# - Rosner, Fundamentals of Biostatistics, breast cancer by age at first birth (5 groups),
#   "A = 567.16" (the numerator of the test).
def test_trend_statistic_for_proportions_matches_prop_trend_test():
    yes = np.array([5, 7, 6, 7, 8, 10])
    no = np.array([17, 28, 36, 41, 46, 140])
    slope, statistic = b.trend_statistic_proportions(yes, yes + no)
    assert float(statistic[0]) == pytest.approx(8.0237, abs=1e-4)
    assert slope[0] < 0  # fewer caesareans with larger shoe sizes


def test_trend_numerator_matches_rosners_worked_example():
    slope, _ = b.trend_statistic_proportions([320, 1206, 1011, 463, 220], [1742, 5638, 3904, 1555, 626])
    assert float(slope[0]) == pytest.approx(567.16, abs=0.01)


def test_trend_statistic_weighted_has_the_gradient_of_a_straight_line():
    # equal weights, values 10, 12, 14, 16, 18: gradient 2 per point
    values = np.array([10.0, 12.0, 14.0, 16.0, 18.0])
    beta, statistic = b.trend_statistic_weighted(values, values - 1.0, values + 1.0)
    assert float(beta[0]) == pytest.approx(2.0)
    se = 2.0 / (2 * 1.959964)
    sxx = ((np.arange(1, 6) - 3) ** 2).sum() / se**2
    assert float(statistic[0]) == pytest.approx(4.0 * sxx, rel=1e-5)


@pytest.mark.parametrize(("direction", "statistic", "sign", "expected"), [
    (1.0, 20.0, HIGHER_IS_BETTER, "increasing_better"),
    (1.0, 20.0, LOWER_IS_BETTER, "increasing_worse"),
    (1.0, 20.0, NOT_APPLICABLE, "increasing"),
    (-1.0, 20.0, HIGHER_IS_BETTER, "decreasing_worse"),
    (-1.0, 20.0, LOWER_IS_BETTER, "decreasing_better"),
    (-1.0, 20.0, NOT_APPLICABLE, "decreasing"),
    (1.0, 9.5, HIGHER_IS_BETTER, "no_significant_change"),   # below 9.5495 (99.8%)
    (-1.0, 9.55, LOWER_IS_BETTER, "decreasing_better"),      # just above it
    (1.0, np.nan, HIGHER_IS_BETTER, "cannot_be_calculated"),
])
def test_trend_labels_follow_polarity_at_99_8_percent(direction, statistic, sign, expected):
    code = b.trend(direction, statistic, sign, True)
    assert b.TRENDS[int(code)] == expected


def test_trend_critical_value_is_chi_squared_at_99_8_percent():
    critical = b.TREND_CRITICAL
    assert critical == pytest.approx(3.090232**2, rel=1e-6)


def test_trend_of_an_unusable_series_cannot_be_calculated():
    assert b.TRENDS[int(b.trend(1.0, 50.0, 1, False))] == "cannot_be_calculated"
