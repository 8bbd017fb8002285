"""Financial years and quarters as the partnership writes them.

Financial years run April to March and are written ``2009/10``; quarters are written
``2009/10 Q3`` (Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March).
An annual value carries the year alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

_YEAR_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*$")
_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})(?:\s+Q([1-4]))?\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period or year that is not written the partnership's way."""


@total_ordering
@dataclass(frozen=True)
class Period:
    """A financial year (``quarter`` None) or one quarter of it.

    Ordering puts the quarters of a year before its annual outturn, which is what a
    timeline wants (2009/10 Q4 then 2009/10).
    """

    year: int  # calendar year in which the financial year starts: 2009 for 2009/10
    quarter: int | None = None

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key

    @property
    def sort_key(self) -> tuple[int, int]:
        """Key that orders quarters, then the annual value, within each year."""
        return (self.year, self.quarter if self.quarter is not None else 5)

    @property
    def is_annual(self) -> bool:
        return self.quarter is None

    @property
    def year_label(self) -> str:
        return financial_year(self.year)

    def __str__(self) -> str:
        return self.year_label if self.quarter is None else f"{self.year_label} Q{self.quarter}"

    @property
    def end_date(self) -> dt.date:
        """Last day of the period (31 March for a year and for Q4)."""
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year + 1, 3, 31)
        month = 3 + 3 * self.quarter  # Q1 -> June, Q2 -> September, Q3 -> December
        next_month = dt.date(self.year, month + 1, 1) if month < 12 else dt.date(self.year + 1, 1, 1)
        return next_month - dt.timedelta(days=1)

    def previous(self) -> Period:
        """The period before: the previous quarter, or the previous year for an annual value."""
        if self.quarter is None:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    def year_earlier(self) -> Period:
        """The same period one year earlier."""
        return Period(self.year - 1, self.quarter)


def financial_year(start_year: int) -> str:
    """Write a financial year the partnership's way: 2009 -> ``"2009/10"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_year(text: object) -> int:
    """Read ``"2009/10"`` as 2009; anything else raises :class:`PeriodError`."""
    match = _YEAR_RE.match(str(text))
    if not match:
        raise PeriodError(f"'{text}' is not a financial year; write it like 2009/10")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise PeriodError(f"'{text}' is not a financial year: {end:02d} does not follow {start}")
    return start


@lru_cache(maxsize=4096)  # a returns file repeats a handful of periods thousands of times
def _parse_period_text(text: str) -> Period:
    match = _PERIOD_RE.match(text)
    if not match:
        raise PeriodError(
            f"'{text}' is not a period; write a quarter like 2009/10 Q3 or a year like 2009/10"
        )
    year = parse_year(f"{match.group(1)}/{match.group(2)}")
    quarter = int(match.group(3)) if match.group(3) else None
    return Period(year, quarter)


def parse_period(text: object) -> Period:
    """Read ``"2009/10 Q3"`` or ``"2009/10"``; anything else raises :class:`PeriodError`."""
    return _parse_period_text(str(text))


def quarters(first_year: int, last_year: int) -> list[Period]:
    """Every quarter from Q1 of ``first_year`` to Q4 of ``last_year``, in order."""
    return [Period(y, q) for y in range(first_year, last_year + 1) for q in (1, 2, 3, 4)]


def periods(first_year: int, last_year: int) -> list[Period]:
    """Every quarter and annual outturn of the years, in timeline order."""
    out: list[Period] = []
    for y in range(first_year, last_year + 1):
        out.extend(Period(y, q) for q in (1, 2, 3, 4))
        out.append(Period(y))
    return out
