"""Reasons are built for the rows asked for, once per rated frame (performance.reasons)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from performance.rag import explain
from performance.reasons import ReasonCache
from tests.builders import luton_rated


@pytest.fixture(scope="module")
def rated():
    _, rated, _ = luton_rated()
    return rated


def test_reasons_are_built_only_for_the_rows_asked_for_and_match_explain(rated):
    cache = ReasonCache(rated)
    shown = rated[rated["period"] == "2009/10 Q3"]
    reasons = cache.reasons(shown)
    assert cache.built == len(shown) < len(rated)
    assert reasons.index.equals(shown.index)
    assert reasons.tolist() == explain(shown).tolist()


def test_reasons_asked_for_again_are_not_built_again(rated):
    cache = ReasonCache(rated)
    first = cache.reasons(rated.iloc[:40])
    again = cache.reasons(rated.iloc[20:60])  # half of them known already
    assert cache.built == 60
    # the same string objects: the known ones were kept, not written again
    assert all(a is b for a, b in zip(first.iloc[20:], again.iloc[:20], strict=True))
    assert again.tolist() == explain(rated.iloc[20:60]).tolist()


def test_with_reasons_only_builds_the_masked_rows_and_leaves_the_rest_empty(rated):
    cache = ReasonCache(rated)
    rows = rated.iloc[:30]
    only = np.arange(30) % 3 == 0
    out = cache.with_reasons(rows, only=only)
    assert cache.built == 10
    assert out["reason"][only].tolist() == explain(rows[only]).tolist()
    assert set(out["reason"][~only]) == {""}
    assert "reason" not in rows.columns  # a new frame: the cached one is never assigned into


def test_rows_of_another_frame_are_refused(rated):
    cache = ReasonCache(rated.iloc[:10])
    with pytest.raises(ValueError, match="not rows of this rated frame"):
        cache.reasons(rated.iloc[5:20])


def test_a_frame_without_a_unique_index_is_refused(rated):
    doubled = pd.concat([rated.iloc[:3], rated.iloc[:3]])
    with pytest.raises(ValueError, match="unique"):
        ReasonCache(doubled)
