"""Checking benchmark values (comparators file or Fingertips download) row by row.

Pure: takes rows already read from a file (``(row number, {column: value})``) and the
register, returns every problem by row and column and the clean rows. Nothing is stored
unless every row is clean (``data_loaders.benchmarks_store.store_benchmark_values``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from performance.changes import ChangeRefused
from performance.errors import CellError
from performance.intervals import RATE_MULTIPLIERS
from performance.periods import PeriodError, parse_period, parse_year
from performance.register import Register

__all__ = ["FINGERTIPS_COLUMNS", "VALUE_COLUMNS", "ComparatorsCheck", "check_comparator_rows",
           "check_fingertips_id", "check_group_change", "comparators_preview", "count_problems",
           "fingertips_rows", "preview_summary"]

VALUE_COLUMNS = ("framework", "code", "part", "area", "period", "value", "count", "denominator",
                 "lower_95", "upper_95", "lower_998", "upper_998", "source")
NUMBERS = ("value", "count", "denominator", "lower_95", "upper_95", "lower_998", "upper_998")
# Fingertips' data-download CSV: its column names, and ours.
FINGERTIPS_COLUMNS = {
    "Indicator ID": "fingertips_id", "Area Name": "area", "Time period": "period",
    "Value": "value", "Count": "count", "Denominator": "denominator",
    "Lower CI 95.0 limit": "lower_95", "Upper CI 95.0 limit": "upper_95",
    "Lower CI 99.8 limit": "lower_998", "Upper CI 99.8 limit": "upper_998",
}
# Fingertips names regions "... region"; the register names the area without it.
_FINGERTIPS_AREA_SUFFIX = " region"


@dataclass
class ComparatorsCheck:
    """The outcome of checking a file: errors (nothing may be stored), warnings, clean rows."""

    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=VALUE_COLUMNS))

    @property
    def ok(self) -> bool:
        return not self.errors


def _blank(raw) -> bool:
    return raw is None or (isinstance(raw, float) and math.isnan(raw)) or (
        isinstance(raw, str) and not raw.strip())


def _number(raw) -> float | None | str:
    """A finite float, None for blank, or an error message."""
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        return "is not a number"
    try:
        number = float(str(raw).strip().replace(",", "")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        return f"'{raw}' is not a number"
    if not math.isfinite(number):
        return f"'{raw}' is not a finite number"
    return number


def _decimals(raw) -> int:
    text = str(raw).strip()
    return len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 0


def count_problems(unit: str, value: float | None, raw_value, count: float | None,
                   denominator: float | None, names: tuple[str, str] = ("count", "denominator")
                   ) -> list[tuple[str, str]]:
    """Problems with a value's count and denominator, as (column, message) pairs.

    A count must be 0 or more, a denominator above 0 and the count no more than the
    denominator; where both are given, a percentage or a crude rate must agree with them to the
    precision the value is written with (6.6 from 66 of 1,000; 6.55 needs 65.5 of 1,000).
    """
    problems = []
    count_name, denominator_name = names
    if count is not None and count < 0:
        problems.append((count_name, f"{count:g} is negative"))
    if denominator is not None and denominator <= 0:
        problems.append((denominator_name, f"{denominator:g} must be above 0"))
    if count is not None and denominator is not None and count > denominator:
        problems.append((count_name, f"the {count_name} {count:g} is more than the "
                                     f"{denominator_name} {denominator:g}"))
    elif (count is not None and denominator is not None and denominator > 0 and value is not None
          and not problems and (unit == "percent" or unit in RATE_MULTIPLIERS)):
        implied = count / denominator * (100.0 if unit == "percent" else RATE_MULTIPLIERS[unit])
        shown = _decimals(raw_value)
        if abs(implied - value) > 0.5 * 10.0 ** -shown + 1e-9:
            problems.append(("value", f"{value:g} does not agree with {count_name} {count:g} and "
                                      f"{denominator_name} {denominator:g}, which give "
                                      f"{implied:.{shown + 1}f}"))
    return problems


def check_comparator_rows(register: Register, sheet: str, rows: list[tuple[int, dict]],
                          areas: set[str]) -> ComparatorsCheck:
    """Check benchmark-value rows against the register and the known benchmark ``areas``.

    Refused, each with its row and column: unknown area, unknown code or part, a period that
    is not a period or is outside the framework's years, a value, count, denominator or limit
    that is not a finite number or is impossible for the unit (a percentage outside 0-100, a
    negative count or rate), a count above its denominator, a value that does not agree with
    its count and denominator, limits not around the value, no source, the same value twice.
    """
    check = ComparatorsCheck()
    ind = register.indicators
    parts = {(r.framework, r.code, r.part): r for r in ind.itertuples()}
    frameworks_of: dict[str, list[str]] = {}
    for r in ind.itertuples():
        frameworks_of.setdefault(r.code, [])
        if r.framework not in frameworks_of[r.code]:
            frameworks_of[r.code].append(r.framework)
    years = {r.framework: (parse_year(r.first_year), parse_year(r.last_year))
             for r in register.frameworks.itertuples()}
    clean, seen = [], {}
    for number, raw in rows:
        def error(column, message, number=number):
            check.errors.append(CellError(sheet, number, column, message))

        before = len(check.errors)
        code = "" if _blank(raw.get("code")) else str(raw.get("code")).strip()
        part = "" if _blank(raw.get("part")) else str(raw.get("part")).strip()
        framework = "" if _blank(raw.get("framework")) else str(raw.get("framework")).strip()
        row = None
        if not code:
            error("code", "the indicator code is missing")
        elif code not in frameworks_of:
            error("code", f"unknown indicator code '{code}'")
        else:
            if not framework:
                if len(frameworks_of[code]) > 1:
                    error("framework", f"'{code}' is in several frameworks "
                          f"({', '.join(frameworks_of[code])}); add a framework column")
                framework = frameworks_of[code][0]
            row = parts.get((framework, code, part))
            if row is None:
                known = [p for (f, c, p) in parts if f == framework and c == code]
                error("part", f"'{code}' has no part '{part}'"
                      + (f"; its parts: {', '.join(repr(p) for p in known)}" if known else ""))
        area = "" if _blank(raw.get("area")) else str(raw.get("area")).strip()
        if not area:
            error("area", "the area is missing")
        elif area not in areas:
            error("area", f"unknown area '{area}'; known: {', '.join(sorted(areas))}")
        period_text = "" if _blank(raw.get("period")) else str(raw.get("period")).strip()
        period = None
        try:
            period = parse_period(period_text)
        except PeriodError as exc:
            error("period", str(exc))
        if period is not None and row is not None:
            first, last = years[framework]
            if not first <= period.year <= last:
                error("period", f"{period} is outside {framework} "
                      f"({register.frameworks.set_index('framework').loc[framework, 'first_year']} to "
                      f"{register.frameworks.set_index('framework').loc[framework, 'last_year']})")
        numbers = {}
        for column in NUMBERS:
            got = _number(raw.get(column))
            if isinstance(got, str):
                error(column, got)
                got = None
            numbers[column] = got
        value = numbers["value"]
        if value is None and _blank(raw.get("value")):
            error("value", "the value is missing")
        unit = row.unit if row is not None else ""
        if value is not None and unit == "percent" and not 0.0 <= value <= 100.0:
            error("value", f"{value:g} is not a percentage (0 to 100)")
        if value is not None and (unit in RATE_MULTIPLIERS or unit == "count") and value < 0:
            error("value", f"{value:g} is negative; a {unit.replace('_', ' ')} cannot be")
        for column, message in count_problems(unit, value, raw.get("value"), numbers["count"],
                                              numbers["denominator"]):
            error(column, message)
        for level in ("95", "998"):
            lo, up = numbers[f"lower_{level}"], numbers[f"upper_{level}"]
            if (lo is None) != (up is None):
                error(f"lower_{level}" if lo is None else f"upper_{level}",
                      f"give both {level[:2]}{'.8' if level == '998' else ''}% limits or neither")
            elif lo is not None and value is not None and not lo <= value <= up:
                error(f"lower_{level}", f"the limits {lo:g} to {up:g} are not around the value {value:g}")
        source = "" if _blank(raw.get("source")) else str(raw.get("source")).strip()
        if not source:
            error("source", "the source is missing (the publication the value comes from)")
        if len(check.errors) == before:
            key = (framework, code, part, area, str(period))
            if key in seen:
                error("period", f"the same value is also on row {seen[key]}")
                continue
            seen[key] = number
            clean.append({"framework": framework, "code": code, "part": part, "area": area,
                          "period": str(period), **numbers, "source": source})
    if not check.errors:
        check.rows = pd.DataFrame(clean, columns=VALUE_COLUMNS)
    return check


def fingertips_rows(rows: list[tuple[int, dict]], fingertips_parts: dict[int, tuple[str, str, str]],
                    areas: set[str], source: str
                    ) -> tuple[list[tuple[int, dict]], list[str], list[CellError]]:
    """Turn a Fingertips data-download's rows into comparators rows.

    A download holds every area of its type: rows for areas that are not benchmark areas are
    left out (a warning says how many). An indicator ID the register does not map to a part is
    refused with its row.
    """
    out, errors, skipped = [], [], 0
    for number, raw in rows:
        mapped = {ours: raw.get(theirs) for theirs, ours in FINGERTIPS_COLUMNS.items()}
        area = "" if _blank(mapped["area"]) else str(mapped["area"]).strip()
        if area.endswith(_FINGERTIPS_AREA_SUFFIX) and area.removesuffix(_FINGERTIPS_AREA_SUFFIX) in areas:
            area = area.removesuffix(_FINGERTIPS_AREA_SUFFIX)
        if area not in areas:
            skipped += 1
            continue
        got = _number(mapped.pop("fingertips_id"))
        if not isinstance(got, float) or int(got) not in fingertips_parts:
            errors.append(CellError(None, number, "Indicator ID",
                                    f"Fingertips indicator '{raw.get('Indicator ID')}' is not mapped "
                                    "to an indicator part in the register"))
            continue
        framework, code, part = fingertips_parts[int(got)]
        out.append((number, {**mapped, "area": area, "framework": framework, "code": code,
                             "part": part, "source": source}))
    warnings = [f"{skipped} rows for areas that are not benchmark areas were left out"] if skipped else []
    return out, warnings, errors


# --- the neighbour groups an administrator edits, and Fingertips indicator IDs ---------------

AREA_NAME_MAX_LENGTH = 120  # benchmark_areas.name and benchmark_group_members.member
GROUP_CHANGES = ("set", "add", "remove")


def _same(name: str, names) -> str | None:
    """The name among ``names`` that is ``name`` written in another case, or None."""
    folded = name.casefold()
    return next((n for n in names if n.casefold() == folded), None)


def check_group_change(change: str, group: str, members: list[tuple[str, str]], *, reason: str,
                       groups: dict[str, list[str]], reserved: dict[str, str]
                       ) -> list[tuple[str, str]]:
    """Check a change to a neighbour group's members; return the ``(name, source)`` pairs to
    store (``set``: the whole list; ``add``: the new ones), or for ``remove`` the names as stored.

    ``change`` is ``set`` (the whole list), ``add`` or ``remove``; ``members`` are the
    ``(name, source)`` pairs given (for ``remove`` the source is ignored). ``groups`` maps each
    existing group to its members; ``reserved`` maps names no member may take (benchmark areas
    such as England, the frameworks' own areas) to why. Raises :class:`ChangeRefused` with every
    problem by field (``group``, ``member``, ``source``, ``reason``); nothing is kept then.
    """
    problems: list[tuple[str, str]] = []
    group = " ".join(str(group or "").split())
    if change not in GROUP_CHANGES:
        problems.append(("change", f"'{change}' is not one of {', '.join(GROUP_CHANGES)}"))
    if not group:
        problems.append(("group", "name the group"))
    elif group not in groups and change != "set":
        problems.append(("group", f"unknown group '{group}'; known: {', '.join(sorted(groups)) or 'none'}"))
    current = list(groups.get(group, []))
    cleaned = [(" ".join(str(n or "").split()), str(s or "").strip()) for n, s in members]
    if not cleaned and change != "set":
        problems.append(("member", "name the area"))
    seen: list[str] = []
    for name, source in cleaned:
        if not name:
            problems.append(("member", "a member needs a name"))
            continue
        if len(name) > AREA_NAME_MAX_LENGTH:
            problems.append(("member", f"'{name[:40]}…' is longer than {AREA_NAME_MAX_LENGTH} characters"))
        if (twice := _same(name, seen)) is not None:
            problems.append(("member", f"'{name}' is given twice (also as '{twice}')"))
        seen.append(name)
        if change == "remove":
            if _same(name, current) is None:
                problems.append(("member", f"'{name}' is not a member of {group}; its members: "
                                           f"{', '.join(current) or 'none'}"))
            continue
        if (taken := _same(name, reserved)) is not None:
            problems.append(("member", f"'{name}' cannot be a neighbour: {reserved[taken]}"))
        if change == "add" and (already := _same(name, current)) is not None:
            problems.append(("member", f"'{already}' is already a member of {group}"))
        if not source:
            problems.append(("source", f"give the source of {name}: the list or publication it "
                                       "was taken from"))
    if not str(reason or "").strip():
        problems.append(("reason", "give the reason for the change (kept in the audit trail)"))
    if problems:
        raise ChangeRefused(problems)
    if change == "remove":  # the names as stored
        return [(_same(n, current), "") for n, _ in cleaned]
    return cleaned


def check_fingertips_id(raw, *, source: str, code: str, part: str,
                        mapped: dict[int, tuple[str, str, str]], framework: str) -> int:
    """Check a Fingertips indicator ID for ``code``/``part``; return it as an int.

    Refused (:class:`ChangeRefused`, by field): an ID that is not a whole number above 0, an ID
    already mapped to another part of the same framework (a download's rows would be ambiguous),
    no source.
    """
    problems: list[tuple[str, str]] = []
    text = str(raw if raw is not None else "").strip()
    number = None
    if not text:
        problems.append(("fingertips_id", "give the Fingertips indicator ID (a whole number)"))
    else:
        try:
            number = int(text)
        except ValueError:
            problems.append(("fingertips_id", f"'{text}' is not a whole number"))
        else:
            if number <= 0:
                problems.append(("fingertips_id", f"{number} is not a Fingertips indicator ID "
                                                  "(they are whole numbers above 0)"))
            elif number in mapped and mapped[number][0] == framework \
                    and mapped[number][1:] != (code, part):
                other = " ".join(filter(None, mapped[number][1:]))
                problems.append(("fingertips_id", f"{number} is already the Fingertips ID of {other}"))
    if not str(source or "").strip():
        problems.append(("source", "give the source: where the ID was looked up (e.g. the "
                                   "Fingertips indicator's page)"))
    if problems:
        raise ChangeRefused(problems)
    return number


# --- the preview before "Confirm and save" ---------------------------------------------------

PREVIEW_NEW, PREVIEW_SAME = "New value", "Same as stored: not saved again"


def _interval(lower, upper) -> str:
    if lower is None or upper is None or lower != lower or upper != upper:
        return ""
    return f"{lower:g} to {upper:g}"


def _same_number(a, b) -> bool:
    missing_a, missing_b = a is None or a != a, b is None or b != b
    return (missing_a and missing_b) or (not missing_a and not missing_b and float(a) == float(b))


def comparators_preview(rows: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The checked values as they will be saved, in words, each saying what saving does: a new
    value, a correction of the stored one (the next version; the old stays in the history), or
    the same as stored (left alone). ``current`` is the stored values
    (``data_loaders.benchmarks_store.read_benchmark_values``, same columns as ``rows``)."""
    key = ["framework", "code", "part", "area", "period"]
    stored = {tuple(r[k] for k in key): r for r in current.to_dict("records")}
    out = []
    for r in rows.to_dict("records"):
        old = stored.get(tuple(r[k] for k in key))
        if old is None:
            change = PREVIEW_NEW
        elif all(_same_number(r[c], old[c]) for c in NUMBERS) and r["source"] == old["source"]:
            change = PREVIEW_SAME
        else:
            change = f"Corrects the stored {old['value']:g} (kept in the history)"
        out.append({"code": r["code"], "part": r["part"], "area": r["area"], "period": r["period"],
                    "value": r["value"], "count": r["count"], "denominator": r["denominator"],
                    "95% interval": _interval(r["lower_95"], r["upper_95"]),
                    "99.8% interval": _interval(r["lower_998"], r["upper_998"]),
                    "source": r["source"], "on saving": change})
    return pd.DataFrame(out, columns=["code", "part", "area", "period", "value", "count", "denominator",
                                      "95% interval", "99.8% interval", "source", "on saving"])


def preview_summary(preview: pd.DataFrame) -> str:
    """"3 values: 2 new, 1 correction, 0 the same as stored" for the preview's heading."""
    changes = preview["on saving"]
    new, same = int((changes == PREVIEW_NEW).sum()), int((changes == PREVIEW_SAME).sum())
    corrected = len(preview) - new - same
    return (f"{len(preview)} {'value' if len(preview) == 1 else 'values'}: {new} new, "
            f"{corrected} {'correction' if corrected == 1 else 'corrections'}, {same} the same as stored")
