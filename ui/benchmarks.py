"""The benchmark picker and cached benchmark data (Streamlit only)."""

from __future__ import annotations

import streamlit as st

from data_loaders.benchmarks_store import known_areas, own_series, read_benchmark_values
from data_loaders.database import database_url
from performance.vocabulary import DEFAULT_BENCHMARK
from ui.filters import url_select
from ui.page import current_data_version, engine, load_register


@st.cache_resource(show_spinner="Reading benchmark values…", max_entries=4)
def _benchmark_data(url: str, version: str):
    # Keyed on the data version like the register: an import shows on the next render.
    register = load_register()
    return (sorted(known_areas(engine())), read_benchmark_values(engine(), register),
            own_series(engine(), register))


def load_benchmark_data():
    """(area names, benchmark values, own-area series with counts), cached per data version;
    shared by every session: read them, never assign into them."""
    return _benchmark_data(database_url(), current_data_version())


def benchmark_picker(container=st) -> str:
    """Which area to compare with: England unless the URL says otherwise (``?benchmark=``)."""
    areas, _, _ = load_benchmark_data()
    default = DEFAULT_BENCHMARK if DEFAULT_BENCHMARK in areas else areas[0]
    return url_select("Compared with", areas, "benchmark", default=default, container=container)


@st.cache_resource(show_spinner="Comparing with the benchmark…", max_entries=16)
def _period_with_benchmarks(url: str, version: str, framework: str | None, period: str, benchmark: str):
    from performance.benchmark_rating import with_benchmarks
    from ui.page import load_rated

    rated = load_rated(framework)
    _, values, series = load_benchmark_data()
    return with_benchmarks(rated[rated["period"] == period], benchmark, values, series)


def period_with_benchmarks(framework: str | None, period: str, benchmark: str):
    """The framework's rows of one period with the benchmark columns (cached per data version;
    shared and read-only). Its index is the rated frame's, so filtered rows select from it."""
    return _period_with_benchmarks(database_url(), current_data_version(), framework, period, benchmark)
