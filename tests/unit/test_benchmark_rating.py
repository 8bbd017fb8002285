"""Benchmark columns joined to a rated frame: intervals, comparison, benchmark period, trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_loaders.workbook import DEFAULT_REGISTER_PATH, read_register
from performance import rag
from performance.benchmark_rating import BENCHMARK_COLUMNS, red_red, with_benchmarks, with_labels

FW = "Luton LAA 2008-11"
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2008, 2009, 2010) for q in (1, 2, 3, 4)]


def _rated(periods, unit="percent", polarity="higher_is_better", measure="snapshot",
           frequency="quarterly", status="green", code="NI 117"):
    return pd.DataFrame({"framework": FW, "code": code, "part": "", "period": periods, "unit": unit,
                         "polarity": polarity, "measure": measure, "frequency": frequency,
                         "status": status})


def _series(periods, numerator, denominator, code="NI 117", value=None):
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.broadcast_to(np.asarray(denominator, dtype=float), numerator.shape)
    value = numerator / denominator * 100 if value is None else value
    return pd.DataFrame({"framework": FW, "code": code, "part": "", "period": periods, "value": value,
                         "numerator": numerator, "denominator": denominator})


def _benchmarks(period, value, code="NI 117", area="England"):
    return pd.DataFrame({"framework": [FW], "code": [code], "part": [""], "area": [area],
                         "period": [period], "value": [value]})


# 50 of 100: Wilson 95% 40.38 to 59.62; at 99.8% 35.24 to 64.76.
@pytest.mark.parametrize(("polarity", "benchmark", "expected", "expected_998"), [
    ("higher_is_better", 36.0, "better", "similar"),
    ("lower_is_better", 36.0, "worse", "similar"),
    ("not_applicable", 36.0, "higher", "similar"),
    ("higher_is_better", 70.0, "worse", "worse"),
    ("lower_is_better", 70.0, "better", "better"),
    ("higher_is_better", 50.0, "similar", "similar"),
])
def test_comparison_uses_the_wilson_interval_of_the_count_and_polarity(polarity, benchmark, expected,
                                                                         expected_998):
    out = with_benchmarks(_rated(["2009/10 Q3"], polarity=polarity), "England",
                          _benchmarks("2009/10 Q3", benchmark), _series(["2009/10 Q3"], [50], 100))
    row = out.iloc[0]
    assert row["lower_95"] == pytest.approx(40.383, abs=1e-3)
    assert row["compared_with_benchmark"] == expected
    assert row["compared_with_benchmark_998"] == expected_998
    assert row["benchmark"] == "England" and row["benchmark_value"] == benchmark


def test_the_latest_benchmark_value_at_or_before_the_period_is_used_and_named():
    out = with_benchmarks(_rated(["2008/09 Q4", "2009/10 Q2"]), "England", _benchmarks("2008/09", 45.0),
                          _series(["2008/09 Q4", "2009/10 Q2"], [50, 50], 100))
    assert np.isnan(out.iloc[0]["benchmark_value"])  # 2008/09 (annual) comes after its Q4
    assert out.iloc[0]["comparison_reason"] == "no benchmark value for this period or before"
    assert out.iloc[1]["benchmark_value"] == 45.0
    assert out.iloc[1]["benchmark_period"] == "2008/09"


def test_a_running_total_is_compared_only_with_the_same_period():
    rated = _rated(["2009/10 Q1", "2009/10 Q2"], unit="rate_per_100000", polarity="lower_is_better",
                   measure="cumulative_in_year", code="NI 039")
    series = _series(["2009/10 Q1", "2009/10 Q2"], [400, 800], 100_000, code="NI 039",
                     value=[400.0, 800.0])
    out = with_benchmarks(rated, "England", _benchmarks("2009/10 Q1", 300.0, code="NI 039"), series)
    assert out.iloc[0]["compared_with_benchmark"] == "worse"  # 400 per 100,000 (361 to 441) above 300
    assert out.iloc[1]["compared_with_benchmark"] == "not_compared"
    assert "same period" in out.iloc[1]["comparison_reason"]


def test_without_counts_or_benchmark_the_row_is_not_compared_and_says_why():
    out = with_benchmarks(_rated(["2009/10 Q3"]), "England", _benchmarks("2009/10 Q3", 50.0), None)
    assert out.iloc[0]["compared_with_benchmark"] == "not_compared"
    assert out.iloc[0]["comparison_reason"].startswith("no confidence interval")
    assert list(out.columns[-len(BENCHMARK_COLUMNS):]) == BENCHMARK_COLUMNS


@pytest.mark.parametrize(("polarity", "numerators", "expected"), [
    ("higher_is_better", [400, 450, 500, 550, 600], "increasing_better"),
    ("lower_is_better", [400, 450, 500, 550, 600], "increasing_worse"),
    ("higher_is_better", [600, 550, 500, 450, 400], "decreasing_worse"),
    ("lower_is_better", [600, 550, 500, 450, 400], "decreasing_better"),
    ("not_applicable", [400, 450, 500, 550, 600], "increasing"),
    ("higher_is_better", [500, 502, 499, 501, 500], "no_significant_change"),
])
def test_recent_trend_of_a_quarterly_proportion_follows_polarity(polarity, numerators, expected):
    periods = QUARTERS[3:8]
    out = with_benchmarks(_rated([periods[-1]], polarity=polarity), "England", _benchmarks(periods[0], 1.0),
                          _series(periods, numerators, 1000))
    assert out.iloc[0]["trend"] == expected
    assert out.iloc[0]["trend_basis"] == "quarterly"
    assert out.iloc[0]["trend_reason"] == ""


def test_trend_needs_five_consecutive_points():
    periods = QUARTERS[0:3] + QUARTERS[4:6]  # Q4 2008/09 missing
    out = with_benchmarks(_rated([periods[-1]]), "England", _benchmarks(periods[0], 1.0),
                          _series(periods, [400, 450, 500, 550, 600], 1000))
    assert out.iloc[0]["trend"] == "cannot_be_calculated"
    assert out.iloc[0]["trend_reason"] == "fewer than five consecutive points"


def test_trend_of_a_year_to_date_measure_uses_annual_values_and_weighted_rates():
    years = ["2006/07", "2007/08", "2008/09", "2009/10", "2010/11"]
    rated = _rated(["2010/11 Q2", "2010/11"], unit="rate_per_100000", polarity="lower_is_better",
                   measure="cumulative_in_year", code="NI 039")
    counts = np.array([1000, 1200, 1400, 1600, 1800])
    series = _series(years, counts, 100_000, code="NI 039", value=counts.astype(float))
    out = with_benchmarks(rated, "England", _benchmarks("2010/11", 1.0, code="NI 039"), series)
    assert list(out["trend_basis"]) == ["annual", "annual"]
    assert out.iloc[1]["trend"] == "increasing_worse"
    # the latest annual point at or before 2010/11 Q2 is 2009/10: only four years up to it
    assert out.iloc[0]["trend"] == "cannot_be_calculated"
    assert out.iloc[0]["trend_reason"] == "fewer than five consecutive points"


def test_trend_of_a_unit_without_an_interval_method_cannot_be_calculated():
    periods = QUARTERS[3:8]
    out = with_benchmarks(_rated([periods[-1]], unit="days"), "England", _benchmarks(periods[0], 1.0),
                          _series(periods, [1, 2, 3, 4, 5], 10))
    assert out.iloc[0]["trend"] == "cannot_be_calculated"
    assert out.iloc[0]["trend_reason"] == "no confidence interval can be made for this unit"


def test_red_red_lists_red_rows_worse_than_benchmark_or_getting_worse():
    frame = pd.DataFrame({"status": ["red", "red", "red", "amber"],
                          "compared_with_benchmark": ["worse", "similar", "similar", "worse"],
                          "trend": ["no_significant_change", "decreasing_worse", "increasing_better",
                                    "increasing_worse"]})
    assert list(red_red(frame).index) == [0, 1]


def test_labels_are_the_clients_words():
    frame = pd.DataFrame({"compared_with_benchmark": ["similar"], "trend": ["increasing_better"]})
    labelled = with_labels(frame)
    assert labelled.iloc[0].tolist() == ["Similar to benchmark", "Increasing and getting better"]


def test_with_benchmarks_works_on_the_real_rated_register():
    register = read_register(DEFAULT_REGISTER_PATH)
    rated = rag.rate(register, periods=["2009/10 Q1"])
    values = register.returns[register.returns["area"] != "Luton"]  # England 12.3 and GB 74.3
    out = with_benchmarks(rated, "England", values, None)
    ni152 = out[out["code"] == "NI 152"].iloc[0]
    assert ni152["benchmark_value"] == 12.3 and ni152["benchmark_period"] == "2009/10 Q1"
    assert len(out) == len(rated)


@pytest.mark.parametrize("period", ["", "not a period"])
def test_a_row_without_a_period_takes_no_benchmark_value_count_or_trend(period):
    # the part has a benchmark value and five points: a row of no period must not take them
    periods = QUARTERS[3:8]
    out = with_benchmarks(_rated([periods[-1], period]), "England", _benchmarks(periods[0], 45.0),
                          _series(periods, [400, 450, 500, 550, 600], 1000))
    assert out.iloc[0]["benchmark_value"] == 45.0 and out.iloc[0]["trend"] == "increasing_better"
    row = out.iloc[1]
    assert np.isnan(row["benchmark_value"]) and pd.isna(row["benchmark_period"])
    assert np.isnan(row["count"]) and np.isnan(row["lower_95"])
    assert row["compared_with_benchmark"] == "not_compared"
    assert row["comparison_reason"] == "no confidence interval and no benchmark value"
    assert row["trend"] == "cannot_be_calculated" and row["trend_reason"] == "no values yet"


def _synthetic(n_parts: int):
    from bench.benchmarks_bench import _inputs
    from bench.data import synthetic_register

    register = synthetic_register(n_parts)
    return (rag.rate(register), *_inputs(register))


def test_one_period_as_the_app_asks_gives_the_rows_of_the_whole_frame():
    # 3,400 parts x 15 periods: the whole frame (51,000 rows) takes the worker threads, one
    # period (3,400 rows, every other period still among the categories) does not
    rated, series, england = _synthetic(3_400)
    whole = with_benchmarks(rated, "England", england, series)
    for period in ["2009/10 Q3", "2010/11"]:
        one = with_benchmarks(rated[rated["period"] == period], "England", england, series)
        pd.testing.assert_frame_equal(one, whole[whole["period"] == period], check_exact=True)
    assert set(whole["trend"]) > {"cannot_be_calculated", "no_significant_change"}
    assert set(whole["compared_with_benchmark"]) >= {"better", "similar", "worse", "not_compared"}


def _two_frameworks(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.assign(framework="Other")], ignore_index=True)


@pytest.mark.parametrize(("storage", "missing_part"), [("str", True), ("str", False), ("category", False)])
def test_key_texts_match_alike_however_they_are_stored(storage, missing_part):
    # two frameworks (no one-value shortcut: every row looked up); a missing part in the
    # returns reads as "" (the part of an indicator reported whole) in text columns
    periods = QUARTERS[3:8]
    rated = _two_frameworks(_rated(periods))
    series = _two_frameworks(_series(periods, [400, 450, 500, 550, 600], 1000))
    if missing_part:
        series["part"] = [None, "", None, "", None] * 2
    as_objects = {c: series[c].astype(object) for c in ("framework", "code", "part", "period")}
    expected = with_benchmarks(rated, "England", _benchmarks(periods[0], 45.0), series.assign(**as_objects))
    assert list(expected["count"]) == [400, 450, 500, 550, 600] * 2
    assert list(expected["trend"])[4::5] == ["increasing_better"] * 2
    stored = {c: s.astype(storage) for c, s in as_objects.items()}
    got = with_benchmarks(rated, "England", _benchmarks(periods[0], 45.0), series.assign(**stored))
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
