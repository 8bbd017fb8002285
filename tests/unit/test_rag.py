"""The RAG rules on single values: table-driven, with Luton examples.

Sources: the LAA table in ``001_7c62a6d3c6b93d0e.txt`` (about lines 270-380) and NEET 6.55%
rated green against 6.5% (line 576).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from performance.rag import (
    BASELINE_AND_TARGET,
    GAP,
    LEVEL,
    SNAPSHOT,
    format_value,
    rate_arrays,
    rate_value,
    status_names,
)
from performance.vocabulary import STATUSES

LOWER, HIGHER, NA = "lower_is_better", "higher_is_better", "not_applicable"


def case(name, value, target, baseline, polarity, expected, **rules):
    """One row of the table: rate_value(value, target, baseline, polarity, **rules) == expected."""
    kwargs = dict(value=value, target=target, baseline=baseline, polarity=polarity, **rules)
    return pytest.param(kwargs, expected, id=name)


TWT = {"scheme": "target_with_tolerance"}
LEVEL_RULES = {"measure": "level"}
GAP_RULES = {"measure": "gap_to_comparator"}

CASES = [
    # NEET NI 117: 6.55% against 6.5%, lower is better, 5% tolerance (001 line 576)
    case("ni117_neet_just_off_target_within_tolerance", 6.55, 6.5, 7.2, LOWER, "green"),
    case("ni117_beyond_tolerance_better_than_baseline", 7.0, 6.5, 7.2, LOWER, "amber"),
    case("ni117_worse_than_baseline", 7.3, 6.5, 7.2, LOWER, "red"),
    case("ni117_equal_to_baseline_beyond_tolerance", 7.2, 6.5, 7.2, LOWER, "red"),
    case("ni117_exactly_on_tolerance_edge", 6.825, 6.5, 7.2, LOWER, "green"),
    case("ni117_just_outside_tolerance", 6.83, 6.5, 7.2, LOWER, "amber"),
    # NI 039 alcohol admissions: the target 2,165 lies on the worse side of the baseline 1,513
    case("ni039_meets_target_worse_than_baseline", 1600, 2165, 1513, LOWER, "green"),
    case("ni039_within_tolerance_of_target", 2250, 2165, 1513, LOWER, "green"),
    case("ni039_beyond_tolerance_worse_than_baseline", 2300, 2165, 1513, LOWER, "red"),
    # higher is better (NI 063 placement stability 65% from 60.9%)
    case("higher_exactly_on_target", 65.0, 65.0, 60.9, HIGHER, "green"),
    case("higher_better_than_target", 70.0, 65.0, 60.9, HIGHER, "green"),
    case("higher_exactly_on_tolerance_edge", 95.0, 100.0, 90.0, HIGHER, "green"),
    case("higher_just_outside_tolerance", 94.99, 100.0, 90.0, HIGHER, "amber"),
    case("higher_equal_to_baseline", 90.0, 100.0, 90.0, HIGHER, "red"),
    case("lower_exactly_on_target", 6.5, 6.5, 7.2, LOWER, "green"),
    case("equal_to_baseline_meeting_target", 50.0, 50.0, 50.0, HIGHER, "green"),
    case("equal_to_baseline_within_tolerance", 48.0, 50.0, 48.0, HIGHER, "green"),
    # no baseline: amber within twice the tolerance, red beyond
    case("no_baseline_within_twice_tolerance", 92.0, 100.0, None, HIGHER, "amber"),
    case("no_baseline_on_twice_tolerance", 90.0, 100.0, None, HIGHER, "amber"),
    case("no_baseline_beyond_twice_tolerance", 89.0, 100.0, None, HIGHER, "red"),
    case("no_baseline_lower_beyond_twice", 7.2, 6.5, None, LOWER, "red"),
    case("custom_tolerance_pct_widens_green", 92.0, 100.0, 90.0, HIGHER, "green", tolerance_pct=10),
    # tolerance in unit points instead of a percentage
    case("zero_target_with_points_inside", 0.4, 0.0, None, LOWER, "green", tolerance_points=0.5),
    case("zero_target_with_points_within_twice", 0.8, 0.0, None, LOWER, "amber", tolerance_points=0.5),
    case("zero_target_with_points_beyond", 1.2, 0.0, None, LOWER, "red", tolerance_points=0.5),
    case("points_replace_percentage", 6.9, 6.5, 7.2, LOWER, "green", tolerance_points=0.5),
    # the NI 093/094 "0" placeholder for 2008 (001 lines 370-371)
    case("ni093_placeholder_zero_target", 85.0, 0.0, 81.3, HIGHER, "no_target"),
    case("zero_target_made_real_by_zero_baseline", 0.0, 0.0, 0.0, LOWER, "green"),
    case("zero_target_without_baseline_is_placeholder", 0.0, 0.0, None, LOWER, "no_target"),
    # grey statuses
    case("polarity_not_applicable", 5.0, 6.5, 7.2, NA, "no_target"),
    case("no_value", None, 6.5, 7.2, LOWER, "no_data"),
    case("nan_value", math.nan, 6.5, 7.2, LOWER, "no_data"),
    case("no_target_value", 6.0, None, 7.2, LOWER, "no_target"),
    # target_with_tolerance: amber is within tolerance, whatever the baseline
    case("twt_on_target", 6.5, 6.5, 7.2, LOWER, "green", **TWT),
    case("twt_within_tolerance", 6.55, 6.5, 7.2, LOWER, "amber", **TWT),
    case("twt_beyond_tolerance_better_than_baseline", 7.0, 6.5, 7.2, LOWER, "red", **TWT),
    # NI 188 adapting to climate change: levels 0-4, baseline Level 0 (001 line 359)
    case("ni188_level_reached", 3, 3, 0, HIGHER, "green", **LEVEL_RULES),
    case("ni188_level_exceeded", 4, 3, 0, HIGHER, "green", **LEVEL_RULES),
    case("ni188_one_level_short_above_baseline", 2, 3, 0, HIGHER, "amber", **LEVEL_RULES),
    case("ni188_one_level_short_at_baseline", 2, 3, 2, HIGHER, "red", **LEVEL_RULES),
    case("ni188_two_levels_short", 1, 3, 0, HIGHER, "red", **LEVEL_RULES),
    case("ni188_one_level_short_no_baseline", 1, 2, None, HIGHER, "amber", **LEVEL_RULES),
    case("ni188_level_ignores_percentage_tolerance", 3.9, 4, 0, HIGHER, "amber", **LEVEL_RULES,
         tolerance_pct=50),
    # gaps to a comparator area are written so that a higher gap is better
    case("ni151_gap_to_gb_just_beyond_tolerance", -7.9, -7.5, None, HIGHER, "amber", **GAP_RULES),
    case("ni151_gap_narrower_than_target", -7.0, -7.5, None, HIGHER, "green", **GAP_RULES),
    case("ni152_gap_to_england_far_off", -1.7, -0.5, None, LOWER, "red", **GAP_RULES),
    case("ni152_gap_met_whatever_polarity", -0.4, -0.5, None, LOWER, "green", **GAP_RULES),
    case("gap_parity_target_is_real", 0.2, 0.0, None, HIGHER, "green", **GAP_RULES),
]


@pytest.mark.parametrize(("kwargs", "expected"), CASES)
def test_rate_value_gives_expected_status(kwargs, expected):
    assert rate_value(**kwargs) == expected


@pytest.mark.parametrize(("kwargs", "expected"), CASES)
def test_rate_arrays_agrees_with_rate_value(kwargs, expected):
    sign = {HIGHER: 1, LOWER: -1, NA: 0}[kwargs["polarity"]]
    measure = {"level": LEVEL, "gap_to_comparator": GAP}.get(kwargs.get("measure"), SNAPSHOT)
    scheme = 1 if kwargs.get("scheme") == "target_with_tolerance" else BASELINE_AND_TARGET
    as_float = [math.nan if kwargs.get(k) is None else kwargs[k] for k in ("value", "target", "baseline")]
    points = kwargs.get("tolerance_points")
    # the case inside a batch of other values: the vectorised path must not mix rows up
    batch = [np.array([1.0, v, 2.0]) for v in as_float]
    codes = rate_arrays(
        *batch, np.array([1, sign, -1]), kwargs.get("tolerance_pct", 5.0),
        math.nan if points is None else points, scheme, measure,
    )
    assert status_names(codes)[1] == expected


@pytest.mark.parametrize(
    ("due", "has_target", "value", "expected"),
    [
        (False, True, 6.0, "not_due"),
        (False, False, math.nan, "not_due"),
        (True, False, 6.0, "no_target"),
        (True, False, math.nan, "no_target"),
        (True, True, math.nan, "no_data"),
        (True, True, 6.0, "green"),
    ],
)
def test_rate_arrays_grey_statuses_take_precedence_in_order(due, has_target, value, expected):
    codes = rate_arrays(value, 6.5, 7.2, -1, due=due, has_target=has_target)
    assert status_names(codes).item() == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(polarity="sideways"), "polarity"),
        (dict(polarity=LOWER, scheme="traffic_lights"), "RAG scheme"),
        (dict(polarity=LOWER, measure="average"), "measure"),
    ],
)
def test_rate_value_rejects_unknown_names(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rate_value(6.55, 6.5, 7.2, **kwargs)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (7.0, "percent", "7.0%"),
        (6.55, "percent", "6.55%"),
        (72.5, "percent", "72.5%"),
        (1600.0, "count", "1,600"),
        (2165.0, "count", "2,165"),
        (236.25, "count", "236.25"),
        (1957.0, "rate_per_100000", "1,957 per 100,000"),
        (0.7, "rate_per_1000", "0.7 per 1,000"),
        (42.0, "days", "42 days"),
        (5.1, "tonnes_per_capita", "5.1 tonnes per head"),
        (3.0, "level", "Level 3"),
        (-7.5, "percentage_points", "-7.5 percentage points"),
        (math.nan, "percent", "no value"),
    ],
)
def test_format_value_writes_the_unit(value, unit, expected):
    assert format_value(value, unit) == expected


def test_rate_arrays_rates_a_million_values_with_one_status_each():
    # Speed is measured by the benchmark (bench/), never asserted here.
    rng = np.random.default_rng(0)
    n = 1_000_000
    args = (rng.normal(10, 2, n), rng.normal(10, 2, n), rng.normal(10, 2, n), rng.choice([1, -1, 0], n))
    codes = rate_arrays(*args, 5.0, np.nan, BASELINE_AND_TARGET, rng.integers(0, 5, n))
    assert len(codes) == n
    assert set(np.unique(codes)) <= set(range(len(STATUSES)))
