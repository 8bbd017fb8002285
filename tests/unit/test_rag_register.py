"""Rating a whole register: periods, target versions, measures, parts, directions, forecasts.

Figures are Luton's LAA 2008-11 (2nd revision 2009-10), ``001_7c62a6d3c6b93d0e.txt`` lines
220-380, unless a test says otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from performance.periods import PeriodError
from performance.rag import FORECAST_BASES, indicator_status, latest_period_with_data, rate, status_severity
from performance.vocabulary import DIRECTIONS, MEASURES, STATUS_SEVERITY, STATUSES, TARGET_STATUSES

LOWER, HIGHER = "lower_is_better", "higher_is_better"
YEARS = ("2008/09", "2009/10", "2010/11")


def row(rated: pd.DataFrame, code: str, period: str, part: str = "") -> pd.Series:
    found = rated[(rated.code == code) & (rated.period == period) & (rated.part == part)]
    assert len(found) == 1, f"{code} {part} {period}: {len(found)} rows"
    return found.iloc[0]


def neet(build):
    """NI 117 NEET: baseline 7.2%, targets 6.9 / 6.5 / 6.2%, lower is better."""
    build.indicator("NI 117", polarity=LOWER, baseline=7.2, unit="percent")
    for year, value in zip(YEARS, (6.9, 6.5, 6.2), strict=True):
        build.target("NI 117", year, value)
    return build


# --- one row per part and period ----------------------------------------------------------


def test_rate_without_periods_covers_every_quarter_and_year_of_the_framework(build):
    rated = rate(neet(build).register())
    assert list(rated.period) == [
        f"{y} Q{q}" if q else y for y in YEARS for q in (1, 2, 3, 4, None)
    ]
    assert rated.period_order.is_monotonic_increasing


def test_rate_with_periods_rates_only_those_periods(build):
    rated = rate(neet(build).register(), ["2009/10 Q3", "2009/10"])
    assert list(rated.period) == ["2009/10 Q3", "2009/10"]


def test_rate_accepts_one_period_as_a_string(build):
    assert list(rate(neet(build).register(), "2009/10 Q3").period) == ["2009/10 Q3"]


def test_rate_rejects_a_period_not_written_the_partnership_way(build):
    with pytest.raises(PeriodError, match="2009-10 Q3"):
        rate(neet(build).register(), ["2009-10 Q3"])


def test_rate_skips_periods_outside_the_framework(build):
    rated = rate(neet(build).register(), ["2007/08 Q1", "2011/12", "2009/10 Q1"])
    assert list(rated.period) == ["2009/10 Q1"]


def test_rate_of_an_empty_register_is_an_empty_frame(build):
    rated = rate(build.register())
    assert rated.empty
    assert {"status", "direction", "forecast_status"} <= set(rated.columns)


def test_rate_neet_q3_at_6_55_is_green_and_provisional(build):
    reg = neet(build).ret("NI 117", "2009/10 Q3", 6.55, provisional=True, commentary="unconfirmed").register()
    r = row(rate(reg), "NI 117", "2009/10 Q3")
    assert (r.status, r.value, r.target, r.baseline_used) == ("green", 6.55, 6.5, 7.2)
    assert r.provisional and r.commentary == "unconfirmed"


def test_rate_other_areas_are_not_rated(build):
    reg = neet(build).ret("NI 117", "2009/10 Q3", 9.9, area="Bedford").register()
    assert row(rate(reg), "NI 117", "2009/10 Q3").status == "no_data"


def test_rate_own_area_comes_from_settings(build):
    reg = neet(build).ret("NI 117", "2009/10 Q3", 6.4, area="Luton UA").setting("own_area", "Luton UA")
    reg.frameworks[0]["own_area"] = ""
    assert row(rate(reg.register()), "NI 117", "2009/10 Q3").status == "green"


def test_rate_returns_without_framework_are_matched_by_code(build):
    reg = neet(build).ret("NI 117", "2009/10 Q3", 6.55, framework="").register()
    assert row(rate(reg), "NI 117", "2009/10 Q3").status == "green"


# --- due or not ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "period", "expected"),
    [
        ("quarterly", "2009/10 Q2", "no_data"),
        ("quarterly", "2009/10", "not_due"),  # an annual outturn is optional for a quarterly one
        ("annual", "2009/10 Q2", "not_due"),
        ("annual", "2009/10", "no_data"),
        ("biennial_survey", "2009/10 Q2", "not_due"),
        ("biennial_survey", "2009/10", "no_data"),
    ],
)
def test_rate_due_follows_frequency(build, frequency, period, expected):
    build.indicator("NI 039", frequency=frequency, polarity=LOWER, unit="rate_per_100000", baseline=1513)
    build.target("NI 039", "2009/10", 2165)
    assert row(rate(build.register()), "NI 039", period).status == expected


def test_rate_annual_indicator_quarter_is_not_due_even_with_a_value(build):
    build.indicator("NI 039", frequency="annual", polarity=LOWER, unit="rate_per_100000", baseline=1513)
    build.target("NI 039", "2009/10", 2165).ret("NI 039", "2009/10 Q2", 1600).ret("NI 039", "2009/10", 1600)
    rated = rate(build.register())
    assert row(rated, "NI 039", "2009/10 Q2").status == "not_due"
    assert row(rated, "NI 039", "2009/10").status == "green"  # meets a target above the baseline


def test_rate_quarterly_indicator_annual_outturn_is_rated_when_recorded(build):
    reg = neet(build).ret("NI 117", "2009/10", 7.0).register()
    assert row(rate(reg), "NI 117", "2009/10").status == "amber"


def test_rate_no_survey_year_is_not_due(build):
    # NI 001 cohesion: Place Survey; 09/10 "No survey", 10/11 76.5% (001 line 279)
    build.indicator("NI 001", frequency="biennial_survey", baseline=72.5)
    build.target("NI 001", "2009/10", math.nan, status="no_survey", text="No survey")
    build.target("NI 001", "2010/11", 76.5)
    build.ret("NI 001", "2009/10", 74.0).ret("NI 001", "2010/11", 75.0)
    rated = rate(build.register())
    assert row(rated, "NI 001", "2009/10").status == "not_due"
    assert row(rated, "NI 001", "2010/11").status == "green"


def test_rate_survey_years_limit_when_a_survey_is_due(build):
    build.indicator("NI 017", frequency="biennial_survey", polarity=LOWER, baseline=28.1,
                    survey_years="2008/09;2010/11")
    for year in YEARS:
        build.target("NI 017", year, 24.1)
    rated = rate(build.register())
    assert [row(rated, "NI 017", y).status for y in YEARS] == ["no_data", "not_due", "no_data"]


def test_rate_no_survey_applies_to_quarters_of_a_quarterly_indicator(build):
    build.indicator("NI 021", baseline=22.2).target("NI 021", "2009/10", math.nan, status="no_survey")
    assert row(rate(build.register()), "NI 021", "2009/10 Q1").status == "not_due"


# --- targets --------------------------------------------------------------------------------


def test_rate_uses_refreshed_target_instead_of_original(build):
    # NI 125: 09/10 original 95%, renegotiated 92% (001 line 257)
    build.indicator("NI 125", baseline=89.0)
    build.target("NI 125", "2009/10", 95.0)
    build.target("NI 125", "2009/10", 92.0, version="refreshed", effective_from="2010-03-12")
    build.ret("NI 125", "2009/10 Q3", 90.0)
    r = row(rate(build.register()), "NI 125", "2009/10 Q3")
    assert (r.target, r.original_target, r.target_version) == (92.0, 95.0, "refreshed")
    assert r.status == "green"  # 2.2% off 92; against 95 it would have been amber


def test_rate_latest_refreshed_target_wins(build):
    build.indicator("NI 125", baseline=89.0)
    build.target("NI 125", "2009/10", 95.0)
    build.target("NI 125", "2009/10", 93.0, version="refreshed", effective_from="2010-01-19")
    build.target("NI 125", "2009/10", 92.0, version="refreshed", effective_from="2010-03-12")
    assert row(rate(build.register()), "NI 125", "2009/10 Q1").target == 92.0


@pytest.mark.parametrize(
    ("status", "value"),
    [("to_be_confirmed", math.nan), ("not_applicable", math.nan), ("set", math.nan)],
)
def test_rate_target_without_a_number_is_no_target(build, status, value):
    # NI 007 third sector: "A measurable improvement ... to be confirmed" (001 line 280)
    build.indicator("NI 007", baseline=18.7)
    build.target("NI 007", "2009/10", value, status=status, text="A measurable improvement")
    build.ret("NI 007", "2009/10 Q1", 20.0)
    assert row(rate(build.register()), "NI 007", "2009/10 Q1").status == "no_target"


def test_rate_year_without_a_target_row_is_no_target(build):
    # NI 171 business registrations: a 10/11 target only (001 line 350)
    build.indicator("NI 171", unit="rate_per_10000", baseline=46.8).target("NI 171", "2010/11", 51.5)
    build.ret("NI 171", "2009/10 Q2", 49.6).ret("NI 171", "2010/11 Q2", 48.0)
    rated = rate(build.register())
    assert row(rated, "NI 171", "2009/10 Q2").status == "no_target"
    assert row(rated, "NI 171", "2010/11 Q2").status == "amber"


def test_rate_ni093_placeholder_zero_is_no_target(build):
    # NI 093 progression in English: 2008 "0", 2009 87.0 from 81.3% (001 line 370)
    build.indicator("NI 093", kind="statutory", frequency="annual", baseline=81.3)
    build.target("NI 093", "2008/09", 0.0).target("NI 093", "2009/10", 87.0)
    build.ret("NI 093", "2008/09", 80.0).ret("NI 093", "2009/10", 86.0)
    rated = rate(build.register())
    assert row(rated, "NI 093", "2008/09").status == "no_target"
    assert row(rated, "NI 093", "2009/10").status == "green"


def test_rate_removed_indicator_is_no_target_in_every_period(build):
    # NI 173 flows on to incapacity benefits, removed 19 November 2009 (001 line 441)
    build.indicator("NI 173", status="removed", polarity=LOWER, baseline=1.0)
    for year in YEARS:
        build.target("NI 173", year, 0.9)
    build.ret("NI 173", "2008/09 Q2", 0.8, forecast_year_end=0.8)
    rated = rate(build.register())
    assert set(rated.status) == {"no_target"}
    assert row(rated, "NI 173", "2008/09 Q2").forecast_status == "no_target"


def test_rate_not_applicable_polarity_is_no_target(build):
    build.indicator("NI 999", polarity="not_applicable").target("NI 999", "2009/10", 10)
    build.ret("NI 999", "2009/10 Q1", 10)
    assert row(rate(build.register()), "NI 999", "2009/10 Q1").status == "no_target"


# --- schemes and settings -------------------------------------------------------------------


def test_rate_settings_scheme_and_indicator_override(build):
    neet(build).setting("rag_scheme", "target_with_tolerance")
    build.indicator("NI 056", polarity=LOWER, baseline=21.1, rag_scheme="baseline_and_target")
    build.target("NI 056", "2009/10", 22.0)
    build.ret("NI 117", "2009/10 Q3", 6.55).ret("NI 056", "2009/10 Q3", 22.5)
    rated = rate(build.register())
    r117, r056 = row(rated, "NI 117", "2009/10 Q3"), row(rated, "NI 056", "2009/10 Q3")
    assert (r117.scheme, r117.status) == ("target_with_tolerance", "amber")
    assert (r056.scheme, r056.status) == ("baseline_and_target", "green")


def test_rate_default_tolerance_from_settings(build):
    neet(build).setting("default_tolerance_pct", "10").ret("NI 117", "2009/10 Q3", 7.0)
    assert row(rate(build.register()), "NI 117", "2009/10 Q3").status == "green"


def test_rate_indicator_tolerance_points(build):
    neet(build).indicators[0]["tolerance_points"] = 0.1
    build.ret("NI 117", "2009/10 Q3", 6.65)
    assert row(rate(build.register()), "NI 117", "2009/10 Q3").status == "amber"


# --- measures -----------------------------------------------------------------------------


def ni123(build):
    """NI 123 stopping smoking: 4-week quitters, year to date; baseline 945, 09/10 940."""
    build.indicator("NI 123", unit="count", measure="cumulative_in_year", baseline=945)
    for year, value in zip(YEARS, (955, 940, 946), strict=True):
        build.target("NI 123", year, value)
    return build


@pytest.mark.parametrize(
    ("period", "value", "target", "baseline", "status"),
    [
        ("2009/10 Q1", 200, 235.0, 236.25, "red"),
        ("2009/10 Q2", 480, 470.0, 472.5, "green"),
        ("2009/10 Q2", 460, 470.0, 472.5, "green"),  # 2.1% short: within tolerance
        ("2009/10 Q3", 650, 705.0, 708.75, "red"),  # 7.8% short and below the profiled baseline
        ("2009/10", 930, 940.0, 945.0, "green"),
    ],
)
def test_rate_cumulative_in_year_profiles_target_and_baseline(build, period, value, target, baseline, status):
    ni123(build).ret("NI 123", period, value)
    r = row(rate(build.register()), "NI 123", period)
    assert (r.value, r.target, r.baseline_used, r.status) == (value, target, baseline, status)


def ni154(build, frequency="annual"):
    """NI 154 net additional homes: 640 / 720 / 1,500, running total since April 2008."""
    build.indicator("NI 154", unit="count", measure="cumulative_agreement", frequency=frequency)
    for year, value in zip(YEARS, (640, 720, 1500), strict=True):
        build.target("NI 154", year, value)
    return build


def test_rate_cumulative_agreement_sums_years_so_far(build):
    ni154(build).ret("NI 154", "2008/09", 640).ret("NI 154", "2009/10", 700)
    rated = rate(build.register())
    first, second = row(rated, "NI 154", "2008/09"), row(rated, "NI 154", "2009/10")
    assert (first.value, first.target, first.status) == (640, 640, "green")
    assert (second.value, second.target, second.status) == (1340, 1360, "green")
    assert row(rated, "NI 154", "2009/10 Q2").status == "not_due"


def test_rate_cumulative_agreement_quarter_adds_profiled_year(build):
    # NI 162 entry level numeracy: baseline 0; 950 / 1,000 / 1,050 (001 line 345)
    build.indicator("NI 162", unit="count", measure="cumulative_agreement", baseline=0)
    for year, value in zip(YEARS, (950, 1000, 1050), strict=True):
        build.target("NI 162", year, value)
    build.ret("NI 162", "2008/09 Q3", 700).ret("NI 162", "2008/09 Q4", 900)  # latest year to date
    build.ret("NI 162", "2009/10 Q2", 400)
    r = row(rate(build.register()), "NI 162", "2009/10 Q2")
    assert (r.value, r.target, r.baseline_used) == (1300, 1450, 0)
    assert r.status == "amber"  # 10.3% short, better than the zero baseline


def test_rate_cumulative_agreement_missing_earlier_year_is_no_data(build):
    ni154(build).ret("NI 154", "2009/10", 700)
    r = row(rate(build.register()), "NI 154", "2009/10")
    assert r.status == "no_data" and r.period_value == 700 and math.isnan(r.value)


def test_rate_level_measure(build):
    build.indicator("NI 188", unit="level", measure="level", frequency="annual", baseline=0)
    for year, value in zip(YEARS, (2, 3, 4), strict=True):
        build.target("NI 188", year, value)
    build.ret("NI 188", "2008/09", 2).ret("NI 188", "2009/10", 2).ret("NI 188", "2010/11", 2)
    rated = rate(build.register())
    assert [row(rated, "NI 188", y).status for y in YEARS] == ["green", "amber", "red"]


def ni151(build):
    """NI 151 employment rate: original 72% (snapshot); refreshed gap to GB of -7.5 points."""
    build.indicator("NI 151", comparator="Great Britain", baseline=70.5)
    for year in YEARS:
        build.target("NI 151", year, 72.0)
    for year in ("2009/10", "2010/11"):
        build.target("NI 151", year, -7.5, version="refreshed", measure="gap_to_comparator")
    return build


def test_rate_gap_to_comparator_uses_latest_comparator_value(build):
    # Luton 66.4% for Q1 09/10; latest GB figure is for 2007: 74.3% (001 line 247)
    ni151(build).ret("NI 151", "2009/10 Q1", 66.4).ret("NI 151", "2007/08", 74.3, area="Great Britain")
    r = row(rate(build.register()), "NI 151", "2009/10 Q1")
    assert r.measure == "gap_to_comparator"
    assert r.value == pytest.approx(-7.9) and r.comparator_value == 74.3
    assert (r.target, r.original_target, r.original_measure) == (-7.5, 72.0, "snapshot")
    assert math.isnan(r.baseline_used)
    assert r.status == "amber"


def test_rate_gap_prefers_same_period_comparator(build):
    ni151(build).ret("NI 151", "2009/10 Q2", 68.0)
    build.ret("NI 151", "2009/10 Q1", 74.3, area="Great Britain")
    build.ret("NI 151", "2009/10 Q2", 75.0, area="Great Britain")
    build.ret("NI 151", "2009/10 Q3", 70.0, area="Great Britain")  # later: not used for Q2
    r = row(rate(build.register()), "NI 151", "2009/10 Q2")
    assert r.comparator_value == 75.0 and r.value == pytest.approx(-7.0) and r.status == "green"


def test_rate_original_rows_of_a_gap_indicator_stay_snapshots(build):
    ni151(build).ret("NI 151", "2008/09 Q4", 68.0).ret("NI 151", "2008/09 Q4", 74.0, area="Great Britain")
    r = row(rate(build.register()), "NI 151", "2008/09 Q4")
    assert (r.measure, r.value, r.target, r.comparator_value) == ("snapshot", 68.0, 72.0, 74.0)
    assert r.status == "red"  # 5.6% short of 72% and below the 70.5% baseline


def test_rate_gap_lower_is_better_is_comparator_minus_own(build):
    # NI 152 out-of-work benefits: narrow the gap to England to -0.5 points (001 line 248)
    build.indicator("NI 152", polarity=LOWER, comparator="England", baseline=12.9)
    build.target("NI 152", "2009/10", -0.5, measure="gap_to_comparator")
    build.ret("NI 152", "2009/10 Q1", 12.3, area="England")
    build.ret("NI 152", "2009/10 Q2", 14.0).ret("NI 152", "2009/10 Q3", 12.7)
    rated = rate(build.register())
    q2, q3 = row(rated, "NI 152", "2009/10 Q2"), row(rated, "NI 152", "2009/10 Q3")
    assert q2.value == pytest.approx(-1.7) and q2.status == "red"
    assert q3.value == pytest.approx(-0.4) and q3.status == "green"
    assert q3.direction == "improving"


def test_rate_gap_without_comparator_value_is_no_data(build):
    ni151(build).ret("NI 151", "2009/10 Q1", 66.4)
    assert row(rate(build.register()), "NI 151", "2009/10 Q1").status == "no_data"


# --- parts ----------------------------------------------------------------------------------


def test_indicator_status_takes_the_worst_part(build):
    # NI 120 all-age all-cause mortality per 100,000: male 770, female 575 for 09/10
    for part, baseline, target in (("male", 791, 770), ("female", 561, 575)):
        build.indicator("NI 120", part=part, polarity=LOWER, unit="rate_per_100000", baseline=baseline)
        build.target("NI 120", "2009/10", target, part=part)
    build.ret("NI 120", "2009/10 Q2", 760, part="male").ret("NI 120", "2009/10 Q2", 640, part="female")
    rated = rate(build.register(), ["2009/10 Q1", "2009/10 Q2"])
    assert row(rated, "NI 120", "2009/10 Q2", "male").status == "green"
    assert row(rated, "NI 120", "2009/10 Q2", "female").status == "red"
    summary = indicator_status(rated)
    assert list(summary.period) == ["2009/10 Q1", "2009/10 Q2"]
    q2 = summary.iloc[1]
    assert (q2.status, q2.parts, q2.worst_part) == ("red", 2, "female")
    assert summary.iloc[0].status == "no_data"


def test_indicator_status_parts_with_opposite_polarities(build):
    # NI 187 fuel poverty: SAP below 35 (lower is better) 9.25%; SAP 65+ (higher) 30.25%
    build.indicator("NI 187", part="SAP below 35", polarity=LOWER, baseline=10.0)
    build.indicator("NI 187", part="SAP 65 and above", polarity=HIGHER, baseline=29.25)
    build.target("NI 187", "2009/10", 9.25, part="SAP below 35")
    build.target("NI 187", "2009/10", 30.25, part="SAP 65 and above")
    build.ret("NI 187", "2009/10 Q4", 9.0, part="SAP below 35")
    build.ret("NI 187", "2009/10 Q4", 28.0, part="SAP 65 and above")
    rated = rate(build.register(), ["2009/10 Q4"])
    assert list(rated.status) == ["green", "red"]
    assert indicator_status(rated).status.tolist() == ["red"]


@pytest.mark.parametrize(
    ("statuses", "worst"),
    [
        (["green", "amber"], "amber"),
        (["no_data", "green"], "green"),
        (["not_due", "no_data"], "no_data"),
        (["no_target", "not_due"], "not_due"),
        (["red", "no_target"], "red"),
    ],
)
def test_indicator_status_severity_order(statuses, worst):
    rated = pd.DataFrame({
        "framework": "LAA", "code": "NI 120", "part": ["male", "female"], "period": "2009/10 Q1",
        "period_order": 0, "status": statuses, "forecast_status": [math.nan, math.nan],
    })
    assert indicator_status(rated).status.tolist() == [worst]


# --- direction of travel ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "before", "now", "expected"),
    [
        (LOWER, 7.0, 6.55, "improving"),
        (LOWER, 6.55, 7.0, "worsening"),
        (HIGHER, 6.55, 7.0, "improving"),
        (HIGHER, 7.0, 6.55, "worsening"),
        (LOWER, 7.0, 6.95, "no_change"),  # 0.7% of 7.0: within 1%
        (LOWER, 7.0, 7.0, "no_change"),
        (LOWER, 7.0, 6.93, "no_change"),  # exactly 1%
        (LOWER, 7.0, 6.92, "improving"),
    ],
)
def test_rate_direction_follows_polarity(build, polarity, before, now, expected):
    build.indicator("NI 117", polarity=polarity, baseline=7.2).target("NI 117", "2009/10", 6.5)
    build.ret("NI 117", "2009/10 Q2", before).ret("NI 117", "2009/10 Q3", now)
    assert row(rate(build.register()), "NI 117", "2009/10 Q3").direction == expected


def test_rate_direction_q1_compares_with_previous_q4_and_year_earlier(build):
    neet(build).ret("NI 117", "2008/09 Q1", 6.0).ret("NI 117", "2008/09 Q4", 7.0)
    build.ret("NI 117", "2009/10 Q1", 6.5)
    r = row(rate(build.register()), "NI 117", "2009/10 Q1")
    assert (r.previous_value, r.direction) == (7.0, "improving")
    assert (r.year_earlier_value, r.direction_year) == (6.0, "worsening")


def test_rate_direction_annual_compares_with_previous_year(build):
    neet(build).ret("NI 117", "2008/09", 7.0).ret("NI 117", "2009/10", 6.6).ret("NI 117", "2009/10 Q4", 9.0)
    r = row(rate(build.register()), "NI 117", "2009/10")
    assert (r.previous_value, r.direction, r.direction_year) == (7.0, "improving", "improving")


def test_rate_direction_missing_value_is_nan(build):
    neet(build).ret("NI 117", "2009/10 Q3", 6.55)
    r = row(rate(build.register()), "NI 117", "2009/10 Q3")
    assert pd.isna(r.direction) and pd.isna(r.direction_year)


def test_rate_direction_of_year_to_date_counts_is_annualised(build):
    # 480 by Q2 is a run rate of 960 a year; 300 by Q1 is 1,200: worsening, not "more"
    ni123(build).ret("NI 123", "2009/10 Q1", 300).ret("NI 123", "2009/10 Q2", 480)
    r = row(rate(build.register()), "NI 123", "2009/10 Q2")
    assert (r.previous_value, r.direction) == (1200, "worsening")


# --- year-end forecast --------------------------------------------------------------------


def test_rate_forecast_officer_value_wins(build):
    ni123(build).ret("NI 123", "2009/10 Q3", 650, forecast_year_end=900)
    r = row(rate(build.register()), "NI 123", "2009/10 Q3")
    assert (r.forecast_year_end, r.forecast_basis, r.forecast_target) == (900, "officer", 940)
    assert r.forecast_status == "green"  # 4.3% short of the full-year 940


def test_rate_forecast_projects_year_to_date_run_rate(build):
    ni123(build).ret("NI 123", "2009/10 Q2", 430)
    rated = rate(build.register())
    q2, q3 = row(rated, "NI 123", "2009/10 Q2"), row(rated, "NI 123", "2009/10 Q3")
    # 860 is 8.5% short of the full-year 940 and below the 945 baseline
    assert (q2.forecast_year_end, q2.forecast_basis, q2.forecast_status) == (860, "projection", "red")
    # no Q3 return yet: the forecast still stands on Q2
    assert (q3.status, q3.forecast_year_end) == ("no_data", 860)
    assert pd.isna(row(rated, "NI 123", "2009/10 Q1").forecast_basis)
    assert pd.isna(row(rated, "NI 123", "2009/10").forecast_year_end)


def test_rate_forecast_of_a_snapshot_is_the_latest_value(build):
    neet(build).ret("NI 117", "2009/10 Q3", 7.0)
    r = row(rate(build.register()), "NI 117", "2009/10 Q3")
    assert (r.forecast_year_end, r.forecast_basis, r.forecast_status) == (7.0, "projection", "amber")


def test_rate_forecast_of_a_running_total_adds_earlier_years(build):
    ni154(build, frequency="quarterly").ret("NI 154", "2008/09", 640).ret("NI 154", "2009/10 Q2", 350)
    r = row(rate(build.register()), "NI 154", "2009/10 Q2")
    assert (r.forecast_year_end, r.forecast_target, r.forecast_status) == (1340, 1360, "green")


# --- latest period with data ----------------------------------------------------------------


def test_latest_period_with_data_is_latest_own_value(build):
    neet(build).ret("NI 117", "2008/09", 7.0).ret("NI 117", "2009/10 Q3", 6.55)
    build.ret("NI 117", "2009/10 Q4", 6.0, area="Bedford").ret("NI 117", "2010/11 Q1", math.nan)
    assert latest_period_with_data(build.register()) == "2009/10 Q3"


@pytest.mark.parametrize("other_return, expected", [
    # written without a framework: it belongs to the Section 256 part, not to LAA
    ({"code": "ASCOF 1A", "framework": ""}, "2009/10 Q3"),
    # the default own area (Luton) is not LAA's own area here
    ({"code": "NI 117", "area": "Luton"}, "2009/10 Q3"),
    # outside LAA's years
    ({"code": "NI 117", "area": "Bedford", "period": "2013/14 Q1"}, "2009/10 Q3"),
    # LAA's own later value counts
    ({"code": "NI 117", "area": "Bedford"}, "2010/11 Q2"),
])
def test_latest_period_with_data_of_a_framework_is_one_its_rating_shows_a_value_in(
        build, other_return, expected):
    build.frameworks[0]["own_area"] = "Bedford"
    build.frameworks.append({**build.frameworks[0], "framework": "Section 256", "first_year": "2013/14",
                             "last_year": "2013/14", "own_area": "Luton"})
    neet(build).indicator("ASCOF 1A", framework="Section 256", polarity=HIGHER)
    build.ret("NI 117", "2009/10 Q3", 6.55, area="Bedford")
    build.ret("ASCOF 1A", "2013/14 Q1", 18.0, framework="Section 256")
    columns = {"area": "Luton", "period": "2010/11 Q2", **other_return}
    build.ret(columns.pop("code"), columns.pop("period"), 5.0, **columns)
    register = build.register()
    assert latest_period_with_data(register, "LAA") == expected
    assert latest_period_with_data(register, "Section 256") == "2013/14 Q1"
    assert latest_period_with_data(register, "Nobody's") is None
    rated = rate(register, [expected])
    assert rated[(rated["framework"] == "LAA") & rated["period_value"].notna()].shape[0] >= 1


def test_latest_period_with_data_none_without_returns(build):
    assert latest_period_with_data(neet(build).register()) is None


def test_template_and_rating_agree_when_a_later_version_brings_a_survey_back(build):
    # The original said "No survey" for 2009/10; a later version sets a target for that year.
    from performance.periods import parse_period
    from performance.returns import template_rows

    build.indicator("NI 001", frequency="biennial_survey", baseline=72.5)
    build.target("NI 001", "2009/10", math.nan, status="no_survey", text="No survey")
    build.target("NI 001", "2009/10", 74.0, version="revised 2010", effective_from="2010-01-15",
                 text="74%")
    build.ret("NI 001", "2009/10", 75.0)
    reg = build.register()
    assert row(rate(reg), "NI 001", "2009/10").status == "green"
    assert template_rows(reg, "LAA", parse_period("2009/10"))["code"].tolist() == ["NI 001"]


# --- column kinds of the rated frame ---------------------------------------------------------

TEXT_COLUMNS = ("framework", "code", "part", "title", "theme", "theme_board", "unit", "polarity",
                "frequency", "measure", "period", "year", "scheme", "status", "direction",
                "direction_year", "forecast_basis", "forecast_status", "comparator", "own_area",
                "target_status", "target_text", "target_version", "commentary", "action", "source",
                "first_year", "survey_years")
VOCABULARY_COLUMNS = {"status": STATUSES, "forecast_status": STATUSES, "direction": DIRECTIONS,
                      "direction_year": DIRECTIONS, "forecast_basis": FORECAST_BASES,
                      "measure": MEASURES, "original_measure": MEASURES,
                      "target_status": (*TARGET_STATUSES, "")}


def _two_indicators(build):
    build.indicator("NI 117", polarity="lower_is_better", baseline=7.2, title="NEET")
    build.indicator("NI 039", polarity="lower_is_better", baseline=2165.0, title="Alcohol")
    for code, value in (("NI 117", 6.5), ("NI 039", 1600.0)):
        build.target(code, "2009/10", value)
    build.ret("NI 117", "2009/10 Q3", 6.55, commentary="On track")
    build.ret("NI 039", "2009/10 Q3", 1900.0)
    return build.register()


def test_rate_text_columns_are_categorical_vocabularies_in_their_own_order(build):
    rated = rate(_two_indicators(build))
    for column in TEXT_COLUMNS:
        assert isinstance(rated[column].dtype, pd.CategoricalDtype), column
    assert not [c for c in rated.columns if rated[c].dtype == object]
    for column, words in VOCABULARY_COLUMNS.items():  # a status absent here can still be set
        assert list(rated[column].cat.categories) == list(words), column


def test_rate_status_column_sorts_worst_first_as_status_severity_does(build):
    build.ret("NI 117", "2009/10 Q4", 7.5)  # worse than the baseline: red
    rated = rate(_two_indicators(build))
    present = [s for s in STATUSES if s in set(rated["status"])]
    assert present[0] == "red"
    by_column = rated.sort_values("status", kind="stable")["status"]
    by_severity = rated.assign(_sev=status_severity(rated["status"])).sort_values("_sev", kind="stable")
    assert list(dict.fromkeys(by_column)) == present
    assert list(dict.fromkeys(by_severity["status"])) == present
    # mapping the categorical keeps its (severity) order too
    mapped = rated.assign(_sev=rated["status"].map(STATUS_SEVERITY)).sort_values("_sev", kind="stable")
    assert list(dict.fromkeys(mapped["status"])) == present


@pytest.mark.parametrize("statuses, expected", [
    (["green", "red", "no_target", None], [2, 0, 5, 6]),
    (["amber", "not_due", "no_data"], [1, 4, 3]),
    ([], []),
])
def test_status_severity_of_plain_text(statuses, expected):
    assert status_severity(pd.Series(statuses, dtype=object)).tolist() == expected


def test_rate_categorical_columns_sort_alphabetically_like_text(build):
    rated = rate(_two_indicators(build))  # NI 117 is registered before NI 039
    assert list(rated["code"].cat.categories) == ["NI 039", "NI 117"]
    assert rated.sort_values("title", kind="stable")["title"].iloc[0] == "Alcohol"


@pytest.mark.parametrize("kind", ["category", "str", "object"])
def test_rate_reads_returns_of_any_text_kind_alike(build, kind):
    register = _two_indicators(build)
    expected = rate(register)
    returns = register.returns.copy()
    for column in ("framework", "code", "part", "area", "period", "commentary"):
        returns[column] = returns[column].astype(kind)
    returns["action"] = pd.Series([np.nan] * len(returns), dtype="float").astype(kind)  # no text
    register.returns = returns
    got = rate(register)
    pd.testing.assert_frame_equal(got.drop(columns="action"), expected.drop(columns="action"))
    assert (got["action"] == "").all()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain text (categories differ between separately rated frames)."""
    return frame.astype({c: object for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


def test_rate_in_blocks_on_worker_threads_equals_rating_each_share_apart():
    """Above 65,536 rows a rating runs in blocks on the worker threads (a waiting thread
    takes queued blocks and texts itself); every part's rows come out as when its share of
    the register, small enough for one block, is rated on its own."""
    import dataclasses

    from bench.data import synthetic_register

    register = synthetic_register(20_000)  # 300,000 rows: five blocks
    whole = rate(register)
    codes = register.indicators["code"].unique()
    shares = []
    for share in np.array_split(codes, 5):  # 4,000 parts, 60,000 rows each
        def keep(frame: pd.DataFrame, share=share) -> pd.DataFrame:
            return frame[frame["code"].isin(share)].reset_index(drop=True)

        alone = dataclasses.replace(register, indicators=keep(register.indicators),
                                    targets=keep(register.targets), returns=keep(register.returns))
        shares.append(rate(alone))
    assert len(whole) == 300_000 and max(len(s) for s in shares) < 65_536
    apart = pd.concat(shares, ignore_index=True)
    pd.testing.assert_frame_equal(_as_text(whole), _as_text(apart))
    assert set(whole["status"]) >= {"green", "amber", "red", "no_data"}


@pytest.mark.parametrize("codes, ok", [
    ([0, 5, -1], True), ([6], False), ([-2], False), ([], True),
])
def test_vocabulary_column_refuses_a_code_outside_the_vocabulary(codes, ok):
    from performance.rag.columns import _vocabulary_column

    codes = np.array(codes, dtype=np.int8)
    if ok:
        assert _vocabulary_column(codes, STATUSES).astype(object).fillna("-").tolist() == [
            STATUSES[c] if c >= 0 else "-" for c in codes]
    else:
        with pytest.raises(ValueError, match="outside"):
            _vocabulary_column(codes, STATUSES)
