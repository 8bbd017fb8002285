"""The client's vocabulary, named once: sheet and column names, allowed values, RAG palette.

Everything that reads or writes the register, rates a return or draws a status imports
its names from here, so a spelling lives in one place.
"""

from __future__ import annotations

from typing import Final

# --- indicators.xlsx: sheets and columns (the client's file format) -----------------------

SHEET_FRAMEWORKS: Final = "Frameworks"
SHEET_INDICATORS: Final = "Indicators"
SHEET_TARGETS: Final = "Targets"
SHEET_RETURNS: Final = "Returns"
SHEET_THEME_BOARDS: Final = "Theme boards"
SHEET_SETTINGS: Final = "Settings"

FRAMEWORK_COLUMNS: Final = ("framework", "title", "first_year", "last_year", "own_area", "source")
INDICATOR_COLUMNS: Final = (
    "framework", "code", "part", "kind", "title", "theme", "theme_board", "unit", "polarity",
    "measure", "frequency", "baseline", "baseline_period", "baseline_text", "tolerance_pct",
    "comparator", "lead_partner", "partners", "reward_eligible", "status", "notes", "source",
)
# plausible_min / plausible_max: the range a part's own figures normally fall in; a return
# outside it is imported with a warning in the preview (performance.values.check_value).
INDICATOR_OPTIONAL_COLUMNS: Final = ("tolerance_points", "rag_scheme", "survey_years",
                                     "plausible_min", "plausible_max")
TARGET_COLUMNS: Final = (
    "framework", "code", "part", "year", "value", "text", "status", "version",
    "effective_from", "decided_by", "source",
)
TARGET_OPTIONAL_COLUMNS: Final = ("measure",)
RETURN_COLUMNS: Final = (
    "code", "part", "area", "period", "value", "provisional", "commentary", "source",
)
RETURN_OPTIONAL_COLUMNS: Final = ("framework",)
THEME_BOARD_COLUMNS: Final = ("theme_board", "chair", "theme")
THEME_BOARD_OPTIONAL_COLUMNS: Final = ("framework", "source")
SETTING_COLUMNS: Final = ("setting", "value")

# --- allowed values -----------------------------------------------------------------------

KINDS: Final = ("designated", "local", "statutory", "national")
POLARITIES: Final = ("higher_is_better", "lower_is_better", "not_applicable")
MEASURES: Final = (
    "snapshot", "cumulative_in_year", "cumulative_agreement", "level", "gap_to_comparator",
)
FREQUENCIES: Final = ("quarterly", "annual", "biennial_survey")
UNITS: Final = (
    "percent", "percentage_points", "count", "rate_per_1000", "rate_per_10000",
    "rate_per_100000", "days", "tonnes_per_capita", "level", "score", "ratio",
)
INDICATOR_STATUSES: Final = ("active", "removed")
TARGET_STATUSES: Final = ("set", "no_survey", "to_be_confirmed", "not_applicable")
TARGET_VERSIONS: Final = ("original", "refreshed")  # the versions the register workbook holds
# The version agreed first. Every other version (the workbook's "refreshed", or one an
# administrator adds, e.g. "revised 2010") replaces it from its effective date:
# performance.register.version_precedence is the rule.
ORIGINAL_VERSION: Final = "original"
TARGET_VERSION_MAX_LENGTH: Final = 20  # the width of targets.version
RAG_SCHEMES: Final = ("baseline_and_target", "target_with_tolerance")
YES_NO: Final = ("yes", "no")

# --- the client's words for the codes ----------------------------------------------------
# Tables, charts, captions and human-facing downloads show these labels; filters, URLs, the
# database and the machine-readable `rag` CSV keep the codes. Every allowed value has one.

KIND_LABELS: Final = {
    "designated": "Designated", "local": "Local", "statutory": "Statutory", "national": "National",
}
POLARITY_LABELS: Final = {
    "higher_is_better": "Higher is better", "lower_is_better": "Lower is better",
    "not_applicable": "Not applicable",
}
MEASURE_LABELS: Final = {
    "snapshot": "Snapshot", "cumulative_in_year": "Cumulative in year",
    "cumulative_agreement": "Cumulative over the agreement", "level": "Level",
    "gap_to_comparator": "Gap to comparator",
}
FREQUENCY_LABELS: Final = {
    "quarterly": "Quarterly", "annual": "Annual", "biennial_survey": "Biennial survey",
}
UNIT_LABELS: Final = {
    "percent": "Percent", "percentage_points": "Percentage points", "count": "Count",
    "rate_per_1000": "Rate per 1,000", "rate_per_10000": "Rate per 10,000",
    "rate_per_100000": "Rate per 100,000", "days": "Days", "tonnes_per_capita": "Tonnes per head",
    "level": "Level", "score": "Score", "ratio": "Ratio",
}
INDICATOR_STATUS_LABELS: Final = {"active": "Active", "removed": "Removed"}
TARGET_STATUS_LABELS: Final = {
    "set": "Set", "no_survey": "No survey", "to_be_confirmed": "To be confirmed",
    "not_applicable": "Not applicable",
}
RAG_SCHEME_LABELS: Final = {
    "baseline_and_target": "Baseline and target", "target_with_tolerance": "Target with tolerance",
}
FORECAST_BASIS_LABELS: Final = {"officer": "Officer's forecast", "projection": "Projection"}
RETURN_STATE_LABELS: Final = {"published": "Published", "submitted": "Submitted", "returned": "Returned"}
SCOPE_KIND_LABELS: Final = {"theme_board": "Theme board", "lead_partner": "Lead partner"}
AUDIT_ACTION_LABELS: Final = {
    "return_submitted": "Return submitted", "return_corrected": "Return corrected",
    "return_approved": "Return approved", "return_sent_back": "Return sent back",
    "commentary_edited": "Commentary edited", "tolerance_changed": "Tolerance changed",
    "setting_changed": "Setting changed", "role_granted": "Role granted",
    "role_removed": "Role removed", "target_version_added": "Target version added",
    "register_edited": "Register edited", "contact_changed": "Contact changed",
    "deadline_set": "Deadline set", "reminder_sent": "Reminder sent",
    "benchmark_value_imported": "Benchmark value imported",
    "benchmark_value_corrected": "Benchmark value corrected",
    "benchmark_group_edited": "Benchmark group edited", "fingertips_id_set": "Fingertips ID set",
}

# Which columns hold which codes. ``status`` holds RAG statuses in rated tables and the
# indicator's own status (active, removed) in the register: both are labelled.
COLUMN_VOCABULARIES: Final = {
    "kind": KIND_LABELS,
    "polarity": POLARITY_LABELS,
    "measure": MEASURE_LABELS,
    "original_measure": MEASURE_LABELS,
    "target_measure": MEASURE_LABELS,
    "frequency": FREQUENCY_LABELS,
    "unit": UNIT_LABELS,
    "status": INDICATOR_STATUS_LABELS,
    "target_status": TARGET_STATUS_LABELS,
    "rag_scheme": RAG_SCHEME_LABELS,
    "forecast_basis": FORECAST_BASIS_LABELS,
    "state": RETURN_STATE_LABELS,
    "scope_kind": SCOPE_KIND_LABELS,
    "action": AUDIT_ACTION_LABELS,
}


def code_label(code: object, labels: dict[str, str]) -> object:
    """The label of ``code`` in ``labels`` (``"biennial_survey"`` -> ``"Biennial survey"``);
    anything that is not one of its codes (free text, a number, a missing value) unchanged."""
    return labels.get(code, code) if isinstance(code, str) else code


# Settings the register may hold, with the value used when it is silent.
DEFAULT_SETTINGS: Final = {
    "default_tolerance_pct": "5",
    "rag_scheme": "baseline_and_target",
    "own_area": "Luton",
    "direction_threshold_pct": "1",
    # With sign-off on, an imported return waits as "submitted" until a performance officer
    # approves it; the embedded default publishes on import.
    "sign_off_required": "no",
}

# --- RAG statuses: one palette, one set of labels and symbols ------------------------------
# Okabe-Ito based colours stay distinguishable for the common colour-vision deficiencies;
# every status also carries a text label and a symbol, so colour is never the only cue.

STATUSES: Final = ("red", "amber", "green", "no_data", "not_due", "no_target")
STATUS_LABELS: Final = {
    "green": "Green", "amber": "Amber", "red": "Red",
    "no_data": "No data", "not_due": "Not due", "no_target": "No target",
}
STATUS_SYMBOLS: Final = {
    "green": "●", "amber": "▲", "red": "■",
    "no_data": "○", "not_due": "–", "no_target": "·",
}
# The text and the thin rules of the app's own HTML tables (the status matrix, plain tables).
TEXT_COLOUR: Final = "#222222"
RULE_COLOUR: Final = "#E6E6E6"
STATUS_COLOURS: Final = {
    "green": "#009E73", "amber": "#E69F00", "red": "#D55E00",
    "no_data": "#BBBBBB", "not_due": "#DDDDDD", "no_target": "#EEEEEE",
}
# Worst first: an indicator in parts takes the worst status of its parts.
STATUS_SEVERITY: Final = {s: i for i, s in enumerate(STATUSES)}

# How a change in a status count reads: more reds is bad (shown red), more greens good.
METRIC_DELTA_COLOURS: Final = {
    "red": "inverse", "amber": "inverse", "green": "normal",
    "no_data": "inverse", "not_due": "off", "no_target": "off",
}

DIRECTIONS: Final = ("improving", "no_change", "worsening")
DIRECTION_SYMBOLS: Final = {"improving": "↑", "no_change": "→", "worsening": "↓"}


def status_badge(status: str) -> str:
    """Return a status as symbol and label, e.g. ``"▲ Amber"``: never colour alone."""
    return f"{STATUS_SYMBOLS[status]} {STATUS_LABELS[status]}"

# --- the quarterly cycle: the state of a part's return in a period --------------------------
# Missing (not yet due), overdue (past its deadline), submitted (received, sign-off off),
# awaiting sign-off, sent back (by a performance officer, with a reason), published (signed
# off, or from the Forum's own papers). performance/cycle.py decides which.
RETURN_STATES: Final = ("overdue", "missing", "sent_back", "awaiting_sign_off", "submitted",
                        "published")
RETURN_STATE_LABELS: Final = {
    "overdue": "Overdue", "missing": "Missing", "sent_back": "Sent back",
    "awaiting_sign_off": "Awaiting sign-off", "submitted": "Submitted", "published": "Published",
}

# --- benchmarks (issue 14): comparison with England, the region, GB, neighbours --------------
# Codes are performance.benchmarks.COMPARISONS / TRENDS; people see only these words.

BENCHMARK_AREAS: Final = ("England", "East of England", "Great Britain", "Statistical neighbours")
DEFAULT_BENCHMARK: Final = "England"
BENCHMARK_AREA_KINDS: Final = ("country", "region", "neighbour_group")
COMPARISON_LABELS: Final = {
    "better": "Better than benchmark", "similar": "Similar to benchmark",
    "worse": "Worse than benchmark", "higher": "Higher than benchmark",
    "lower": "Lower than benchmark", "not_compared": "Not compared",
}
TREND_LABELS: Final = {
    "increasing_better": "Increasing and getting better",
    "increasing_worse": "Increasing and getting worse",
    "decreasing_better": "Decreasing and getting better",
    "decreasing_worse": "Decreasing and getting worse",
    "increasing": "Increasing", "decreasing": "Decreasing",
    "no_significant_change": "No significant change",
    "cannot_be_calculated": "Cannot be calculated",
}
# The comparison columns of the overview's table, its Excel export and the report pack, headed
# in words (performance.benchmark_rating.BENCHMARK_COLUMNS -> heading).
BENCHMARK_COLUMN_LABELS: Final = {
    "count": "Count", "denominator": "Denominator",
    "lower_95": "Lower 95% limit", "upper_95": "Upper 95% limit",
    "benchmark": "Benchmark", "benchmark_value": "Benchmark value", "benchmark_period": "Benchmark from",
    "compared_with_benchmark": "Compared with benchmark (95%)",
    "compared_with_benchmark_998": "Compared with benchmark (99.8%)",
    "comparison_reason": "Why not compared",
    "trend": "Recent trend", "trend_basis": "Trend basis", "trend_reason": "Why no trend",
}
# What a recent trend was measured on (performance.benchmark_rating.TREND_BASES).
TREND_BASIS_LABELS: Final = {"annual": "Annual values", "quarterly": "Quarterly values"}
# The comparators file (python manage.py import-comparators FILE).
COMPARATOR_COLUMNS: Final = ("code", "area", "period", "value", "source")
COMPARATOR_OPTIONAL_COLUMNS: Final = (
    "part", "count", "denominator", "lower_95", "upper_95", "lower_998", "upper_998",
)
