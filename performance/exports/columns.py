"""The frame contract: which columns hold numbers in a unit, long text, the overview's and
the report pack's columns, and the number format of each unit."""

from __future__ import annotations

from performance.vocabulary import BENCHMARK_COLUMN_LABELS

# The comparison with a benchmark area (issue 14), headed in words: the columns the overview's
# table gains for the benchmark chosen, and the report pack's comparison sheet.
COMPARISON_COLUMNS = tuple(BENCHMARK_COLUMN_LABELS.values())

UNIT_COLUMNS = ("value", "target", "original_target", "baseline", "forecast_year_end",
                "comparator_value", "year_target",
                *(BENCHMARK_COLUMN_LABELS[c] for c in ("lower_95", "upper_95", "benchmark_value")))


LONG_TEXT_COLUMNS = ("reason", "commentary", "action", "notes", "title")


DEMO_COLUMN, ILLUSTRATIVE_COLUMN = "is_demo", "illustrative"


OVERVIEW_COLUMNS = (
    "code", "part", "title", "theme_board", "lead_partner", "period", "value", "unit", "target",
    "status", "direction", "direction_year", "forecast_year_end", "forecast_status", "reason",
    "commentary", "action", "is_demo",
)


REPORT_PACK_COLUMNS = (
    "code", "part", "title", "value", "target", "status", "direction", "direction_year",
    "forecast_year_end", "forecast_status", "reason", "commentary", "action",
)


# The report pack's comparison sheet: which part, its value and status, then the comparison.
REPORT_PACK_COMPARISON_COLUMNS = ("theme_board", "code", "part", "title", "value", "status",
                                  *COMPARISON_COLUMNS)


# What a blank cell of a comparison column means (said under the table and in the About sheet);
# the comparison and trend themselves are never blank ("Not compared", "Cannot be calculated").
_L = BENCHMARK_COLUMN_LABELS
COMPARISON_BLANKS = {
    _L["count"]: "no count given with the value",
    _L["denominator"]: "no denominator given with the value",
    _L["lower_95"]: "no confidence interval (no count and denominator, or none for the unit)",
    _L["upper_95"]: "no confidence interval (no count and denominator, or none for the unit)",
    _L["benchmark_value"]: "no value for the benchmark area in this period or before",
    _L["benchmark_period"]: "no value for the benchmark area in this period or before",
    _L["comparison_reason"]: "compared (no reason needed)",
    _L["trend_reason"]: "the trend was calculated (no reason needed)",
}
del _L


EXCEPTION_COLUMNS = (
    "theme_board", "code", "part", "title", "listed_for", "value", "target", "status", "direction",
    "forecast_year_end", "forecast_status", "reason", "commentary", "action",
)


# Values are stored as written (6.5 means 6.5%), so the percent format adds the sign rather
# than multiplying by 100 as Excel's 0.0% would.
UNIT_FORMATS = {
    "percent": '0.0"%"',
    "percentage_points": '0.0" pts"',
    "count": "#,##0",
    "rate_per_1000": "#,##0.0#",
    "rate_per_10000": "#,##0.0#",
    "rate_per_100000": "#,##0.0#",
    "days": '#,##0.0" days"',
    "tonnes_per_capita": '0.00" t"',
    "level": '"Level "0',
    "score": "#,##0.0#",
    "ratio": "0.00",
}


GENERAL_FORMAT = "General"


CHANGE_FORMAT = "+0;-0;0"


DATE_FORMAT = "d mmm yyyy"
