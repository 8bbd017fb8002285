"""Demo returns: deterministic, plausible for each unit and measure, never over real values.

Every test runs on two registers read from real workbooks: a rich test register (the builder's
rows plus one indicator of each kind of measure and frequency, and filler parts for a profile
mix) and, once it exists, the Luton register ``indicators.xlsx``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_loaders.workbook import RETURN_FRAME_COLUMNS, read_register
from performance import vocabulary as v
from performance.demo import (
    OFF_TRACK_PROFILES,
    PROFILE_SHARES,
    PROFILES,
    demo_profiles,
    generate_demo_returns,
)
from performance.periods import parse_period, parse_year
from performance.register import Register, current_targets
from tests.builders import register_rows, write_register

LUTON_REGISTER = Path(__file__).resolve().parents[2] / "indicators.xlsx"
KEY = ["framework", "code", "part", "area", "period"]
SIGN = {"higher_is_better": 1, "lower_is_better": -1}


# --- registers -------------------------------------------------------------------------------


def _rich_rows(fillers: int = 30) -> dict[str, list[dict]]:
    """The builder's register plus one part of each measure and frequency, and filler parts."""
    rows = register_rows()
    base_ind, base_tgt = rows[v.SHEET_INDICATORS][0], rows[v.SHEET_TARGETS][0]

    def ind(code, **kw):
        rows[v.SHEET_INDICATORS].append({**base_ind, "code": code, "part": "", "title": f"Title of {code}",
                                         "comparator": "", **kw})

    def tgt(code, year, value, **kw):
        rows[v.SHEET_TARGETS].append({**base_tgt, "code": code, "part": "", "year": year, "value": value,
                                      "text": str(value), **kw})

    def ret(code, area, period, value):
        rows[v.SHEET_RETURNS].append({**rows[v.SHEET_RETURNS][0], "code": code, "area": area,
                                      "period": period, "value": value, "provisional": "no",
                                      "commentary": "stated in the source"})

    years = ("2008/09", "2009/10", "2010/11")
    refreshed = dict(version="refreshed", effective_from=dt.date(2010, 3, 12), measure="gap_to_comparator")
    ind("NI 151", title="Overall employment rate", polarity="higher_is_better", baseline=70.5,
        comparator="Great Britain")
    tgt("NI 151", "2010/11", 72.0)
    tgt("NI 151", "2010/11", -7.5, **refreshed)
    ret("NI 151", "Luton", "2009/10 Q1", 66.4)
    ret("NI 151", "Great Britain", "2007/08", 74.3)
    ind("NI 152", title="Working age people on out of work benefits", baseline=12.9, comparator="England")
    tgt("NI 152", "2010/11", 11.9)
    tgt("NI 152", "2010/11", -0.5, **refreshed)
    ret("NI 152", "Luton", "2009/10 Q2", 14.0)
    ret("NI 152", "England", "2009/10 Q1", 12.3)
    ind("NI 123", title="Stopping smoking", unit="count", polarity="higher_is_better",
        measure="cumulative_in_year", baseline=945)
    for year, value in zip(years, (955, 940, 946), strict=True):
        tgt("NI 123", year, value)
    ind("NI 162", title="Entry level qualifications in numeracy", unit="count",
        polarity="higher_is_better", measure="cumulative_agreement", frequency="annual", baseline=0)
    for year, value in zip(years, (950, 1000, 1050), strict=True):
        tgt("NI 162", year, value)
    ind("NI 154", title="Net additional homes provided", unit="count", polarity="higher_is_better",
        measure="cumulative_agreement", baseline=None)
    for year, value in zip(years, (640, 720, 140), strict=True):
        tgt("NI 154", year, value)
    ind("NI 188", title="Planning to adapt to climate change", unit="level", polarity="higher_is_better",
        measure="level", frequency="annual", baseline=0)
    for year, value in zip(years, (2, 3, 4), strict=True):
        tgt("NI 188", year, value)
    ind("NI 008", title="Adult participation in sport", polarity="higher_is_better", frequency="annual",
        baseline=18.5)
    for year, value in zip(years, (20.5, 21.5, 23.0), strict=True):
        tgt("NI 008", year, value)
    ind("NI 001", polarity="higher_is_better", frequency="biennial_survey", baseline=72.5,
        survey_years="2008/09;2010/11")
    tgt("NI 001", "2010/11", 76.5)
    ind("NI 017", frequency="biennial_survey", baseline=28.1)
    tgt("NI 017", "2009/10", None, status="no_survey", text="No survey")
    tgt("NI 017", "2010/11", 24.1)
    ind("NI 173", status="removed")
    for n in range(fillers):
        code = f"NI {900 + n}"
        level = 40.0 + n % 50  # percentages: the register refuses one above 100
        ind(code, polarity=("higher_is_better", "lower_is_better")[n % 2], baseline=level)
        for year, step in zip(years, (1, 2, 3), strict=True):
            tgt(code, year, level + (1 if n % 2 == 0 else -1) * step)

    # optional columns: the sheet's header is the keys of its first row
    for record in rows[v.SHEET_INDICATORS]:
        record.setdefault("survey_years", "")
    for record in rows[v.SHEET_TARGETS]:
        record.setdefault("measure", "")
    return rows


@pytest.fixture(scope="module", params=["test register", "Luton register"])
def register(request, tmp_path_factory) -> Register:
    if request.param == "Luton register":
        if not LUTON_REGISTER.exists():
            pytest.skip(f"{LUTON_REGISTER} does not exist yet; the Luton register cases run once it does")
        return read_register(LUTON_REGISTER)
    return read_register(write_register(tmp_path_factory.mktemp("demo") / "indicators.xlsx", _rich_rows()))


@pytest.fixture(scope="module")
def demo(register) -> pd.DataFrame:
    return generate_demo_returns(register)


@pytest.fixture(scope="module")
def parts(register) -> pd.DataFrame:
    """Active parts with their framework's own area and the profile the demo gave them."""
    fw = register.frameworks[["framework", "own_area"]]
    active = register.indicators[register.indicators["status"] == "active"].merge(fw, on="framework")
    return active.merge(demo_profiles(register), on=["framework", "code", "part"], validate="1:1")


def _own(demo: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Own-area rows with their part's attributes and the period as year and quarter."""
    rows = demo.merge(parts, on=["framework", "code", "part"], suffixes=("", "_ind"))
    rows = rows[rows["area"] == rows["own_area"]].copy()
    periods = rows["period"].map(parse_period)
    rows["year"] = periods.map(lambda p: p.year)
    rows["quarter"] = periods.map(lambda p: p.quarter or 0)
    return rows


def _latest_targets(register: Register) -> pd.DataFrame:
    current = current_targets(register.targets)
    return current[(current["status"] == "set") & current["value"].notna()]


# --- determinism -------------------------------------------------------------------------------


def test_generate_demo_returns_same_seed_gives_identical_frame(register, demo):
    pd.testing.assert_frame_equal(generate_demo_returns(register, seed=2008), demo)
    assert demo.equals(generate_demo_returns(register))


def test_generate_demo_returns_other_seed_gives_other_values(register, demo):
    other = generate_demo_returns(register, seed=7)
    both = demo.merge(other, on=KEY, suffixes=("", "_other"))
    assert len(both) > 0.8 * len(demo)
    assert (both["value"] != both["value_other"]).mean() > 0.3


def test_generate_demo_returns_part_values_do_not_depend_on_other_parts(register, demo):
    first = register.indicators[register.indicators["status"] == "active"].iloc[[0]]
    alone = generate_demo_returns(dataclasses.replace(register, indicators=first))
    key = first.iloc[0]
    same_part = demo[(demo["framework"] == key["framework"]) & (demo["code"] == key["code"])
                     & (demo["part"] == key["part"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, same_part)


# --- shape -------------------------------------------------------------------------------------


def test_demo_rows_are_marked_demo_with_the_returns_columns(demo):
    assert list(demo.columns) == RETURN_FRAME_COLUMNS
    assert len(demo) > 0
    assert (demo["source"] == "demo").all()
    assert demo["is_demo"].dtype == bool and demo["is_demo"].all()
    assert demo["provisional"].dtype == bool
    assert not demo.duplicated(KEY).any()
    assert demo["value"].notna().all()


def test_every_active_part_gets_rows_and_removed_parts_none(register, demo, parts):
    generated = set(demo[["framework", "code", "part"]].itertuples(index=False, name=None))
    removed = register.indicators[register.indicators["status"] == "removed"]
    assert not generated & set(removed[["framework", "code", "part"]].itertuples(index=False, name=None))
    due_somewhere = parts[parts["frequency"] != "biennial_survey"]
    expected = set(due_somewhere[["framework", "code", "part"]].itertuples(index=False, name=None))
    assert expected <= generated


def test_existing_real_keys_are_not_generated(register, demo):
    real = register.returns[KEY]
    assert len(real) > 0
    clash = demo.merge(real, on=KEY)
    assert clash.empty, clash


def test_demo_periods_lie_within_each_framework_years(register, demo):
    spans = register.frameworks.set_index("framework")
    for framework, rows in demo.groupby("framework"):
        years = rows["period"].map(lambda p: parse_period(p).year_label)
        assert years.min() >= spans.loc[framework, "first_year"]
        assert years.max() <= spans.loc[framework, "last_year"]


# --- plausible values --------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "low", "high", "whole"), [
    ("percent", 0, 100, False),
    ("count", 0, math.inf, True),
    ("level", 0, 4, True),
    ("rate_per_100000", 0, math.inf, False),
])
def test_demo_values_stay_within_unit_bounds(demo, parts, unit, low, high, whole):
    rows = demo.merge(parts[parts["unit"] == unit][["framework", "code", "part"]])
    if rows.empty:
        pytest.skip(f"no {unit} indicator in this register")
    values = pd.concat([rows["value"], rows["forecast_year_end"].dropna()])
    assert values.between(low, high).all(), values[~values.between(low, high)]
    if whole:
        assert (values == values.round()).all()


def test_year_to_date_values_never_fall_within_a_year(demo, parts):
    rows = _own(demo, parts)
    rows = rows[rows["measure"].isin(["cumulative_in_year", "cumulative_agreement"]) & (rows["quarter"] > 0)]
    assert len(rows) > 0
    rows = rows.sort_values(["framework", "code", "part", "year", "quarter"])
    falls = rows.groupby(["framework", "code", "part", "year"])["value"].diff() < 0
    assert not falls.any(), rows[falls]


def test_year_to_date_fourth_quarter_is_the_year_total(demo, parts):
    rows = _own(demo, parts)
    rows = rows[rows["measure"].isin(["cumulative_in_year", "cumulative_agreement"])]
    q4 = rows[rows["quarter"] == 4].set_index(["framework", "code", "part", "year"])["value"]
    annual = rows[rows["quarter"] == 0].set_index(["framework", "code", "part", "year"])["value"]
    both = pd.concat([q4.rename("q4"), annual.rename("annual")], axis=1, join="inner")
    assert len(both) > 0
    assert (both["q4"] == both["annual"]).all()
    q1 = rows[rows["quarter"] == 1].set_index(["framework", "code", "part", "year"])["value"]
    q1 = q1.reindex(both.index).dropna()
    assert (q1 <= both.loc[q1.index, "annual"]).all()


def test_annual_and_survey_indicators_have_no_quarterly_rows(demo, parts):
    rows = _own(demo, parts)
    not_quarterly = rows[rows["frequency"] != "quarterly"]
    assert len(not_quarterly) > 0
    assert (not_quarterly["quarter"] == 0).all()


def test_biennial_surveys_appear_only_in_survey_years(register, demo, parts):
    rows = _own(demo, parts)
    surveys = parts[parts["frequency"] == "biennial_survey"]
    no_survey = current_targets(register.targets)
    no_survey = no_survey[no_survey["status"] == "no_survey"]
    assert len(surveys) > 0
    for part in surveys.itertuples():
        years = set(rows[(rows["code"] == part.code) & (rows["part"] == part.part)
                         & (rows["framework"] == part.framework)]["period"])
        listed = {y.strip() for y in str(part.survey_years or "").split(";") if y.strip()}
        if listed:
            assert years <= listed, part.code
        skipped = no_survey[(no_survey["code"] == part.code) & (no_survey["part"] == part.part)]
        assert not years & set(skipped["year"]), part.code


def test_quarterly_indicators_miss_only_a_few_values(register, demo, parts):
    quarterly = parts[parts["frequency"] == "quarterly"]
    spans = register.frameworks.set_index("framework")
    n_years = {fw: parse_year(spans.loc[fw, "last_year"]) - parse_year(spans.loc[fw, "first_year"]) + 1
               for fw in spans.index}
    returns = pd.concat([demo, register.returns]).merge(
        quarterly[["framework", "code", "part", "own_area"]])
    returns = returns[returns["area"] == returns["own_area"]]
    is_quarter = returns["period"].str.contains("Q")
    due_quarters = sum(4 * n_years[fw] for fw in quarterly["framework"])
    missing = 1 - is_quarter.sum() / due_quarters
    assert 0 < missing < 0.12, missing
    # the annual outturn of every year is always there
    assert (~is_quarter).sum() == sum(n_years[fw] for fw in quarterly["framework"])


# --- comparators and gaps ----------------------------------------------------------------------


def test_gap_indicators_have_comparator_rows_for_every_own_period(register, demo, parts):
    with_comparator = parts[parts["comparator"] != ""]
    assert len(with_comparator) > 0
    for part in with_comparator.itertuples():
        rows = demo[(demo["framework"] == part.framework) & (demo["code"] == part.code)
                    & (demo["part"] == part.part)]
        real = register.returns[(register.returns["code"] == part.code)
                                & (register.returns["part"] == part.part)]
        own = set(rows[rows["area"] == part.own_area]["period"])
        comparator = set(rows[rows["area"] == part.comparator]["period"])
        comparator |= set(real[real["area"] == part.comparator]["period"])
        assert own <= comparator, (part.code, own - comparator)
        assert set(rows["area"]) == {part.own_area, part.comparator}


@pytest.mark.parametrize(("code", "own_range", "comparator_range"), [
    ("NI 151", (62, 71), (71, 78)),  # employment: Luton ~66%, Great Britain ~74%
    ("NI 152", (11, 16.5), (10, 14)),  # out-of-work benefits: Luton ~14%, England ~12%
])
def test_gap_indicators_keep_the_gap_near_its_target(register, demo, parts, code, own_range,
                                                    comparator_range):
    part = parts[parts["code"] == code]
    if part.empty:
        pytest.skip(f"{code} is not in this register")
    part = part.iloc[0]
    rows = demo[demo["code"] == code]
    own = rows[rows["area"] == part["own_area"]].set_index("period")["value"]
    comparator = rows[rows["area"] == part["comparator"]].set_index("period")["value"]
    assert own.between(*own_range).all(), own
    assert comparator.between(*comparator_range).all(), comparator
    targets = _latest_targets(register)
    gap_target = targets[(targets["code"] == code) & (targets["measure"] == "gap_to_comparator")]
    gap = SIGN[part["polarity"]] * (own - comparator.reindex(own.index)).dropna()
    assert abs(gap.mean() - gap_target["value"].iloc[-1]) < 2.5


# --- the mix: on track, off track, commentary --------------------------------------------------


def _latest_annual(register, demo, parts) -> pd.DataFrame:
    """Own-area annual value of each snapshot part's last framework year, with baseline and target."""
    rows = _own(demo, parts)
    rows = rows[(rows["quarter"] == 0) & (rows["measure"] == "snapshot")
                & rows["polarity"].isin(list(SIGN))]
    last = rows.groupby(["framework", "code", "part"])["year"].transform("max")
    rows = rows[rows["year"] == last].copy()
    rows["year_label"] = rows["period"]
    targets = _latest_targets(register)[["framework", "code", "part", "year", "value"]]
    rows = rows.merge(targets.rename(columns={"year": "year_label", "value": "target"}),
                      on=["framework", "code", "part", "year_label"], how="left")
    rows["sign"] = rows["polarity"].map(SIGN)
    return rows


def test_profiles_include_parts_worse_than_baseline_and_parts_beating_target(register, demo, parts):
    latest = _latest_annual(register, demo, parts)
    worse_than_baseline = latest["sign"] * (latest["value"] - latest["baseline"]) < 0
    beats_target = latest["sign"] * (latest["value"] - latest["target"]) >= 0
    assert worse_than_baseline.any()
    assert beats_target.any()
    assert set(OFF_TRACK_PROFILES) <= set(parts["profile"]) and "on_track" in set(parts["profile"])


def test_commentary_and_action_present_on_off_track_rows(register, demo, parts):
    rows = _own(demo, parts)
    off_profile = rows[rows["profile"].isin(OFF_TRACK_PROFILES)]
    assert len(off_profile) > 0
    assert (off_profile["commentary"].str.len() > 10).all()
    # every snapshot value outside tolerance of its set target carries a commentary and an action
    current = _latest_targets(register)[["framework", "code", "part", "year", "value"]]
    snap = rows[rows["measure"] == "snapshot"].assign(year_label=rows["period"].str[:7])
    snap = snap.merge(current.rename(columns={"year": "year_label", "value": "target"}),
                      on=["framework", "code", "part", "year_label"])
    snap = snap[snap["polarity"].isin(list(SIGN)) & (snap["code"] != "NI 151") & (snap["code"] != "NI 152")]
    tolerance = snap["tolerance_pct"].fillna(float(register.settings["default_tolerance_pct"]))
    shortfall = snap["polarity"].map(SIGN) * (snap["target"] - snap["value"])
    off = shortfall > tolerance / 100 * snap["target"].abs() + 1e-9  # 52 - 49.4 is 2.6000000000000014
    assert off.any()
    assert (snap.loc[off, "commentary"] != "").all()
    assert (snap.loc[off, "action"] != "").all()
    # text is in the indicator's words, and some on-track rows have a commentary too
    titles = zip(off_profile["title"].str[:12].str.lower(), off_profile["commentary"].str.lower(),
                 strict=True)
    assert any(title in commentary for title, commentary in titles)
    green = rows[~rows["profile"].isin(OFF_TRACK_PROFILES)]
    assert 0 < (green["commentary"] != "").mean() < 1


def test_forecasts_only_on_second_and_third_quarter_returns(demo, parts):
    rows = _own(demo, parts)
    forecast = rows["forecast_year_end"].notna()
    assert forecast.any()
    assert rows.loc[forecast, "quarter"].isin([2, 3]).all()
    assert (rows.loc[forecast, "frequency"] == "quarterly").all()
    comparator_rows = demo.merge(parts[["framework", "code", "part", "own_area"]])
    assert comparator_rows.loc[comparator_rows["area"] != comparator_rows["own_area"],
                               "forecast_year_end"].isna().all()
    q2_q3 = rows[rows["quarter"].isin([2, 3])]
    assert 0.25 < q2_q3["forecast_year_end"].notna().mean() < 0.75


def test_provisional_values_are_a_minority_most_often_in_the_latest_quarter(register, demo, parts):
    rows = _own(demo, parts)
    share = rows["provisional"].mean()
    assert 0.04 < share < 0.2, share
    last_year = rows.groupby("framework")["year"].transform("max")
    latest = rows[(rows["year"] == last_year) & rows["quarter"].isin([4, 0])]
    assert latest["provisional"].mean() > share


def test_profile_mix_is_close_to_intended_shares(tmp_path):
    register = read_register(write_register(tmp_path / "wide.xlsx", _rich_rows(fillers=300)))
    shares = demo_profiles(register)["profile"].value_counts(normalize=True)
    for profile, intended in zip(PROFILES, PROFILE_SHARES, strict=True):
        assert abs(shares.get(profile, 0.0) - intended) < 0.07, (profile, shares.to_dict())


def test_demo_profiles_lists_every_active_part_once(register, parts):
    profiles = demo_profiles(register)
    active = register.indicators[register.indicators["status"] == "active"]
    assert len(profiles) == len(active) == len(parts)
    assert set(profiles["profile"]) <= set(PROFILES)
    assert profiles.equals(demo_profiles(register))


def test_generate_demo_returns_on_an_empty_register_gives_an_empty_frame(register):
    empty = dataclasses.replace(register, indicators=register.indicators.iloc[0:0])
    frame = generate_demo_returns(empty)
    assert frame.empty and list(frame.columns) == RETURN_FRAME_COLUMNS
    assert np.issubdtype(frame["value"].dtype, np.floating)
