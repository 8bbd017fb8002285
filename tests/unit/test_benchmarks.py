"""Comparison with a benchmark and recent trend: the Fingertips rules, both polarities."""

from __future__ import annotations

import numpy as np
import pytest

from performance import benchmarks as b
from performance.intervals import z_value
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


@pytest.mark.parametrize(("polarity", "lower", "upper", "benchmark", "expected"), [
    (np.nan, 40.0, 60.0, 35.0, "higher"),    # no polarity: plain higher / lower
    (2.5, 40.0, 60.0, 35.0, "better"),       # any positive sign: higher is better
    (-0.5, 40.0, 60.0, 65.0, "better"),
    (1, 60.0, 40.0, 50.0, "worse"),          # limits the wrong way round: above the upper wins
    (1, 40.0, 60.0, 60.0, "similar"),        # on the upper limit: inside
    (0, 40.0, np.nan, 50.0, "not_compared"),
])
def test_compare_decides_every_case_as_its_rules_say(polarity, lower, upper, benchmark, expected):
    assert b.COMPARISONS[int(b.compare(lower, upper, benchmark, polarity))] == expected
    codes = b.compare(np.full(3, lower), np.full(3, upper), np.full(3, benchmark), np.int8(1) if polarity == 1
                      else polarity)
    assert codes.dtype == np.int8 and [b.COMPARISONS[c] for c in codes] == [expected] * 3


def _series_grid(seed: int) -> tuple[np.ndarray, ...]:
    """Eight points per row: counts out of 100 or 1,000, values with 95% limits, some missing."""
    rng = np.random.default_rng(seed)
    denominator = rng.choice([100.0, 1_000.0], (40, 8))
    count = np.floor(rng.random((40, 8)) * denominator)
    value = rng.normal(50.0, 10.0, (40, 8))
    lower, upper = value - rng.random((40, 8)) * 5.0, value + rng.random((40, 8)) * 5.0
    lower[rng.random((40, 8)) < 0.05] = np.nan
    return count, denominator, value, lower, upper


def _textbook_proportions(x, n):
    """The chi-squared test for trend in proportions written out with NumPy's row sums."""
    t = np.arange(1, x.shape[1] + 1, dtype=float)
    total_n = n.sum(axis=1)
    p = x.sum(axis=1) / total_n
    nt = (n * t).sum(axis=1)
    slope = (x * t).sum(axis=1) - x.sum(axis=1) * nt / total_n
    variance = p * (1.0 - p) * ((n * t * t).sum(axis=1) - nt * nt / total_n)
    return slope, slope * slope / variance


def _textbook_weighted(y, lo, up):
    """Weighted least squares with weights from the 95% limits, written out with row sums."""
    t = np.arange(1, y.shape[1] + 1, dtype=float)
    with np.errstate(invalid="ignore"):
        se = (up - lo) / (2.0 * z_value(0.95))
        w = 1.0 / (se * se)
        sw = w.sum(axis=1)
        t_bar = (w * t).sum(axis=1) / sw
        y_bar = (w * y).sum(axis=1) / sw
        sxx = (w * (t - t_bar[:, None]) ** 2).sum(axis=1)
        beta = (w * (t - t_bar[:, None]) * (y - y_bar[:, None])).sum(axis=1) / sxx
    return beta, beta * beta * sxx


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_trend_statistics_of_every_window_are_the_textbook_sums_to_the_bit(seed):
    count, denominator, value, lower, upper = _series_grid(seed)
    k = b.TREND_POINTS
    slope, chi = b.trend_statistic_proportions(count, denominator, k)
    beta, statistic = b.trend_statistic_weighted(value, lower, upper, k)
    assert slope.shape == beta.shape == (40, 8 - k + 1)
    for start in range(8 - k + 1):
        window = slice(start, start + k)
        expected = _textbook_proportions(count[:, window], denominator[:, window])
        assert np.array_equal(expected[0], slope[:, start]) and np.array_equal(expected[1], chi[:, start])
        expected = _textbook_weighted(value[:, window], lower[:, window], upper[:, window])
        assert np.array_equal(expected[0], beta[:, start], equal_nan=True)
        assert np.array_equal(expected[1], statistic[:, start], equal_nan=True)
    # one series per row (no window) is the same test
    whole = b.trend_statistic_weighted(value[:, :k], lower[:, :k], upper[:, :k])
    assert np.array_equal(whole[1], statistic[:, 0], equal_nan=True)
