"""Export of a 10,000-row overview table as a finished workbook (issue 8)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from bench.data import synthetic_register
from bench.registry import Context, Sample, Target, measurement, timed

N_ROWS, N_ROWS_QUICK = 10_000, 300


def overview_frame(n_rows: int) -> pd.DataFrame:
    """``n_rows`` rows of the overview's table (:data:`performance.exports.OVERVIEW_COLUMNS`),
    built as the app builds it: :func:`performance.exports.overview_table` of one period of a
    synthetic register rated by :func:`performance.rag.rate` with the register columns, so
    values, units, statuses, directions, reasons and commentary are realistic. Some rows are
    marked illustrative (``is_demo``)."""
    from performance import rag
    from performance.exports import overview_table
    from performance.overview import with_register_columns

    register = synthetic_register(n_rows)
    rated = with_register_columns(rag.rate(register), register)
    period = "2009/10 Q3"
    table = overview_table(rated, period)
    if len(table) < n_rows:
        raise RuntimeError(f"overview table of {len(table)} rows, wanted {n_rows}")
    table = table.head(n_rows).copy()
    table["is_demo"] = np.random.default_rng(4).random(len(table)) < 0.1
    return table


@measurement(
    "export_10k",
    "`performance.exports.table_workbook(frame, title=..., about={...})` of 10,000 rows of the "
    "overview's table (`OVERVIEW_COLUMNS`, built with `performance.exports.overview_table` from "
    "a synthetic register rated by `rag.rate`: values in 6 units, every status, directions, "
    "reasons, commentary, 10% illustrative rows), against a floor of `frame.to_excel(buffer, "
    "index=False)` (openpyxl engine) of the same rows with no formatting.",
    Target(ratio=2.0),
)
def export_10k(ctx: Context):
    from performance.exports import table_workbook

    frame = overview_frame(ctx.size(N_ROWS, N_ROWS_QUICK))
    about = {"Period": "2009/10 Q3", "Filters": "none", "Data": "synthetic register (bench)"}
    ctx.note(f"{len(frame):,} rows x {frame.shape[1]} columns; statuses: "
             + ", ".join(f"{k} {v:,}" for k, v in frame["status"].value_counts().items()))

    def subject() -> bytes:
        return table_workbook(frame, title="Indicators 2009/10 Q3", about=about)

    def floor() -> None:
        frame.to_excel(io.BytesIO(), index=False, engine="openpyxl")

    size = len(subject())
    ctx.note(f"workbook {size / 1024:.0f} KB")

    def trial() -> Sample:
        return Sample(subject=timed(subject), floor=timed(floor))

    return trial
