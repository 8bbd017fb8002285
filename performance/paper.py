"""The Forum's paper as a PDF: the quarter's summary, the exceptions with commentary and action,
and a section per theme board, each with the trajectory charts the app shows.

Built with ReportLab (BSD licence, maintained since 2000, pure Python with optional C speed-ups,
no system libraries or browser): its Platypus layout gives real, searchable text in embedded
fonts, a contents list and exact A4 pages. The charts are the app's own Plotly figures
(:func:`performance.figures.trajectory_figure`) drawn as PDF vector graphics by
:func:`figure_drawing`, trace by trace with their own colours, dashes and marker shapes, so the
paper and the screen share one palette and one figure builder without a headless browser
(Plotly's static export, kaleido, needs Chrome and is not installed here).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from performance import overview
from performance.benchmark_figures import benchmark_trajectory_figure
from performance.benchmark_rating import comparison_counts
from performance.figures import part_label
from performance.rag.reasons import format_value
from performance.register import Register
from performance.tables import direction_badge
from performance.vocabulary import COMPARISON_LABELS, STATUS_COLOURS, STATUS_LABELS, STATUS_SYMBOLS, STATUSES

Progress = Callable[[int, int], None]

# DejaVu Sans has every symbol the statuses and directions use (● ▲ ■ ○ – · ↑ → ↓); the PDF
# standard fonts do not. Debian: fonts-dejavu-core (.ci/run installs it).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
# Boards with more parts than this list them all in their table but draw no small multiples
# (a register of thousands of parts would otherwise become thousands of pages).
MAX_BOARD_CHARTS = 60
CHARTS_PER_ROW = 3
_MARGIN = 16 * mm
_INK = colors.HexColor("#222222")
_MUTED = colors.HexColor("#555555")
_RULE = colors.HexColor("#BBBBBB")


class FontMissing(RuntimeError):
    """DejaVu Sans is not installed."""


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                          boldItalic=FONT_BOLD)
            return
    raise FontMissing("the PDF needs the DejaVu Sans font (Debian: apt-get install fonts-dejavu-core)")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=_INK,
                          alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=_MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=20, leading=25,
                                spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, textColor=_MUTED,
                                   spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19,
                             spaceBefore=4, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                             spaceBefore=10, spaceAfter=4),
        "warning": ParagraphStyle("warning", parent=base, backColor=colors.HexColor("#FFF4D6"),
                                  borderColor=colors.HexColor("#E69F00"), borderWidth=1, borderPadding=6,
                                  spaceBefore=6, spaceAfter=10),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=14),
        "toc2": ParagraphStyle("toc2", parent=base, fontSize=9, leading=12, leftIndent=14),
    }


def _esc(text: object) -> str:
    """Text for a Paragraph (which reads a little XML): ``&``, ``<`` and ``>`` escaped."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _badge(status: str, bold: bool = True) -> str:
    """A status as coloured symbol and word, e.g. ``▲ Amber`` (never colour alone)."""
    if status not in STATUS_LABELS:
        return ""
    word = f"<b>{STATUS_LABELS[status]}</b>" if bold else STATUS_LABELS[status]
    # the light greys would vanish on white paper: their symbol is drawn in a mid grey
    colour = STATUS_COLOURS[status] if status in ("red", "amber", "green") else "#777777"
    return f'<font color="{colour}">{STATUS_SYMBOLS[status]}</font> {word}'


# --- charts: the app's Plotly figures as PDF drawings ---------------------------------------

_DASHES = {"dash": [3, 2], "dot": [1, 1.6], "dashdot": [3, 1.5, 1, 1.5], "longdash": [5, 2]}


def _colour(value, default: str | None = "#888888"):
    """A Plotly colour ("#RRGGBB", "rgb(...)", "rgba(...)") as a ReportLab colour; None if none."""
    if value is None or value == "":
        return None if default is None else colors.HexColor(default)
    text = str(value).strip()
    if text.startswith("#"):
        return colors.HexColor(text)
    match = re.match(r"rgba?\(([^)]*)\)", text)
    if match:
        parts = [float(p) for p in match.group(1).split(",")]
        alpha = parts[3] if len(parts) > 3 else 1.0
        return colors.Color(parts[0] / 255, parts[1] / 255, parts[2] / 255, alpha=alpha)
    return colors.toColor(text, colors.HexColor(default or "#888888"))


def _each(value, n: int) -> list:
    """A Plotly per-point property (scalar or array) as a list of ``n``."""
    if value is None or isinstance(value, str | int | float):
        return [value] * n
    values = list(value)
    return values if len(values) == n else (values + [values[-1] if values else None] * n)[:n]


def _marker(symbol: str, x: float, y: float, size: float, colour) -> list:
    """The marker shapes Plotly draws, by name; ``-open`` markers are outlines."""
    symbol = str(symbol or "circle")
    hollow = symbol.endswith("-open")
    shape = symbol.removesuffix("-open")
    r = size / 2
    fill = colors.white if hollow else colour
    kw = {"fillColor": fill, "strokeColor": colour, "strokeWidth": 0.9 if hollow else 0.4}
    if shape == "line-ew":
        return [Line(x - r, y, x + r, y, strokeColor=colour, strokeWidth=1.2)]
    if shape == "square":
        return [Rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, **kw)]
    if shape == "triangle-up":
        return [Polygon([x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r], **kw)]
    if shape == "diamond":
        return [Polygon([x, y - r * 1.1, x + r, y, x, y + r * 1.1, x - r, y], **kw)]
    return [Circle(x, y, r, **kw)]


def _nice_ticks(low: float, high: float, n: int = 4) -> list[float]:
    span = high - low or abs(high) or 1.0
    raw = span / n
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * step:
            step *= m
            break
    start = math.ceil(low / step) * step
    return [round(start + i * step, 10) for i in range(int((high - start) / step) + 1)]


def _tick_text(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:g}"


def _error_bars(trace) -> list[tuple[object, float, float, float]]:
    """``(x, y, lower end, upper end)`` of each vertical error bar of a scatter trace (Plotly's
    ``error_y`` of type ``data``: ``array`` above the point, ``arrayminus`` below, the same both
    ways when symmetric); none when the trace has no visible error bars."""
    error = getattr(trace, "error_y", None)
    if error is None or error.visible is False or error.array is None or trace.x is None or trace.y is None:
        return []
    if error.type not in (None, "data"):
        return []  # percent, constant and sqrt bars are not used by the app's figures
    n = len(trace.x)
    plus = _each(error.array, n)
    # plotly.js: symmetric unless said otherwise or given an arrayminus
    symmetric = error.symmetric if error.symmetric is not None else error.arrayminus is None
    minus = plus if symmetric or error.arrayminus is None else _each(error.arrayminus, n)
    bars = []
    for x, y, up, down in zip(trace.x, trace.y, plus, minus, strict=False):
        try:
            y, up, down = float(y), float(up), float(down)
        except (TypeError, ValueError):
            continue
        if np.isfinite(y):
            below, above = (down if np.isfinite(down) else 0.0), (up if np.isfinite(up) else 0.0)
            bars.append((x, y, y - below, y + above))
    return bars


def _error_ends(trace) -> list[float]:
    return [end for _, _, low, high in _error_bars(trace) for end in (low, high)]


def figure_drawing(fig, width: float, height: float, *, font_size: float = 6.5) -> Drawing:
    """A Plotly figure of scatter traces on a category x axis (the trajectory figures) drawn as a
    ReportLab drawing: step or straight lines with their dashes (the benchmark's dashed line),
    filled tolerance bands (``tonexty``), vertical error bars (the area's 95% intervals) and
    markers with their own colour and shape per point."""
    d = Drawing(width, height)
    layout = fig.layout
    categories = list(layout.xaxis.categoryarray or [])
    if not categories:
        for trace in fig.data:
            for x in trace.x or ():
                if x is not None and x not in categories:
                    categories.append(x)
    ys = [float(y) for t in fig.data for y in (t.y if t.y is not None else ())
          if y is not None and np.isfinite(float(y))]
    # the ends of the error bars (the 95% intervals) are inside the plot too
    ys += [v for t in fig.data for v in _error_ends(t) if np.isfinite(v)]
    left, bottom, right, top = 30, 20, 4, 4
    pw, ph = width - left - right, height - bottom - top
    d.add(Rect(left, bottom, pw, ph, fillColor=colors.white, strokeColor=_RULE, strokeWidth=0.4))
    if not categories or not ys:
        d.add(String(left + pw / 2, bottom + ph / 2, "No values to show", fontName=FONT,
                     fontSize=font_size + 1, textAnchor="middle", fillColor=_MUTED))
        return d
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    index = {c: i for i, c in enumerate(categories)}
    step = pw / len(categories)

    def px(cat) -> float:
        return left + (index[cat] + 0.5) * step

    def py(v: float) -> float:
        return bottom + (v - low) / (high - low) * ph

    for tick in _nice_ticks(low, high):
        y = py(tick)
        d.add(Line(left, y, left + pw, y, strokeColor=colors.HexColor("#EEEEEE"), strokeWidth=0.4))
        d.add(String(left - 2, y - font_size / 3, _tick_text(tick), fontName=FONT, fontSize=font_size,
                     textAnchor="end", fillColor=_MUTED))
    for cat in categories:  # the year under its annual column; quarters as small ticks
        x = px(cat)
        d.add(Line(x, bottom, x, bottom - 2, strokeColor=_RULE, strokeWidth=0.4))
        if " Q" not in str(cat):
            d.add(String(x, bottom - 4 - font_size, str(cat), fontName=FONT, fontSize=font_size,
                         textAnchor="middle", fillColor=_MUTED))

    previous: list[tuple[float, float]] = []
    for trace in fig.data:
        if trace.type != "scatter" or trace.x is None or trace.y is None:
            continue
        points = [(px(x), py(float(y))) for x, y in zip(trace.x, trace.y, strict=False)
                  if x in index and y is not None and np.isfinite(float(y))]
        mode = trace.mode or "lines"
        line = trace.line
        if "lines" in mode and points:
            if line.shape == "hvh":  # a step: level across each period, changing half way
                stepped = [points[0]]
                for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                    mid = (x0 + x1) / 2
                    stepped += [(mid, y0), (mid, y1), (x1, y1)]
                points = [(points[0][0] - step / 2, points[0][1]), *stepped,
                          (points[-1][0] + step / 2, points[-1][1])]
            if trace.fill == "tonexty" and previous:
                ring = [c for p in points for c in p] + [c for p in reversed(previous) for c in p]
                d.add(Polygon(ring, fillColor=_colour(trace.fillcolor, "#DDDDDD"), strokeColor=None,
                              strokeWidth=0))
            width_ = line.width if line.width is not None else 1.6
            if line.color is not None and width_ > 0:
                d.add(PolyLine([c for p in points for c in p], strokeColor=_colour(line.color),
                               strokeWidth=min(width_, 2.2) * 0.7,
                               strokeDashArray=_DASHES.get(line.dash or "")))
        previous = points if "lines" in mode else previous
        for x, _y, y_low, y_high in _error_bars(trace):
            if x in index and np.isfinite(y_low) and np.isfinite(y_high):
                colour = _colour(trace.error_y.color, "#555555")
                thickness = (trace.error_y.thickness or 1.5) * 0.5
                cap = min(step * 0.15, 3.0)
                for shape in (Line(px(x), py(y_low), px(x), py(y_high)),
                              Line(px(x) - cap, py(y_low), px(x) + cap, py(y_low)),
                              Line(px(x) - cap, py(y_high), px(x) + cap, py(y_high))):
                    shape.strokeColor, shape.strokeWidth = colour, thickness
                    d.add(shape)
        if "markers" in mode and trace.marker is not None:
            xy = [(x, y) for x, y in zip(trace.x, trace.y, strict=False)]
            n = len(xy)
            symbols = _each(trace.marker.symbol, n)
            fills = _each(trace.marker.color, n)
            size = trace.marker.size if isinstance(trace.marker.size, int | float) else 8
            for (x, y), symbol, fill in zip(xy, symbols, fills, strict=True):
                if x in index and y is not None and np.isfinite(float(y)):
                    for shape in _marker(symbol, px(x), py(float(y)), min(size, 14) * 0.45, _colour(fill)):
                        d.add(shape)
    return d


# --- the document -------------------------------------------------------------------------


class _Chart(Flowable):
    """A trajectory chart of fixed size, built when first drawn in the final layout passes.

    The contents list needs two layout passes (the first finds the page of each heading);
    a chart's size is known beforehand, so the first pass leaves it out and the figure is built
    and drawn once, in the pass whose pages are kept. Figures of a part are shared by its
    exception and its board section (``cache``)."""

    def __init__(self, key, make_figure: Callable[[], object], width: float, height: float,
                 cache: dict, font_size: float = 6.5):
        super().__init__()
        self.key, self.make_figure, self.cache = key, make_figure, cache
        self.width, self.height, self.font_size = width, height, font_size

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        if getattr(self.canv, "_layout_pass", 2) < 2:
            return
        if self.key not in self.cache:
            self.cache[self.key] = self.make_figure()
        figure_drawing(self.cache[self.key], self.width, self.height,
                       font_size=self.font_size).drawOn(self.canv, 0, 0)


class _Numbered(rl_canvas.Canvas):
    """A canvas that holds its pages until the end, to write "Page n of N" and the running
    header (date, period, framework) on every page."""

    header = ""
    footer_note = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        width, height = A4
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(_MUTED)
        self.drawString(_MARGIN, height - 10 * mm, self.header)
        self.setStrokeColor(_RULE)
        self.setLineWidth(0.4)
        self.line(_MARGIN, height - 11.5 * mm, width - _MARGIN, height - 11.5 * mm)
        self.line(_MARGIN, 11.5 * mm, width - _MARGIN, 11.5 * mm)
        if self.footer_note:
            self.drawString(_MARGIN, 8 * mm, self.footer_note)
        self.drawRightString(width - _MARGIN, 8 * mm, f"Page {number} of {total}")
        self.restoreState()


class _Paper(BaseDocTemplate):
    """A4 pages with a running header and footer; headings feed the contents list."""

    def __init__(self, buffer, **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN,
                         topMargin=17 * mm, bottomMargin=16 * mm, **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    layout_pass = 0

    def build(self, flowables, filename=None, canvasmaker=rl_canvas.Canvas):
        self.layout_pass += 1
        pass_number = self.layout_pass

        class PassCanvas(canvasmaker):
            _layout_pass = pass_number

        super().build(flowables, filename, PassCanvas)

    def afterFlowable(self, flowable):  # noqa: N802 (ReportLab's name)
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            text = flowable.getPlainText()
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, text, self.page, key))


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    p = Paragraph(_esc(text), style)
    p.toc_level = level
    return p


def _table(rows: list[list], widths: list[float], *, header_fills: dict[int, str] | None = None,
           zebra: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, _INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, _RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for column, colour in (header_fills or {}).items():
        style.append(("LINEABOVE", (column, 0), (column, 0), 3, colors.HexColor(colour)))
    if zebra:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F6F6F6")]))
    table.setStyle(TableStyle(style))
    return table


def _value(value, unit) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "no value"
    return format_value(value, str(unit)) if np.isfinite(value) else "no value"


def _target_text(row) -> str:
    if row.get("target_text"):
        return str(row["target_text"])
    return _value(row.get("target"), row.get("unit"))


def _charts_grid(figures: list[tuple[str, str, _Chart]], width: float, styles) -> list:
    """Small multiples, ``CHARTS_PER_ROW`` to a row, each with its label and title above."""
    cell = width / CHARTS_PER_ROW
    rows = []
    for start in range(0, len(figures), CHARTS_PER_ROW):
        chunk = figures[start:start + CHARTS_PER_ROW]
        row = []
        for label, title, chart in chunk:
            row.append([Paragraph(f"<b>{_esc(label)}</b> {_esc(title)}", styles["small"]), chart])
        row += [""] * (CHARTS_PER_ROW - len(row))
        rows.append(row)
    if not rows:
        return []
    table = Table(rows, colWidths=[cell] * CHARTS_PER_ROW)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [table]


TABLE_FIELDS = ["code", "part", "title", "status", "value", "unit", "is_demo", "target", "target_text",
                "direction"]
CHART_KEY = ("Each chart: baseline (dashed grey), target for each year (blue step; the original "
             "target dotted where it was refreshed), tolerance band (shaded), values marked by status "
             f"({', '.join(f'{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}' for s in ('green', 'amber', 'red'))}; "
             "hollow: provisional) and the year-end forecast (hollow diamond).")


def chart_key(benchmark: str | None) -> str:
    """The key printed above the charts; with a benchmark, its line and the intervals too."""
    if not benchmark:
        return CHART_KEY
    return (CHART_KEY.removesuffix(".") + f"; {benchmark} (benchmark): its latest value at or before "
            "each period (dashed purple line, diamonds); 95% confidence interval of each value "
            "(grey bar), where a count and denominator or limits were given.")


def benchmark_sentence(rows: pd.DataFrame, benchmark: str) -> str:
    """The summary's sentence on the comparison: "Compared with England (benchmark): 2 better
    than benchmark, 5 similar to benchmark, ...; 40 not compared (...)"."""
    said, missing = comparison_counts(rows)
    counted = [f"{n} {COMPARISON_LABELS[code].lower()}" for code, n in said.items()]
    text = f"Compared with {benchmark} (benchmark), at 95%: " + (", ".join(counted) or "no part compared")
    if missing:
        text += (f"; {missing} not compared (no confidence interval, or no {benchmark} value for the "
                 "period or before)")
    return text + ". The charts show its line and each value's 95% confidence interval."

DEMO_WARNING = ("<b>Illustrative demo values.</b> Some values in this paper are illustrative demo "
                "values, generated so the dashboard has something to show; they were not reported by "
                "anyone. Real values from the source documents and returns always replace them. Start "
                "the app with DEMO_DATA=off to leave them out.")


def build_paper(register: Register, rated: pd.DataFrame, period: str, *, framework: str,
                theme_board: str | None = None, produced: dt.datetime | None = None,
                data_note: str = "", progress: Progress | None = None, benchmark: str | None = None,
                compared: pd.DataFrame | None = None) -> bytes:
    """The Forum's paper for ``period`` as PDF bytes.

    ``rated``: :func:`performance.rag.rate` rows of ``framework`` for every period (the
    trajectories need them), with the register columns
    (:func:`performance.overview.with_register_columns`). ``theme_board`` limits the paper to
    one board. ``progress(done, total)`` is called as sections are laid out.

    ``compared``: ``rated`` with the comparison with ``benchmark``
    (:func:`performance.benchmark_rating.with_benchmarks`, worked out once for every period
    the charts show; the same index). With both, the summary says how the parts compare with
    the benchmark and each chart draws its line and the 95% intervals; without, neither.
    """
    _register_fonts()
    styles = _styles()
    produced = produced or dt.datetime.now()
    rated = rated[rated["framework"] == framework]
    if theme_board:
        rated = rated[rated["theme_board"] == theme_board]
    rows = rated[rated["period"] == period]
    if rows.empty:
        raise ValueError(f"{framework} has no indicator parts rated in {period}")
    fw = register.frameworks.set_index("framework").loc[framework]
    fw_title = str(fw.get("title") or framework)
    previous = overview.previous_quarter(period)
    demo = bool(rows["is_demo"].astype(bool).any())
    counts = overview.rag_counts(rated, period)
    chased = overview.with_reasons(overview.exceptions(rated, period), register)
    boards = [b for b in counts["theme_board"] if b != "All theme boards"]
    if benchmark and compared is not None:  # the charts' rows with the benchmark columns
        charted = compared.loc[compared.index.intersection(rated.index)]
    else:
        benchmark, charted = None, rated
    by_part = {k: g for k, g in charted.groupby(["code", "part"], sort=False, observed=True)}
    figures: dict = {}
    # each figure reads only its own part's targets (the builder would filter all of them each time)
    targets = register.targets[register.targets["framework"] == framework]
    targets_of = {k: g for k, g in targets.groupby(["code", "part"], sort=False)}
    no_targets = targets.iloc[:0]

    def chart(code: str, part: str, w: float, h: float, font_size: float = 6.5) -> _Chart:
        return _Chart((code, part), lambda: benchmark_trajectory_figure(
            by_part[(code, part)], targets_of.get((code, part), no_targets), benchmark or "", compact=True),
            w, h, figures, font_size)
    total_steps = 2 + len(boards)
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress:
            progress(done, total_steps)

    width = A4[0] - 2 * _MARGIN
    story: list = [
        Paragraph(f"Performance report: {_esc(period)}", styles["title"]),
        Paragraph(_esc(fw_title) + (f" · {_esc(theme_board)}" if theme_board else ""), styles["subtitle"]),
        Paragraph(f"Prepared for the Luton Forum by the Performance Management Sub-Group. Produced "
                  f"{produced:%d %B %Y, %H:%M}. Change is shown since {_esc(previous)}."
                  + (f" Data: {_esc(data_note)}." if data_note else ""), styles["body"]),
    ]
    if demo:
        story.append(Paragraph(DEMO_WARNING, styles["warning"]))
    toc = TableOfContents()
    toc.levelStyles = [styles["toc1"], styles["toc2"]]
    story += [Spacer(1, 6), Paragraph("<b>Contents</b>", styles["h2"]), toc, PageBreak()]

    # 1. Summary
    story.append(_heading("1. Summary", styles["h1"], 0))
    story.append(Paragraph(f"<b>{_esc(period)}: {_esc(overview.counts_sentence(counts))}.</b> Indicators are "
                           f"counted by their worst part; the change since {_esc(previous)} is in brackets.",
                           styles["body"]))
    if benchmark:
        story.append(Paragraph(_esc(benchmark_sentence(charted[charted["period"] == period], benchmark)),
                               styles["body"]))
    story.append(Spacer(1, 6))
    header = ["Theme board", *[f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}" for s in STATUSES]]
    body = [[Paragraph(_esc(r["theme_board"]), styles["cell"]),
             *[f"{r[s]} ({overview.signed(r[f'{s}_change'])})" if r[f"{s}_change"] else str(r[s])
               for s in STATUSES]] for _, r in counts.iterrows()]
    story.append(_table([header, *body], [width * 0.34] + [width * 0.11] * len(STATUSES),
                        header_fills={i + 1: STATUS_COLOURS[s] for i, s in enumerate(STATUSES)}))
    story.append(Spacer(1, 8))
    story.append(_status_bars(counts[counts["theme_board"] != "All theme boards"], width))
    story.append(Paragraph(f"{len(chased)} indicator parts are exceptions this quarter (section 2): "
                           "every red, every amber that is getting worse, and every part whose year-end "
                           "forecast misses its target.", styles["body"]))
    tick()

    # 2. Exceptions
    story += [PageBreak(), _heading("2. Exceptions", styles["h1"], 0)]
    if chased.empty:
        story.append(Paragraph("No reds, no worsening ambers and no forecasts short of target.",
                               styles["body"]))
    else:
        story.append(Paragraph(_esc(chart_key(benchmark)), styles["small"]))
    for _, r in chased.iterrows():
        label = part_label(r["code"], r["part"])
        facts = [
            ["Status", Paragraph(_badge(str(r["status"])) + (
                f" · {_esc(direction_badge(r['direction']))} since {_esc(previous)}"
                if direction_badge(r["direction"]) else ""), styles["cell"])],
            ["Listed for", Paragraph(_esc(r["listed_for"]), styles["cell"])],
            ["Value", Paragraph(_esc(_value(r["value"], r["unit"])) + (" (provisional)" if r["provisional"]
                                else "") + (" (demo)" if r["is_demo"] else ""), styles["cell"])],
            ["Target", Paragraph(_esc(_target_text(r)), styles["cell"])],
            ["Year-end forecast", Paragraph(
                (_esc(_value(r["forecast_year_end"], r["unit"])) + " · " + _badge(str(r["forecast_status"]),
                                                                             bold=False))
                if str(r["forecast_status"]) in STATUS_LABELS else "No forecast", styles["cell"])],
            ["Reason", Paragraph(_esc(r["reason"]), styles["cell"])],
            ["Commentary", Paragraph(_esc(r["commentary"]) or "No commentary received.", styles["cell"])],
            ["Action", Paragraph(_esc(r["action"]) or "No action recorded.", styles["cell"])],
        ]
        fact_table = Table(facts, colWidths=[width * 0.2, width * 0.8])
        fact_table.setStyle(TableStyle([("FONT", (0, 0), (0, -1), FONT_BOLD, 8),
                                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, _RULE),
                                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                                        ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        story.append(KeepTogether([
            _heading(f"{label}: {r['title']}", styles["h2"], 1),
            Paragraph(f"{_esc(r['theme_board'])} · lead partner {_esc(r['lead_partner']) or 'not named'}",
                      styles["small"]),
            Spacer(1, 3), fact_table, Spacer(1, 4), chart(r["code"], r["part"], width, 120, 7)]))
    tick()

    # 3. A section per theme board
    for number, board in enumerate(boards, start=3):
        story += [PageBreak(), _heading(f"{number}. {board}", styles["h1"], 0)]
        chair = register.theme_boards
        chair = chair[(chair.get("framework", framework) == framework) & (chair["theme_board"] == board)] \
            if len(chair) else chair
        if len(chair) and str(chair["chair"].iloc[0]):
            story.append(Paragraph(f"Chair: {_esc(chair['chair'].iloc[0])}", styles["small"]))
        board_rated = rated[rated["theme_board"] == board]
        board_rows = rows[rows["theme_board"] == board]
        sentence = overview.counts_sentence(overview.rag_counts(board_rated, period))
        story.append(Paragraph(f"<b>{_esc(period)}: {_esc(sentence)}</b>", styles["body"]))
        story.append(Spacer(1, 4))
        header = ["Indicator part", "Status", "Value", "Target", "Direction"]
        body = [[Paragraph(f"<b>{_esc(part_label(r.code, r.part))}</b> {_esc(r.title)}", styles["cell"]),
                 Paragraph(_badge(str(r.status), bold=False), styles["cell"]),
                 Paragraph(_esc(_value(r.value, r.unit)) + (" (demo)" if r.is_demo else ""), styles["cell"]),
                 Paragraph(_esc(_target_text(r._asdict())), styles["cell"]),
                 Paragraph(_esc(direction_badge(r.direction)) or "–", styles["cell"])]
                for r in board_rows[TABLE_FIELDS].itertuples(index=False)]
        story.append(_table([header, *body], [width * 0.46, width * 0.13, width * 0.13, width * 0.15,
                                              width * 0.13]))
        parts = list(dict.fromkeys(zip(board_rows["code"], board_rows["part"], strict=True)))
        if len(parts) <= MAX_BOARD_CHARTS:
            story += [CondPageBreak(130), Paragraph(_esc(chart_key(benchmark)), styles["small"]),
                      Spacer(1, 3)]
            titles = dict(zip(zip(board_rows["code"], board_rows["part"], strict=True), board_rows["title"],
                              strict=True))
            cell = width / CHARTS_PER_ROW
            story += _charts_grid([(part_label(c, p), str(titles[(c, p)]), chart(c, p, cell - 6, 96))
                                   for c, p in parts], width, styles)
        else:
            story.append(Paragraph(f"This board has {len(parts)} indicator parts; their trajectories are on "
                                   "the Theme boards page of the dashboard.", styles["small"]))
        tick()

    # Last: the indicative reward estimate, when the paper covers reward-eligible parts
    from performance import reward

    estimate = reward.estimate(rated, period, register.settings, register.indicators)
    if len(estimate):
        story += [PageBreak(), _heading(f"{3 + len(boards)}. Indicative reward estimate", styles["h1"], 0),
                  Paragraph("<b>Indicative only.</b> For each reward-eligible part, the share of the "
                            "improvement from its baseline to this year's target achieved so far and at "
                            "the year-end forecast." + ("" if reward.rule(register.settings)
                                                        else " " + _esc(reward.NOT_TRACED)), styles["body"]),
                  Spacer(1, 6)]
        shown = reward.display(estimate)
        header = ["Indicator part", "So far", "At forecast", "Reward so far", "Reward at forecast"]
        body = [[Paragraph(f"<b>{_esc(part_label(r.Code, r.Part))}</b> {_esc(r.Indicator)}", styles["cell"]),
                 *[Paragraph(_esc(v), styles["cell"]) for v in (r[3], r[4], r[5], r[6])]]
                for r in shown.itertuples(index=False)]
        story.append(_table([header, *body], [width * 0.44, width * 0.14, width * 0.14, width * 0.14,
                                              width * 0.14]))

    buffer = io.BytesIO()
    doc = _Paper(buffer, title=f"Performance report {period}", author="Luton Forum Performance "
                 "Management Sub-Group", subject=fw_title, creator="LSP performance dashboard")

    class Canvas(_Numbered):
        header = f"{fw_title} · {period} · produced {produced:%d %B %Y}" + (
            f" · {theme_board}" if theme_board else "")
        footer_note = "Includes illustrative demo values (marked demo)" if demo else ""

    doc.multiBuild(story, canvasmaker=Canvas)
    return buffer.getvalue()


def _status_bars(counts: pd.DataFrame, width: float) -> Drawing:
    """The overview's stacked bars of indicators by status per theme board (same palette and
    symbols as :func:`performance.figures.status_counts_figure`)."""
    boards = counts["theme_board"].tolist()
    label_w, bar_h, gap = width * 0.34, 13, 6
    height = len(boards) * (bar_h + gap) + 24
    d = Drawing(width, height)
    totals = counts[list(STATUSES)].sum(axis=1)
    scale = (width - label_w - 8) / max(int(totals.max()) if len(totals) else 1, 1)
    for i, (_, r) in enumerate(counts.iterrows()):
        y = height - 20 - (i + 1) * (bar_h + gap) + gap
        d.add(String(label_w - 4, y + 3.5, str(r["theme_board"])[:48], fontName=FONT, fontSize=7,
                     textAnchor="end", fillColor=_INK))
        x = label_w
        for s in STATUSES:
            n = int(r[s])
            if not n:
                continue
            d.add(Rect(x, y, n * scale, bar_h, fillColor=colors.HexColor(STATUS_COLOURS[s]),
                       strokeColor=colors.white, strokeWidth=0.8))
            if n * scale > 16:
                d.add(String(x + n * scale / 2, y + 3.5, f"{STATUS_SYMBOLS[s]} {n}", fontName=FONT,
                             fontSize=7, textAnchor="middle", fillColor=_INK))
            x += n * scale
    x = label_w
    for s in STATUSES:  # the legend: symbol, colour and word
        d.add(Rect(x, height - 10, 8, 8, fillColor=colors.HexColor(STATUS_COLOURS[s]), strokeColor=None))
        text = f"{STATUS_SYMBOLS[s]} {STATUS_LABELS[s]}"
        d.add(String(x + 10, height - 9, text, fontName=FONT, fontSize=7, fillColor=_INK))
        x += 14 + pdfmetrics.stringWidth(text, FONT, 7) + 6
    return d
