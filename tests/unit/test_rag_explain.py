"""The one-line reason behind every status, built on demand for the rows shown."""

from __future__ import annotations

import math

import pytest

from performance.rag import explain, rate

LOWER, HIGHER = "lower_is_better", "higher_is_better"
YEARS = ("2008/09", "2009/10", "2010/11")


def reason(build, code: str, period: str, part: str = "") -> str:
    rated = rate(build.register())
    shown = rated[(rated.code == code) & (rated.period == period) & (rated.part == part)]
    assert len(shown) == 1
    return explain(shown).iloc[0]


def neet(build):
    build.indicator("NI 117", polarity=LOWER, baseline=7.2, unit="percent")
    for year, value in zip(YEARS, (6.9, 6.5, 6.2), strict=True):
        build.target("NI 117", year, value)
    return build


@pytest.mark.parametrize(
    ("value", "provisional", "expected"),
    [
        (7.0, False, "Amber: 7.0% against a target of 6.5% (lower is better); 7.7% off target, "
                     "beyond the 5% tolerance, better than the baseline of 7.2%"),
        (6.55, True, "Green: 6.55% against a target of 6.5% (lower is better); 0.8% off target, "
                     "within the 5% tolerance; provisional"),
        (6.4, False, "Green: 6.4% against a target of 6.5% (lower is better); on or better than target"),
        (7.3, False, "Red: 7.3% against a target of 6.5% (lower is better); 12.3% off target, "
                     "beyond the 5% tolerance, no better than the baseline of 7.2%"),
    ],
)
def test_explain_neet_reasons(build, value, provisional, expected):
    neet(build).ret("NI 117", "2009/10 Q3", value, provisional=provisional)
    assert reason(build, "NI 117", "2009/10 Q3") == expected


def test_explain_no_baseline_and_points_tolerance(build):
    build.indicator("NI 092", polarity=LOWER, tolerance_points=0.5, unit="percent")
    build.target("NI 092", "2009/10", 35.6).ret("NI 092", "2009/10 Q1", 36.5)
    assert reason(build, "NI 092", "2009/10 Q1") == (
        "Amber: 36.5% against a target of 35.6% (lower is better); 0.9 percentage points off "
        "target, beyond the tolerance of 0.5 percentage points but within twice it (no baseline)"
    )


def test_explain_target_with_tolerance_scheme(build):
    neet(build).setting("rag_scheme", "target_with_tolerance").ret("NI 117", "2009/10 Q3", 6.55)
    assert reason(build, "NI 117", "2009/10 Q3").endswith("0.8% off target, within the 5% tolerance")


def test_explain_counts_use_thousands_separators(build):
    build.indicator("NI 039", polarity=LOWER, unit="rate_per_100000", baseline=1513, frequency="annual")
    build.target("NI 039", "2009/10", 2165).ret("NI 039", "2009/10", 1600)
    assert reason(build, "NI 039", "2009/10") == (
        "Green: 1,600 per 100,000 against a target of 2,165 per 100,000 (lower is better); "
        "on or better than target"
    )


def test_explain_year_to_date(build):
    build.indicator("NI 123", unit="count", measure="cumulative_in_year", baseline=945)
    build.target("NI 123", "2009/10", 940).ret("NI 123", "2009/10 Q2", 480)
    assert reason(build, "NI 123", "2009/10 Q2") == (
        "Green: 480 year to date against a year-to-date target of 470 (2/4 of 940) "
        "(higher is better); on or better than target"
    )


def test_explain_running_total(build):
    build.indicator("NI 154", unit="count", measure="cumulative_agreement", frequency="annual")
    build.target("NI 154", "2008/09", 640).target("NI 154", "2009/10", 720)
    build.ret("NI 154", "2008/09", 640).ret("NI 154", "2009/10", 700)
    assert reason(build, "NI 154", "2009/10") == (
        "Green: 1,340 in total since 2008/09 against a running target of 1,360 (higher is better); "
        "1.5% off target, within the 5% tolerance"
    )


def test_explain_level(build):
    build.indicator("NI 188", unit="level", measure="level", frequency="annual", baseline=0)
    build.target("NI 188", "2009/10", 3).ret("NI 188", "2009/10", 2)
    assert reason(build, "NI 188", "2009/10") == (
        "Amber: Level 2 against a target of Level 3 (higher is better); one level short, "
        "better than the baseline of Level 0"
    )


@pytest.mark.parametrize(
    ("polarity", "comparator", "own", "other", "expected"),
    [
        (HIGHER, "Great Britain", 66.4, 74.3,
         "Amber: a gap of -7.9 percentage points (Luton 66.4% minus Great Britain 74.3%) against "
         "a target gap of -7.5 percentage points (higher gap is better); 5.3% off target, beyond "
         "the 5% tolerance but within twice it (no baseline)"),
        (LOWER, "England", 14.0, 12.3,
         "Red: a gap of -1.7 percentage points (England 12.3% minus Luton 14.0%) against a target "
         "gap of -0.5 percentage points (higher gap is better); 240.0% off target, more than twice "
         "the 5% tolerance (no baseline)"),
    ],
)
def test_explain_gap_to_comparator(build, polarity, comparator, own, other, expected):
    build.indicator("NI 15x", polarity=polarity, comparator=comparator, measure="gap_to_comparator")
    target = -7.5 if comparator == "Great Britain" else -0.5
    build.target("NI 15x", "2009/10", target)
    build.ret("NI 15x", "2009/10 Q1", own).ret("NI 15x", "2009/10 Q1", other, area=comparator)
    assert reason(build, "NI 15x", "2009/10 Q1") == expected


def test_explain_grey_statuses(build):
    neet(build)
    build.indicator("NI 039", frequency="annual", polarity=LOWER).target("NI 039", "2009/10", 2165)
    build.indicator("NI 001", frequency="biennial_survey", survey_years="2008/09;2010/11")
    build.target("NI 001", "2010/11", 76.5)
    build.indicator("NI 017", frequency="biennial_survey", polarity=LOWER)
    build.target("NI 017", "2009/10", math.nan, status="no_survey", text="No survey")
    build.indicator("NI 007").target("NI 007", "2009/10", math.nan, status="to_be_confirmed",
                                     text="A measurable improvement")
    build.indicator("NI 030").target("NI 030", "2009/10", math.nan, status="not_applicable")
    build.indicator("NI 171").target("NI 171", "2010/11", 51.5)
    build.indicator("NI 093", frequency="annual", baseline=81.3).target("NI 093", "2008/09", 0)
    build.ret("NI 093", "2008/09", 80.0)
    build.indicator("NI 173", status="removed")
    build.indicator("NI 999", polarity="not_applicable").target("NI 999", "2009/10", 1)
    build.indicator("NI 154", measure="cumulative_agreement", frequency="annual", unit="count")
    build.target("NI 154", "2009/10", 720).ret("NI 154", "2009/10", 700)
    expected = {
        ("NI 117", "2009/10 Q1"): "No data: due for 2009/10 Q1 but no value recorded",
        ("NI 117", "2009/10"): "Not due: reported quarterly; no annual outturn recorded for 2009/10",
        ("NI 039", "2009/10 Q2"): "Not due: reported once a year (2009/10), not each quarter",
        ("NI 001", "2009/10"): "Not due: a survey indicator, surveyed in 2008/09, 2010/11",
        ("NI 017", "2009/10"): "Not due: no survey in 2009/10",
        ("NI 007", "2009/10 Q1"):
            'No target: the 2009/10 target is still to be confirmed ("A measurable improvement")',
        ("NI 030", "2009/10 Q1"): "No target: a target does not apply in 2009/10",
        ("NI 171", "2009/10 Q1"): "No target: no target set for 2009/10",
        ("NI 093", "2008/09"): "No target: the 2008/09 target of 0 is a placeholder, not a real target",
        ("NI 173", "2009/10 Q1"): "No target: indicator removed from the agreement, so not rated",
        ("NI 999", "2009/10 Q1"):
            "No target: the indicator has no better or worse direction (polarity not applicable)",
        ("NI 154", "2009/10"): "No target: the running target needs a target for every year since 2008/09",
    }
    rated = rate(build.register())
    rated = rated.assign(reason=explain(rated)).set_index(["code", "period"])
    assert {k: rated.loc[k, "reason"] for k in expected} == expected


def test_explain_keeps_the_index_of_the_rows_shown(build):
    neet(build).ret("NI 117", "2009/10 Q3", 6.55)
    rated = rate(build.register())
    shown = rated[rated.status == "green"]
    reasons = explain(shown)
    assert list(reasons.index) == list(shown.index) and len(reasons) == 1
