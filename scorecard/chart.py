"""The public scorecard's trajectory chart: a plain function (no Streamlit), so it is tested as one."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from performance.benchmark_figures import benchmark_trajectory_figure
from performance.benchmark_rating import with_benchmarks
from performance.vocabulary import DEFAULT_BENCHMARK

# No picker on the public page: England, as the staff pages open (issue 14)
PUBLIC_BENCHMARK = DEFAULT_BENCHMARK
CHART_CAPTION = (f"Compared with {PUBLIC_BENCHMARK}: the dashed line with diamonds is {PUBLIC_BENCHMARK}'s "
                 "published figure (the latest at or before each period), and the bar through a value is "
                 "its 95% confidence interval, where the count behind it was published. A value whose "
                 f"interval does not reach {PUBLIC_BENCHMARK}'s line differs from it by more than chance.")


def public_comparison(part_rows: pd.DataFrame, benchmark_values: pd.DataFrame,
                      series: pd.DataFrame) -> pd.DataFrame:
    """``part_rows`` (the public rating's rows of one part) compared with
    :data:`PUBLIC_BENCHMARK`: ``benchmark_values`` and ``series`` from
    ``data_loaders.public.read_public_benchmarks`` (published values and counts only). Worked
    out for this part's rows only, as the page shows one chart."""
    return with_benchmarks(part_rows, PUBLIC_BENCHMARK, benchmark_values, series)


def public_trajectory(compared: pd.DataFrame, targets: pd.DataFrame | None, *, title: str) -> go.Figure:
    """One part's trajectory (:func:`public_comparison`'s rows) with :data:`PUBLIC_BENCHMARK`'s
    line and the area's 95% intervals."""
    return benchmark_trajectory_figure(compared, targets, PUBLIC_BENCHMARK, title=title)
