"""The quarterly report pack: a Summary with the change since last quarter, one sheet per theme
board, the Exceptions with commentary and action and, with a benchmark, a sheet comparing every
part with it."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from performance import overview
from performance.benchmark_rating import comparison_counts
from performance.exports.cells import _timestamp, sheet_name
from performance.exports.columns import (
    COMPARISON_BLANKS,
    COMPARISON_COLUMNS,
    DEMO_COLUMN,
    EXCEPTION_COLUMNS,
    REPORT_PACK_COLUMNS,
    REPORT_PACK_COMPARISON_COLUMNS,
)
from performance.exports.styles import _PAPER_A4, Progress, _Progress, _Writer
from performance.exports.tables import (
    _demo_as_text,
    _demo_rows,
    _write_about,
    _write_table,
    comparison_columns,
)
from performance.periods import parse_period
from performance.register import Register
from performance.tables import blank_note
from performance.vocabulary import BENCHMARK_COLUMN_LABELS, COMPARISON_LABELS, status_badge

_SUMMARY_STATUSES = ("green", "amber", "red", "no_data", "not_due", "no_target")


SUMMARY_HEADER = "theme board"


def _summary(w: _Writer, counts: pd.DataFrame, *, framework_title: str, period: str, previous: str,
             now: str, demo: int, total_parts: int, boards: Mapping[str, str]) -> None:
    ws = w.sheet("Summary")
    ws.column_dimensions["A"].width = 42
    for i in range(len(_SUMMARY_STATUSES) * 2):
        ws.column_dimensions[get_column_letter(i + 2)].width = 11 if i % 2 == 0 else 9
    ws.column_dimensions[get_column_letter(len(_SUMMARY_STATUSES) * 2 + 2)].width = 34
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = _PAPER_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.oddFooter.right.text = "Page &P of &N"

    headline = overview.counts_sentence(counts)
    ws.append([w.cell(ws, f"{framework_title}: quarterly performance report, {period}", "x title")])
    ws.append([w.cell(ws, f"Indicators by RAG status in {period}, with the change since {previous}. "
                          f"Produced {now}.", "x subtitle")])
    ws.append([w.cell(ws, headline, "x headline")])
    ws.append([w.cell(ws, f"Illustrative demo values are included: {demo} of {total_parts} indicator "
                          "parts this period hold made-up values, marked \"demo\".", "x warning line")
               if demo else None])
    ws.append([])
    header = [w.cell(ws, SUMMARY_HEADER, "x header")]
    for s in _SUMMARY_STATUSES:
        header += [w.cell(ws, status_badge(s), f"x status header {s}"), w.cell(ws, "change", "x header")]
    header.append(w.cell(ws, "sheet", "x header"))
    ws.append(header)
    for i, row in enumerate(counts.itertuples(index=False)):
        first = i == 0
        cells = [w.cell(ws, row.theme_board, "x bold text" if first else "x text")]
        for s in _SUMMARY_STATUSES:
            cells += [w.cell(ws, getattr(row, s), "x bold count" if first else "x count"),
                      w.cell(ws, getattr(row, f"{s}_change"), "x bold change" if first else "x change")]
        cells.append(w.cell(ws, boards.get(row.theme_board, ""), "x text"))
        ws.append(cells)
    ws.append([])
    notes = [
        "Counted per indicator: an indicator in parts counts once, with the worst status of its parts.",
        "change: indicators with that status now minus in the previous quarter (+ more, - fewer).",
        "Each theme board's sheet lists its indicator parts; Exceptions lists every red, every amber "
        "that is worsening and every year-end forecast short of target; About gives the RAG rules.",
    ]
    for note in notes:
        ws.append([w.cell(ws, note, "x subtitle")])


def _comparison_sentence(compared: pd.DataFrame, benchmark: str) -> str:
    """"Compared with England at 95% confidence: 3 better, 5 similar, 1 worse; 40 not compared ..."."""
    counted, left = comparison_counts(compared)
    said = [f"{n} {COMPARISON_LABELS[code].split()[0].lower()}" for code, n in counted.items()]
    said += [f"{left} not compared (the reason is given)"] if left else []
    return (f"Compared with {benchmark} at 95% confidence: {', '.join(said) or 'no parts'}. Similar: "
            f"{benchmark}'s value is inside this area's 95% confidence interval; better or worse: outside "
            "it, on that side. Parts not due this period are left out.")


def _comparison_table(rows: pd.DataFrame, compared: pd.DataFrame, boards: list[str], demo: bool
                      ) -> pd.DataFrame:
    """Every part due in the period, board by board in the Summary's order, with the comparison
    (a part not due has no value to compare)."""
    due = rows[rows["status"].astype(str) != "not_due"]
    board_order = {b: i for i, b in enumerate(boards)}
    ordered = due.iloc[due["theme_board"].map(board_order).fillna(len(boards))
                       .to_numpy().argsort(kind="stable")]
    base = [c for c in REPORT_PACK_COMPARISON_COLUMNS if c not in COMPARISON_COLUMNS]
    flag = [DEMO_COLUMN] if demo else []
    return pd.concat([ordered[base], comparison_columns(ordered, compared), ordered[flag]], axis=1)


def report_pack(register: Register, rated: pd.DataFrame, period: str, *, framework: str,
                about: Mapping[str, str], progress: Progress | None = None,
                compared: pd.DataFrame | None = None) -> bytes:
    """The quarterly report pack for ``framework`` in ``period`` as .xlsx bytes.

    Sheets: ``Summary`` (the headline "12 green, 3 amber, 4 red", RAG counts overall and per
    theme board with the change since the previous quarter: :func:`overview.rag_counts`), one
    sheet per theme board (its indicator parts in the period: :data:`REPORT_PACK_COLUMNS`),
    ``Exceptions`` (:func:`overview.exceptions`, with ``listed_for``), ``Reward estimate`` (the
    indicative estimate of :mod:`performance.reward`, when any part is reward-eligible) and ``About``.
    ``rated``: ``overview.with_register_columns(rag.rate(register), register)`` for the
    framework, with the previous quarter in it. Reasons are built for the rows written only.
    ``progress(done, total)`` is called every few hundred rows and once at the end.
    ``compared``: the period's rows with the benchmark columns, indexed as ``rated``
    (:func:`performance.benchmark_rating.with_benchmarks` for one benchmark area); with it, a
    sheet "Compared with <area>" follows the Exceptions: every part due in the period, board by
    board, with its value, status and :data:`COMPARISON_COLUMNS`, and the About sheet names the
    benchmark.
    (A sheet of its own rather than thirteen more columns on each board's sheet: the board sheets
    still print legibly on one A4 width, and the comparison, a different question from the
    target's, reads in one place with its own headline.)
    Raises ``ValueError`` when the framework has no indicator parts in ``period``.
    """
    period = str(parse_period(period))
    previous = overview.previous_quarter(period)
    if "framework" in rated.columns:
        rated = rated[rated["framework"] == framework]
    rows = rated[rated["period"] == period]
    if rows.empty:
        raise ValueError(f"{framework} has no indicator parts rated in {period}")
    rows = overview.with_reasons(rows, register)
    counts = overview.rag_counts(rated, period)
    picked = overview.exceptions(rows, period)
    demo = _demo_rows(rows) or 0

    benchmark = None
    if compared is not None and len(compared):
        benchmark = str(compared["benchmark"].iloc[0])
        compared = compared.reindex(rows.index)

    w = _Writer()
    due = int((rows["status"].astype(str) != "not_due").sum()) if benchmark else 0
    tick = _Progress(progress, len(rows) + len(picked) + due)
    now = _timestamp()
    fw = register.frameworks
    titles = dict(zip(fw["framework"], fw["title"], strict=False)) if "title" in fw.columns else {}
    framework_title = str(titles.get(framework) or framework)

    board_names = [b for b in counts["theme_board"].tolist()[1:]]
    used = ["Summary", "Exceptions", "About"]
    comparison_sheet = sheet_name(f"Compared with {benchmark}", used) if benchmark else None
    if comparison_sheet:
        used.append(comparison_sheet)
    sheets = {}
    for board in board_names:
        sheets[board] = sheet_name(board, used)
        used.append(sheets[board])
    _summary(w, counts, framework_title=framework_title, period=period, previous=previous, now=now,
             demo=demo, total_parts=len(rows), boards=sheets)

    columns = [*REPORT_PACK_COLUMNS, *((DEMO_COLUMN,) if demo else ())]
    for i, board in enumerate(board_names, start=1):
        part = rows[rows["theme_board"] == board]
        ws = w.wb.create_sheet(sheets[board])
        sentence = overview.counts_sentence(counts.iloc[[i]])
        _write_table(w, ws, _demo_as_text(part[columns]), units=part["unit"], progress=tick,
                     print_title=f"{board}, {period}",
                     title_rows=[(f"{board}: {period}", "x title"),
                                 (f"Indicators: {sentence}. {len(part)} indicator parts.", "x subtitle")])

    ws = w.wb.create_sheet("Exceptions")
    listed = (f"{len(picked)} indicator parts listed: every red, every amber that is worsening and every "
              "year-end forecast short of target." if len(picked) else f"No exceptions in {period}.")
    _write_table(w, ws, _demo_as_text(picked[[*EXCEPTION_COLUMNS, *((DEMO_COLUMN,) if demo else ())]]),
                 units=picked["unit"], progress=tick, print_title=f"Exceptions, {period}",
                 title_rows=[(f"Exceptions: {period}", "x title"), (listed, "x subtitle")])

    blanks = blank_note(rows[list(REPORT_PACK_COLUMNS)])
    if benchmark:
        table = _comparison_table(rows, compared, board_names, bool(demo))
        ws = w.wb.create_sheet(comparison_sheet)
        _write_table(w, ws, _demo_as_text(table), units=rows.loc[table.index, "unit"], progress=tick,
                     print_title=f"Compared with {benchmark}, {period}",
                     title_rows=[(f"Compared with {benchmark}: {period}", "x title"),
                                 (_comparison_sentence(compared.loc[table.index], benchmark), "x subtitle")])
        blanks = blank_note(pd.concat([rows[list(REPORT_PACK_COLUMNS)], table[list(COMPARISON_BLANKS)]],
                                      axis=1), COMPARISON_BLANKS)

    # The indicative reward estimate, as on the overview and in the paper, when the framework
    # has reward-eligible parts (issue 15)
    from performance import reward

    estimate = reward.estimate(rated, period, register.settings, register.indicators)
    if len(estimate):
        ws = w.wb.create_sheet(sheet_name("Reward estimate", used))
        basis = ("Indicative only. For each reward-eligible part, the share of the improvement from its "
                 "baseline to this year's target achieved so far and at the year-end forecast."
                 + ("" if reward.rule(register.settings) else " " + reward.NOT_TRACED))
        _write_table(w, ws, reward.display(estimate), units=None, progress=tick,
                     print_title=f"Indicative reward estimate, {period}",
                     title_rows=[(f"Indicative reward estimate: {period}", "x title"), (basis, "x subtitle")])

    about_rows = {"Framework": framework_title, "Period": period, "Compared with": previous}
    if benchmark:
        since = BENCHMARK_COLUMN_LABELS["benchmark_period"]
        about_rows["Benchmark"] = (
            f"{benchmark}. On the sheet \"{comparison_sheet}\" each part's value is compared with "
            f"{benchmark}'s for the same period or the latest before it (column \"{since}\"; a running "
            "total only with the same period), at 95% and 99.8% confidence: similar when "
            f"{benchmark}'s value is inside this area's interval, better or worse when outside it, "
            "by the indicator's polarity (higher or lower where it has none). Intervals from the count "
            "and denominator: Wilson for percentages, Byar's method for rates and counts "
            "(docs/benchmarks.md).")
    about_rows.update(about)
    _write_about(w, f"Quarterly report pack, {period}", about_rows, len(rows), demo,
                 register.settings, now, blanks)
    data = w.save()
    tick.finish()
    return data
