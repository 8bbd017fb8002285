"""The benchmark line, the interval and the compare-areas chart, built as plain figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from performance.benchmark_figures import (
    OTHER_AREA_COLOUR,
    OWN_AREA_COLOUR,
    add_benchmark,
    compare_areas_figure,
    compare_areas_values,
)

FW = "Luton LAA 2008-11"


def _rows():
    # NI 152 in a gap year: the rated value is the gap (-1.7), the area's own figure 14.0
    return pd.DataFrame({
        "framework": FW, "code": "NI 152", "part": "", "unit": "percent",
        "period": ["2009/10 Q1", "2009/10 Q2"], "period_order": [10045, 10046],
        "value": [np.nan, -1.7], "area_value": [np.nan, 14.0],
        "lower_95": [np.nan, 13.8], "upper_95": [np.nan, 14.2],
        "benchmark_value": [12.3, 12.3], "benchmark_period": ["2009/10 Q1", "2009/10 Q1"],
        "compared_with_benchmark": ["not_compared", "worse"]})


def test_add_benchmark_draws_the_benchmark_line_and_the_areas_interval():
    fig = add_benchmark(go.Figure(), _rows(), "England")
    line = next(t for t in fig.data if t.name == "England (benchmark)")
    assert list(line.y) == [12.3, 12.3]
    interval = next(t for t in fig.data if t.name == "95% confidence interval")
    assert list(interval.y) == [14.0]  # at the area's own figure, not the gap
    assert np.allclose(interval.error_y.array, [0.2]) and np.allclose(interval.error_y.arrayminus, [0.2])
    assert "Worse than benchmark" in interval.hovertext[0]


def test_compare_areas_values_take_the_areas_own_figure_and_each_latest_benchmark():
    values = pd.DataFrame({"framework": FW, "code": "NI 152", "part": "",
                           "area": ["England", "England", "East of England", "Great Britain"],
                           "period": ["2009/10 Q1", "2009/10 Q2", "2009/10 Q1", "2010/11 Q1"],
                           "value": [12.3, 12.1, 10.5, 11.0]})
    got = compare_areas_values(values, _rows(), "Luton").set_index("area")["value"].to_dict()
    assert got == {"Luton": 14.0, "England": 12.1, "East of England": 10.5}  # GB's is later


def test_compare_areas_figure_is_sorted_with_this_area_highlighted():
    frame = pd.DataFrame({"area": ["Luton", "England", "East of England"], "value": [14.0, 12.1, 10.5],
                          "lower_95": [13.8, np.nan, np.nan], "upper_95": [14.2, np.nan, np.nan]})
    fig = compare_areas_figure(frame, "Luton", title="NI 152", unit="percent")
    bar = fig.data[0]
    assert list(bar.y) == ["East of England", "England", "Luton (this area)"]
    assert list(bar.marker.color) == [OTHER_AREA_COLOUR, OTHER_AREA_COLOUR, OWN_AREA_COLOUR]
    assert np.allclose(bar.error_x.array, [0.0, 0.0, 0.2])


def test_small_multiples_get_the_benchmark_line_of_their_own_part():
    from performance.benchmark_figures import add_benchmark_to_multiples

    figures = [("NI 152", go.Figure()), ("NI 999", go.Figure())]
    charts = add_benchmark_to_multiples(figures, _rows(), "England")
    assert [t.name for t in charts[0][1].data][0] == "England (benchmark)"
    assert list(charts[1][1].data) == []  # no rows for that part: left as it was


@pytest.mark.parametrize(("values", "expected"), [
    ([float("nan"), float("nan")], "No England value for NI 117 yet, so no England line"),
    ([float("nan"), 7.5], None),
    ([], "No England value for NI 117 yet"),
])
def test_no_benchmark_note_says_why_a_chart_has_no_benchmark_line(values, expected):
    from performance.benchmark_figures import no_benchmark_note

    rows = pd.DataFrame({"benchmark_value": pd.Series(values, dtype=float)})
    note = no_benchmark_note(rows, "England", "NI 117")
    assert (note is None) if expected is None else note.startswith(expected)
