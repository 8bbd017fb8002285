"""Another area of the framework's own kind: which areas, its values compared with the
benchmark, its chart, and the compare-areas chart highlighting it (plain functions)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from performance.benchmark_figures import AREA_ROW_COLUMNS as COLUMNS
from performance.benchmark_figures import (
    CHOSEN_AREA_COLOUR,
    OTHER_AREA_COLOUR,
    OWN_AREA_COLOUR,
    area_figure,
    area_rows,
    area_sentence,
    area_table,
    compare_areas_figure,
    same_kind_areas,
)

FW = "Luton LAA 2008-11"


def _values(rows):
    frame = pd.DataFrame(rows, columns=["area", "code", "part", "period", "value", "count", "denominator",
                                        "lower_95", "upper_95"])
    return frame.assign(framework=FW, lower_998=np.nan, upper_998=np.nan, source="ONS (example)")


def _rated(polarity="lower_is_better", measure="snapshot", unit="percent"):
    periods = ["2009/10 Q1", "2009/10 Q2", "2009/10 Q3"]
    return pd.DataFrame({"framework": FW, "code": "NI 117", "part": "", "period": periods,
                         "period_order": [1, 2, 3], "unit": unit, "polarity": polarity, "measure": measure})


@pytest.mark.parametrize(("areas", "neighbours", "expected"), [
    (["England", "Great Britain"], set(), ["Luton"]),  # other kinds: no picker
    (["England", "Slough"], {"Slough", "Bedford"}, ["Luton", "Slough"]),  # Bedford has no values
    (["bedford", "Slough"], {"Slough", "bedford"}, ["Luton", "bedford", "Slough"]),
    (["Slough"], set(), ["Luton"]),  # no longer a member
])
def test_same_kind_areas_are_the_own_area_and_neighbours_with_values(areas, neighbours, expected):
    values = _values([(a, "NI 117", "", "2009/10 Q1", 5.0, None, None, None, None) for a in areas])
    assert same_kind_areas(values, FW, "Luton", neighbours) == expected


def test_same_kind_areas_only_count_values_of_the_framework():
    values = _values([("Slough", "NI 117", "", "2009/10 Q1", 5.0, None, None, None, None)]).assign(
        framework="Luton Section 256 2013/14")
    assert same_kind_areas(values, FW, "Luton", {"Slough"}) == ["Luton"]


# NEET (lower is better). Slough 50 of 1,000 = 5.0% (Wilson 95%: 3.82% to 6.53%).
@pytest.mark.parametrize(("england", "polarity", "expected"), [
    (7.5, "lower_is_better", "better"),   # England above Slough's upper limit
    (5.5, "lower_is_better", "similar"),  # inside
    (3.0, "lower_is_better", "worse"),
    (7.5, "higher_is_better", "worse"),
    (7.5, "not_applicable", "lower"),
    (None, "lower_is_better", "not_compared"),
])
def test_area_rows_compare_the_chosen_area_with_the_benchmark(england, polarity, expected):
    rows = [("Slough", "NI 117", "", "2009/10 Q3", 5.0, 50, 1000, None, None)]
    if england is not None:
        rows.append(("England", "NI 117", "", "2009/10 Q1", england, None, None, None, None))
    got = area_rows(_rated(polarity), _values(rows), "Slough", "England")
    assert list(got.columns) == COLUMNS
    r = got.iloc[0]
    assert (r["area"], r["period"], r["area_value"]) == ("Slough", "2009/10 Q3", 5.0)
    assert r["lower_95"] == pytest.approx(3.82, abs=0.01) and r["upper_95"] == pytest.approx(6.53, abs=0.01)
    assert r["compared_with_benchmark"] == expected
    if england is not None:  # the latest England value at or before the period, and which
        assert (r["benchmark_value"], r["benchmark_period"]) == (england, "2009/10 Q1")
    else:
        assert r["comparison_reason"] == "no benchmark value for this period or before"


def test_area_rows_use_the_files_limits_and_no_later_benchmark_value():
    values = _values([("Slough", "NI 117", "", "2009/10 Q2", 5.0, None, None, 4.0, 6.0),
                      ("England", "NI 117", "", "2009/10 Q3", 9.0, None, None, None, None)])
    r = area_rows(_rated(), values, "Slough", "England").iloc[0]
    assert (r["lower_95"], r["upper_95"]) == (4.0, 6.0)
    assert np.isnan(r["benchmark_value"]) and r["compared_with_benchmark"] == "not_compared"


def test_a_running_total_is_compared_only_with_the_same_period():
    values = _values([("Slough", "NI 117", "", "2009/10 Q2", 5.0, None, None, 4.0, 6.0),
                      ("England", "NI 117", "", "2009/10 Q1", 9.0, None, None, None, None)])
    r = area_rows(_rated(measure="cumulative_in_year"), values, "Slough", "England").iloc[0]
    assert r["compared_with_benchmark"] == "not_compared"


def test_area_rows_are_empty_for_an_area_without_values_of_the_indicator():
    values = _values([("England", "NI 117", "", "2009/10 Q1", 9.0, None, None, None, None)])
    assert area_rows(_rated(), values, "Slough", "England").empty


def test_area_figure_has_the_areas_line_the_benchmark_and_the_interval_but_no_target():
    values = _values([("Slough", "NI 117", "", "2009/10 Q2", 5.0, 50, 1000, None, None),
                      ("Slough", "NI 117", "", "2009/10 Q3", 5.5, 55, 1000, None, None),
                      ("England", "NI 117", "", "2009/10 Q1", 7.5, None, None, None, None)])
    fig = area_figure(area_rows(_rated(), values, "Slough", "England"), "Slough", "England",
                      title="NI 117: Slough")
    names = [t.name for t in fig.data]
    assert names == ["Slough", "England (benchmark)", "95% confidence interval"]
    assert list(fig.data[0].x) == ["2009/10 Q2", "2009/10 Q3"]
    assert fig.data[0].line.color == CHOSEN_AREA_COLOUR
    assert "Better than benchmark" in fig.data[2].hovertext[0]


def test_compare_areas_figure_highlights_the_chosen_area_beside_this_area():
    frame = pd.DataFrame({"area": ["Luton", "England", "Slough"], "value": [6.5, 7.5, 5.0],
                          "lower_95": np.nan, "upper_95": np.nan})
    bar = compare_areas_figure(frame, "Luton", title="NI 117", unit="percent", chosen="Slough").data[0]
    assert list(bar.y) == ["Slough (chosen area)", "Luton (this area)", "England"]
    assert list(bar.marker.color) == [CHOSEN_AREA_COLOUR, OWN_AREA_COLOUR, OTHER_AREA_COLOUR]


def test_area_sentence_and_table_say_the_comparison_in_words():
    values = _values([("Slough", "NI 117", "", "2009/10 Q3", 5.0, 50, 1000, None, None),
                      ("England", "NI 117", "", "2009/10 Q1", 7.5, None, None, None, None)])
    rows = area_rows(_rated(), values, "Slough", "England")
    assert area_sentence(rows, "NI 117", "Slough", "England") == (
        "**NI 117, Slough, 2009/10 Q3:** 5.0% (95% interval 3.81% to 6.53%): better than benchmark, "
        "against England 7.5% (2009/10 Q1).")
    assert area_sentence(rows.iloc[0:0], "NI 117", "Slough", "England") == "**NI 117:** no value for Slough."
    table = area_table(rows)
    assert table["compared_with_benchmark"].tolist() == ["Better than benchmark"]
    assert table["compared_with_benchmark_998"].tolist() == ["Similar to benchmark"]  # 99.8%: wider
    assert "area_value" not in table and table["value"].tolist() == [5.0]
