"""The Forum's paper as a PDF (issue 15): Luton, and the register copied for 150 areas."""

from __future__ import annotations

import io
import re

from bench.app_bench import SCALE_AREAS, SCALE_AREAS_QUICK, database
from bench.registry import Context, Sample, Target, measurement, timed

PERIOD = "2009/10 Q3"
FLOOR_TEXT = ("against a floor of ReportLab laying out the same number of A4 pages, each one "
              "paragraph of plain text (`SimpleDocTemplate.build`): the library's own cost of pages")


def _prepare(ctx: Context, copies: int):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from data_loaders.benchmarks_store import own_series, read_benchmark_values
    from data_loaders.database import make_engine, read_register
    from performance import overview, paper, rag
    from performance.benchmark_rating import with_benchmarks

    engine = make_engine(database(ctx, copies))
    ctx.cleanup(engine.dispose)
    register = read_register(engine, include_demo=True)
    framework = register.frameworks["framework"].iloc[0]
    rated = overview.with_register_columns(rag.rate(register), register)
    rated = rated[rated["framework"] == framework]
    # read once, as report-pdf and the overview's cache do; the comparison with England for
    # every period the charts show is part of building the paper (issue 14)
    values, series = read_benchmark_values(engine, register), own_series(engine, register)

    def subject() -> bytes:
        compared = with_benchmarks(rated, "England", values, series)
        return paper.build_paper(register, rated, PERIOD, framework=framework, benchmark="England",
                                 compared=compared)

    data = subject()
    pages = len(re.findall(rb"/Type /Page[^s]", data))
    ctx.note(f"{len(register.indicators):,} parts; paper of {len(data) / 1024:.0f} KB, about {pages} pages; "
             f"{len(overview.exceptions(rated, PERIOD)):,} exceptions")
    style = getSampleStyleSheet()["Normal"]

    def floor() -> None:
        story = []
        for _ in range(max(pages, 1)):
            story += [Paragraph("Performance report " + PERIOD, style), PageBreak()]
        SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)

    def trial() -> Sample:
        return Sample(subject=timed(subject), floor=timed(floor))

    return trial


@measurement(
    "paper_pdf_luton",
    "`performance.paper.build_paper(register, rated, '2009/10 Q3', framework=..., benchmark='England', "
    "compared=...)` for Luton's register with the demo returns, the comparison with England "
    "(`with_benchmarks` over every period) included (contents, summary, exceptions with their "
    "trajectories, a section per theme board with every part's chart, England's line and the "
    "intervals on each), " + FLOOR_TEXT + ".",
    Target(seconds=10.0), quick_warmup=False,
)
def paper_pdf_luton(ctx: Context):
    return _prepare(ctx, 1)


@measurement(
    "paper_pdf_scale",
    "The same paper for the register with every indicator part copied for 150 areas (boards of "
    "more than the paper's 60 parts list them in their table without small multiples; every "
    "exception keeps its chart), " + FLOOR_TEXT + ".",
    Target(text="report (no target)"), warmup=False,
)
def paper_pdf_scale(ctx: Context):
    return _prepare(ctx, ctx.size(SCALE_AREAS, SCALE_AREAS_QUICK))
