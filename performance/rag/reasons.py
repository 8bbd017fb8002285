"""Reasons: the one-line plain-words reason of each rated row, built on demand for the rows shown."""

from __future__ import annotations

import numpy as np
import pandas as pd

from performance.rag.codes import _EPS, _SIGN
from performance.register import Register
from performance.vocabulary import STATUS_LABELS

_UNIT_SUFFIX = {
    "rate_per_1000": " per 1,000",
    "rate_per_10000": " per 10,000",
    "rate_per_100000": " per 100,000",
    "days": " days",
    "tonnes_per_capita": " tonnes per head",
    "percentage_points": " percentage points",
}


def _num(x: float, min_dp: int = 0, max_dp: int = 2) -> str:
    text = f"{x:,.{max_dp}f}"
    if max_dp > min_dp and "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(min_dp, "0")
        text = f"{whole}.{frac}" if frac else whole
    return "0" if text in ("-0", "-0.0") else text


def format_value(value: float, unit: str) -> str:
    """A number in the indicator's unit: ``7.0%``, ``1,600``, ``Level 3``, ``42 days``."""
    if value is None or not np.isfinite(value):
        return "no value"
    if unit == "percent":
        return f"{_num(value, 1)}%"
    if unit == "level":
        return f"Level {_num(value)}"
    return _num(value) + _UNIT_SUFFIX.get(unit, "")


def _format_difference(value: float, unit: str) -> str:
    """A difference of two values: percentage points for a percentage."""
    if unit == "percent":
        return f"{_num(value, 1)} percentage points"
    return format_value(value, unit)


def _is(x) -> bool:
    return x is not None and isinstance(x, float | int | np.floating) and np.isfinite(x)


def _reason(r) -> str:
    status, unit, period, year = r.status, r.unit, r.period, r.year
    label = STATUS_LABELS.get(status, str(status))
    if status == "no_target":
        if r.removed:
            return "No target: indicator removed from the agreement, so not rated"
        if r.polarity not in _SIGN:
            return "No target: the indicator has no better or worse direction (polarity not applicable)"
        text = f' ("{r.target_text}")' if r.target_text else ""
        if r.target_status == "to_be_confirmed":
            return f"No target: the {year} target is still to be confirmed{text}"
        if r.target_status == "not_applicable":
            return f"No target: a target does not apply in {year}{text}"
        if r.target_status == "":
            return f"No target: no target set for {year}"
        if not _is(r.year_target):
            return f"No target: the {year} target is not a number{text}"
        if r.year_target == 0:
            return f"No target: the {year} target of 0 is a placeholder, not a real target"
        if r.measure == "cumulative_agreement":
            return f"No target: the running target needs a target for every year since {r.first_year}"
        return f"No target for {period}"
    if status == "not_due":
        if r.target_status == "no_survey":
            return f"Not due: no survey in {year}"
        if r.frequency == "biennial_survey" and period == year:
            return f"Not due: a survey indicator, surveyed in {r.survey_years.replace(';', ', ')}"
        if r.frequency in ("annual", "biennial_survey"):
            return f"Not due: reported once a year ({year}), not each quarter"
        return f"Not due: reported quarterly; no annual outturn recorded for {year}"
    if status == "no_data":
        if _is(r.period_value) and r.measure == "cumulative_agreement":
            return f"No data: the running total since {r.first_year} needs a value for every earlier year"
        if _is(r.period_value) and r.measure == "gap_to_comparator":
            return f"No data: no {r.comparator} value for {period} or before to compare with"
        return f"No data: due for {period} but no value recorded"
    if status not in ("green", "amber", "red"):
        return label
    return f"{label}: {_rated_reason(r, unit)}"


def _rated_reason(r, unit: str) -> str:
    measure, value, target = r.measure, r.value, r.target
    gap = measure == "gap_to_comparator"
    fmt = (lambda v: _format_difference(v, unit)) if gap else (lambda v: format_value(v, unit))
    q = None if r.period == r.year else int(str(r.period)[-1])
    if measure == "cumulative_in_year":
        what = f"{fmt(value)} year to date"
        against = (f"a year-to-date target of {fmt(target)} ({q}/4 of {fmt(r.year_target)})"
                   if q else f"a target of {fmt(target)}")
    elif measure == "cumulative_agreement":
        what = f"{fmt(value)} in total since {r.first_year}"
        against = f"a running target of {fmt(target)}"
    elif gap:
        own, comp = format_value(r.period_value, unit), format_value(r.comparator_value, unit)
        pair = (f"{r.own_area} {own} minus {r.comparator} {comp}" if r.polarity == "higher_is_better"
                else f"{r.comparator} {comp} minus {r.own_area} {own}")
        what = f"a gap of {fmt(value)} ({pair})"
        against = f"a target gap of {fmt(target)}"
    else:
        what, against = fmt(value), f"a target of {fmt(target)}"
    direction = "higher gap is better" if gap else r.polarity.replace("_", " ")
    head = f"{what} against {against} ({direction})"

    sign = 1 if gap or r.polarity == "higher_is_better" else -1
    shortfall = sign * (target - value)
    has_baseline = _is(r.baseline_used)
    kind = {"cumulative_in_year": "year-to-date ", "cumulative_agreement": "running "}.get(measure, "")
    kind = "" if q is None and measure == "cumulative_in_year" else kind
    base = f"the {kind}baseline of {fmt(r.baseline_used)}" if has_baseline else ""
    if measure == "level":
        if r.status == "green":
            tail = "target level reached"
        elif r.status == "amber":
            tail = "one level short, " + (f"better than {base}" if has_baseline else "no baseline")
        elif shortfall <= 1 + _EPS:
            tail = f"one level short and no better than {base}"
        else:
            tail = f"{_num(shortfall)} levels short"
    elif shortfall <= _EPS * max(1.0, abs(target)):
        tail = "on or better than target"
    else:
        if _is(r.tolerance_points):
            off = f"{_format_difference(shortfall, unit)} off target"
            tolerance = f"tolerance of {_format_difference(r.tolerance_points, unit)}"
        else:
            off = (f"{_num(100.0 * shortfall / abs(target), 1, 1)}% off target" if target
                   else f"{_format_difference(shortfall, unit)} off target")
            tolerance = f"{_num(r.tolerance_pct)}% tolerance"
        if r.scheme == "target_with_tolerance":
            tail = f"{off}, {'within' if r.status == 'amber' else 'beyond'} the {tolerance}"
        elif r.status == "green":
            tail = f"{off}, within the {tolerance}"
        elif has_baseline:
            better = "better than" if r.status == "amber" else "no better than"
            tail = f"{off}, beyond the {tolerance}, {better} {base}"
        elif r.status == "amber":
            tail = f"{off}, beyond the {tolerance} but within twice it (no baseline)"
        else:
            tail = f"{off}, more than twice the {tolerance} (no baseline)"
    notes = [n for n, flag in (("provisional", r.provisional), ("demonstration data", r.is_demo)) if flag]
    return f"{head}; {tail}" + "".join(f"; {n}" for n in notes)


#: The columns of a rated row that _reason and _rated_reason read.
_REASON_COLUMNS = (
    "status", "unit", "period", "year", "removed", "polarity", "target_text", "target_status",
    "year_target", "measure", "first_year", "frequency", "survey_years", "period_value",
    "comparator", "value", "target", "own_area", "comparator_value", "baseline_used",
    "tolerance_points", "tolerance_pct", "scheme", "provisional", "is_demo")


def explain(rated: pd.DataFrame, register: Register | None = None) -> pd.Series:
    """One plain-words reason per row of ``rated`` (a frame from :func:`rate`, or rows of it).

    Build it only for the rows shown: it is row-by-row Python. ``register`` is not needed (the
    rated frame carries everything) and is accepted for callers that pass it.
    """
    del register
    # Only the columns the texts read: each row's tuple is then half as wide (about a third
    # quicker for the few thousand rows a page shows).
    needed = [c for c in _REASON_COLUMNS if c in rated.columns]
    reasons = [_reason(r) for r in rated[needed].itertuples(index=False)]
    return pd.Series(reasons, index=rated.index, dtype=object, name="reason")
