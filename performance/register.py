"""The indicator register in memory: one typed bundle of pandas frames.

Both the workbook reader (``data_loaders.workbook``) and the database reader
(``data_loaders.database``) produce a :class:`Register`; the RAG engine, pages and
exports consume it. Conventions, so that every consumer can rely on them:

- ``part`` is ``""`` (never NaN) for an indicator reported as a whole;
- numeric columns (``baseline``, ``value``, ``tolerance_pct`` ...) are float, NaN when empty;
- ``year`` is written ``"2009/10"`` and ``period`` ``"2009/10 Q3"`` or ``"2009/10"``;
- ``reward_eligible`` and ``provisional`` are bool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from performance.vocabulary import (
    DEFAULT_SETTINGS,
    INDICATOR_STATUS_LABELS,
    KIND_LABELS,
    ORIGINAL_VERSION,
    code_label,
)


@dataclass
class Register:
    """Frameworks, indicator parts, targets (all versions), returns and settings.

    ``indicators``: one row per indicator part, the columns of the ``Indicators`` sheet.
    ``targets``: one row per part, year and version, in the order they were added, the columns
    of ``Targets`` plus ``measure`` (``""`` where the indicator's own measure applies); read
    from the database, also ``reason`` (why an administrator added the version, else ``""``).
    ``returns``: the current version of each value, columns ``framework, code, part, area,
    period, value, provisional, commentary, action, forecast_year_end, source, is_demo``.
    """

    frameworks: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    returns: pd.DataFrame
    theme_boards: pd.DataFrame
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))


# --- which target version is in force ------------------------------------------------------


def _effective_day(value) -> int:
    """A day number for an effective date (a date, a timestamp or its text); 0 when missing
    or unreadable, so such a version counts as the earliest of the later versions."""
    if isinstance(value, dt.date):  # also datetimes; and any year, where Timestamp stops at 2262
        return value.toordinal()
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return 0
    return 0 if pd.isna(stamp) else stamp.toordinal()


def version_precedence(version_codes: np.ndarray, version_labels, effective_codes: np.ndarray,
                       effective_labels) -> np.ndarray:
    """The order in which target rows take effect: the one rule for the version in force.

    Rows come factorized (``labels[codes]`` is the column; a code of -1 is missing). Returned
    are the row positions, in order: the ``original`` version first, then every other version
    by effective date, rows with the same date in the order they were added (their order in
    the frame). The last row of a part and year in this order is the version in force.

    Both the register views (:func:`current_targets`) and the RAG engine
    (``performance.rag``) follow it. Only the distinct labels are looked at, so a million
    rows cost one integer sort.
    """
    later = np.array([str(v).strip() != ORIGINAL_VERSION for v in version_labels] + [True])
    days = np.array([_effective_day(e) for e in effective_labels] + [0], dtype=np.int64)
    version_codes = np.asarray(version_codes, dtype=np.intp)
    effective_codes = np.asarray(effective_codes, dtype=np.intp)
    # one integer per row: later versions after originals, then by day; a stable sort keeps
    # the frame's order among equals
    key = later[version_codes] * (int(days.max()) + 1) + days[effective_codes]
    return np.argsort(key, kind="stable")


def target_version_order(targets: pd.DataFrame) -> np.ndarray:
    """Row positions of ``targets`` in the order their versions take effect
    (:func:`version_precedence`); the last of each part and year is in force."""
    version_codes, version_labels = pd.factorize(targets["version"])
    effective = targets["effective_from"] if "effective_from" in targets else pd.Series(
        [None] * len(targets), index=targets.index, dtype=object)
    effective_codes, effective_labels = pd.factorize(effective)
    return version_precedence(version_codes, list(version_labels), effective_codes,
                              list(effective_labels))


# --- views of the register used by the pages and exports -----------------------------------


def framework_names(register: Register) -> list[str]:
    """The frameworks in the order of the register."""
    return register.frameworks["framework"].tolist()


def split_partners(text: str) -> list[str]:
    """Lead partners as a list: ``"LBC, NHS Luton"`` -> ``["LBC", "NHS Luton"]``."""
    return [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]


def lead_partner_options(indicators: pd.DataFrame) -> list[str]:
    """Every lead partner named in the register, sorted, each once."""
    return sorted({p for text in indicators["lead_partner"] for p in split_partners(text)},
                  key=str.casefold)


def current_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """One target per part and year: the version in force (:func:`version_precedence`: the
    latest by effective date, the original where no later version exists)."""
    keys = ["framework", "code", "part", "year"]
    ordered = targets.iloc[target_version_order(targets)]
    return ordered.drop_duplicates(keys, keep="last").sort_values(keys, kind="stable")


def filter_indicators(indicators: pd.DataFrame, *, framework: str | None = None,
                      theme_boards: list[str] | None = None, kinds: list[str] | None = None,
                      lead_partners: list[str] | None = None, search: str = "") -> pd.DataFrame:
    """Indicator parts matching every given filter; an empty filter keeps everything.

    ``search`` matches code, title, part, lead partner and partners, case-insensitively,
    so "NEET", "117" and "nhs luton" all find what a user expects.
    """
    mask = pd.Series(True, index=indicators.index)
    if framework:
        mask &= indicators["framework"] == framework
    if theme_boards:
        mask &= indicators["theme_board"].isin(theme_boards)
    if kinds:
        mask &= indicators["kind"].isin(kinds)
    if lead_partners:
        wanted = set(lead_partners)
        mask &= indicators["lead_partner"].map(lambda t: bool(wanted & set(split_partners(t))))
    if search.strip():
        haystack = (indicators["code"] + " " + indicators["title"] + " " + indicators["part"] + " "
                    + indicators["lead_partner"] + " " + indicators["partners"]).str.casefold()
        for word in search.casefold().split():
            # "NI 117", "117" and "NI117" should all find NI 117.
            mask &= haystack.str.contains(word, regex=False) | haystack.str.replace(
                " ", "", regex=False).str.contains(word, regex=False)
    return indicators[mask]


def register_table(register: Register, parts: pd.DataFrame) -> pd.DataFrame:
    """The register page's table: one row per part, the current target of each year as written."""
    years = sorted(register.targets["year"].unique()) if len(register.targets) else []
    current = current_targets(register.targets)
    wide = current.pivot_table(index=["framework", "code", "part"], columns="year", values="text",
                               aggfunc="first").reindex(columns=years)
    table = parts[["framework", "code", "part", "title", "kind", "theme_board", "lead_partner",
                   "unit", "polarity", "baseline_text", "status"]]
    table = table.join(wide, on=["framework", "code", "part"])
    used_years = [y for y in years if y in table and table[y].notna().any()]
    return table[[c for c in table.columns if c not in years] + used_years].reset_index(drop=True)


def indicator_parts(register: Register, framework: str, code: str) -> pd.DataFrame:
    """The parts of one indicator (one row for an indicator reported as a whole)."""
    ind = register.indicators
    return ind[(ind["framework"] == framework) & (ind["code"] == code)]


def target_history(register: Register, framework: str, code: str, *, part: str | None = None,
                   year: str | None = None) -> pd.DataFrame:
    """Every version of every year's target of one indicator, in the order they took effect
    (the original first), with the reason each later version was added and whether it is the
    one in force. Given ``part`` or ``year``, only that part's or year's versions, without
    that column."""
    t = register.targets
    rows = t[(t["framework"] == framework) & (t["code"] == code)]
    rows = rows.iloc[target_version_order(rows)]
    rows = rows.assign(in_force=~rows.duplicated(["part", "year"], keep="last"))
    rows = rows.sort_values(["part", "year"], kind="stable")  # keeps the order within a year
    if "reason" not in rows:  # a register read from the workbook: no version added in the app
        rows = rows.assign(reason="")
    # "target_status", not "status": set / no_survey / ... is not a RAG status.
    rows = rows.rename(columns={"status": "target_status"})[
        ["part", "year", "version", "in_force", "text", "value", "target_status", "measure",
         "effective_from", "decided_by", "reason", "source"]].reset_index(drop=True)
    for column, wanted in (("part", part), ("year", year)):
        if wanted is not None:  # one part or one year: the column would only repeat it
            rows = rows[rows[column] == wanted].drop(columns=column).reset_index(drop=True)
    return rows


def theme_board_names(register: Register, framework: str) -> list[str]:
    """The theme boards of a framework, in register order."""
    boards = register.theme_boards
    return boards[boards["framework"] == framework]["theme_board"].tolist()


def stated_values(register: Register, framework: str, code: str) -> pd.DataFrame:
    """Current values of one indicator, own area and comparators, in timeline order.

    ``illustrative`` marks generated demo values, so they are never mistaken for real ones.
    """
    from performance.periods import parse_period

    r = register.returns
    rows = r[(r["framework"] == framework) & (r["code"] == code)]
    rows = rows.assign(_order=rows["period"].map(lambda p: parse_period(p).sort_key),
                       illustrative=rows["is_demo"].map({True: "demo", False: ""}))
    return rows.sort_values(["part", "area", "_order"])[
        ["part", "area", "period", "value", "provisional", "illustrative", "commentary", "action",
         "source"]].reset_index(drop=True)


def framework_years(register: Register, framework: str) -> list[str]:
    """The financial years of a framework, first to last: ``["2008/09", "2009/10", "2010/11"]``."""
    from performance.periods import financial_year, parse_year

    fw = register.frameworks.set_index("framework").loc[framework]
    return [financial_year(y) for y in range(parse_year(fw["first_year"]), parse_year(fw["last_year"]) + 1)]


def reportable_periods(register: Register, framework: str, today=None) -> list[str]:
    """Quarters and years of the framework that have ended by ``today``, oldest first."""
    from performance.periods import parse_year, periods

    today = today or dt.date.today()
    fw = register.frameworks.set_index("framework").loc[framework]
    return [str(p) for p in periods(parse_year(fw["first_year"]), parse_year(fw["last_year"]))
            if p.end_date <= today]


def board_details(register: Register, framework: str, board: str) -> dict:
    """A theme board's chair and theme (empty strings where the register does not say)."""
    boards = register.theme_boards
    match = boards[(boards["framework"] == framework) & (boards["theme_board"] == board)]
    if match.empty:
        return {"chair": "", "theme": ""}
    return {"chair": match.iloc[0]["chair"], "theme": match.iloc[0]["theme"]}


def indicator_summary(part: Mapping) -> str:
    """One line about an indicator, in Markdown: board, kind, lead partner, reward, status,
    then its partners."""
    return (f"**Theme board:** {part['theme_board']} · "
            f"**Kind:** {code_label(part['kind'], KIND_LABELS)} · "
            f"**Lead partner:** {part['lead_partner'] or 'not named'} · "
            f"**Reward eligible:** {'yes' if part['reward_eligible'] else 'no'} · "
            f"**Status:** {code_label(part['status'], INDICATOR_STATUS_LABELS)}\n\n"
            f"**Partners:** {part['partners'] or 'none named'}")
