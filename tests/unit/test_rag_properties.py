"""Properties of the RAG rules that must hold for any numbers, checked with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from performance.rag import indicator_status, rate_arrays, rate_value, status_names
from performance.vocabulary import MEASURES, RAG_SCHEMES, STATUS_SEVERITY, STATUSES

RATED = ("red", "amber", "green")
GREY = ("no_data", "not_due", "no_target")
RANK = {"red": 0, "amber": 1, "green": 2}

numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
maybe_numbers = st.one_of(st.none(), numbers)
polarities = st.sampled_from(["higher_is_better", "lower_is_better"])
schemes = st.sampled_from(RAG_SCHEMES)
measures = st.sampled_from(MEASURES)
tolerances = st.floats(min_value=0, max_value=50, allow_nan=False)
points = st.one_of(st.none(), st.floats(min_value=0, max_value=1e3, allow_nan=False))


def rules(**fixed):
    return st.fixed_dictionaries({
        "target": numbers, "baseline": maybe_numbers, "polarity": polarities,
        "tolerance_pct": tolerances, "tolerance_points": points, "scheme": schemes,
        "measure": measures, **fixed,
    })


def oriented(kwargs) -> int:
    """+1 where a higher value is better (gaps always), else -1."""
    if kwargs["measure"] == "gap_to_comparator":
        return 1
    return 1 if kwargs["polarity"] == "higher_is_better" else -1


@given(rules(), numbers, st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_rate_value_moving_in_the_good_direction_never_worsens_status(kwargs, value, step):
    before = rate_value(value, **kwargs)
    after = rate_value(value + oriented(kwargs) * step, **kwargs)
    if before in RATED:
        assert after in RATED
        assert RANK[after] >= RANK[before]
    else:  # grey statuses do not depend on the value once it is there
        assert after == before


@given(rules(), numbers)
def test_rate_value_mirrors_with_polarity(kwargs, value):
    flipped = "lower_is_better" if kwargs["polarity"] == "higher_is_better" else "higher_is_better"
    if kwargs["measure"] == "gap_to_comparator":
        return  # a gap is oriented so that higher is better whatever the polarity
    baseline = kwargs["baseline"]
    mirrored = {
        **kwargs, "target": -kwargs["target"], "polarity": flipped,
        "baseline": None if baseline is None else -baseline,
    }
    assert rate_value(-value, **mirrored) == rate_value(value, **kwargs)


@given(
    rules(),
    maybe_numbers,
    st.sampled_from(["higher_is_better", "lower_is_better", "not_applicable"]),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.just(math.nan), numbers),
)
def test_rate_arrays_grey_status_is_never_red(kwargs, value, polarity, due, has_target, target):
    sign = {"higher_is_better": 1, "lower_is_better": -1, "not_applicable": 0}[polarity]
    target = math.nan if target is None else target
    baseline = math.nan if kwargs["baseline"] is None else kwargs["baseline"]
    tol_points = math.nan if kwargs["tolerance_points"] is None else kwargs["tolerance_points"]
    status = status_names(rate_arrays(
        math.nan if value is None else value, target, baseline, sign, kwargs["tolerance_pct"],
        tol_points, RAG_SCHEMES.index(kwargs["scheme"]), MEASURES.index(kwargs["measure"]),
        due=due, has_target=has_target,
    )).item()
    missing = (not due or not has_target or math.isnan(target) or value is None or sign == 0)
    if missing:
        assert status in GREY
    else:
        placeholder = (target == 0 and math.isnan(tol_points) and baseline != 0
                       and kwargs["measure"] != "gap_to_comparator")
        assert (status in RATED) != placeholder


@given(st.lists(st.tuples(numbers, rules()), min_size=1, max_size=20))
def test_rate_arrays_matches_rate_value_row_by_row(rows):
    def arr(name, none=math.nan):
        return np.array([none if k[name] is None else k[name] for _, k in rows], dtype=float)

    codes = rate_arrays(
        np.array([v for v, _ in rows]), arr("target"), arr("baseline"),
        np.array([1 if k["polarity"] == "higher_is_better" else -1 for _, k in rows]),
        arr("tolerance_pct"), arr("tolerance_points"),
        np.array([RAG_SCHEMES.index(k["scheme"]) for _, k in rows]),
        np.array([MEASURES.index(k["measure"]) for _, k in rows]),
    )
    assert list(status_names(codes)) == [rate_value(v, **k) for v, k in rows]


@given(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=5))
def test_indicator_status_is_the_most_severe_part(statuses):
    rated = pd.DataFrame({
        "framework": "LAA", "code": "NI 120", "part": [f"part {i}" for i in range(len(statuses))],
        "period": "2009/10 Q1", "period_order": 10045, "status": statuses,
        "forecast_status": [math.nan] * len(statuses),
    })
    summary = indicator_status(rated)
    assert summary.status.tolist() == [min(statuses, key=STATUS_SEVERITY.__getitem__)]
    assert summary.parts.tolist() == [len(statuses)]
