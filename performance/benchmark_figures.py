"""Charts of the comparison with benchmarks: the benchmark line and the area's interval on a
trajectory chart, and the compare-areas bar chart. Plotly only; no Streamlit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from performance import benchmarks as bm
from performance.figures import TEXT_COLOUR, part_label, trajectory_figure
from performance.intervals import limits_for_unit
from performance.rag import format_value
from performance.vocabulary import COMPARISON_LABELS

__all__ = ["AREA_ROW_COLUMNS", "BENCHMARK_COLOUR", "CHOSEN_AREA_COLOUR", "OTHER_AREA_COLOUR",
           "OWN_AREA_COLOUR", "add_benchmark", "area_figure", "area_rows", "area_sentence", "area_table",
           "benchmark_trajectory_figure", "compare_areas_figure", "no_benchmark_note", "same_kind_areas"]

# Okabe-Ito reddish purple: apart from the target blue and the status colours
BENCHMARK_COLOUR = "#CC79A7"
OWN_AREA_COLOUR = "#0072B2"
OTHER_AREA_COLOUR = "#B5B5B5"
INTERVAL_COLOUR = "#555555"
# Okabe-Ito orange: the area chosen in the area picker, apart from the own area's blue
CHOSEN_AREA_COLOUR = "#E69F00"


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


def benchmark_trajectory_figure(rows: pd.DataFrame, targets: pd.DataFrame | None, benchmark: str, *,
                                title: str | None = None, compact: bool = False) -> go.Figure:
    """The trajectory of one part (:func:`performance.figures.trajectory_figure`) with the
    benchmark's line and the area's 95% interval (:func:`add_benchmark`): the Forum's paper
    and the public scorecard draw this one figure.

    ``rows``: the part's rated rows with the benchmark columns
    (:func:`performance.benchmark_rating.with_benchmarks`); rows without them (no benchmark
    values read) give the plain trajectory.
    """
    figure = trajectory_figure(rows, targets, title=title, compact=compact)
    if rows is None or not len(rows) or "benchmark_value" not in rows:
        return figure
    return add_benchmark(figure, rows, benchmark)


def compare_areas_figure(values: pd.DataFrame, own_area: str, *, title: str, unit: str,
                         chosen: str | None = None) -> go.Figure:
    """Horizontal bars of one part and period in each area, sorted, the own area highlighted
    and, if another area is ``chosen`` (the area picker), that one too in its own colour.

    ``values``: ``area, value, lower_95, upper_95`` (limits may be NaN); one row per area.
    """
    frame = values.sort_values("value", kind="stable").reset_index(drop=True)
    colours = [OWN_AREA_COLOUR if a == own_area else CHOSEN_AREA_COLOUR if a == chosen else OTHER_AREA_COLOUR
               for a in frame["area"]]
    lower = frame["lower_95"].to_numpy(float)
    upper = frame["upper_95"].to_numpy(float)
    value = frame["value"].to_numpy(float)
    error = {"type": "data", "symmetric": False, "color": INTERVAL_COLOUR, "thickness": 1.5,
             "array": np.where(np.isfinite(upper), upper - value, 0.0),
             "arrayminus": np.where(np.isfinite(lower), value - lower, 0.0)}
    labels = [f"{a} (this area)" if a == own_area else f"{a} (chosen area)" if a == chosen and a != own_area
              else a for a in frame["area"]]
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


def no_benchmark_note(rows: pd.DataFrame, benchmark: str, label: str) -> str | None:
    """Why a part's chart has no benchmark line, when it has none: no value of ``benchmark`` for
    the part in any period of ``rows`` (rows with :func:`with_benchmarks`' columns). None when
    there is a line to draw."""
    if "benchmark_value" in rows and rows["benchmark_value"].notna().any():
        return None
    return (f"No {benchmark} value for {label} yet, so no {benchmark} line: benchmark values are "
            "imported on the Quarterly returns page or with `python manage.py import-comparators`.")


def add_benchmark_to_multiples(charts: list[tuple[str, go.Figure]], rows: pd.DataFrame,
                               benchmark: str) -> list[tuple[str, go.Figure]]:
    """:func:`add_benchmark` on each small multiple of ``performance.figures.small_multiples``,
    matched by its label ("NI 120 male") to the rows of its part."""
    by_label = {part_label(code, part): group
                for (code, part), group in rows.groupby(["code", "part"], sort=False, observed=True)}
    return [(label, add_benchmark(figure, by_label[label], benchmark) if label in by_label else figure)
            for label, figure in charts]


# --- the area picker: another local authority's values (issue 14 item 6) ----------------------

AREA_ROW_COLUMNS = [
    "framework", "code", "part", "period", "period_order", "unit", "area", "area_value", "count",
    "denominator", "lower_95", "upper_95", "lower_998", "upper_998", "benchmark", "benchmark_value",
    "benchmark_period", "compared_with_benchmark", "compared_with_benchmark_998", "comparison_reason",
    "source",
]
_RUNNING_TOTALS = ("cumulative_in_year", "cumulative_agreement")  # as benchmark_rating
_SIGN = {"higher_is_better": 1, "lower_is_better": -1}


def same_kind_areas(benchmark_values: pd.DataFrame, framework: str, own_area: str,
                    neighbours: set[str]) -> list[str]:
    """The areas of the framework's own kind with data: the own area first, then every
    statistical neighbour (a local authority, like the own area) with at least one value for
    the framework's parts. England, the region and Great Britain are of other kinds."""
    values = benchmark_values[benchmark_values["framework"] == framework]
    others = sorted(set(values["area"]) & (set(neighbours) - {own_area}), key=str.casefold)
    return [own_area, *others]


def area_rows(rows: pd.DataFrame, benchmark_values: pd.DataFrame, area: str, benchmark: str
              ) -> pd.DataFrame:
    """Another area's values of the parts in ``rows``, each compared with ``benchmark``.

    ``rows``: the own area's rated rows of an indicator (``framework, code, part, period,
    period_order, unit, polarity, measure``): they give the parts, their periods in order, unit
    and polarity. ``benchmark_values``: every area's values
    (``data_loaders.benchmarks_store.read_benchmark_values``). One row per part and period
    ``area`` has a value for (:data:`AREA_ROW_COLUMNS`): its 95% and 99.8% limits as the file
    gave them or else from its count and denominator (:mod:`performance.intervals`), the
    benchmark's latest value at or before the period (a running total: the same period only) and
    the comparison by the rules of :mod:`performance.benchmarks`. No target and no RAG status:
    those are the own area's only.
    """
    parts = rows.drop_duplicates(["framework", "code", "part", "period"])[
        ["framework", "code", "part", "period", "period_order", "unit", "polarity", "measure"]]
    parts = parts.assign(period=parts["period"].astype(str))
    key = ["framework", "code", "part", "period"]
    mine = benchmark_values[benchmark_values["area"] == area].merge(parts, on=key, how="inner")
    if not len(mine):
        return pd.DataFrame(columns=AREA_ROW_COLUMNS)
    mine = mine.sort_values(["part", "period_order"], kind="stable").reset_index(drop=True)
    bench = benchmark_values[benchmark_values["area"] == benchmark].merge(
        parts[[*key, "period_order"]], on=key, how="inner").sort_values("period_order", kind="stable")
    out = mine.rename(columns={"value": "area_value"})
    for column in ("count", "denominator", "lower_95", "upper_95", "lower_998", "upper_998"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float) if column in out \
            else np.nan
    for suffix, level in (("95", 0.95), ("998", 0.998)):
        lower, upper = limits_for_unit(out["unit"].astype(str).to_numpy(object), out["count"].to_numpy(float),
                                       out["denominator"].to_numpy(float), level)
        given = out[f"lower_{suffix}"].notna() & out[f"upper_{suffix}"].notna()
        out[f"lower_{suffix}"] = np.where(given, out[f"lower_{suffix}"], lower)
        out[f"upper_{suffix}"] = np.where(given, out[f"upper_{suffix}"], upper)
    # the benchmark's latest value at or before each period (bm.latest_at_or_before, the rule
    # with_benchmarks applies); a running total only the same period's
    value, period = np.full(len(out), np.nan), np.full(len(out), "", dtype=object)
    orders = out["period_order"].to_numpy()
    running = out["measure"].astype(str).isin(_RUNNING_TOTALS).to_numpy()
    for part, at in out.groupby("part", sort=False).indices.items():
        same_part = bench[bench["part"] == part]
        if not len(same_part):
            continue
        b_orders = same_part["period_order"].to_numpy()
        found, used = bm.latest_at_or_before(orders[at], b_orders, same_part["value"].to_numpy(float))
        taken = np.clip(used, 0, None)
        keep = (used >= 0) & (~running[at] | (b_orders[taken] == orders[at]))
        value[at] = np.where(keep, found, np.nan)
        period[at] = np.where(keep, same_part["period"].astype(str).to_numpy(object)[taken], "")
    sign = out["polarity"].map(_SIGN).fillna(0).to_numpy(float)
    out["benchmark"] = benchmark
    out["benchmark_value"], out["benchmark_period"] = value, period
    out["compared_with_benchmark"] = np.asarray(bm.COMPARISONS)[
        bm.compare(out["lower_95"], out["upper_95"], value, sign)]
    out["compared_with_benchmark_998"] = np.asarray(bm.COMPARISONS)[
        bm.compare(out["lower_998"], out["upper_998"], value, sign)]
    out["comparison_reason"] = bm.comparison_reason(out["lower_95"], out["upper_95"], value)
    out["area"] = area
    return out[AREA_ROW_COLUMNS]


def area_figure(table: pd.DataFrame, area: str, benchmark: str, *, title: str) -> go.Figure:
    """One part's values of another area (:func:`area_rows`) over time in its own colour, with
    the benchmark line and the area's 95% interval (:func:`add_benchmark`); no target line."""
    table = table.sort_values("period_order", kind="stable")
    unit = str(table["unit"].iloc[0]) if len(table) else ""
    fig = go.Figure(go.Scatter(
        x=table["period"].astype(str).tolist(), y=table["area_value"].to_numpy(float),
        mode="lines+markers", name=area, line={"color": CHOSEN_AREA_COLOUR, "width": 2},
        marker={"size": 8, "color": CHOSEN_AREA_COLOUR},
        hovertext=[f"{area} {format_value(v, unit)} ({p})"
                   for v, p in zip(table["area_value"], table["period"], strict=True)],
        hoverinfo="text"))
    fig = add_benchmark(fig, table, benchmark)
    fig.update_layout(title={"text": title}, height=360, font={"color": TEXT_COLOUR}, plot_bgcolor="white",
                      margin={"l": 10, "r": 10, "t": 50, "b": 30},
                      yaxis={"title": unit.replace("_", " ")}, legend={"orientation": "h"})
    return fig


def area_sentence(table: pd.DataFrame, label: str, area: str, benchmark: str) -> str:
    """One part's latest value of another area in words: "**NI 117, Slough, 2009/10 Q3:** 5.0%
    (95% interval 3.8% to 6.5%): better than benchmark, against England 7.5% (2009/10 Q1)."."""
    if not len(table):
        return f"**{label}:** no value for {area}."
    r = table.sort_values("period_order", kind="stable").iloc[-1]
    unit = str(r["unit"])
    interval = (f" (95% interval {format_value(r['lower_95'], unit)} to {format_value(r['upper_95'], unit)})"
                if np.isfinite(r["lower_95"]) else " (no interval)")
    against = (f"{benchmark} {format_value(r['benchmark_value'], unit)} ({r['benchmark_period']})"
               if np.isfinite(r["benchmark_value"]) else f"no {benchmark} value for this period or before")
    return (f"**{label}, {area}, {r['period']}:** {format_value(r['area_value'], unit)}{interval}: "
            f"{COMPARISON_LABELS[r['compared_with_benchmark']].lower()}, against {against}.")


def area_table(table: pd.DataFrame) -> pd.DataFrame:
    """Another area's values (:func:`area_rows`) for the screen and its downloads: the
    comparisons in words, no codes; the 95% limits to two decimals."""
    shown = table.rename(columns={"area_value": "value"})[
        ["part", "period", "area", "value", "lower_95", "upper_95", "benchmark", "benchmark_value",
         "benchmark_period", "compared_with_benchmark", "compared_with_benchmark_998",
         "comparison_reason", "source"]]
    limits = {c: shown[c].astype(float).round(2) for c in ("lower_95", "upper_95")}  # as the sentence reads
    return shown.assign(**limits, **{c: shown[c].map(COMPARISON_LABELS)
                                     for c in ("compared_with_benchmark", "compared_with_benchmark_998")})
