"""Plotly figures of the dashboard: trajectories, small multiples, RAG counts.

(The three-year status matrix is an HTML table: :mod:`performance.matrix`.)

Pure builders: each takes frames from :func:`performance.rag.rate` (and the register's targets)
and returns a ``plotly.graph_objects.Figure``; no Streamlit, no database. Statuses are drawn
with the palette, labels and symbols of :mod:`performance.vocabulary` only, and every status
carries a marker shape or a symbol as well as its colour, so colour is never the only cue.

What a trajectory shows, in the terms of the values it plots:

- values in the measure's terms (year to date, running total, level), except that a
  ``gap_to_comparator`` year is drawn as the own-area figure with its target turned into one
  (comparator + target gap). NI 151 then reads as one employment-rate line across the
  agreement, and its original 72% target stays comparable with the refreshed one;
- the target of each period as the engine profiled it (a step per year for a snapshot; rising
  through the year for a year-to-date count), the original target where the refresh changed it,
  the baseline, and the tolerance band on the worse side of the target.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from performance.rag import format_value
from performance.register import Register
from performance.vocabulary import STATUS_COLOURS, STATUS_LABELS, STATUS_SYMBOLS, STATUSES, status_badge

__all__ = [
    "BAND_COLOUR",
    "BASELINE_COLOUR",
    "COMPARATOR_COLOUR",
    "MARKER_SYMBOLS",
    "TARGET_COLOUR",
    "UNIT_WORDS",
    "part_label",
    "small_multiples",
    "status_counts_figure",
    "trajectory_figure",
]

# --- colours of the lines that are not statuses (statuses use vocabulary.STATUS_COLOURS) ----
# Okabe-Ito blue for targets: no status colour is blue, so a target is never read as a status.
TARGET_COLOUR = "#0072B2"
BAND_COLOUR = "rgba(0, 114, 178, 0.13)"
BASELINE_COLOUR = "#555555"
COMPARATOR_COLOUR = "#999999"
VALUE_LINE_COLOUR = "#B5B5B5"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#E6E6E6"

# Plotly marker shapes that echo vocabulary.STATUS_SYMBOLS (● ▲ ■ ○ – ·).
MARKER_SYMBOLS = {
    "green": "circle", "amber": "triangle-up", "red": "square",
    "no_data": "circle-open", "not_due": "line-ew-open", "no_target": "circle-dot",
}

# The unit in words for axis titles.
UNIT_WORDS = {
    "percent": "%", "percentage_points": "percentage points", "count": "number",
    "rate_per_1000": "per 1,000", "rate_per_10000": "per 10,000", "rate_per_100000": "per 100,000",
    "days": "days", "tonnes_per_capita": "tonnes per head", "level": "level", "score": "score",
    "ratio": "ratio",
}

_SLOTS, _ANNUAL_SLOT = 5, 4  # period_order = year * 5 + slot (Q1..Q4 = 0..3, annual = 4)
_SIGN = {"higher_is_better": 1, "lower_is_better": -1}
_HEIGHT, _COMPACT_HEIGHT = 440, 260
_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "color": TEXT_COLOUR}


def part_label(code: str, part: str) -> str:
    """The label of an indicator part: ``"NI 117"``, ``"NI 120 male"``."""
    return f"{code} {part}".strip() if isinstance(part, str) else str(code)


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(str(text), width)) if text else ""


def _finite(x) -> bool:
    return x is not None and isinstance(x, int | float | np.integer | np.floating) and math.isfinite(x)


def _tick_text(period: str, order: int, shown_years: set[int], quarters_shown: bool) -> str:
    """Two-line tick: the quarter, and the year under the first period shown of each year."""
    year, slot = divmod(int(order), _SLOTS)
    label_year = str(period).split(" ")[0]
    if slot == _ANNUAL_SLOT:
        head = "Year" if quarters_shown else label_year
        return f"{head}<br>{label_year}" if quarters_shown and year not in shown_years else head
    head = f"Q{slot + 1}"
    return f"{head}<br>{label_year}" if year not in shown_years else head


# --- trajectory of one indicator part ---------------------------------------------------------


def _shown_rows(part: pd.DataFrame) -> pd.DataFrame:
    """The periods a chart shows, in timeline order.

    Quarters of a quarterly part, annual periods of an annual or survey part, and any other
    period that holds a value (an annual outturn of a quarterly part, say): twelve empty
    quarters would only push an annual indicator's three points into a corner.
    """
    part = part.sort_values("period_order", kind="stable")
    annual = (part["period_order"] % _SLOTS) == _ANNUAL_SLOT
    quarterly = part["frequency"] == "quarterly"
    has_value = part["period_value"].notna()
    keep = (quarterly & ~annual) | (~quarterly & annual) | has_value
    return part[keep.to_numpy()]


def _plot_terms(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Value, targets and forecasts as drawn: own-area figures for gap years, else as rated."""
    sign = rows["polarity"].astype(object).map(_SIGN).fillna(0).to_numpy(dtype=float)
    comp = rows["comparator_value"].to_numpy(dtype=float)
    gap = (rows["measure"] == "gap_to_comparator").to_numpy()
    orig_gap = (rows["original_measure"] == "gap_to_comparator").to_numpy()

    def own(values: np.ndarray, is_gap: np.ndarray) -> np.ndarray:
        # A gap is oriented "higher is better": own - comparator (higher is better) or
        # comparator - own (lower is better); both give own = comparator + sign * gap.
        return np.where(is_gap, comp + sign * values, values)

    removed = rows["removed"].to_numpy(dtype=bool)
    # A target the engine does not rate against (placeholder 0, removed indicator, no
    # polarity) would only mislead on a chart.
    rated_target = (rows["status"] != "no_target").to_numpy() & ~removed
    target = np.where(rated_target, own(rows["target"].to_numpy(dtype=float), gap), np.nan)
    original = np.where(rated_target, own(rows["original_target"].to_numpy(dtype=float), orig_gap), np.nan)
    return {
        "value": np.where(gap, rows["period_value"].to_numpy(dtype=float),
                          rows["value"].to_numpy(dtype=float)),
        "target": target,
        "original": original,
        "forecast": own(rows["forecast_year_end"].to_numpy(dtype=float), gap),
        "forecast_target": own(rows["forecast_target"].to_numpy(dtype=float), gap),
        "gap": gap,
    }


def _tolerance(rows: pd.DataFrame) -> np.ndarray:
    """Tolerance in the unit: points where set, else percent of the target (in the measure's terms)."""
    points = rows["tolerance_points"].to_numpy(dtype=float)
    pct = rows["tolerance_pct"].fillna(0).to_numpy(dtype=float)
    return np.where(np.isnan(points), pct / 100.0 * np.abs(rows["target"].to_numpy(dtype=float)), points)


def _tolerance_words(points: float, pct: float, unit: str) -> str:
    if not _finite(points):
        return f"{pct:g}% of the target"
    return f"{points:g} percentage points" if unit == "percent" else format_value(points, unit)


def _axis_title(rows: pd.DataFrame) -> str:
    unit = str(rows["unit"].iloc[0]) if len(rows) else ""
    words = UNIT_WORDS.get(unit, unit.replace("_", " "))
    measures = set(rows["measure"].dropna())
    if measures == {"cumulative_in_year"}:
        return f"{words}, year to date"
    if measures == {"cumulative_agreement"}:
        first = rows["first_year"].iloc[0]
        return f"{words}, running total since {first}" if first else f"{words}, running total"
    return words


def _baseline(rows: pd.DataFrame) -> np.ndarray:
    """The baseline as drawn: one level for a snapshot (a flat line); profiled like the target for a
    year-to-date or running measure, so it compares with the values beside it."""
    used = rows["baseline_used"].to_numpy(dtype=float)
    flat = rows["measure"].isin(["snapshot", "level", "gap_to_comparator"]).to_numpy()
    level = used[flat & np.isfinite(used)]
    if len(level):
        # gap years carry no baseline of their own: the own-area baseline still applies there
        return np.where(flat, level[0], used)
    return used


def _open(symbol: str) -> str:
    """The open (hollow) variant of a Plotly marker symbol: how a provisional value is drawn."""
    if "open" in symbol:
        return symbol
    return symbol[: -len("-dot")] + "-open-dot" if symbol.endswith("-dot") else symbol + "-open"


def _outline(status: str) -> str:
    """Marker outline: the status colour, or a mid grey for the light grey statuses, whose own
    colours are made for cell backgrounds and vanish as markers on white."""
    return STATUS_COLOURS[status] if status in ("green", "amber", "red") else COMPARATOR_COLOUR


def _value_hover(r, value: float, target: float, unit: str) -> str:
    status = str(r.status)
    lines = [f"<b>{r.period}</b>", f"{status_badge(status)}: {format_value(value, unit)}"]
    if _finite(target):
        lines.append(f"Target: {format_value(target, unit)}")
    if r.measure == "gap_to_comparator" and _finite(r.comparator_value):
        lines.append(f"{r.comparator}: {format_value(r.comparator_value, unit)}")
    flags = [f for f, on in (("provisional", r.provisional), ("illustrative demo value", r.is_demo)) if on]
    if flags:
        lines.append(f"({'; '.join(flags)})")
    reason = getattr(r, "reason", None)
    if isinstance(reason, str) and reason:
        lines.append(_wrap(reason))
    return "<br>".join(lines)


def _target_notes(targets: pd.DataFrame | None, rows: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Per (year, version): the target as written and who decided it, for hover text."""
    if targets is None or not len(targets) or not len(rows):
        return {}
    first = rows.iloc[0]
    mine = targets[(targets["framework"] == first["framework"]) & (targets["code"] == first["code"])
                   & (targets["part"] == first["part"])]
    notes = {}
    for t in mine.itertuples(index=False):
        text = str(getattr(t, "text", "") or "").strip()
        decided = str(getattr(t, "decided_by", "") or "").strip()
        effective = pd.to_datetime(getattr(t, "effective_from", None), errors="coerce")
        when = "" if pd.isna(effective) else f" from {effective:%d %b %Y}"
        parts = [f"As written: {text}" if text else ""]
        if t.version == "refreshed":
            parts.append(_wrap(f"Refreshed{when}" + (f" ({decided})" if decided else "")))
        notes[(str(t.year), str(t.version))] = "<br>".join(p for p in parts if p)
    return notes


def _step_trace(x, y, *, name, colour, dash, hover, width=2.0, label: str | None = None,
                compact: bool = False, markers: bool = False) -> go.Scatter:
    # "hvh" puts each period's level across its own slot, so a yearly target reads as a step
    # that changes between Q4 and the next Q1 rather than sloping across the year. A short
    # dash marker at each period keeps a one-period run (an annual part's last year) visible.
    text = None
    mode = "lines+markers" if markers else "lines"
    if label and not compact:
        # The label goes just right of the line's last point, into the right margin.
        last = max((i for i, v in enumerate(y) if _finite(v)), default=None)
        # en spaces keep the words clear of a value marker sitting on the last point
        text = [f"\u2002\u2002{label}" if i == last else "" for i in range(len(y))]
        mode += "+text"
    return go.Scatter(
        x=x, y=y, name=name, mode=mode, line={"color": colour, "dash": dash, "width": width, "shape": "hvh"},
        marker={"symbol": "line-ew", "size": 14 if compact else 18, "color": colour,
                "line": {"width": width, "color": colour}},
        connectgaps=False, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        text=text, textposition="middle right", textfont={"color": colour, "size": 11}, cliponaxis=False,
    )


def trajectory_figure(rated_part: pd.DataFrame, targets: pd.DataFrame | None = None, *,
                      title: str | None = None, compact: bool = False) -> go.Figure:
    """The trajectory of ONE indicator part over the agreement.

    ``rated_part``: the rows of one part from :func:`performance.rag.rate` (any order; a
    ``reason`` column, e.g. from :func:`performance.rag.explain`, goes into the hover text).
    ``targets``: the register's targets (all versions; only this part's rows are used) for the
    target as written and who refreshed it; may be None.

    Traces, named in plain words: "Tolerance" (band on the worse side of the target; none for a
    level), "Baseline" (dashed), "Original target" (dotted, only in years the refresh changed),
    "Target" (solid step with a marker per period), the comparator area (gap years), one trace
    per status of the values ("Green", "Amber", "Red", ... coloured and shaped by status; open
    markers for provisional values) and "Forecast" (open diamond at the year end of a year not
    yet complete). x is categorical: period labels in timeline order.

    ``compact=True`` makes a small multiple: 260 px high, no legend, tight margins, title
    code + part.
    """
    if rated_part is None or not len(rated_part):
        height = _COMPACT_HEIGHT if compact else _HEIGHT
        fig = go.Figure(layout={"title": {"text": title or ""}, "height": height})
        fig.add_annotation(text="No periods to show", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        return fig
    # Traces are collected and the figure built once: adding them one by one to a Figure
    # re-validates the layout each time and made a board's small multiples sluggish.
    traces: list[go.Scatter] = []

    rows = _shown_rows(rated_part)
    if not len(rows):  # e.g. only the quarters of an annual part were passed: show them as given
        rows = rated_part.sort_values("period_order", kind="stable")
    first = rows.iloc[0]
    label = part_label(first["code"], first["part"])
    unit = str(first["unit"])
    x = rows["period"].astype(str).tolist()
    orders = rows["period_order"].to_numpy(dtype=np.int64)
    terms = _plot_terms(rows)
    target, original = terms["target"], terms["original"]
    sign = _SIGN.get(str(first["polarity"]), 0)
    notes = _target_notes(targets, rows)
    years = rows["year"].astype(str).to_numpy()
    versions = rows["target_version"].astype(str).to_numpy()
    records = list(rows.itertuples(index=False))
    fmt = lambda v: format_value(v, unit)

    # Tolerance band: from the target to target -/+ tolerance on the worse side. Levels have
    # none (a level is reached or not).
    if sign and not (rows["measure"] == "level").all():
        tol = np.where(rows["measure"].to_numpy() == "level", np.nan, _tolerance(rows))
        edge = target - sign * tol
        has_band = np.isfinite(edge) & np.isfinite(target)
        if has_band.any():
            scheme = rows["scheme"].astype(str).to_numpy()
            zone = np.where(scheme == "target_with_tolerance", "amber within it", "still green within it")
            tol_words = [_tolerance_words(p, pct, unit) for p, pct in
                         zip(rows["tolerance_points"], rows["tolerance_pct"].fillna(0), strict=True)]
            band_hover = [f"<b>{p}</b><br>Tolerance: {w}, to {fmt(e)} ({z})" if ok else ""
                          for p, w, e, z, ok in zip(x, tol_words, edge, zone, has_band, strict=True)]
            edge_y, target_y = np.where(has_band, edge, np.nan), np.where(has_band, target, np.nan)
            traces.append(go.Scatter(
                x=x, y=target_y, mode="lines", line={"width": 0, "shape": "hvh"}, showlegend=False,
                hoverinfo="skip", name="Tolerance (target edge)", legendgroup="tolerance"))
            traces.append(go.Scatter(
                x=x, y=edge_y, mode="lines", line={"width": 0, "shape": "hvh"}, fill="tonexty",
                fillcolor=BAND_COLOUR, name="Tolerance", legendgroup="tolerance",
                hovertext=band_hover, hovertemplate="%{hovertext}<extra></extra>"))

    # Baseline
    baseline = _baseline(rows)
    if np.isfinite(baseline).any():
        hover = [f"<b>{p}</b><br>Baseline: {fmt(b)}" if _finite(b) else ""
                 for p, b in zip(x, baseline, strict=True)]
        traces.append(_step_trace(x, baseline, name="Baseline", colour=BASELINE_COLOUR, dash="dash",
                                  hover=hover, width=1.5, label="baseline", compact=compact))

    # Original target, only in the years where the refresh changed it
    differs = (np.isfinite(original) & np.isfinite(target)
               & ~np.isclose(original, target, rtol=1e-9, atol=1e-12))
    changed_years = set(years[differs])
    if changed_years:
        in_changed = np.isin(years, list(changed_years)) & np.isfinite(original)
        orig_y = np.where(in_changed, original, np.nan)
        hover = [f"<b>{p}</b><br>Original target: {fmt(o)}" + (
            f"<br>{notes[(y, 'original')]}" if (y, "original") in notes else "") if ok else ""
            for p, o, y, ok in zip(x, orig_y, years, in_changed, strict=True)]
        traces.append(_step_trace(x, orig_y, name="Original target", colour=TARGET_COLOUR, dash="dot",
                                  hover=hover, label="original target", compact=compact, markers=True))

    # Target (current version) with a marker at every period: the profiled quarterly targets
    if np.isfinite(target).any():
        hover = []
        for p, t, y, v, r in zip(x, target, years, versions, records, strict=True):
            if not _finite(t):
                hover.append("")
                continue
            line = f"<b>{p}</b><br>Target: {fmt(t)}"
            if r.measure == "gap_to_comparator" and _finite(r.comparator_value):
                line += (f"<br>({r.comparator} {fmt(r.comparator_value)} and a target gap of "
                         f"{r.target:+g} points)")
            elif r.measure == "cumulative_in_year" and r.period != r.year:
                line += f" year to date (of {fmt(r.year_target)} for the year)"
            note = notes.get((y, v))
            hover.append(line + (f"<br>{note}" if note else ""))
        traces.append(go.Scatter(
            x=x, y=target, name="Target", mode="lines+markers", connectgaps=False,
            line={"color": TARGET_COLOUR, "width": 2.5, "shape": "hvh"},
            # a dash per period: the profiled target of each quarter, visible even for a
            # one-period run such as an annual part's last year
            marker={"color": TARGET_COLOUR, "size": 14 if compact else 18, "symbol": "line-ew",
                    "line": {"width": 2.5, "color": TARGET_COLOUR}},
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))

    # The comparator area, where a year is measured as a gap to it
    gap = terms["gap"]
    comp = np.where(gap, rows["comparator_value"].to_numpy(dtype=float), np.nan)
    if np.isfinite(comp).any():
        area = str(first["comparator"]) or "Comparator"
        hover = [f"<b>{p}</b><br>{area}: {fmt(c)}" if _finite(c) else ""
                 for p, c in zip(x, comp, strict=True)]
        traces.append(_step_trace(x, comp, name=area, colour=COMPARATOR_COLOUR, dash="longdash", hover=hover,
                                  width=1.5))

    # Values: a thin line for the trajectory, then markers by status
    value = terms["value"]
    has_value = np.isfinite(value)
    if has_value.any():
        traces.append(go.Scatter(
            x=[p for p, ok in zip(x, has_value, strict=True) if ok], y=value[has_value], mode="lines",
            line={"color": VALUE_LINE_COLOUR, "width": 1.5}, hoverinfo="skip", showlegend=False,
            name="Values"))
    statuses = rows["status"].astype(str).to_numpy()
    provisional = rows["provisional"].to_numpy(dtype=bool)
    for status in ("green", "amber", "red", "no_target", "not_due", "no_data"):
        pick = np.flatnonzero(has_value & (statuses == status))
        if not len(pick):
            continue
        # Firm values first: the legend draws its swatch from the first point, so an open
        # (provisional) marker never stands for the whole status.
        pick = pick[np.argsort(provisional[pick], kind="stable")]
        symbols = [_open(MARKER_SYMBOLS[status]) if provisional[i] else MARKER_SYMBOLS[status] for i in pick]
        traces.append(go.Scatter(
            x=[x[i] for i in pick], y=value[pick], name=STATUS_LABELS[status], mode="markers",
            marker={"color": STATUS_COLOURS[status], "symbol": symbols, "size": 9 if compact else 12,
                    "line": {"width": 2 if compact else 2.5, "color": _outline(status)}},
            hovertext=[_value_hover(records[i], value[i], target[i], unit) for i in pick],
            hovertemplate="%{hovertext}<extra></extra>"))

    if not compact and provisional[has_value].any():
        # Legend key for the open markers (a legend swatch shows one point only).
        traces.append(go.Scatter(
            x=[None], y=[None], mode="markers", name="Provisional (open marker)",
            marker={"symbol": "circle-open", "size": 12, "color": BASELINE_COLOUR,
                    "line": {"width": 2.5, "color": BASELINE_COLOUR}}))
    traces += _forecast_traces(rows, x, orders, terms, unit, compact)
    return go.Figure(data=traces, layout=_trajectory_layout(rows, x, orders, label, title, compact))


def _forecast_traces(rows: pd.DataFrame, x: list[str], orders: np.ndarray,
                     terms: dict[str, np.ndarray], unit: str, compact: bool) -> list[go.Scatter]:
    """The year-end forecast of the latest year with a return, at its Q4 (or annual) position,
    while that year has no Q4 or annual value. An earlier year without a year-end value stays a
    gap: a projection there would hide the missing return."""
    forecast, fc_target, value = terms["forecast"], terms["forecast_target"], terms["value"]
    year_of, slot = orders // _SLOTS, orders % _SLOTS
    entered = np.isfinite(value) | np.isfinite(forecast)
    if not entered.any():
        return []
    in_year = year_of == year_of[entered].max()
    if (in_year & (slot >= 3) & np.isfinite(value)).any():
        return []  # the year is complete: its forecast is history
    candidates = np.flatnonzero(in_year & np.isfinite(forecast))
    where = np.flatnonzero(in_year & (slot == 3))
    if not len(where):
        where = np.flatnonzero(in_year & (slot == _ANNUAL_SLOT))
    if not len(candidates) or not len(where):
        return []
    src, at = candidates[-1], where[0]  # the latest forecast of the year, drawn at its end
    row = rows.iloc[src]
    status = str(row["forecast_status"])
    basis = ("officer's forecast" if row["forecast_basis"] == "officer"
             else "projection from the latest return")
    returned = np.flatnonzero(in_year[: src + 1] & np.isfinite(value[: src + 1]))
    based = f", from {x[returned[-1]]}" if len(returned) else ""
    badge = status_badge(status) if status in STATUS_LABELS else "Not rated"
    lines = [f"<b>Year-end forecast {row['year']}</b> ({basis}{based})",
             f"{badge}: {format_value(forecast[src], unit)}"]
    if _finite(fc_target[src]):
        lines.append(f"Year's target: {format_value(fc_target[src], unit)}")
    # Coloured by the forecast's status; the hover names it, so colour is not the only cue.
    colour = STATUS_COLOURS.get(status, BASELINE_COLOUR)
    return [go.Scatter(
        x=[x[at]], y=[forecast[src]], name="Forecast",
        mode="markers" if compact else "markers+text", text=["forecast"],
        textposition="middle right", textfont={"size": 11, "color": BASELINE_COLOUR}, cliponaxis=False,
        marker={"symbol": "diamond-open", "size": 11 if compact else 15, "color": [colour],
                "line": {"width": 2.5, "color": [colour]}},
        hovertext=["<br>".join(lines)], hovertemplate="%{hovertext}<extra></extra>")]


def _trajectory_layout(rows: pd.DataFrame, x: list[str], orders: np.ndarray, label: str,
                       title: str | None, compact: bool) -> dict:
    first = rows.iloc[0]
    quarters_shown = bool((orders % _SLOTS != _ANNUAL_SLOT).any())
    seen: set[int] = set()
    ticks = []
    for p, o in zip(x, orders, strict=True):
        ticks.append(_tick_text(p, o, seen, quarters_shown))
        seen.add(int(o) // _SLOTS)
    if compact:
        # A small multiple has room for the years only: one tick under the first period of each.
        keep = [i for i, o in enumerate(orders) if i == 0 or orders[i - 1] // _SLOTS != o // _SLOTS]
        tickvals = [x[i] for i in keep]
        ticktext = [str(rows["year"].iloc[i]) for i in keep]
    else:
        tickvals, ticktext = x, ticks
    unit = str(first["unit"])
    yaxis = {"title": {"text": _axis_title(rows)}, "gridcolor": GRID_COLOUR, "zeroline": False}
    if unit == "level":
        yaxis.update(tickmode="linear", dtick=1)
    elif unit == "percent":
        yaxis["ticksuffix"] = "%"
        if compact:  # the ticks already say "%": keep a small multiple's width for the data
            yaxis["title"] = {"text": ""}
    demo = bool(rows.loc[rows["period_value"].notna(), "is_demo"].any())
    if compact:
        text = label + (" <span style='font-size:11px'>(illustrative)</span>" if demo else "")
    else:
        text = title if title is not None else f"{label} · {first['title']}"
        if demo:
            text += "<br><span style='font-size:12px'>Illustrative demo values: not reported by anyone</span>"
    return dict(
        title={"text": text, "x": 0.01, "xanchor": "left", "font": {"size": 14 if compact else 17}},
        height=_COMPACT_HEIGHT if compact else _HEIGHT,
        margin={"l": 45, "r": 10, "t": 36, "b": 30} if compact else {"l": 60, "r": 110, "t": 70, "b": 60},
        showlegend=not compact,
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "font": {"size": 12}},
        plot_bgcolor="white", paper_bgcolor="white", font={**_FONT, "size": 11 if compact else 13},
        hoverlabel={"bgcolor": "white", "font": {"color": TEXT_COLOUR}, "align": "left"},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": x, "tickmode": "array",
               "tickvals": tickvals, "ticktext": ticktext, "showgrid": False, "linecolor": GRID_COLOUR},
        yaxis=yaxis,
    )


# --- small multiples ------------------------------------------------------------------------------


def small_multiples(rated: pd.DataFrame, targets: pd.DataFrame | None,
                    register: Register | None = None) -> list[tuple[str, go.Figure]]:
    """One compact trajectory per indicator part of ``rated``: ``[("NI 117", fig), ("NI 120 male", fig)]``.

    In register order (the order of ``register.indicators``; the order of ``rated`` when no
    register is given). Each figure is :func:`trajectory_figure` with ``compact=True``, for a
    page to lay out in a grid.
    """
    keys = ["framework", "code", "part"]
    if not len(rated):
        return []
    groups = {k: g for k, g in rated.groupby(keys, sort=False)}
    order = list(groups)
    if register is not None and len(register.indicators):
        position = {tuple(k): i for i, k in enumerate(register.indicators[keys].itertuples(index=False))}
        order.sort(key=lambda k: position.get(tuple(k), len(position)))
    return [(part_label(code, part), trajectory_figure(groups[(fw, code, part)], targets, compact=True))
            for fw, code, part in order]


# --- RAG counts per theme board -----------------------------------------------------------------


def status_counts_figure(counts: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars of the indicators of each status per theme board.

    ``counts``: one row per theme board (a ``theme_board`` column, else the index) and one
    column per status named as in ``STATUSES`` (missing statuses count 0; other columns, such
    as ``red_change`` from ``performance.overview.rag_counts``, are ignored). Boards top to
    bottom in the given order; bars worst first (red, amber, green, then the greys).
    """
    frame = counts.set_index("theme_board") if "theme_board" in counts.columns else counts
    boards = [str(b) for b in frame.index]
    fig = go.Figure()
    for status in STATUSES:
        column = frame[status] if status in frame.columns else pd.Series(0, index=frame.index)
        n = column.fillna(0).astype(int).to_numpy()
        if not n.any():
            continue
        fig.add_trace(go.Bar(
            y=boards, x=n, orientation="h", name=status_badge(status),
            marker={"color": STATUS_COLOURS[status], "line": {"width": 1, "color": "white"}},
            text=[f"{STATUS_SYMBOLS[status]} {v}" if v else "" for v in n], textposition="inside",
            insidetextanchor="middle", textfont={"color": TEXT_COLOUR},
            hovertemplate=f"%{{y}}<br>{status_badge(status)}: %{{x}}<extra></extra>"))
    fig.update_layout(
        barmode="stack", height=max(200, 110 + 42 * len(boards)),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        plot_bgcolor="white", paper_bgcolor="white", font={**_FONT, "size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        xaxis={"title": {"text": "Number of indicators"}, "gridcolor": GRID_COLOUR, "dtick": 5},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return fig
