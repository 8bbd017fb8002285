"""The public scorecard's tables and sentences (pure helpers of performance/public.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from performance.public import PUBLIC_COLUMNS, chart_summary, chart_table, parts_table


def _row(period="2009/10 Q3", order=3, value=6.43, target=6.5, status="green", **kw):
    row = dict(framework="F", code="NI 117", part="", title="NEET", unit="percent", period=period,
               period_order=order, period_value=value, target=target, status=status,
               reason="Green: on target", direction="improving", direction_year=None,
               commentary="Seasonal rise")
    row.update(kw)
    return row


@pytest.mark.parametrize("row, column, expected", [
    (_row(), "Value", "6.43%"),
    (_row(), "Status", "● Green"),
    (_row(), "Change on the previous period", "↑ improving"),
    (_row(), "Change on a year earlier", "not known"),
    (_row(value=math.nan, status="no_data"), "Value", ""),
    (_row(value=math.nan, status="no_data"), "Status", "○ No data"),
    (_row(commentary=None), "Commentary", ""),
    (_row(code="NI 120", part="male", unit="count", value=1234.0), "Indicator", "NI 120 male"),
    (_row(unit="count", value=1234.0, target=None), "Target", ""),
])
def test_parts_table_writes_cells_as_people_read_them(row, column, expected):
    table = parts_table(pd.DataFrame([row]))
    assert list(table.columns) == list(PUBLIC_COLUMNS)
    assert table.loc[0, column] == expected


def test_parts_table_never_writes_none_or_nan():
    table = parts_table(pd.DataFrame([_row(value=None, target=None, status=None, reason=None,
                                           direction=None, commentary=None, title=None)]))
    text = table.to_csv(index=False)
    assert "None" not in text and "nan" not in text.lower()


def test_chart_table_lists_periods_with_a_value_or_target_in_timeline_order():
    rows = pd.DataFrame([_row("2009/10 Q2", 2, value=7.0, status="amber"),
                         _row("2009/10 Q1", 1, value=math.nan, target=math.nan, status="no_data"),
                         _row("2009/10 Q3", 3, value=math.nan, status="no_data")])
    table = chart_table(rows)
    assert table.to_dict("records") == [
        {"Period": "2009/10 Q2", "Value": "7.0%", "Target": "6.5%", "Status": "▲ Amber"},
        {"Period": "2009/10 Q3", "Value": "no value", "Target": "6.5%", "Status": "○ No data"},
    ]


@pytest.mark.parametrize("rows, expected", [
    ([_row("2009/10 Q1", 1, value=7.0, status="amber"), _row()],
     "NI 117: 2 published values from 2009/10 Q1 to 2009/10 Q3; the latest, 2009/10 Q3, is 6.43% "
     "against a target of 6.5% (● Green)."),
    ([_row(target=None)], "NI 117: 1 published value, for 2009/10 Q3: 6.43% (● Green)."),
    ([_row(value=math.nan, status="no_data")], "NI 117: no published values yet."),
])
def test_chart_summary_says_what_the_chart_shows(rows, expected):
    assert chart_summary(pd.DataFrame(rows)) == expected


@pytest.mark.parametrize("compared, expected", [
    (dict(lower_95=40.38, upper_95=59.62, benchmark_value=45.0, compared_with_benchmark="similar"),
     ("40.38% to 59.62%", "45.0%", "Similar to England")),
    (dict(lower_95=math.nan, upper_95=math.nan, benchmark_value=45.0, compared_with_benchmark="not_compared"),
     ("not published", "45.0%", "Not compared")),
    (dict(lower_95=1.0, upper_95=2.0, benchmark_value=math.nan, compared_with_benchmark="not_compared"),
     ("1.0% to 2.0%", "no value", "Not compared")),
    (dict(lower_95=1.0, upper_95=2.0, benchmark_value=3.0, compared_with_benchmark="better"),
     ("1.0% to 2.0%", "3.0%", "Better than England")),
])
def test_chart_table_with_a_benchmark_says_the_interval_its_value_and_the_comparison(compared, expected):
    table = chart_table(pd.DataFrame([_row(**compared)]), "England")
    assert list(table.columns) == ["Period", "Value", "Target", "Status", "95% confidence interval",
                                   "England", "Compared with England"]
    assert tuple(table.iloc[0, 4:]) == expected
