"""Quarterly returns from accountable officers: the template's rows and the checks on them.

Pure logic: the rows arrive already read from the workbook (``data_loaders.returns_file``)
and leave as a validated frame or a list of errors naming sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from performance.comparators import count_problems
from performance.errors import CellError
from performance.periods import Period, PeriodError, parse_period, parse_year
from performance.register import Register, current_targets
from performance.values import cell_number, check_value, unit_words

SHEET = "Returns"
COLUMNS = ("code", "part", "period", "value", "comparator_value", "forecast_year_end",
           "provisional", "commentary", "action")
READ_ONLY_COLUMNS = ("code", "part", "period")
TEXT_COLUMNS = ("commentary", "action")
NUMBER_COLUMNS = ("value", "comparator_value", "forecast_year_end")
# Units whose figures a percent-formatted cell can hold (6.5% is the 6.5 of a percentage).
PERCENT_UNITS = ("percent", "percentage_points")
# Optional (issue 14): the count and denominator behind the value, for confidence intervals.
# Templates made before them are still read.
COUNT_COLUMNS = ("numerator", "denominator")
# Optional (issue 16): "yes" keeps the row's commentary and action off the public scorecard.
INTERNAL_COLUMN = "commentary_internal"
# Columns read as yes or no ("no" when blank), with what "yes" means where it needs saying.
YES_NO_COLUMNS = {"provisional": "",
                  INTERNAL_COLUMN: " (commentary for the partnership only, kept off the public scorecard)"}


@dataclass
class ReturnsCheck:
    """The outcome of checking a returns file: rows to store, errors, and warnings."""

    rows: pd.DataFrame
    errors: list[CellError]
    warnings: list[CellError]

    @property
    def ok(self) -> bool:
        return not self.errors


def is_due(frequency: str, survey_years: str, period: Period, no_survey_years: set[str]) -> bool:
    """Whether an indicator part of this frequency is due in ``period``.

    Quarterly indicators are due every quarter and at year end; annual ones at year end only;
    biennial surveys at year end of survey years only. An annual outturn may be recorded for any.
    """
    if frequency == "quarterly":
        return True
    if not period.is_annual:
        return False
    if frequency == "biennial_survey":
        years = {y.strip() for y in survey_years.split(";") if y.strip()}
        if years:
            return period.year_label in years
        return period.year_label not in no_survey_years
    return True


def template_rows(register: Register, framework: str, period: Period,
                  parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of a returns template: every active part in scope that is due in ``period``."""
    ind = register.indicators if parts is None else parts
    ind = ind[(ind["framework"] == framework) & (ind["status"] == "active")]
    # "No survey" counts only where it is the version in force: a later version with a target
    # puts the survey back in that year, as the RAG engine reads it.
    in_force = current_targets(register.targets)
    no_survey = in_force[(in_force["framework"] == framework) & (in_force["status"] == "no_survey")]
    skip = {(r.code, r.part): set() for r in ind.itertuples()}
    for r in no_survey.itertuples():
        skip.setdefault((r.code, r.part), set()).add(r.year)
    due = [is_due(r.frequency, r.survey_years, period, skip[(r.code, r.part)])
           for r in ind.itertuples()]
    rows = ind[due]
    return pd.DataFrame({"code": rows["code"], "part": rows["part"], "period": str(period),
                         "comparator": rows["comparator"]}).reset_index(drop=True)


def guidance(register: Register, framework: str, period: Period,
             parts: pd.DataFrame) -> pd.DataFrame:
    """What "good" means for each part in the template: unit, polarity, target and baseline,
    in the client's words ("Higher is better", "Rate per 1,000"): the sheet is read by people."""
    from performance.tables import cell_words

    targets = current_targets(register.targets)
    targets = targets[(targets["framework"] == framework) & (targets["year"] == period.year_label)]
    ind = register.indicators
    ind = ind[ind["framework"] == framework].merge(parts[["code", "part"]], on=["code", "part"])
    out = ind.merge(targets[["code", "part", "text", "value"]].rename(
        columns={"text": "target_as_written", "value": "target"}), on=["code", "part"], how="left")
    # the plausible range, where the register gives one: a value outside it is queried
    plausible = [c for c in ("plausible_min", "plausible_max") if c in out and out[c].notna().any()]
    out = out[["code", "part", "title", "unit", "polarity", "measure", "baseline",
               "baseline_text", "target", "target_as_written", *plausible, "comparator",
               "lead_partner", "theme_board"]]
    return out.assign(**{c: out[c].map(lambda v, c=c: cell_words(c, v))
                         for c in ("unit", "polarity", "measure")})


def check_rows(register: Register, rows: list[tuple[int, dict]], today: dt.date | None = None,
               percent_cells: frozenset[tuple[int, str]] = frozenset()) -> ReturnsCheck:
    """Check the rows of a filled-in template against the register.

    Rows with no value are skipped (not reported this time). Errors name the row and column;
    the caller refuses the whole file if there is any. Every figure (value, comparator value,
    forecast) must be one its part's unit allows (:func:`performance.values.check_value`);
    one outside the part's plausible range is a warning. ``percent_cells`` are the (row,
    column) Excel shows as percentages: for a percentage part the 0.065 such a cell holds is
    read as the 6.5 it shows, with a warning saying so; for any other unit it is refused.
    """
    today = today or dt.date.today()
    errors: list[CellError] = []
    warnings: list[CellError] = []
    ind = register.indicators
    by_code: dict[tuple[str, str], list[dict]] = {}
    for rec in ind.to_dict("records"):
        by_code.setdefault((rec["code"], rec["part"]), []).append(rec)
    # Looked up once: a .loc per row costs seconds on a 10,000-row file.
    frameworks = {r["framework"]: r for r in register.frameworks.to_dict("records")}
    codes = set(ind["code"])
    seen: dict[tuple[str, str, str], int] = {}
    out: list[dict] = []

    for number, rec in rows:
        def err(column: str, message: str, _n=number) -> None:
            errors.append(CellError(SHEET, _n, column, message))

        code = _text(rec.get("code"))
        part = _text(rec.get("part"))
        raw_period = _text(rec.get("period"))
        numbers, unreadable = {}, False
        for column in NUMBER_COLUMNS + COUNT_COLUMNS:
            numbers[column], problem = cell_number(rec.get(column))
            if problem:
                err(column, problem)
                unreadable = unreadable or column == "value"
        if numbers["value"] != numbers["value"] and not any(
                _text(rec.get(c)) for c in ("commentary", "action")):
            continue  # an untouched template row: nothing reported this time
        if not code:
            err("code", "is empty; keep the code from the template")
            continue
        if (code, part) not in by_code:
            if code not in codes:
                err("code", f"unknown indicator code '{code}'")
            else:
                known = sorted(p or "(none)" for (c, p) in by_code if c == code)
                err("part", f"unknown part '{part}' of {code}; parts are: {', '.join(known)}")
            continue
        candidates = by_code[(code, part)]
        if len(candidates) > 1:
            err("code", f"{code} is in more than one framework; use the template for one framework")
            continue
        indicator = candidates[0]
        try:
            period = parse_period(raw_period)
        except PeriodError as exc:
            err("period", str(exc))
            continue
        fw = frameworks[indicator["framework"]]
        if period.end_date > today:
            err("period", f"{period} has not ended yet (it ends {period.end_date:%d %B %Y})")
            continue
        if not parse_year(fw["first_year"]) <= period.year <= parse_year(fw["last_year"]):
            err("period", f"{period} is not in the agreement ({fw['first_year']} to {fw['last_year']})")
            continue
        if period.quarter is not None and indicator["frequency"] != "quarterly":
            err("period", f"{code} is reported {indicator['frequency'].replace('_', ' ')}: "
                "give the year (like 2009/10), not a quarter")
            continue
        key = (code, part, str(period))
        if key in seen:
            err("period", f"{code}{' ' + part if part else ''} for {period} is also in row {seen[key]}")
            continue
        seen[key] = number
        if numbers["value"] != numbers["value"]:
            if not unreadable:  # an unreadable value is reported already
                err("value", "is empty but commentary or action is given; give the value")
            continue
        unit = indicator["unit"]
        refused = False
        for column in NUMBER_COLUMNS:
            figure = numbers[column]
            if figure != figure:
                continue
            if (number, column) in percent_cells:
                if unit not in PERCENT_UNITS:
                    err(column, f"shows {figure * 100:g}% in Excel (the cell holds {figure:g}) but "
                        f"{code} is measured as a {unit_words(unit)}; remove the percent format "
                        "and type the figure")
                    refused = True
                    continue
                held, figure = figure, _from_percent_format(figure)
                numbers[column] = figure
                warnings.append(CellError(SHEET, number, column,
                                          f"shows {figure:g}% in Excel (the cell holds {held:g}); "
                                          f"read as {figure:g}, the percentage it shows"))
            plausible = {} if column == "comparator_value" else {
                "plausible_min": indicator.get("plausible_min"),
                "plausible_max": indicator.get("plausible_max")}
            verdict = check_value(figure, unit, **plausible)
            if verdict.error:
                err(column, verdict.error)
                refused = True
            elif verdict.warning:
                warnings.append(CellError(SHEET, number, column, f"{code}: {verdict.warning}"))
        if refused:
            continue
        value = numbers["value"]
        counts = {c: (None if numbers[c] != numbers[c] else numbers[c]) for c in COUNT_COLUMNS}
        problems = count_problems(unit, value, rec.get("value"), counts["numerator"],
                                  counts["denominator"], names=COUNT_COLUMNS)
        for column, message in problems:
            err(column, message)
        if problems:
            continue
        if indicator["comparator"] == "" and numbers["comparator_value"] == numbers["comparator_value"]:
            warnings.append(CellError(SHEET, number, "comparator_value",
                                      f"{code} has no comparator area; the value is ignored"))
        flags = {column: _text(rec.get(column)).lower() or "no" for column in YES_NO_COLUMNS}
        wrong = [column for column, flag in flags.items() if flag not in ("yes", "no")]
        for column in wrong:
            err(column, f"'{rec.get(column)}' must be yes{YES_NO_COLUMNS[column]} or no")
        if wrong:
            continue
        out.append({
            "row": number, "framework": indicator["framework"], "code": code, "part": part,
            "period": str(period), "value": value,
            "comparator": indicator["comparator"], "comparator_value": numbers["comparator_value"],
            "forecast_year_end": numbers["forecast_year_end"],
            "provisional": flags["provisional"] == "yes",
            "commentary": _text(rec.get("commentary"), strip=False),
            "action": _text(rec.get("action"), strip=False),
            "numerator": numbers["numerator"], "denominator": numbers["denominator"],
            INTERNAL_COLUMN: flags[INTERNAL_COLUMN] == "yes",
        })
    if not out and not errors:
        errors.append(CellError(SHEET, None, "value", "no values are filled in; nothing to import"))
    frame = pd.DataFrame(out, columns=["row", "framework", "code", "part", "period", "value",
                                       "comparator", "comparator_value", "forecast_year_end",
                                       "provisional", "commentary", "action", *COUNT_COLUMNS,
                                       INTERNAL_COLUMN])
    return ReturnsCheck(rows=frame, errors=errors, warnings=warnings)


def _from_percent_format(held: float) -> float:
    """The figure a percent-formatted cell shows: 0.065 -> 6.5, scaled in decimal so that
    0.0655 becomes 6.55 and not 6.550000000000001."""
    return float(Decimal(repr(held)) * 100)


def _text(raw: object, strip: bool = True) -> str:
    """A cell as text; commentary keeps what the officer typed, including a leading '='."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw)
    return text.strip() if strip else text.strip("\r\n ")


def with_values(register: Register, rows: pd.DataFrame) -> Register:
    """The register as it would be with ``rows`` saved: new values replace current ones."""
    from dataclasses import replace

    own = register.frameworks.set_index("framework")["own_area"]
    new = []
    for r in rows.to_dict("records"):
        base = {"framework": r["framework"], "code": r["code"], "part": r["part"],
                "period": r["period"], "provisional": r["provisional"], "source": "preview",
                "is_demo": False}
        new.append({**base, "area": own[r["framework"]], "value": r["value"],
                    "commentary": r["commentary"], "action": r["action"],
                    "forecast_year_end": r["forecast_year_end"]})
        if r.get("comparator") and r["comparator_value"] == r["comparator_value"]:
            new.append({**base, "area": r["comparator"], "value": r["comparator_value"],
                        "commentary": "", "action": "", "forecast_year_end": float("nan")})
    if not new:
        return register
    key = ["framework", "code", "part", "area", "period"]
    added = pd.DataFrame(new)[list(register.returns.columns)]
    kept = register.returns.merge(added[key], on=key, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    return replace(register, returns=pd.concat([kept, added], ignore_index=True))


def preview(register: Register, rows: pd.DataFrame) -> pd.DataFrame:
    """Each checked row with the RAG status it would get once saved, and its reason."""
    from performance import rag

    if rows.empty:
        return rows.assign(status=pd.Series(dtype=str), reason=pd.Series(dtype=str))
    future = with_values(register, rows)
    rated = rag.rate(future, periods=sorted(set(rows["period"])))
    key = ["framework", "code", "part", "period"]
    rated = rated.merge(rows[key], on=key)
    rated = rated.assign(reason=rag.explain(rated, future).to_numpy())
    out = rows.merge(rated[[*key, "target", "status", "reason"]], on=key, how="left")
    return out


def action_warnings(previewed: pd.DataFrame) -> list[CellError]:
    """Amber and red rows without an action: allowed, but the sub-group expects one."""
    missing = previewed[previewed["status"].isin(["amber", "red"])
                        & (previewed["action"].str.strip() == "")]
    return [CellError(SHEET, int(r.row), "action",
                      f"{r.code}{' ' + r.part if r.part else ''} would be {r.status}; "
                      "an action is expected") for r in missing.itertuples()]


def errors_table(errors: list[CellError]) -> pd.DataFrame:
    """Problems as a table a person can work down: sheet, row, column, what to fix."""
    return pd.DataFrame([{"sheet": e.sheet or "", "row": e.row, "column": e.column or "",
                          "problem": e.message} for e in errors],
                        columns=["sheet", "row", "column", "problem"]).astype({"row": "Int64"})


def preview_table(previewed: pd.DataFrame) -> pd.DataFrame:
    """The preview as shown: status as symbol and word (never colour alone), then the reason."""
    from performance.vocabulary import status_badge

    return pd.DataFrame({
        "row": previewed["row"], "code": previewed["code"], "part": previewed["part"],
        "period": previewed["period"], "value": previewed["value"],
        "target": previewed["target"],
        "status": previewed["status"].map(lambda s: status_badge(s) if isinstance(s, str) else ""),
        "provisional": previewed["provisional"].map({True: "yes", False: "no"}),
        "reason": previewed["reason"], "commentary": previewed["commentary"],
        "action": previewed["action"],
        INTERNAL_COLUMN: previewed[INTERNAL_COLUMN].map({True: "yes", False: "no"}),
    })


def commentable_values(history: pd.DataFrame, own_area: str) -> dict[str, dict]:
    """The latest submitted version of each own-area value, by label ("male 2009/10 Q3")."""
    real = history[~history["is_demo"].astype(bool) & (history["area"] == own_area)]
    latest = real.sort_values("version").drop_duplicates(["part", "period"], keep="last")
    return {f"{r['part']} {r['period']}".strip(): r for r in latest.to_dict("records")}


def describe_selection(pending: pd.DataFrame, chosen: list[int]) -> str:
    """The caption under the sign-off table: how many returns are selected and which, e.g.
    "2 selected: NI 117 2009/10 Q3 from a@luton.gov.uk; NI 120 male 2009/10 from b@…"."""
    picked = pending[pending["id"].isin(chosen)]
    described = [f"{' '.join(filter(None, (r.code, r.part, r.period)))} from {r.submitted_by}"
                 for r in picked.itertuples()]
    return f"{len(chosen)} selected" + (": " + "; ".join(described) if described else ".")


def name_problem(name: str) -> str:
    """Why a typed name (who submitted the returns) cannot be stored, or "" when it can.

    A control character (a NUL pasted from another system) cannot be stored by PostgreSQL or
    written to a workbook, so it is refused here rather than failing on save or on export.
    """
    bad = sorted({f"U+{ord(c):04X}" for c in name if ord(c) < 32 or ord(c) == 127})
    if bad:
        return (f"contains a control character ({', '.join(bad)}) that cannot be stored; type the "
                "name again without it.")
    return ""
