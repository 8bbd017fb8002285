"""The one rule for which figures can be (performance.values): units' bounds, plausible ranges,
and what a spreadsheet cell holds instead of a number."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from performance.values import (
    MAX_MAGNITUDE,
    cell_number,
    check_plausible_range,
    check_value,
    unit_range,
    unit_words,
)


@pytest.mark.parametrize(("value", "unit", "words"), [
    (math.nan, "percent", "is not a number (NaN)"),
    (math.inf, "rate_per_1000", "is infinite"),
    (-math.inf, "score", "is infinite"),
    (106.5, "percent", "106.5 is not a percentage between 0 and 100"),
    (-0.1, "percent", "not a percentage between 0 and 100"),
    (-5, "rate_per_100000", "-5 is negative; a rate per 100,000 cannot be"),
    (-3, "count", "-3 is negative; a count cannot be"),
    (-1, "days", "negative"),
    (-1, "level", "negative"),
    (-0.5, "ratio", "negative"),
    (-0.1, "tonnes_per_capita", "negative"),
    (1_000.5, "rate_per_1000", "more than a rate per 1,000 can be (at most 1,000)"),
    (1.7e308, "rate_per_1000", "beyond any plausible rate per 1,000"),
    (2e9, "count", "beyond any plausible count"),
    (-2e9, "score", "beyond any plausible score"),
    (-100.5, "percentage_points", "below -100, the lowest a percentage points can be"),
    (True, "count", "is not a number"),
])
def test_check_value_refuses_what_a_unit_cannot_hold(value, unit, words):
    verdict = check_value(value, unit)
    assert verdict.error is not None and words in verdict.error
    assert verdict.warning is None


@pytest.mark.parametrize(("value", "unit"), [
    (0, "percent"), (100, "percent"), (6.55, "percent"), (0, "count"), (892, "count"),
    (1_960, "rate_per_100000"), (100_000, "rate_per_100000"), (-7.5, "percentage_points"),
    (-12.0, "score"), (0.96, "ratio"), (4, "level"), (48, "days"), (5.3, "tonnes_per_capita"),
    (1e9, "count"), (3.0, "a unit of another framework"),
])
def test_check_value_accepts_figures_the_unit_allows(value, unit):
    assert check_value(value, unit) == check_value(value, unit).__class__()


@pytest.mark.parametrize(("value", "unit", "accepted"), [
    (-7.5, "percent", True),  # NI 151's gap to Great Britain, line 247
    (-0.5, "percent", True),  # NI 152's gap to England, line 248
    (-100, "percent", True), (-100.5, "percent", False), (-150, "rate_per_100000", True),
    (-1_000, "rate_per_1000", True), (-1_000.5, "rate_per_1000", False), (math.inf, "count", False),
])
def test_check_value_of_a_gap_allows_a_difference_either_way(value, unit, accepted):
    assert (check_value(value, unit, difference=True).error is None) is accepted


@pytest.mark.parametrize(("value", "low", "high", "warned"), [
    (25, 3, 12, True), (2.9, 3, 12, True), (3, 3, 12, False), (12, 3, 12, False),
    (25, None, 12, True), (1, 3, None, True), (25, math.nan, math.nan, False), (25, None, None, False),
])
def test_check_value_outside_the_plausible_range_warns_and_never_refuses(value, low, high, warned):
    verdict = check_value(value, "percent", plausible_min=low, plausible_max=high)
    assert verdict.error is None
    assert (verdict.warning is not None) is warned
    if warned:
        assert "outside the plausible range the register gives" in verdict.warning


def test_check_value_refusal_wins_over_the_plausible_range():
    verdict = check_value(-5, "count", plausible_min=0, plausible_max=10)
    assert verdict.error and verdict.warning is None


@pytest.mark.parametrize(("unit", "low", "high", "problems"), [
    ("percent", 3, 12, []),
    ("percent", None, 12, []),
    ("percent", 12, 3, [("plausible_max", "3 is below plausible_min 12")]),
    ("percent", -1, 12, [("plausible_min", "not a percentage between 0 and 100")]),
    ("count", 0, math.inf, [("plausible_max", "is infinite")]),
    ("rate_per_1000", 0, 5_000, [("plausible_max", "more than a rate per 1,000 can be")]),
])
def test_check_plausible_range_needs_bounds_the_unit_allows_in_order(unit, low, high, problems):
    found = check_plausible_range(unit, low, high)
    assert [c for c, _ in found] == [c for c, _ in problems]
    for (_, message), (_, words) in zip(found, problems, strict=True):
        assert words in message


@pytest.mark.parametrize(("raw", "number", "words"), [
    (None, math.nan, None), ("  ", math.nan, None), (6.5, 6.5, None), (41, 41.0, None),
    ("six", math.nan, "'six' is text where a number is required"),
    ("6.5%", math.nan, "type 6.5 as a number"),
    (True, math.nan, "TRUE/FALSE"),
    (dt.datetime(2009, 10, 1), math.nan, "is a date or time (01 October 2009) where a number is required"),
    (dt.date(2010, 3, 31), math.nan, "is a date or time (31 March 2010)"),
    (dt.time(6, 30), math.nan, "is a date or time (06:30:00)"),
])
def test_cell_number_says_what_a_cell_holds_instead_of_a_number(raw, number, words):
    value, problem = cell_number(raw)
    assert (math.isnan(value) and math.isnan(number)) or value == number
    assert problem == words if words is None else words in problem


@pytest.mark.parametrize(("unit", "words"), [
    ("rate_per_100000", "rate per 100,000"), ("percent", "percent"),
    ("tonnes_per_capita", "tonnes per capita"),
])
def test_unit_words_reads_a_code_as_words(unit, words):
    assert unit_words(unit) == words


def test_unit_range_of_a_unit_not_listed_is_the_largest_magnitude():
    assert unit_range("unknown") == (-MAX_MAGNITUDE, MAX_MAGNITUDE)
    assert unit_range("percent", difference=True) == (-100.0, 100.0)
