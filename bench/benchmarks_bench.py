"""Intervals, comparison with a benchmark and recent trend on a million rated rows (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.data import FRAMEWORK, synthetic_register
from bench.rag_bench import N_PARTS, N_PARTS_QUICK
from bench.registry import Context, Sample, Target, measurement, timed
from performance import benchmarks as bm
from performance import intervals, rag
from performance.benchmark_rating import with_benchmarks

DENOMINATOR = 1_000.0


def _inputs(register) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts behind every return (a denominator of 1,000: the value times 10 for a percentage,
    the value itself otherwise) and an England value for every part and year."""
    returns = register.returns
    units = returns[["code", "part"]].merge(register.indicators[["code", "part", "unit"]],
                                            on=["code", "part"], how="left")["unit"].to_numpy()
    value = returns["value"].to_numpy(float)
    numerator = np.where(units == "percent", np.round(value * DENOMINATOR / 100.0), np.round(value))
    series = returns[["framework", "code", "part", "period", "value"]].assign(
        numerator=numerator, denominator=DENOMINATOR)
    years = register.targets[["framework", "code", "part", "year", "value"]]
    england = pd.DataFrame({"framework": years["framework"], "code": years["code"], "part": years["part"],
                            "area": "England", "period": years["year"], "value": years["value"].to_numpy()})
    return series, england


def floor(count: np.ndarray, denominator: np.ndarray, benchmark: np.ndarray, sign: np.ndarray):
    """The least NumPy for the same answer on ready-aligned arrays: Wilson limits at 95% and
    99.8% for every row and the polarity-aware comparison at both levels (no matching of rows,
    no benchmark period, no trend, no units). It calls the library's own ``intervals.wilson``
    and ``benchmarks.compare``, so it gets faster when they do."""
    out = []
    for level in intervals.CONFIDENCE_LEVELS:
        lower, upper = intervals.wilson(count, denominator, level)
        out.append(bm.compare(lower * 100.0, upper * 100.0, benchmark, sign))
    return out


@measurement(
    "benchmarks_1m",
    "`performance.benchmark_rating.with_benchmarks` on the 1,000,005-row frame `rate()` gives for "
    "the synthetic register of `rag_1m_rate` (66,667 quarterly snapshot parts x 15 periods; "
    "every return with a count and denominator, an England value per part and year): the own "
    "area's count and denominator matched to each row, 95% and 99.8% limits by unit (Wilson, "
    "Byar's / exact Poisson), the latest England value at or before each period, both "
    "comparisons and the five-point chi-squared trend. The floor (`floor`) is Wilson limits "
    "and the two comparisons on arrays already aligned row by row, by the same "
    "`intervals.wilson` and `benchmarks.compare` the subject uses. rate() itself is `rag_1m_rate`.",
    Target(seconds=0.5),
)
def benchmarks_1m(ctx: Context):
    register = synthetic_register(ctx.size(N_PARTS, N_PARTS_QUICK))
    rated = rag.rate(register)
    series, england = _inputs(register)
    out = with_benchmarks(rated, "England", england, series)  # a check that it runs
    ctx.note(f"{len(rated):,} rated rows, {len(series):,} returns with counts, {len(england):,} "
             f"England values ({FRAMEWORK})")
    ctx.note("compared: " + ", ".join(f"{k} {v:,}" for k, v in
                                       out["compared_with_benchmark"].value_counts().items()))
    ctx.note("trend: " + ", ".join(f"{k} {v:,}" for k, v in out["trend"].value_counts().items()))
    count = out["count"].to_numpy()
    denominator = out["denominator"].to_numpy()
    benchmark = out["benchmark_value"].to_numpy()
    sign = np.where(rated["polarity"].astype(str).to_numpy() == "higher_is_better", 1, -1)
    del out

    def trial() -> Sample:
        return Sample(
            subject=timed(lambda: with_benchmarks(rated, "England", england, series)),
            floor=timed(lambda: floor(count, denominator, benchmark, sign)),
        )

    return trial
