"""Which figures can be: the bounds a unit sets on a value, and a part's plausible range.

One rule for every way a figure arrives (a quarterly return, its forecast and comparator
value, the register workbook's baselines, targets and stated values, a comparator file):
:func:`check_value` says whether a number can be a figure in a unit, and whether it lies
outside the plausible range an indicator part may give in the register. Refusals are for
values that cannot be (NaN, infinite, a negative count, a percentage of 130); the
plausible range only warns, since a real figure can surprise.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

# No local performance figure reaches a thousand million (Luton has about 200,000 people);
# anything larger is a typing or export error, such as 1.8e308.
MAX_MAGNITUDE = 1e9

# (lowest, highest) a figure in each unit can take. Rates count events among N people; the
# LAA's (crimes, admissions, conceptions, quitters) stay far below one per person, so N is
# a generous ceiling. Units that are not listed only have to be finite and within
# MAX_MAGNITUDE.
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 100.0),
    "percentage_points": (-100.0, 100.0),
    "count": (0.0, MAX_MAGNITUDE),
    "rate_per_1000": (0.0, 1_000.0),
    "rate_per_10000": (0.0, 10_000.0),
    "rate_per_100000": (0.0, 100_000.0),
    "days": (0.0, MAX_MAGNITUDE),
    "tonnes_per_capita": (0.0, MAX_MAGNITUDE),
    "level": (0.0, MAX_MAGNITUDE),
    "ratio": (0.0, MAX_MAGNITUDE),
    "score": (-MAX_MAGNITUDE, MAX_MAGNITUDE),
}


@dataclass(frozen=True)
class ValueCheck:
    """The verdict on one figure: ``error`` refuses it, ``warning`` only asks to check it."""

    error: str | None = None
    warning: str | None = None


def unit_words(unit: str) -> str:
    """A unit code in words for messages: ``rate_per_100000`` -> ``rate per 100,000``."""
    return " ".join(f"{int(w):,}" if w.isdigit() else w for w in unit.split("_"))


def unit_range(unit: str, *, difference: bool = False) -> tuple[float, float]:
    """The lowest and highest figure ``unit`` allows; with ``difference`` (a gap between two
    areas, as a gap target is) the range of a difference of two such figures."""
    low, high = UNIT_RANGES.get(unit, (-MAX_MAGNITUDE, MAX_MAGNITUDE))
    if difference:
        width = min(high - low, MAX_MAGNITUDE)
        return -width, width
    return low, high


def check_value(value: float, unit: str, *, difference: bool = False,
                plausible_min: float | None = None, plausible_max: float | None = None
                ) -> ValueCheck:
    """Whether ``value`` can be a figure in ``unit``, and whether it is plausible.

    Refused (``error``): NaN, infinite, beyond :data:`MAX_MAGNITUDE`, or outside the unit's
    range (:data:`UNIT_RANGES`: percentages 0-100, counts and rates 0 or more, a rate per N at
    most N). ``difference=True`` checks a gap between two areas (a gap target) instead.
    Warned (``warning``): inside the unit's range but outside the part's plausible range
    ``plausible_min``-``plausible_max`` (either may be None or NaN: no bound that side).
    Messages start with the value and name no place: the caller adds sheet, row and column.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ValueCheck(error=f"'{value}' is not a number")
    if math.isnan(value):
        return ValueCheck(error="is not a number (NaN); type the figure")
    if math.isinf(value):
        return ValueCheck(error="is infinite (the cell holds a number too large for a computer to "
                                "hold, such as 1e309); type the figure")
    words = unit_words(unit) + (" gap" if difference else "")
    if abs(value) > MAX_MAGNITUDE:
        return ValueCheck(error=f"{value:g} is beyond any plausible {words} "
                                f"(more than {MAX_MAGNITUDE:,.0f} either way)")
    low, high = unit_range(unit, difference=difference)
    if unit == "percent" and not difference and not low <= value <= high:
        return ValueCheck(error=f"{value:g} is not a percentage between 0 and 100")
    if value < low:
        if low == 0:
            return ValueCheck(error=f"{value:g} is negative; a {words} cannot be")
        return ValueCheck(error=f"{value:g} is below {low:,g}, the lowest a {words} can be")
    if value > high:
        return ValueCheck(error=f"{value:g} is more than a {words} can be (at most {high:,g})")
    below = _given(plausible_min) and value < plausible_min
    above = _given(plausible_max) and value > plausible_max
    if below or above:
        return ValueCheck(warning=f"{value:g} is outside the plausible range the register gives "
                                  f"({_range_words(plausible_min, plausible_max)}); check it")
    return ValueCheck()


def check_plausible_range(unit: str, plausible_min: float | None, plausible_max: float | None
                          ) -> list[tuple[str, str]]:
    """Problems with a part's plausible range as ``(column, message)``: each bound must be a
    figure the unit allows, and the minimum no more than the maximum."""
    problems = []
    for column, bound in (("plausible_min", plausible_min), ("plausible_max", plausible_max)):
        if bound is not None and not (isinstance(bound, float) and math.isnan(bound)):
            error = check_value(bound, unit).error
            if error:
                problems.append((column, error))
    if not problems and _given(plausible_min) and _given(plausible_max) and plausible_min > plausible_max:
        problems.append(("plausible_max", f"{plausible_max:g} is below plausible_min {plausible_min:g}"))
    return problems


_PERCENT_TEXT = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*%\s*$")


def cell_number(raw: object) -> tuple[float, str | None]:
    """A spreadsheet cell read as a number: ``(number, None)``, ``(nan, None)`` when blank, or
    ``(nan, message)`` saying what the cell holds instead (text, a date, TRUE/FALSE)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return math.nan, None
    if isinstance(raw, bool):
        return math.nan, f"'{str(raw).upper()}' is TRUE/FALSE where a number is required"
    if isinstance(raw, int | float):
        return float(raw), None
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        shown = raw.strftime("%d %B %Y") if isinstance(raw, dt.date) else str(raw)
        if isinstance(raw, dt.datetime) and raw.time() != dt.time():
            shown = f"{raw:%d %B %Y %H:%M}"
        return math.nan, (f"is a date or time ({shown}) where a number is required; Excel shows a "
                          "number as a date when the cell is formatted as a date: set the cell's "
                          "format to Number and type the figure")
    if isinstance(raw, str) and _PERCENT_TEXT.match(raw):
        return math.nan, (f"'{raw}' is text where a number is required; type "
                          f"{raw.strip().rstrip('%').strip()} as a number")
    return math.nan, f"'{raw}' is text where a number is required"


def _given(bound: float | None) -> bool:
    return bound is not None and not (isinstance(bound, float) and math.isnan(bound))


def _range_words(low: float | None, high: float | None) -> str:
    if _given(low) and _given(high):
        return f"{low:g} to {high:g}"
    return f"at least {low:g}" if _given(low) else f"at most {high:g}"
