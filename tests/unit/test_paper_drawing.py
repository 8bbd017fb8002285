"""The Forum's paper draws the app's trajectory figures as PDF vectors (``performance.paper.
figure_drawing``): the benchmark's dashed line and the area's 95% intervals as error bars are
drawn as Plotly would show them, checked on the drawing's own shapes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from reportlab.graphics.shapes import Line, PolyLine
from reportlab.lib import colors

from performance.benchmark_figures import BENCHMARK_COLOUR, benchmark_trajectory_figure
from performance.benchmark_rating import with_benchmarks
from performance.paper import _error_bars, figure_drawing
from tests.unit.test_figures import LAA, NEET, part_rows, rated, register  # noqa: F401 (fixtures)

PERIODS = ["2009/10 Q1", "2009/10 Q2", "2009/10 Q3"]
ERROR = "#555555"


def _shapes(drawing):
    return list(drawing.contents)


def _vertical_error_lines(drawing, colour=ERROR) -> list[tuple[float, float, float]]:
    """(x, lower y, upper y) of each vertical line in the error bars' colour."""
    want = colors.HexColor(colour)
    return [(s.x1, min(s.y1, s.y2), max(s.y1, s.y2)) for s in _shapes(drawing)
            if isinstance(s, Line) and s.strokeColor == want and s.x1 == s.x2 and s.y1 != s.y2]


@pytest.mark.parametrize(("error_y", "expected"), [
    # asymmetric, as add_benchmark gives the 95% limits: 3 above, 1 below
    ({"type": "data", "symmetric": False, "array": [3, 3, 3], "arrayminus": [1, 1, 1]},
     [(10, 9, 13), (20, 19, 23), (30, 29, 33)]),
    # symmetric by default without an arrayminus (plotly.js)
    ({"type": "data", "array": [2, 2, 2]}, [(10, 8, 12), (20, 18, 22), (30, 28, 32)]),
    # an arrayminus without "symmetric" makes them asymmetric (plotly.js)
    ({"type": "data", "array": [2, 2, 2], "arrayminus": [0.5, 0.5, 0.5]},
     [(10, 9.5, 12), (20, 19.5, 22), (30, 29.5, 32)]),
    # said symmetric: the arrayminus is not used
    ({"type": "data", "symmetric": True, "array": [2, 2, 2], "arrayminus": [9, 9, 9]},
     [(10, 8, 12), (20, 18, 22), (30, 28, 32)]),
    ({"type": "data", "array": [2, 2, 2], "visible": False}, []),
    ({}, []),
])
def test_error_bars_are_read_as_plotly_draws_them(error_y, expected):
    trace = go.Scatter(x=PERIODS, y=[10, 20, 30], mode="markers", error_y=error_y)
    got = [(y, low, high) for _, y, low, high in _error_bars(trace)]
    assert got == expected


def test_error_bars_skip_points_without_a_value_or_limit():
    trace = go.Scatter(x=PERIODS, y=[10, None, 30], mode="markers",
                       error_y={"type": "data", "symmetric": False, "array": [1, 1, np.nan],
                                "arrayminus": [1, 1, np.nan]})
    assert [(x, low, high) for x, _, low, high in _error_bars(trace)] == [
        ("2009/10 Q1", 9, 11), ("2009/10 Q3", 30, 30)]


def test_drawing_has_a_vertical_error_bar_per_interval_spanning_its_limits():
    fig = go.Figure(go.Scatter(x=PERIODS, y=[10, 20, 30], mode="markers", marker={"size": 1},
                               error_y={"type": "data", "symmetric": False, "array": [5, 5, 5],
                                        "arrayminus": [5, 5, 5], "color": ERROR}))
    bars = _vertical_error_lines(figure_drawing(fig, 300, 120))
    assert len(bars) == 3
    xs = [x for x, _, _ in bars]
    assert xs == sorted(xs) and len(set(xs)) == 3  # one per period, left to right
    spans = [high - low for _, low, high in bars]
    assert np.allclose(spans, spans[0]) and spans[0] > 10  # equal limits, drawn to scale
    # the lowest limit (5) and the highest (35) are inside the plot: the axis was widened
    assert min(low for _, low, _ in bars) > 20 and max(high for _, _, high in bars) < 120 - 4


def test_paper_chart_draws_the_benchmark_dashed_and_the_interval_as_an_error_bar(rated):  # noqa: F811
    """NI 117 (NEET, percent) with counts of 1,000 young people and England at 7.5% from Q1."""
    series = pd.DataFrame([{"framework": LAA, "code": "NI 117", "part": "", "period": p, "value": v,
                            "numerator": round(v * 10), "denominator": 1000.0} for p, v, _ in NEET])
    values = pd.DataFrame([{"framework": LAA, "code": "NI 117", "part": "", "area": "England",
                            "period": "2009/10 Q1", "value": 7.5}])
    rows = with_benchmarks(part_rows(rated, "NI 117"), "England", values, series)
    fig = benchmark_trajectory_figure(rows, None, "England", compact=True)
    assert "England (benchmark)" in [t.name for t in fig.data]
    drawing = figure_drawing(fig, 300, 120)
    purple = colors.HexColor(BENCHMARK_COLOUR)
    dashed = [s for s in _shapes(drawing) if isinstance(s, PolyLine) and s.strokeColor == purple]
    assert len(dashed) == 1 and dashed[0].strokeDashArray == [3, 2]
    assert len(set(dashed[0].points[1::2])) == 1  # England's 7.5% level, carried forward
    bars = _vertical_error_lines(drawing)
    assert len(bars) == len(NEET)  # a 95% interval on each value with a count
    assert all(high > low for _, low, high in bars)


def test_paper_chart_without_benchmark_columns_is_the_plain_trajectory(rated):  # noqa: F811
    fig = benchmark_trajectory_figure(part_rows(rated, "NI 117"), None, "England", compact=True)
    assert "England (benchmark)" not in [t.name for t in fig.data]
    assert _vertical_error_lines(figure_drawing(fig, 300, 120)) == []
