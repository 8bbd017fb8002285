"""Pure checks behind the neighbour group, Fingertips IDs and the benchmark-values preview."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from performance.changes import ChangeRefused
from performance.comparators import (
    VALUE_COLUMNS,
    check_fingertips_id,
    check_group_change,
    comparators_preview,
    preview_summary,
)

GROUPS = {"Statistical neighbours": ["Bedford", "Slough"]}
RESERVED = {"England": "England is a benchmark area (country) itself",
            "Luton": "Luton is the own area of Luton LAA 2008-11"}


@pytest.mark.parametrize(("change", "members", "expected"), [
    ("set", [("Milton Keynes", "ONS 2011"), (" Reading ", "ONS 2011")],
     [("Milton Keynes", "ONS 2011"), ("Reading", "ONS 2011")]),
    ("set", [], []),
    ("add", [("Milton  Keynes", " CIPFA ")], [("Milton Keynes", "CIPFA")]),
    ("remove", [("slough", "")], [("Slough", "")]),  # the name as stored
])
def test_group_change_returns_what_to_store(change, members, expected):
    assert check_group_change(change, "Statistical neighbours", members, reason="agreed",
                              groups=GROUPS, reserved=RESERVED) == expected


@pytest.mark.parametrize(("change", "group", "members", "reason", "field", "words"), [
    ("add", "Statistical neighbours", [("Reading", "")], "r", "source", "give the source of Reading"),
    ("add", "Statistical neighbours", [("Reading", "x")], "", "reason", "give the reason"),
    ("add", "Statistical neighbours", [("BEDFORD", "x")], "r", "member", "'Bedford' is already a member"),
    ("add", "Statistical neighbours", [("England", "x")], "r", "member", "benchmark area (country)"),
    ("add", "Statistical neighbours", [("Luton", "x")], "r", "member", "own area"),
    ("add", "Statistical neighbours", [("x" * 121, "x")], "r", "member", "longer than 120"),
    ("add", "Statistical neighbours", [], "r", "member", "name the area"),
    ("add", "Nearest", [("Reading", "x")], "r", "group", "unknown group 'Nearest'"),
    ("add", "", [("Reading", "x")], "r", "group", "name the group"),
    ("remove", "Statistical neighbours", [("Reading", "")], "r", "member", "not a member"),
    ("rename", "Statistical neighbours", [("Reading", "x")], "r", "change", "not one of set, add, remove"),
])
def test_group_change_refused_by_field(change, group, members, reason, field, words):
    with pytest.raises(ChangeRefused) as refused:
        check_group_change(change, group, members, reason=reason, groups=GROUPS, reserved=RESERVED)
    assert any(f == field and words in m for f, m in refused.value.problems), refused.value.problems


@pytest.mark.parametrize(("raw", "source", "expected"), [
    ("93203", "Fingertips", 93203), (93203, "Fingertips", 93203), (" 41 ", "x", 41),
    ("90", "x", "already the Fingertips ID of NI 120 male"),
    ("-3", "x", "not a Fingertips indicator ID"), ("1.5", "x", "not a whole number"),
    ("", "x", "give the Fingertips indicator ID"), ("7", "", "give the source"),
])
def test_fingertips_id_check(raw, source, expected):
    mapped = {90: ("Luton LAA 2008-11", "NI 120", "male"), 41: ("Luton LAA 2008-11", "NI 117", "")}
    if isinstance(expected, int):
        assert check_fingertips_id(raw, source=source, code="NI 117", part="", mapped=mapped,
                                   framework="Luton LAA 2008-11") == expected
    else:
        with pytest.raises(ChangeRefused, match=expected):
            check_fingertips_id(raw, source=source, code="NI 117", part="", mapped=mapped,
                                framework="Luton LAA 2008-11")


def _row(value, area="England", source="ONS", lower=math.nan, upper=math.nan):
    return {"framework": "F", "code": "NI 117", "part": "", "area": area, "period": "2009/10 Q3",
            "value": value, "count": math.nan, "denominator": math.nan, "lower_95": lower,
            "upper_95": upper, "lower_998": math.nan, "upper_998": math.nan, "source": source}


@pytest.mark.parametrize(("stored", "incoming", "expected"), [
    (None, _row(6.0), "New value"),
    (_row(6.0), _row(6.0), "Same as stored: not saved again"),
    (_row(6.0), _row(6.5), "Corrects the stored 6 (kept in the history)"),
    (_row(6.0, source="ONS"), _row(6.0, source="ONS revised"), "Corrects the stored 6 (kept in the history)"),
    (_row(6.0), _row(6.0, lower=5.0, upper=7.0), "Corrects the stored 6 (kept in the history)"),
    (_row(6.0, area="Slough"), _row(6.0), "New value"),
])
def test_preview_says_what_saving_does(stored, incoming, expected):
    current = pd.DataFrame([stored] if stored else [], columns=VALUE_COLUMNS)
    preview = comparators_preview(pd.DataFrame([incoming], columns=VALUE_COLUMNS), current)
    assert preview["on saving"].tolist() == [expected]


def test_preview_writes_intervals_and_sums_up():
    rows = pd.DataFrame([_row(50.0, lower=40.38, upper=59.62), _row(7.0, area="Slough")],
                        columns=VALUE_COLUMNS)
    preview = comparators_preview(rows, pd.DataFrame([_row(7.0, area="Slough")], columns=VALUE_COLUMNS))
    assert preview["95% interval"].tolist() == ["40.38 to 59.62", ""]
    assert preview_summary(preview) == "2 values: 1 new, 0 corrections, 1 the same as stored"
