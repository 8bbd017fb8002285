"""Read and validate the indicator register, ``indicators.xlsx``, into a :class:`Register`.

Nothing is stored from here: the caller gets either a complete, valid register or
:class:`~data_loaders.excel.WorkbookRefused` listing every problem by sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from data_loaders.excel import CellError, SheetRows, WorkbookRefused, open_workbook, read_sheet
from performance import vocabulary as v
from performance.periods import PeriodError, parse_period, parse_year
from performance.register import Register
from performance.values import cell_number, check_plausible_range, check_value

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REGISTER_PATH = REPO_ROOT / "indicators.xlsx"

NUMBER_COLUMNS = {"baseline", "tolerance_pct", "tolerance_points", "value"}


class _RowReader:
    """Coerces the cells of one row, collecting an error per bad cell instead of stopping."""

    def __init__(self, sheet: SheetRows, number: int, record: dict[str, object],
                 errors: list[CellError]):
        self.sheet, self.row_number, self.record, self.errors = sheet, number, record, errors
        self.refused: set[str] = set()  # columns already reported, so one cell gets one message

    def error(self, column: str, message: str) -> None:
        self.refused.add(column)
        self.errors.append(CellError(self.sheet.sheet, self.row_number, column, message))

    def text(self, column: str, required: bool = False) -> str:
        raw = self.record.get(column)
        value = "" if raw is None else str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            value = str(int(raw))
        if required and not value:
            self.error(column, "is empty; a value is required")
        return value

    def number(self, column: str, required: bool = False) -> float:
        raw = self.record.get(column)
        value, problem = cell_number(raw)
        if problem:
            self.error(column, problem)
            return float("nan")
        if value != value:
            if required:
                self.error(column, "is empty; a number is required")
            return value
        if (self.row_number, column) in self.sheet.percent_cells:
            # the register has no preview to say a scaling happened: refused, with the reason
            self.error(column, f"shows {value * 100:g}% in Excel (the cell holds {value:g}); the "
                       "register takes figures as typed, a percentage as 6.5: remove the percent "
                       "format and type the figure")
            return float("nan")
        if not math.isfinite(value):
            self.error(column, check_value(value, "").error)
            return float("nan")
        return value

    def figure(self, column: str, unit: str, required: bool = False, difference: bool = False
               ) -> float:
        """A number that must be a figure ``unit`` allows (:func:`check_value`)."""
        value = self.number(column, required=required)
        if value == value and unit in v.UNITS:
            error = check_value(value, unit, difference=difference).error
            if error:
                self.error(column, error)
                return float("nan")
        return value

    def choice(self, column: str, allowed: Iterable[str], required: bool = True,
               default: str = "") -> str:
        value = self.text(column)
        allowed = tuple(allowed)
        if not value:
            if required:
                self.error(column, f"is empty; write one of {', '.join(allowed)}")
            return default
        if value not in allowed:
            self.error(column, f"'{value}' is not allowed; write one of {', '.join(allowed)}")
            return default
        return value

    def yes_no(self, column: str, default: bool = False) -> bool:
        return self.choice(column, v.YES_NO, required=False, default="yes" if default else "no") == "yes"

    def year(self, column: str, required: bool = True) -> str:
        value = self.text(column, required=required)
        if not value:
            return ""
        try:
            parse_year(value)
        except PeriodError as exc:
            self.error(column, str(exc))
            return ""
        return value

    def date(self, column: str) -> dt.date | None:
        raw = self.record.get(column)
        if raw is None or raw == "":
            return None
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            self.error(column, f"'{raw}' is not a date; write it like 2010-01-19")
            return None


def _rows(sheet: SheetRows | None, errors: list[CellError]):
    if sheet is None:
        return
    for number, record in sheet.rows:
        yield _RowReader(sheet, number, record, errors)


def read_register(source: str | Path | bytes = DEFAULT_REGISTER_PATH,
                  name: str | None = None) -> Register:
    """Read ``indicators.xlsx`` and validate it; raise :class:`WorkbookRefused` if anything is wrong."""
    errors: list[CellError] = []
    with open_workbook(source, name) as wb:
        sheets = {}
        for sheet, required, optional in (
            (v.SHEET_FRAMEWORKS, v.FRAMEWORK_COLUMNS, ()),
            (v.SHEET_INDICATORS, v.INDICATOR_COLUMNS, v.INDICATOR_OPTIONAL_COLUMNS),
            (v.SHEET_TARGETS, v.TARGET_COLUMNS, v.TARGET_OPTIONAL_COLUMNS),
            (v.SHEET_RETURNS, v.RETURN_COLUMNS, v.RETURN_OPTIONAL_COLUMNS),
            (v.SHEET_THEME_BOARDS, v.THEME_BOARD_COLUMNS, v.THEME_BOARD_OPTIONAL_COLUMNS),
            (v.SHEET_SETTINGS, v.SETTING_COLUMNS, ()),
        ):
            sheets[sheet], found = read_sheet(wb, sheet, required, optional)
            errors.extend(found)

    frameworks = _frameworks(sheets[v.SHEET_FRAMEWORKS], errors)
    boards = _theme_boards(sheets[v.SHEET_THEME_BOARDS], frameworks, errors)
    settings = _settings(sheets[v.SHEET_SETTINGS], errors)
    indicators = _indicators(sheets[v.SHEET_INDICATORS], frameworks, boards, errors)
    targets = _targets(sheets[v.SHEET_TARGETS], frameworks, indicators, errors)
    returns = _returns(sheets[v.SHEET_RETURNS], frameworks, indicators, errors)
    if errors:
        raise WorkbookRefused(errors)
    return Register(
        frameworks=pd.DataFrame(frameworks.values(), columns=list(v.FRAMEWORK_COLUMNS)),
        indicators=pd.DataFrame(indicators.values()),
        targets=pd.DataFrame(targets),
        returns=pd.DataFrame(returns, columns=RETURN_FRAME_COLUMNS),
        theme_boards=pd.DataFrame(boards.values(),
                                  columns=["framework", "theme_board", "chair", "theme", "source"]),
        settings=settings,
    )


RETURN_FRAME_COLUMNS = [
    "framework", "code", "part", "area", "period", "value", "provisional", "commentary",
    "action", "forecast_year_end", "source", "is_demo",
]


def _frameworks(sheet, errors) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in _rows(sheet, errors):
        name = r.text("framework", required=True)
        row = {"framework": name, "title": r.text("title"), "first_year": r.year("first_year"),
               "last_year": r.year("last_year"), "own_area": r.text("own_area", required=True),
               "source": r.text("source")}
        if name in out:
            r.error("framework", f"framework '{name}' is listed twice")
        elif row["first_year"] and row["last_year"] and (
                parse_year(row["first_year"]) > parse_year(row["last_year"])):
            r.error("last_year", f"{row['last_year']} is before first_year {row['first_year']}")
        elif name:
            out[name] = row
    if sheet is not None and not out and not errors:
        errors.append(CellError(v.SHEET_FRAMEWORKS, 2, "framework", "no framework is listed"))
    return out


def _theme_boards(sheet, frameworks, errors) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    only = next(iter(frameworks)) if len(frameworks) == 1 else ""
    for r in _rows(sheet, errors):
        name = r.text("theme_board", required=True)
        framework = r.text("framework") or only
        if framework not in frameworks:
            r.error("framework", f"'{framework}' is not a framework of the 'Frameworks' sheet")
            continue
        key = (framework, name)
        if key in out:
            r.error("theme_board", f"theme board '{name}' is listed twice")
        out[key] = {"framework": framework, "theme_board": name, "chair": r.text("chair"),
                    "theme": r.text("theme"), "source": r.text("source")}
    return out


def _settings(sheet, errors) -> dict[str, str]:
    settings = dict(v.DEFAULT_SETTINGS)
    for r in _rows(sheet, errors):
        key = r.text("setting", required=True)
        value = r.text("value", required=True)
        if key not in v.DEFAULT_SETTINGS:
            r.error("setting", f"unknown setting '{key}'; known: {', '.join(v.DEFAULT_SETTINGS)}")
        elif key == "rag_scheme" and value not in v.RAG_SCHEMES:
            r.error("value", f"'{value}' is not a RAG scheme; write one of {', '.join(v.RAG_SCHEMES)}")
        elif key.endswith("_pct"):
            try:
                number = float(value)
            except ValueError:
                r.error("value", f"'{value}' is text where a number is required")
                continue
            if not (math.isfinite(number) and 0 <= number <= 100):
                r.error("value", f"'{value}' is not a percentage between 0 and 100")
            else:
                settings[key] = value
        else:
            settings[key] = value
    return settings


# Attributes of the indicator as a whole: every part of one code must agree on them.
INDICATOR_LEVEL = ("kind", "title", "theme", "theme_board", "lead_partner", "partners",
                   "reward_eligible", "status")


def _indicators(sheet, frameworks, boards, errors) -> dict[tuple[str, str, str], dict]:
    out: dict[tuple[str, str, str], dict] = {}
    first_part: dict[tuple[str, str], tuple[int, dict]] = {}
    for r in _rows(sheet, errors):
        unit = r.choice("unit", v.UNITS)
        row = {
            "framework": r.text("framework", required=True),
            "code": r.text("code", required=True),
            "part": r.text("part"),
            "kind": r.choice("kind", v.KINDS),
            "title": r.text("title", required=True),
            "theme": r.text("theme"),
            "theme_board": r.text("theme_board", required=True),
            "unit": unit,
            "polarity": r.choice("polarity", v.POLARITIES),
            "measure": r.choice("measure", v.MEASURES),
            "frequency": r.choice("frequency", v.FREQUENCIES),
            "baseline": r.figure("baseline", unit),
            "baseline_period": r.text("baseline_period"),
            "baseline_text": r.text("baseline_text"),
            "tolerance_pct": r.figure("tolerance_pct", "percent"),
            # a tolerance is a distance from the target in the unit: never negative
            "tolerance_points": r.figure("tolerance_points", unit, difference=True),
            "rag_scheme": r.choice("rag_scheme", v.RAG_SCHEMES, required=False),
            "survey_years": r.text("survey_years"),
            "comparator": r.text("comparator"),
            "lead_partner": r.text("lead_partner"),
            "partners": r.text("partners"),
            "reward_eligible": r.yes_no("reward_eligible"),
            "status": r.choice("status", v.INDICATOR_STATUSES, required=False, default="active"),
            "notes": r.text("notes"),
            "source": r.text("source"),
            "plausible_min": r.number("plausible_min"),
            "plausible_max": r.number("plausible_max"),
        }
        if row["tolerance_points"] < 0:
            r.error("tolerance_points", f"{row['tolerance_points']:g} is negative; a tolerance is a "
                    "distance from the target")
        if unit:
            for column, problem in check_plausible_range(unit, row["plausible_min"], row["plausible_max"]):
                r.error(column, f"{problem} (the plausible range is of {row['code']}'s own figures)")
        if row["framework"] and row["framework"] not in frameworks:
            r.error("framework", f"'{row['framework']}' is not a framework of the 'Frameworks' sheet")
        if row["theme_board"] and (row["framework"], row["theme_board"]) not in boards:
            r.error("theme_board", f"unknown theme board '{row['theme_board']}'; "
                    "it must be listed on the 'Theme boards' sheet")
        for year in filter(None, (y.strip() for y in row["survey_years"].split(";"))):
            try:
                parse_year(year)
            except PeriodError as exc:
                r.error("survey_years", str(exc))
        key = (row["framework"], row["code"], row["part"])
        if key in out:
            label = f"{row['code']} part '{row['part']}'" if row["part"] else row["code"]
            r.error("code", f"{label} is listed twice")
            continue
        first = first_part.setdefault(key[:2], (r.row_number, row))
        for column in INDICATOR_LEVEL:
            if first[1] is not row and first[1][column] != row[column]:
                r.error(column, f"differs from row {first[0]} for the same indicator "
                        f"{row['code']}; parts of one indicator share it")
        out[key] = row
    return out


def _targets(sheet, frameworks, indicators, errors) -> list[dict]:
    out: list[dict] = []
    seen: dict[tuple, int] = {}
    for r in _rows(sheet, errors):
        row = {
            "framework": r.text("framework", required=True),
            "code": r.text("code", required=True),
            "part": r.text("part"),
            "year": r.year("year"),
            "value": r.number("value"),
            "text": r.text("text"),
            "status": r.choice("status", v.TARGET_STATUSES),
            "version": r.choice("version", v.TARGET_VERSIONS),
            "effective_from": r.date("effective_from"),
            "decided_by": r.text("decided_by"),
            "source": r.text("source"),
            "measure": r.choice("measure", v.MEASURES, required=False),
        }
        part = indicators.get((row["framework"], row["code"], row["part"]))
        if part is None:
            r.error("code", _unknown_part(row))
            continue
        if row["value"] == row["value"] and part["unit"]:
            # a gap target is a difference between two areas' figures, so it may be negative
            gap = (row["measure"] or part["measure"]) == "gap_to_comparator"
            error = check_value(row["value"], part["unit"], difference=gap).error
            if error:
                r.error("value", error)
        fw = frameworks.get(row["framework"])
        if row["year"] and fw and fw["first_year"] and not (
                parse_year(fw["first_year"]) <= parse_year(row["year"]) <= parse_year(fw["last_year"])):
            r.error("year", f"{row['year']} is outside the framework's years "
                    f"{fw['first_year']} to {fw['last_year']}")
        if row["status"] == "set" and row["value"] != row["value"] and "value" not in r.refused:
            r.error("value", "is empty but the status is 'set'; give the number the target is set on")
        key = (row["framework"], row["code"], row["part"], row["year"], row["version"])
        if _first_time(r, seen, key, "year",
                       f"the {row['version']} target of {row['code']} for {row['year']} is already given"):
            out.append(row)
    return out


def _returns(sheet, frameworks, indicators, errors) -> list[dict]:
    out: list[dict] = []
    seen: dict[tuple, int] = {}
    framework_of: dict[tuple[str, str], set[str]] = {}
    for fw, code, part in indicators:
        framework_of.setdefault((code, part), set()).add(fw)
    for r in _rows(sheet, errors):
        code, part = r.text("code", required=True), r.text("part")
        framework = r.text("framework")
        if not framework:
            candidates = framework_of.get((code, part), set())
            framework = next(iter(candidates)) if len(candidates) == 1 else ""
        row = {
            "framework": framework, "code": code, "part": part,
            "area": r.text("area", required=True),
            "period": r.text("period", required=True),
            "value": r.number("value", required=True),
            "provisional": r.yes_no("provisional"),
            "commentary": r.text("commentary"),
            "action": r.text("action"),
            "forecast_year_end": float("nan"),
            "source": r.text("source", required=True),
            "is_demo": False,
        }
        if (framework, code, part) not in indicators:
            r.error("code", _unknown_part(row))
            continue
        unit = indicators[(framework, code, part)]["unit"]
        if row["value"] == row["value"] and unit:
            error = check_value(row["value"], unit).error
            if error:
                r.error("value", error)
                continue
        if row["period"]:
            try:
                row["period"] = str(parse_period(row["period"]))
            except PeriodError as exc:
                r.error("period", str(exc))
                continue
        key = (framework, code, part, row["area"], row["period"])
        if _first_time(r, seen, key, "period",
                       f"{code} for {row['area']} in {row['period']} is already given"):
            out.append(row)
    return out


def _first_time(r: _RowReader, seen: dict[tuple, int], key: tuple, column: str, message: str) -> bool:
    """Remember the row of ``key``; on a repeat, report ``message`` with the first row and say no."""
    if key in seen:
        r.error(column, f"{message} in row {seen[key]}")
        return False
    seen[key] = r.row_number
    return True


def _unknown_part(row: dict) -> str:
    label = f"{row['code']} part '{row['part']}'" if row["part"] else f"'{row['code']}'"
    return f"unknown indicator {label} in framework '{row['framework']}'"
