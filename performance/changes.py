"""Changes an administrator makes to the register from the app, checked before anything is written.

Two kinds (``data_loaders.database`` writes them, each with its audit entry, in one transaction):

- a **new target version** for an indicator part and year. Versions are never edited or
  deleted: a changed target is a new version, with a reason, that takes effect from its date;
- an **edit of the descriptive fields** the sub-group maintains (title, theme, theme board,
  lead partner, partners; a part's notes and source), with a reason.

The checks here are pure (no database), so they are tested as tables; every problem names
the field it is about, and all of them are reported at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import pandas as pd

from performance.periods import PeriodError, financial_year, parse_year
from performance.register import target_version_order
from performance.values import check_value
from performance.vocabulary import (
    MEASURES,
    TARGET_STATUSES,
    TARGET_VERSION_MAX_LENGTH,
    TARGET_VERSIONS,
)


class ChangeRefused(ValueError):
    """A change that is not made; ``problems`` lists ``(field, message)``, every one found."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))


# --- target versions -----------------------------------------------------------------------

# The words a target without a number is written with, when the administrator gives none.
STATUS_TEXT = {"no_survey": "No survey", "to_be_confirmed": "To be confirmed",
               "not_applicable": "Not applicable"}


def _number(value) -> tuple[float | None, str]:
    """``(number or None, problem)``: empty (None, NaN, "") is None; text must read as a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, f"'{value}' is not a number"
    if math.isnan(number):
        return None, ""
    if math.isinf(number):
        return None, "must be a finite number"
    return number, ""


def _date(value) -> tuple[dt.date | None, str]:
    """``(date or None, problem)`` from a date, a datetime or ``YYYY-MM-DD`` text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    try:
        return dt.date.fromisoformat(str(value).strip()), ""
    except ValueError:
        return None, f"'{value}' is not a date; write it as YYYY-MM-DD"


def in_force(existing: pd.DataFrame) -> dict | None:
    """The version in force among the stored versions of one part and year (None if none)."""
    if existing.empty:
        return None
    return existing.iloc[target_version_order(existing)[-1]].to_dict()


def _day(date: dt.date) -> str:
    """A date as the pages write it: "1 June 2010"."""
    return f"{date.day} {date:%B %Y}"


def _label(code: str, part: str) -> str:
    return f"{code} {part}".strip()


def check_target_version(new: Mapping, *, first_year: str, last_year: str, unit: str,
                         part_measure: str, existing: pd.DataFrame,
                         today: dt.date | None = None) -> dict:
    """Check a new target version; return the row to store, or raise :class:`ChangeRefused`.

    ``new`` holds ``code, part, year, version, value, status, text, measure, effective_from,
    decided_by, source, reason``. ``first_year``/``last_year`` are the framework's years,
    ``unit`` and ``part_measure`` the indicator part's, ``existing`` the versions of the part
    and year already stored (columns ``version, effective_from``), in the order added.

    A new version must take effect on or after a later version in force, so that it is the
    one in force once added (the latest effective version wins): a version that would be in
    force never would only mislead. Its date may not be after ``today`` (default: the date
    today), since a version cannot be corrected once stored.
    """
    problems: list[tuple[str, str]] = []
    label = _label(new["code"], new["part"])

    year = str(new.get("year") or "").strip()
    try:
        parsed = parse_year(year)
        year = financial_year(parsed)  # "2009 / 10" is stored as 2009/10
        if not parse_year(first_year) <= parsed <= parse_year(last_year):
            problems.append(("year", f"{year} is outside the framework's years {first_year} to {last_year}"))
    except PeriodError as exc:
        problems.append(("year", str(exc)))

    version = " ".join(str(new.get("version") or "").split())
    taken = {str(v).strip().casefold(): str(v).strip() for v in existing["version"]} if len(existing) else {}
    if not version:
        problems.append(("version", "give the new version a name, e.g. 'revised 2010'"))
    elif len(version) > TARGET_VERSION_MAX_LENGTH:
        problems.append(("version", f"'{version}' is longer than {TARGET_VERSION_MAX_LENGTH} characters"))
    elif version.casefold() in taken:
        problems.append(("version", f"{label} already has a version '{taken[version.casefold()]}' for "
                                    f"{year}; versions are never changed, so give the new one another name"))
    elif version.casefold() in TARGET_VERSIONS:
        # the workbook's own names: a later load of indicators.xlsx would overwrite such a row
        problems.append(("version", f"'{version}' is a version name of the register workbook "
                                    "(indicators.xlsx); name the new one after its decision, "
                                    "e.g. 'revised 2010'"))

    status = str(new.get("status") or "").strip()
    if status not in TARGET_STATUSES:
        problems.append(("status", f"'{status}' is not a target status; choose one of "
                                   f"{', '.join(TARGET_STATUSES)}"))

    measure = str(new.get("measure") or "").strip()
    if measure and measure not in MEASURES:
        problems.append(("measure", f"'{measure}' is not a measure; choose one of {', '.join(MEASURES)} "
                                    "or leave it empty for the indicator's own"))

    value, problem = _number(new.get("value"))
    if problem:
        problems.append(("value", problem))
    elif status == "set" and value is None:
        problems.append(("value", "is empty but the status is 'set'; give the number the target is set on"))
    elif status in TARGET_STATUSES and status != "set" and value is not None:
        problems.append(("value", f"a target with status '{status}' has no number; leave the value "
                                  "empty or choose the status 'set'"))
    elif value is not None and (error := check_value(
            value, unit, difference=(measure or part_measure) == "gap_to_comparator").error):
        problems.append(("value", error))  # the same rule as the register's targets

    effective_from, problem = _date(new.get("effective_from"))
    current = in_force(existing)
    if problem:
        problems.append(("effective_from", problem))
    elif effective_from is None:
        problems.append(("effective_from", "give the date from which the new version applies"))
    elif effective_from > (today or dt.date.today()):
        # Versions are never edited: a mistyped future date would put this version in force at
        # once and refuse every correction dated before it. Record a version once it is decided.
        problems.append(("effective_from", (
            f"{_day(effective_from)} is in the future; add the version once it has been decided, "
            "with the date it takes effect")))
    elif current is not None and str(current.get("version", "")).strip() != "original":
        # any later version beats the original whatever its date; among later ones the latest wins
        current_from, _ = _date(current.get("effective_from"))
        if current_from is not None and effective_from < current_from:
            problems.append(("effective_from", (
                f"{_day(effective_from)} is before {_day(current_from)}, when the version in "
                f"force ('{current['version']}') took effect; a new version takes effect on or after it")))

    decided_by = str(new.get("decided_by") or "").strip()
    if not decided_by:
        problems.append(("decided_by", "say who decided the new target, e.g. 'Full Council 19 January 2010'"))
    reason = str(new.get("reason") or "").strip()
    if not reason:
        problems.append(("reason", "give the reason for the new version; it is kept with it and in "
                                   "the audit trail"))
    if problems:
        raise ChangeRefused(problems)

    text = str(new.get("text") or "").strip()
    if not text:  # the target as written: its number in the unit, or the words of its status
        from performance.rag import format_value

        text = format_value(value, unit) if value is not None else STATUS_TEXT.get(status, "")
    return {"year": year, "version": version, "value": value, "text": text, "status": status,
            "measure": measure, "effective_from": effective_from, "decided_by": decided_by,
            "source": str(new.get("source") or "").strip(), "reason": reason}


# --- descriptive fields of the register ----------------------------------------------------

# Fields of the indicator (shared by all its parts) and of one part that an administrator
# may change from the app: words that describe, not rules that rate.
INDICATOR_FIELDS = ("title", "theme", "theme_board", "lead_partner", "partners")
PART_FIELDS = ("notes", "source")
EDITABLE_FIELDS = INDICATOR_FIELDS + PART_FIELDS
# Everything else is refused, each for a reason the administrator is told.
_RATING = "it changes how every value is rated, back to 2008; correct it in indicators.xlsx, with its source"
REFUSED_FIELDS = {
    "framework": "an indicator stays in its framework",
    "code": "codes identify returns, targets and links; a new code is a new indicator in indicators.xlsx",
    "part": "parts identify returns and targets; add or rename parts in indicators.xlsx",
    "kind": "the kind is set by the agreement; change it in indicators.xlsx, with its source",
    "reward_eligible": "reward eligibility is set by the agreement; change it in indicators.xlsx",
    "status": "removing an indicator is an agreement decision; record it in indicators.xlsx, with its source",
    "polarity": _RATING, "unit": _RATING, "measure": _RATING, "frequency": _RATING,
    "baseline": _RATING, "baseline_period": _RATING, "baseline_text": _RATING,
    "rag_scheme": _RATING, "survey_years": _RATING, "comparator": _RATING,
    "tolerance_points": _RATING,
    "tolerance_pct": "use the tolerance section of the Administration page",
}


def check_register_edit(changes: Mapping[str, str], current: Mapping[str, str], *,
                        theme_boards: list[str], reason: str,
                        expected: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Check an edit of an indicator part's descriptive fields; return ``{field: (before, after)}``
    for the fields that really change, or raise :class:`ChangeRefused`.

    ``current`` holds the stored values of :data:`EDITABLE_FIELDS`; ``theme_boards`` the boards
    of the indicator's framework; ``reason`` is required. With ``expected`` (the values the
    administrator saw), a field someone else changed meanwhile is refused rather than silently
    overwritten.
    """
    problems: list[tuple[str, str]] = []
    changed: dict[str, tuple[str, str]] = {}
    for field, raw in changes.items():
        if field in REFUSED_FIELDS:
            problems.append((field, f"cannot be changed from the app: {REFUSED_FIELDS[field]}"))
            continue
        if field not in EDITABLE_FIELDS:
            problems.append((field, f"is not a field of the register; editable fields are "
                                    f"{', '.join(EDITABLE_FIELDS)}"))
            continue
        value = " ".join(str(raw if raw is not None else "").split()) if field != "notes" else \
            str(raw if raw is not None else "").strip()
        before = str(current[field])
        if expected is not None and field in expected and str(expected[field]) != before:
            problems.append((field, f"was changed by someone else since you opened the page (now "
                                    f"'{before}'); reload the page and check before saving"))
            continue
        if field == "title" and not value:
            problems.append((field, "cannot be empty"))
        elif field == "theme_board" and value not in theme_boards:
            problems.append((field, f"'{value}' is not a theme board of this framework; choose one of "
                                    f"{', '.join(theme_boards)}"))
        elif value != before:
            changed[field] = (before, value)
    if not str(reason or "").strip():
        problems.append(("reason", "give the reason for the change; it is kept in the audit trail"))
    if problems:
        raise ChangeRefused(problems)
    return changed
