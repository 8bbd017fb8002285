"""Synthetic registers and returns files for the benchmarks, built directly as pandas frames.

The frames follow the conventions of :mod:`performance.register` and have the dtypes the
workbook and database readers produce (text columns are pandas' default string dtype,
numbers float, flags bool), so the engine sees what it sees in production, only bigger.
The text varies the way a real register's does (parts of some indicators, themes, units,
commentary on some returns, the file each value came from), so that no column is constant
that would not be in practice. Everything is seeded: two runs rate exactly the same data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from performance.periods import financial_year
from performance.register import Register
from performance.vocabulary import DEFAULT_SETTINGS

FRAMEWORK = "Synthetic LAA 2008-11"
OWN_AREA = "Luton"
FIRST_YEAR = 2008
QUARTER_LABELS = (" Q1", " Q2", " Q3", " Q4", "")  # the 5 periods of a year, timeline order
THEMES = ("Children & Young People", "Adult health & well-being", "Safer Stronger Communities",
          "Local Economy and Environmental Sustainability", "Older People", "Housing")
UNITS = ("percent", "count", "rate_per_1000", "rate_per_100000", "days", "score")
COMMENTARY = ("", "", "", "On track; see the delivery plan", "Below profile after a slow quarter",
              "Data confirmed by the lead partner", "Provisional until the national release",
              "Improvement from the new scheme")
ACTIONS = ("", "", "", "", "Recovery plan agreed at the theme board", "Lead officer to report back")


def periods_of(first_year: int, n_years: int) -> list[str]:
    """Quarter and annual period labels of ``n_years`` financial years, timeline order."""
    return [financial_year(first_year + y) + q for y in range(n_years) for q in QUARTER_LABELS]


def _str(values) -> pd.Series:
    return pd.Series(values, dtype="str")


def synthetic_parts(n_parts: int, prefix: str = "SYN") -> tuple[list[str], list[str]]:
    """Codes and parts of ``n_parts`` indicator parts: every third code has a male and a female
    part (as NI 120 does), the others are reported as a whole (part "")."""
    codes: list[str] = []
    parts: list[str] = []
    i = 0
    while len(codes) < n_parts:
        code = f"{prefix} {i:06d}"
        split = i % 3 == 0 and len(codes) + 2 <= n_parts
        for part in (("male", "female") if split else ("",)):
            codes.append(code)
            parts.append(part)
        i += 1
    return codes, parts


def synthetic_register(n_parts: int, n_years: int = 3, seed: int = 8, missing: float = 0.02) -> Register:
    """A register of ``n_parts`` quarterly snapshot parts, each with a return in most periods.

    ``n_parts x n_years x 5`` rows to rate (66,667 parts x 3 years gives 1,000,005), one
    original target per part and year, a baseline per part, mixed polarities and tolerances;
    a fraction ``missing`` of the returns is left out (no row), so every status occurs.
    """
    rng = np.random.default_rng(seed)
    years = [financial_year(FIRST_YEAR + y) for y in range(n_years)]
    code_list, part_list = synthetic_parts(n_parts)
    codes, parts = _str(code_list), _str(part_list)
    polarity = np.where(rng.random(n_parts) < 0.5, "higher_is_better", "lower_is_better")
    baseline = np.round(rng.uniform(20.0, 80.0, n_parts), 1)
    tolerance = np.where(rng.random(n_parts) < 0.2, 10.0, np.nan)  # most take the default 5%
    theme = rng.integers(0, len(THEMES), n_parts)
    empty = _str([""] * n_parts)
    indicators = pd.DataFrame({
        "framework": FRAMEWORK, "code": codes, "part": parts, "kind": "local",
        "title": "Synthetic indicator " + codes, "theme": _str(np.array(THEMES)[theme]),
        "theme_board": _str(np.array(THEMES)[theme]) + " Board",
        "unit": _str(np.array(UNITS)[rng.integers(0, len(UNITS), n_parts)]),
        "polarity": _str(polarity), "measure": "snapshot", "frequency": "quarterly",
        "baseline": baseline, "baseline_period": "2007/08", "baseline_text": _str(baseline.astype(str)),
        "tolerance_pct": tolerance, "tolerance_points": np.nan, "rag_scheme": empty,
        "survey_years": empty, "comparator": empty, "lead_partner": "LBC", "partners": "LBC*, NHS Luton",
        "reward_eligible": False, "status": "active", "notes": empty, "source": "bench",
    })
    # Targets: a few percent better than the baseline, in the indicator's direction.
    sign = np.where(polarity == "higher_is_better", 1.0, -1.0)
    better = 1.0 + sign[:, None] * rng.uniform(0.0, 0.1, (n_parts, n_years))
    target = np.round(baseline[:, None] * better, 1)
    targets = pd.DataFrame({
        "framework": FRAMEWORK, "code": codes.repeat(n_years).to_numpy(),
        "part": parts.repeat(n_years).to_numpy(), "year": _str(np.tile(years, n_parts)),
        "value": target.ravel(), "text": _str(target.ravel().astype(str)), "status": "set",
        "version": "original", "effective_from": dt.date(2008, 4, 1),
        "decided_by": "LAA agreed with Government Office", "source": "bench", "measure": "",
    })
    labels = periods_of(FIRST_YEAR, n_years)
    n_periods = len(labels)
    # Values scatter around the target so that green, amber and red all occur.
    values = np.repeat(target, 5, axis=1) * rng.normal(1.0, 0.06, (n_parts, n_periods))
    values = np.round(values, 2).ravel()
    n = n_parts * n_periods
    period = np.tile(np.arange(n_periods), n_parts)
    returns = pd.DataFrame({
        "framework": FRAMEWORK, "code": codes.repeat(n_periods).to_numpy(),
        "part": parts.repeat(n_periods).to_numpy(), "area": OWN_AREA,
        "period": _str(np.array(labels)[period]), "value": values, "provisional": rng.random(n) < 0.05,
        "commentary": _str(np.array(COMMENTARY)[rng.integers(0, len(COMMENTARY), n)]),
        "action": _str(np.array(ACTIONS)[rng.integers(0, len(ACTIONS), n)]),
        "forecast_year_end": np.where(rng.random(n) < 0.1, np.round(values * 1.02, 2), np.nan),
        "source": _str("returns " + np.array(labels, dtype=object)[period] + ".xlsx"), "is_demo": False,
    })
    returns = returns[rng.random(n) >= missing].reset_index(drop=True)  # not reported: no row
    frameworks = pd.DataFrame([{
        "framework": FRAMEWORK, "title": "Synthetic agreement for benchmarks",
        "first_year": years[0], "last_year": years[-1], "own_area": OWN_AREA, "source": "bench",
    }])
    boards = pd.DataFrame({"framework": FRAMEWORK, "theme_board": [f"{t} Board" for t in THEMES],
                           "chair": "", "theme": list(THEMES), "source": "bench"})
    return Register(frameworks=frameworks, indicators=indicators, targets=targets, returns=returns,
                    theme_boards=boards, settings=dict(DEFAULT_SETTINGS))


# --- a register workbook and a filled-in returns file for the import benchmark --------------

RETURNS_YEAR = "2009/10"


def register_workbook_rows(n_synthetic: int) -> dict[str, list[dict]]:
    """The rows of the tests' small valid register (``tests/builders.py``) plus ``n_synthetic``
    quarterly percentage parts (``SYN 000000`` ...), each with a target for the returns' year."""
    from tests.builders import FW, _indicator, _target, register_rows

    rows = register_rows()
    codes, parts = synthetic_parts(n_synthetic)
    for code, part in zip(codes, parts, strict=True):
        rows["Indicators"].append(_indicator(code, part, title=f"Synthetic indicator {code}"))
        rows["Targets"].append(_target(code, RETURNS_YEAR, 6.5, part=part))
    assert all(r["framework"] == FW for r in rows["Indicators"])
    return rows


def filled_returns_file(register: Register, framework: str, seed: int = 10) -> bytes:
    """The returns template of the four quarters of :data:`RETURNS_YEAR` in one workbook
    (``write_template``'s format: locked columns, Guidance and About sheets), every row filled
    in as an officer would: a value, a year-end forecast on some, commentary on some."""
    import io

    import openpyxl

    from data_loaders.returns_file import write_template
    from performance import returns as rt
    from performance.periods import parse_period

    quarters = [parse_period(f"{RETURNS_YEAR} Q{q}") for q in range(1, 5)]
    rows = pd.concat([rt.template_rows(register, framework, q) for q in quarters], ignore_index=True)
    guidance = rt.guidance(register, framework, quarters[0], rows.drop_duplicates(["code", "part"]))
    template = write_template(rows, guidance, RETURNS_YEAR, framework)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[rt.SHEET]
    rng = np.random.default_rng(seed)
    column = {name: i + 1 for i, name in enumerate(rt.COLUMNS)}
    for row in range(2, ws.max_row + 1):
        value = round(float(rng.uniform(2.0, 12.0)), 2)
        ws.cell(row, column["value"], value)
        if rng.random() < 0.2:
            ws.cell(row, column["forecast_year_end"], round(value * 0.98, 2))
        if rng.random() < 0.3:
            ws.cell(row, column["commentary"], str(rng.choice(COMMENTARY[3:])))
        if rng.random() < 0.1:
            ws.cell(row, column["action"], str(rng.choice(ACTIONS[4:])))
        ws.cell(row, column["provisional"], "yes" if rng.random() < 0.05 else "no")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
