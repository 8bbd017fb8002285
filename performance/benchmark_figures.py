"""Charts of the comparison with benchmarks: the benchmark line and the area's interval on a
trajectory chart, and the compare-areas bar chart. Plotly only; no Streamlit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from performance.figures import TEXT_COLOUR, part_label
from performance.rag import format_value
from performance.vocabulary import COMPARISON_LABELS

__all__ = ["BENCHMARK_COLOUR", "OTHER_AREA_COLOUR", "OWN_AREA_COLOUR", "add_benchmark",
           "compare_areas_figure"]

# Okabe-Ito reddish purple: apart from the target blue and the status colours
BENCHMARK_COLOUR = "#CC79A7"
OWN_AREA_COLOUR = "#0072B2"
OTHER_AREA_COLOUR = "#B5B5B5"
INTERVAL_COLOUR = "#555555"


def add_benchmark(fig: go.Figure, rows: pd.DataFrame, benchmark: str) -> go.Figure:
    """Add the benchmark area's line and the own area's 95% interval to a trajectory figure.

    ``rows``: the part's rows with :data:`performance.benchmark_rating.BENCHMARK_COLUMNS`, in
    the figure's period order. The line is named after the area ("England (benchmark)") and marks
    each period's benchmark value (the latest at or before it); the interval is drawn as error
    bars on the values that have one.
    """
    rows = rows.sort_values("period_order", kind="stable")
    periods = rows["period"].astype(str).tolist()
    unit = str(rows["unit"].iloc[0]) if len(rows) else ""
    value = rows["benchmark_value"].to_numpy(float)
    if np.isfinite(value).any():
        hover = [f"{benchmark} {format_value(v, unit)} ({p})" if np.isfinite(v) else ""
                 for v, p in zip(value, rows["benchmark_period"].astype(str), strict=True)]
        fig.add_trace(go.Scatter(x=periods, y=value, name=f"{benchmark} (benchmark)", mode="lines+markers",
                                 line={"color": BENCHMARK_COLOUR, "dash": "dash", "width": 2},
                                 marker={"symbol": "diamond", "size": 7, "color": BENCHMARK_COLOUR},
                                 hovertext=hover, hoverinfo="text", connectgaps=False))
    lower = rows["lower_95"].to_numpy(float)
    upper = rows["upper_95"].to_numpy(float)
    own = rows["area_value"].to_numpy(float)
    has = np.isfinite(lower) & np.isfinite(upper) & np.isfinite(own)
    if has.any():
        words = rows["compared_with_benchmark"].astype(str).map(COMPARISON_LABELS).fillna("")
        fig.add_trace(go.Scatter(
            x=[p for p, h in zip(periods, has, strict=True) if h], y=own[has], mode="markers",
            name="95% confidence interval", marker={"size": 1, "color": INTERVAL_COLOUR},
            error_y={"type": "data", "symmetric": False, "array": (upper - own)[has],
                     "arrayminus": (own - lower)[has], "color": INTERVAL_COLOUR, "thickness": 1.5},
            hovertext=[f"{format_value(lo, unit)} to {format_value(up, unit)}: {w}"
                       for lo, up, w in zip(lower[has], upper[has], words[has], strict=True)],
            hoverinfo="text"))
    return fig


def compare_areas_figure(values: pd.DataFrame, own_area: str, *, title: str, unit: str) -> go.Figure:
    """Horizontal bars of one part and period in each area, sorted, the own area highlighted.

    ``values``: ``area, value, lower_95, upper_95`` (limits may be NaN); one row per area.
    """
    frame = values.sort_values("value", kind="stable").reset_index(drop=True)
    colours = [OWN_AREA_COLOUR if a == own_area else OTHER_AREA_COLOUR for a in frame["area"]]
    lower = frame["lower_95"].to_numpy(float)
    upper = frame["upper_95"].to_numpy(float)
    value = frame["value"].to_numpy(float)
    error = {"type": "data", "symmetric": False, "color": INTERVAL_COLOUR, "thickness": 1.5,
             "array": np.where(np.isfinite(upper), upper - value, 0.0),
             "arrayminus": np.where(np.isfinite(lower), value - lower, 0.0)}
    labels = [f"{a} (this area)" if a == own_area else a for a in frame["area"]]
    fig = go.Figure(go.Bar(
        x=value, y=labels, orientation="h", marker={"color": colours}, error_x=error,
        text=[format_value(v, unit) for v in value], textposition="outside",
        hovertext=[f"{a}: {format_value(v, unit)}" + (
            f" ({format_value(lo, unit)} to {format_value(up, unit)})" if np.isfinite(lo) else "")
            for a, v, lo, up in zip(frame["area"], value, lower, upper, strict=True)],
        hoverinfo="text", name="Compared with other areas"))
    fig.update_layout(title={"text": title}, height=120 + 40 * len(frame), showlegend=False,
                      margin={"l": 10, "r": 40, "t": 50, "b": 30}, font={"color": TEXT_COLOUR},
                      plot_bgcolor="white", xaxis={"title": unit.replace("_", " ")})
    return fig


def compare_areas_values(benchmark_values: pd.DataFrame, rows: pd.DataFrame, own_area: str
                         ) -> pd.DataFrame:
    """The areas to compare for one part at its latest period with a value: the own area (with
    its interval) and every benchmark area's latest value at or before that period."""
    with_value = rows[rows["area_value"].notna()].sort_values("period_order", kind="stable")
    if not len(with_value):
        return pd.DataFrame(columns=["area", "value", "lower_95", "upper_95"])
    latest = with_value.iloc[-1]
    first = rows.iloc[0]
    part = benchmark_values[(benchmark_values["framework"] == first["framework"])
                            & (benchmark_values["code"] == first["code"])
                            & (benchmark_values["part"] == first["part"])]
    order = {p: o for p, o in zip(rows["period"].astype(str), rows["period_order"], strict=True)}
    part = part.assign(order=part["period"].map(order))
    part = part[part["order"].notna() & (part["order"] <= latest["period_order"])]
    part = part.sort_values("order").drop_duplicates("area", keep="last")
    others = part.assign(lower_95=part.get("lower_95", np.nan), upper_95=part.get("upper_95", np.nan))
    own = pd.DataFrame([{"area": own_area, "value": latest["area_value"], "lower_95": latest.get("lower_95"),
                         "upper_95": latest.get("upper_95")}])
    return pd.concat([own, others[["area", "value", "lower_95", "upper_95"]]], ignore_index=True)


def part_title(rows: pd.DataFrame) -> str:
    """"NI 152, 2009/10 Q1, compared with other areas"."""
    first = rows.iloc[0]
    with_value = rows[rows["area_value"].notna()].sort_values("period_order", kind="stable")
    period = with_value.iloc[-1]["period"] if len(with_value) else ""
    return f"{part_label(first['code'], first['part'])}, {period}: compared with other areas"


def add_benchmark_to_multiples(charts: list[tuple[str, go.Figure]], rows: pd.DataFrame,
                               benchmark: str) -> list[tuple[str, go.Figure]]:
    """:func:`add_benchmark` on each small multiple of ``performance.figures.small_multiples``,
    matched by its label ("NI 120 male") to the rows of its part."""
    by_label = {part_label(code, part): group
                for (code, part), group in rows.groupby(["code", "part"], sort=False, observed=True)}
    return [(label, add_benchmark(figure, by_label[label], benchmark) if label in by_label else figure)
            for label, figure in charts]
