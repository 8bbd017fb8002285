"""The area picker: the framework's own area or another area of its kind (Streamlit only)."""

from __future__ import annotations

import streamlit as st

from data_loaders.benchmarks_store import benchmark_areas
from data_loaders.database import database_url
from performance.benchmark_figures import same_kind_areas
from ui.filters import url_select
from ui.page import current_data_version, engine


@st.cache_resource(show_spinner=False, max_entries=4)
def _neighbours(url: str, version: str) -> frozenset[str]:
    # Keyed on the data version: a neighbour added or removed shows on the next render.
    areas = benchmark_areas(engine())
    return frozenset(m for members in areas["members"] for m in members)


def area_picker(benchmark_values, framework: str, own_area: str, container=st) -> str:
    """Which area's values to show: an "Area" picker (the own area by default, kept in the URL as
    ``?area=``) when the benchmark values hold values for another area of the framework's own
    kind (a statistical neighbour, a local authority like the own area); with only the own
    area, no picker and the own area."""
    areas = same_kind_areas(benchmark_values, framework, own_area,
                            _neighbours(database_url(), current_data_version()))
    if len(areas) < 2:
        return own_area
    if st.query_params.get("area") not in areas:  # a stale link (a neighbour since removed): own area
        st.query_params["area"] = own_area
    return url_select("Area", areas, "area", default=own_area, container=container)
