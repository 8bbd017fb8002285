"""The dashboard's Plotly figures, built from the real register rated by the real engine.

Each test adds a few hand-made returns to the Luton register (``indicators.xlsx``) and checks
what the figure holds: trace names, colours, values at their periods, hover text.
"""

from __future__ import annotations

import dataclasses
import math
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data_loaders.workbook import read_register
from performance import figures
from performance.demo import generate_demo_returns
from performance.figures import (
    part_label,
    small_multiples,
    status_counts_figure,
    trajectory_figure,
)
from performance.matrix import status_grid, status_matrix_html
from performance.rag import explain, rate
from performance.register import current_targets
from performance.vocabulary import STATUS_COLOURS, STATUS_LABELS, STATUS_SYMBOLS, STATUSES

LAA = "Luton LAA 2008-11"
STATUS_NAMES = {STATUS_LABELS[s]: s for s in STATUSES}

# NI 117 NEET (lower is better, baseline 7.2%, targets 6.9 / 6.5 / 6.2) through 2010/11 Q2.
NEET = (
    ("2008/09 Q1", 7.1, False),   # within 5% of 6.9: green
    ("2008/09 Q2", 7.0, False),   # green
    ("2008/09 Q3", 7.3, False),   # worse than the 7.2 baseline: red
    ("2009/10 Q1", 7.0, False),   # rag-rules.md: 7.7% off 6.5, better than baseline: amber
    ("2009/10 Q2", 6.6, True),    # green, provisional
    ("2010/11 Q1", 6.5, False),   # green
    ("2010/11 Q2", 6.45, True),   # green, provisional; the year is not complete: forecast
)


def returns_frame(rows) -> pd.DataFrame:
    """Returns in the register's columns: (code, part, area, period, value[, provisional])."""
    out = []
    for code, part, area, period, value, *rest in rows:
        out.append({"framework": LAA, "code": code, "part": part, "area": area, "period": period,
                    "value": value, "provisional": bool(rest and rest[0]), "commentary": "",
                    "action": "", "forecast_year_end": math.nan, "source": "test_figures",
                    "is_demo": False})
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def register():
    return read_register()


@pytest.fixture(scope="module")
def rated(register):
    """The real register plus hand-made returns for NI 117, NI 125, NI 151 and NI 188."""
    extra = returns_frame([
        *[("NI 117", "", "Luton", p, v, prov) for p, v, prov in NEET],
        ("NI 125", "", "Luton", "2009/10", 93.0),     # 92% refreshed (95% original): green
        ("NI 151", "", "Luton", "2010/11 Q1", 66.4),  # gap to GB 74.3% = -7.9 vs -7.5: amber
        ("NI 188", "", "Luton", "2009/10", 2.0),      # Level 2 against Level 3: amber
        ("NI 188", "", "Luton", "2010/11", 2.0),      # Level 2 against Level 4: red
    ])
    populated = dataclasses.replace(register, returns=pd.concat([register.returns, extra], ignore_index=True))
    frame = rate(populated)
    return frame[frame["framework"] == LAA]


def part_rows(rated: pd.DataFrame, code: str, part: str = "", *, reasons: bool = True) -> pd.DataFrame:
    rows = rated[(rated["code"] == code) & (rated["part"] == part)]
    return rows.assign(reason=explain(rows).to_numpy()) if reasons else rows


def trace(fig, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, f"{name!r} not (once) in {[t.name for t in fig.data]}"
    return found[0]


def names(fig) -> set[str]:
    return {t.name for t in fig.data if t.showlegend is not False}


def at(tr, period: str) -> float:
    """The y of a trace at a period (NaN where the trace has no value there)."""
    y = dict(zip(tr.x, tr.y, strict=True)).get(period)
    return math.nan if y is None else float(y)


# --- trajectory ------------------------------------------------------------------------------


def test_trajectory_neet_holds_plain_named_traces(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 117"), register.targets)
    assert names(fig) == {"Tolerance", "Baseline", "Target", "Green", "Amber", "Red",
                          "Provisional (open marker)", "Forecast"}
    assert "Original target" not in names(fig)  # NI 117's targets were never refreshed


@pytest.mark.parametrize("status", ["green", "amber", "red"])
def test_trajectory_status_markers_match_the_rating(register, rated, status):
    rows = part_rows(rated, "NI 117")
    fig = trajectory_figure(rows, register.targets)
    expected = rows[(rows["status"] == status) & rows["value"].notna()]
    tr = trace(fig, STATUS_LABELS[status])
    drawn = sorted(zip(tr.x, tr.y, strict=True))
    assert drawn == sorted(zip(expected["period"], expected["value"], strict=True))
    assert tr.marker.color == STATUS_COLOURS[status]
    assert tr.marker.line.color == STATUS_COLOURS[status]


@pytest.mark.parametrize(("period", "status", "value"), [
    ("2008/09 Q1", "green", 7.1),
    ("2008/09 Q3", "red", 7.3),
    ("2009/10 Q1", "amber", 7.0),
    ("2009/10", "green", 6.55),  # the real, provisional annual outturn (line 576)
])
def test_trajectory_neet_values_sit_at_their_periods(register, rated, period, status, value):
    tr = trace(trajectory_figure(part_rows(rated, "NI 117"), register.targets), STATUS_LABELS[status])
    assert at(tr, period) == pytest.approx(value)


def test_trajectory_marker_shapes_differ_per_status_and_open_for_provisional(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 117"), register.targets)
    shapes = {name: set(trace(fig, name).marker.symbol) for name in ("Green", "Amber", "Red")}
    assert shapes == {"Green": {"circle", "circle-open"}, "Amber": {"triangle-up"}, "Red": {"square"}}
    green = trace(fig, "Green")
    opened = {x for x, s in zip(green.x, green.marker.symbol, strict=True) if s.endswith("open")}
    assert opened == {"2009/10 Q2", "2009/10", "2010/11 Q2"}  # the provisional ones


def test_trajectory_hover_names_status_value_target_and_reason(register, rated):
    tr = trace(trajectory_figure(part_rows(rated, "NI 117"), register.targets), "Amber")
    hover = dict(zip(tr.x, tr.hovertext, strict=True))["2009/10 Q1"]
    assert "▲ Amber: 7.0%" in hover
    assert "Target: 6.5%" in hover
    assert "better than the baseline of 7.2%" in hover  # the reason from rag.explain


def test_trajectory_hover_marks_provisional_values(register, rated):
    tr = trace(trajectory_figure(part_rows(rated, "NI 117"), register.targets), "Green")
    hover = dict(zip(tr.x, tr.hovertext, strict=True))
    assert "(provisional)" in hover["2009/10 Q2"]
    assert "(provisional)" not in hover["2008/09 Q1"]


def test_trajectory_target_line_equals_the_registers_current_targets(register, rated):
    tr = trace(trajectory_figure(part_rows(rated, "NI 117"), register.targets), "Target")
    current = current_targets(register.targets)
    current = current[(current["framework"] == LAA) & (current["code"] == "NI 117")]
    by_year = dict(zip(current["year"], current["value"], strict=True))
    assert len(tr.x) == 13  # twelve quarters and the one annual outturn recorded
    for period, y in zip(tr.x, tr.y, strict=True):
        assert y == pytest.approx(by_year[period.split(" ")[0]])


def test_trajectory_x_axis_is_timeline_order_with_recorded_annual_periods_only(register, rated):
    rows = part_rows(rated, "NI 117").sample(frac=1, random_state=1)  # order must not matter
    fig = trajectory_figure(rows, register.targets)
    assert list(fig.layout.xaxis.categoryarray) == [
        "2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4",
        "2009/10 Q1", "2009/10 Q2", "2009/10 Q3", "2009/10 Q4", "2009/10",
        "2010/11 Q1", "2010/11 Q2", "2010/11 Q3", "2010/11 Q4",
    ]


def test_trajectory_annual_part_shows_years_only(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 125"), register.targets)
    assert list(fig.layout.xaxis.categoryarray) == ["2008/09", "2009/10", "2010/11"]


@pytest.mark.parametrize(("code", "current", "original"), [
    # NI 125: 95% renegotiated to 92% for 09/10 and 97% to 95% for 10/11 (register targets).
    ("NI 125", {"2008/09": 92.0, "2009/10": 92.0, "2010/11": 95.0},
     {"2008/09": math.nan, "2009/10": 95.0, "2010/11": 97.0}),
    # NI 151: the refreshed 10/11 target is a gap of -7.5 to GB (74.3%), drawn as Luton's
    # rate 66.8%; the original was 72%. No target before 10/11.
    ("NI 151", {"2009/10 Q4": math.nan, "2010/11 Q1": 66.8, "2010/11 Q4": 66.8},
     {"2009/10 Q4": math.nan, "2010/11 Q1": 72.0, "2010/11 Q4": 72.0}),
])
def test_trajectory_refreshed_and_original_targets_both_drawn_where_they_differ(
        register, rated, code, current, original):
    fig = trajectory_figure(part_rows(rated, code), register.targets)
    target, before = trace(fig, "Target"), trace(fig, "Original target")
    assert target.line.dash in (None, "solid")
    assert before.line.dash == "dot"
    for period, y in current.items():
        assert at(target, period) == pytest.approx(y, nan_ok=True)
    for period, y in original.items():
        assert at(before, period) == pytest.approx(y, nan_ok=True)


def test_trajectory_original_target_matches_the_registers_original_version(register, rated):
    t = register.targets
    orig = t[(t["code"] == "NI 125") & (t["version"] == "original") & (t["year"] == "2010/11")]
    fig = trajectory_figure(part_rows(rated, "NI 125"), register.targets)
    assert at(trace(fig, "Original target"), "2010/11") == pytest.approx(orig["value"].iloc[0])


def test_trajectory_gap_year_plots_own_rate_with_comparator(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 151"), register.targets)
    assert at(trace(fig, "Amber"), "2010/11 Q1") == pytest.approx(66.4)  # Luton, not the -7.9 gap
    assert at(trace(fig, "Great Britain"), "2010/11 Q1") == pytest.approx(74.3)
    hover = dict(zip(trace(fig, "Amber").x, trace(fig, "Amber").hovertext, strict=True))["2010/11 Q1"]
    assert "Great Britain: 74.3%" in hover and "-7.9 percentage points" in hover


def test_trajectory_tolerance_band_on_the_worse_side_of_a_percent_target(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 117"), register.targets)
    band = trace(fig, "Tolerance")
    assert band.fill == "tonexty"
    # lower is better: the band runs up from the target by 5% of it
    assert at(band, "2008/09 Q1") == pytest.approx(6.9 * 1.05)
    assert at(band, "2009/10 Q3") == pytest.approx(6.5 * 1.05)
    edge = next(t for t in fig.data if t.name == "Tolerance (target edge)")
    assert at(edge, "2008/09 Q1") == pytest.approx(6.9)


def test_trajectory_tolerance_band_below_target_when_higher_is_better(register, rated):
    band = trace(trajectory_figure(part_rows(rated, "NI 125"), register.targets), "Tolerance")
    assert at(band, "2009/10") == pytest.approx(92 * 0.95)


def test_trajectory_level_measure_has_no_band(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 188"), register.targets)
    assert "Tolerance" not in names(fig)
    assert at(trace(fig, "Amber"), "2009/10") == 2.0
    assert at(trace(fig, "Red"), "2010/11") == 2.0
    assert [at(trace(fig, "Target"), y) for y in ("2008/09", "2009/10", "2010/11")] == [2.0, 3.0, 4.0]


def test_trajectory_baseline_is_a_flat_dashed_line(register, rated):
    base = trace(trajectory_figure(part_rows(rated, "NI 117"), register.targets), "Baseline")
    assert base.line.dash == "dash"
    assert set(np.round(base.y, 6)) == {7.2}


def test_trajectory_forecast_sits_at_the_year_end_of_an_incomplete_year(register, rated):
    rows = part_rows(rated, "NI 117")
    fig = trajectory_figure(rows, register.targets)
    forecast = trace(fig, "Forecast")
    q2 = rows[rows["period"] == "2010/11 Q2"].iloc[0]
    assert list(forecast.x) == ["2010/11 Q4"]  # 2008/09 and 2009/10 have year-end values
    assert forecast.y[0] == pytest.approx(q2["forecast_year_end"])
    assert forecast.marker.symbol == "diamond-open"
    assert forecast.marker.color == (STATUS_COLOURS[q2["forecast_status"]],)
    assert "Year-end forecast 2010/11" in forecast.hovertext[0]
    assert "projection" in forecast.hovertext[0]


@pytest.mark.parametrize(("code", "part", "title"), [
    ("NI 117", "", "%"),
    ("NI 120", "male", "per 100,000"),
    ("NI 123", "", "per 100,000, year to date"),
    ("NI 154", "", "number, running total since 2008/09"),
    ("NI 181", "", "days"),
    ("NI 186", "", "tonnes per head"),
])
def test_trajectory_y_axis_names_the_unit_in_words(register, rated, code, part, title):
    fig = trajectory_figure(part_rows(rated, code, part, reasons=False), register.targets)
    assert fig.layout.yaxis.title.text == title


def test_trajectory_demo_values_are_marked_illustrative(register):
    demo = dataclasses.replace(register, returns=pd.concat(
        [register.returns, generate_demo_returns(register)], ignore_index=True))
    rows = part_rows(rate(demo), "NI 117", reasons=False)
    fig = trajectory_figure(rows, register.targets)
    hovers = [h for t in fig.data if t.name in STATUS_NAMES for h in t.hovertext]
    demo_points = rows["is_demo"] & rows["period_value"].notna()
    assert sum("illustrative demo value" in h for h in hovers) == demo_points.sum() > 0
    assert "Illustrative demo values" in fig.layout.title.text


@pytest.mark.parametrize(("compact", "height", "legend"), [(True, 260, False), (False, 440, True)])
def test_trajectory_compact_is_small_without_legend(register, rated, compact, height, legend):
    fig = trajectory_figure(part_rows(rated, "NI 117"), register.targets, compact=compact)
    assert fig.layout.height == height
    assert fig.layout.showlegend is legend
    assert fig.layout.title.text.startswith("NI 117")


def test_trajectory_title_given_is_used(register, rated):
    fig = trajectory_figure(part_rows(rated, "NI 117"), register.targets, title="NEET")
    assert fig.layout.title.text == "NEET"


# --- small multiples --------------------------------------------------------------------------


def test_small_multiples_one_compact_figure_per_part_in_register_order(register, rated):
    board = rated[rated["theme_board"] == "Health and Well-Being Board"]
    charts = small_multiples(board.iloc[::-1], register.targets, register)  # reversed on purpose
    ind = register.indicators
    ind = ind[(ind["framework"] == LAA) & (ind["theme_board"] == "Health and Well-Being Board")]
    assert [label for label, _ in charts] == [part_label(c, p) for c, p in zip(ind["code"], ind["part"],
                                                                              strict=True)]
    assert charts[0][0] == "NI 120 male"
    assert all(fig.layout.height == 260 and fig.layout.showlegend is False for _, fig in charts)


# --- status matrix (an HTML table: performance.matrix) -----------------------------------------


class _Cells(HTMLParser):
    """The matrix's body rows as lists of (class, title, text) per cell, the row header first."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[tuple[str, str, str]]] = []
        self.legend: list[str] = []
        self._cell: list | None = None
        self._in_body = self._in_legend = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_body:
            self._cell = [a.get("class") or "", a.get("title") or "", ""]
        elif tag == "div" and a.get("class") == "lsp-legend":
            self._in_legend = True

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))
            self._cell = None
        elif tag == "div":
            self._in_legend = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        elif self._in_legend and data.strip():
            self.legend.append(data.strip())


def cells(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def quarters(rated):
    return rated[rated["period"].str.contains("Q")]


def test_status_matrix_one_row_per_part_one_column_per_period(quarters):
    grid = status_grid(quarters)
    n_parts = len(quarters[["code", "part"]].drop_duplicates())
    assert grid.status.shape == (n_parts, 12)
    assert grid.periods == [f"{y} Q{q}" for y in ("2008/09", "2009/10", "2010/11") for q in (1, 2, 3, 4)]
    labels = grid.parts["label"].tolist()
    assert labels[:3] == ["NI 001", "NI 007", "NI 008"]  # register order, top down
    assert "NI 120 male" in labels and "NI 187 SAP below 35" in labels
    rows = cells(status_matrix_html(grid)).rows
    assert len(rows) == n_parts
    assert [r[0][2] for r in rows] == labels  # the row header names the part
    assert all(len(r) == 2 + 12 for r in rows)  # part, title, a cell per period


def test_status_matrix_year_end_column_follows_each_years_quarters(rated):
    grid = status_grid(rated)
    assert grid.periods[:6] == ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4", "2008/09",
                                "2009/10 Q1"]
    html = status_matrix_html(grid)
    assert html.count('scope="colgroup" colspan="5"') == 3  # one heading per year over its columns


def test_status_matrix_cells_carry_status_class_and_symbol(quarters):
    grid = status_grid(quarters)
    rows = cells(status_matrix_html(grid)).rows
    index = {label: i for i, label in enumerate(grid.parts["label"])}
    column = {p: j for j, p in enumerate(grid.periods)}
    for r in quarters.itertuples(index=False):
        klass, title, text = rows[index[part_label(r.code, r.part)]][2 + column[r.period]]
        assert klass.split()[0] == f"s-{r.status}"
        assert text == STATUS_SYMBOLS[r.status]
        assert f"{r.period}: {STATUS_SYMBOLS[r.status]} {STATUS_LABELS[r.status]}" in title


def test_status_matrix_fills_are_the_vocabulary_palette(quarters):
    html = status_matrix_html(status_grid(quarters))
    for status in STATUSES:
        assert f"td.s-{status}{{background:{STATUS_COLOURS[status]}}}" in html


def test_status_matrix_hover_gives_part_period_status_and_reason(quarters):
    neet = quarters[quarters["code"] == "NI 117"]
    grid = status_grid(neet, explain(neet))
    row = cells(status_matrix_html(grid)).rows[0]
    assert row[1][1].startswith("16-18 year olds who are not in education")  # the title cell
    lines = row[2 + grid.periods.index("2009/10 Q1")][1].split("\n")
    assert lines[0] == "NI 117 · 2009/10 Q1: ▲ Amber"
    assert "better than the baseline of 7.2%" in lines[1]


def test_status_matrix_reasons_default_to_the_reason_column(quarters):
    neet = quarters[quarters["code"] == "NI 117"]
    with_reason = neet.assign(reason=explain(neet).to_numpy())
    assert status_grid(with_reason).reason.tolist() == status_grid(neet, explain(neet)).reason.tolist()


def test_status_matrix_legend_shows_all_six_statuses_with_symbols(quarters):
    legend = cells(status_matrix_html(status_grid(quarters))).legend
    assert legend == [x for s in STATUSES for x in (STATUS_SYMBOLS[s], STATUS_LABELS[s])]


def test_status_matrix_pages_lay_out_only_their_parts(quarters):
    whole = status_grid(quarters)
    page = status_grid(quarters, start=10, rows=5)
    assert (page.start, page.total, len(page)) == (10, len(whole), 5)
    assert page.parts["label"].tolist() == whole.parts["label"].tolist()[10:15]
    assert page.periods == whole.periods
    assert page.status.tolist() == whole.status[10:15].tolist()
    assert page.reason.tolist() == whole.reason[10:15].tolist()
    rows = cells(status_matrix_html(page)).rows
    assert [r[0][2] for r in rows] == whole.parts["label"].tolist()[10:15]
    assert len(status_grid(quarters, start=len(whole) - 2, rows=5)) == 2


def test_status_matrix_escapes_text(quarters):
    odd = quarters[quarters["code"] == "NI 117"].assign(title='<b onmouseover="x()">NEET & co</b>',
                                                        reason="a < b")
    html = status_matrix_html(status_grid(odd))
    assert "<b onmouseover" not in html and "&lt;b onmouseover=&quot;x()&quot;&gt;NEET &amp; co" in html
    assert "a &lt; b" in html


def test_status_matrix_names_the_framework_when_two_share_a_code(quarters):
    neet = quarters[quarters["code"] == "NI 117"]
    other = neet.assign(framework="Another framework")
    grid = status_grid(pd.concat([neet, other], ignore_index=True))
    assert grid.parts["label"].tolist() == [f"NI 117 ({LAA})", "NI 117 (Another framework)"]


def test_status_matrix_marks_the_period_shown(quarters):
    html = status_matrix_html(status_grid(quarters), current="2009/10 Q3")
    assert html.count('class="now"') == 1
    assert '<th scope="col" class="now" title="2009/10 Q3">Q3</th>' in html
    assert 'class="now"' not in status_matrix_html(status_grid(quarters))


def test_status_matrix_of_no_rows_is_empty(quarters):
    assert len(status_grid(quarters.iloc[:0])) == 0


# --- status counts ----------------------------------------------------------------------------


def test_status_counts_bars_per_board_in_palette(rated):
    counts = pd.crosstab(rated.loc[rated["period"] == "2009/10 Q1", "theme_board"],
                         rated.loc[rated["period"] == "2009/10 Q1", "status"])
    fig = status_counts_figure(counts)
    for t in fig.data:
        status = STATUS_NAMES[t.name.split(" ", 1)[1]]
        assert t.marker.color == STATUS_COLOURS[status]
        assert list(t.x) == counts[status].tolist()
        assert list(t.y) == counts.index.tolist()
    assert [t.name.split(" ", 1)[1] for t in fig.data] == [STATUS_LABELS[s] for s in STATUSES
                                                           if s in counts.columns and counts[s].any()]


# --- palette discipline -----------------------------------------------------------------------


def test_figures_module_holds_no_status_colour_literals():
    source = Path(figures.__file__).read_text(encoding="utf-8").upper()
    assert [c for c in STATUS_COLOURS.values() if c.upper() in source] == []


def test_trajectory_builds_for_every_part_of_the_populated_register(register):
    demo = dataclasses.replace(register, returns=pd.concat(
        [register.returns, generate_demo_returns(register)], ignore_index=True))
    for (_, code, part), rows in rate(demo).groupby(["framework", "code", "part"], sort=False):
        fig = trajectory_figure(rows, register.targets, compact=True)
        assert fig.layout.title.text.startswith(part_label(code, part))
        values = rows["period_value"].notna().sum()
        drawn = sum(len(t.x) for t in fig.data if t.name in STATUS_NAMES)
        assert drawn == values, f"{code} {part}: {drawn} markers for {values} values"


def test_trajectory_of_annual_part_given_quarters_only_still_draws(register, rated):
    rows = part_rows(rated, "NI 125", reasons=False)
    fig = trajectory_figure(rows[rows["period"].str.contains("Q")], register.targets)
    assert list(fig.layout.xaxis.categoryarray)[:2] == ["2008/09 Q1", "2008/09 Q2"]
