"""The sub-group's overview: counts with change, exceptions, filters that live in the URL."""

from __future__ import annotations

import pandas as pd
import pytest

from performance import rag
from performance.overview import (
    Filters,
    apply_filters,
    counts_sentence,
    exceptions,
    framework_slices,
    latest_period,
    rag_counts,
    signed,
    with_register_columns,
)

Q2, Q3 = "2009/10 Q2", "2009/10 Q3"


@pytest.fixture
def rated(build):
    """Four indicators on two boards: NEET green then red; NI 120 parts green and amber;
    NI 123 amber and worsening; NI 008 with a forecast short of its target."""
    b = build
    for code, board, polarity, baselines in [
        ("NI 117", "Children", "lower_is_better", {"": 7.2}),
        ("NI 120", "Health", "lower_is_better", {"male": 791, "female": 650}),
        ("NI 123", "Health", "higher_is_better", {"": 800}),
        ("NI 008", "Children", "higher_is_better", {"": 18.5}),
    ]:
        for part, baseline in baselines.items():
            b.indicator(code, part=part, theme_board=board, polarity=polarity, baseline=baseline,
                        unit="rate_per_100000" if code == "NI 120" else "percent",
                        lead_partner="NHS Luton" if board == "Health" else "LBC",
                        reward_eligible=code != "NI 123")
    b.target("NI 117", "2009/10", 6.5).target("NI 123", "2009/10", 940).target("NI 008", "2009/10", 21.5)
    b.target("NI 120", "2009/10", 770, part="male").target("NI 120", "2009/10", 575, part="female")
    b.ret("NI 117", Q2, 6.5).ret("NI 117", Q3, 7.4, commentary="Rise after the summer", action="Calls")
    b.ret("NI 120", Q3, 760, part="male").ret("NI 120", Q3, 620, part="female")
    b.ret("NI 123", Q2, 900).ret("NI 123", Q3, 870)
    b.ret("NI 008", Q3, 21.5, forecast_year_end=19.0)
    register = b.register()
    return with_register_columns(rag.rate(register), register)


def test_rag_counts_count_indicators_by_worst_part_with_change(rated):
    counts = rag_counts(rated, Q3).set_index("theme_board")
    overall = counts.loc["All theme boards"]
    # NI 117 red, NI 120 amber (worst of green male, amber female), NI 123 amber, NI 008 green
    assert (overall["red"], overall["amber"], overall["green"]) == (1, 2, 1)
    assert overall["red_change"] == 1 and overall["green_change"] == -1  # Q2: NI 117, NI 123 green
    assert counts.loc["Health", "amber"] == 2
    assert counts_sentence(counts.reset_index()).startswith("1 green, 2 amber, 1 red")


def test_exceptions_list_reds_worsening_ambers_and_short_forecasts(rated):
    listed = exceptions(rated, Q3).set_index(["code", "part"])["listed_for"].to_dict()
    assert listed[("NI 117", "")].startswith("Red")
    assert listed[("NI 123", "")] == "Amber and worsening; Year-end forecast misses target"
    assert listed[("NI 008", "")] == "Year-end forecast misses target"
    assert ("NI 120", "male") not in listed
    assert exceptions(rated, Q3).iloc[0]["commentary"] == "Rise after the summer"


@pytest.mark.parametrize(("query", "expected"), [
    ({}, Filters()),
    ({"theme_board": "Health"}, Filters(theme_board=["Health"])),
    ({"status": "red,amber", "reward_eligible": "no"},
     Filters(status=["red", "amber"], reward_eligible="no")),
    ({"reward_eligible": "maybe"}, Filters()),
])
def test_filters_from_query_read_url_parameters(query, expected):
    assert Filters.from_query(query) == expected


def test_filters_round_trip_through_the_url():
    filters = Filters(theme_board=["Health"], kind=["local"], status=["red"], reward_eligible="yes")
    assert Filters.from_query({k: ",".join(v) if isinstance(v, list) else v
                               for k, v in filters.to_query().items()}) == filters


@pytest.mark.parametrize(("filters", "codes"), [
    (Filters(theme_board=["Health"]), {"NI 120", "NI 123"}),
    (Filters(status=["red"]), {"NI 117"}),
    (Filters(lead_partner=["LBC"]), {"NI 117", "NI 008"}),
    (Filters(reward_eligible="no"), {"NI 123"}),
    (Filters(theme_board=["Health"], status=["amber"]), {"NI 120", "NI 123"}),
])
def test_apply_filters_keeps_matching_rows(rated, filters, codes):
    shown = apply_filters(rated[rated["period"] == Q3], filters)
    assert set(shown["code"]) == codes


def test_apply_filters_without_a_filter_returns_the_rows_as_they_are(rated):
    assert apply_filters(rated, Filters()) is rated  # no copy of every row of every period


def test_apply_filters_by_lead_partner_matches_any_named_partner(rated):
    joint = rated["lead_partner"].where(rated["code"] != "NI 123", "LBC; NHS Luton")
    shared = rated.assign(lead_partner=joint)
    assert set(apply_filters(shared, Filters(lead_partner=["LBC"]))["code"]) == {"NI 117", "NI 008", "NI 123"}


def test_exceptions_of_a_period_without_any_is_empty_with_the_column(rated):
    calm = rated[rated["code"] == "NI 120"]
    listed = exceptions(calm, "2009/10 Q1")
    assert listed.empty and "listed_for" in listed.columns


def test_latest_period_is_the_latest_with_a_value(rated):
    assert latest_period(rated) == Q3
    assert latest_period(rated.assign(period_value=float("nan"))) is None


def test_framework_slices_keep_each_frameworks_rows_together_and_in_order(rated):
    other = rated.assign(framework="Other")
    mixed = pd.concat([rated.iloc[:20], other.iloc[:10], rated.iloc[20:], other.iloc[10:]])
    frame, slices = framework_slices(mixed)
    assert list(slices) == [rated["framework"].iloc[0], "Other"]
    first, second = (frame.iloc[slices[name]] for name in slices)
    assert first.index.tolist() == rated.index.tolist() and second.index.tolist() == other.index.tolist()
    assert (first["framework"] == rated["framework"].iloc[0]).all() and (second["framework"] == "Other").all()
    together, same = framework_slices(rated)
    assert together is rated and same == {rated["framework"].iloc[0]: slice(0, len(rated))}


@pytest.mark.parametrize(("n", "text"), [(0, "no change"), (2, "+2"), (-1, "−1")])
def test_signed_writes_changes(n, text):
    assert signed(n) == text


@pytest.mark.parametrize("missing", [False, True], ids=["every part in the register", "a part missing"])
def test_with_register_columns_keeps_rates_categorical_keys_and_gives_a_merges_values(build, missing):
    b = build
    b.indicator("NI 117", lead_partner="LBC", kind="designated", reward_eligible=True)
    b.indicator("NI 120", part="male", lead_partner="NHS Luton", kind="local", reward_eligible=False)
    b.indicator("NI 120", part="female", lead_partner="NHS Luton", kind="local", reward_eligible=False)
    b.target("NI 117", "2009/10", 6.5).ret("NI 117", Q3, 7.4)
    register = b.register()
    rated = rag.rate(register)
    if missing:  # a part rated but since gone from the register: empty, as a left merge leaves it
        register.indicators = register.indicators[register.indicators["part"] != "female"]
    keys = ["framework", "code", "part"]
    added = ["kind", "lead_partner", "reward_eligible"]
    merged = rated.merge(register.indicators[[*keys, *added]], on=keys, how="left")

    out = with_register_columns(rated, register)

    # rate()'s categoricals kept: a merge turned them into a Python string per row (28 MB
    # more in the app's cached frame at 150 areas)
    assert all(isinstance(out[c].dtype, pd.CategoricalDtype) for c in keys)
    assert list(out.columns) == list(merged.columns) and out.index.equals(rated.index)
    pd.testing.assert_frame_equal(out[added].astype(object).reset_index(drop=True),
                                  merged[added].astype(object), check_dtype=False)
    assert out[added].isna().any().any() == missing
