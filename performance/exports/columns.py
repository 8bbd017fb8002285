"""The frame contract: which columns hold numbers in a unit, long text, the overview's and
the report pack's columns, and the number format of each unit."""

from __future__ import annotations

UNIT_COLUMNS = ("value", "target", "original_target", "baseline", "forecast_year_end",
                "comparator_value", "year_target")


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
