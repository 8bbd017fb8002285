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

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from performance.vocabulary import DEFAULT_SETTINGS


@dataclass
class Register:
    """Frameworks, indicator parts, targets (all versions), returns and settings.

    ``indicators``: one row per indicator part, the columns of the ``Indicators`` sheet.
    ``targets``: one row per part, year and version, the columns of ``Targets`` plus ``measure``
    (``""`` where the indicator's own measure applies).
    ``returns``: the current version of each value, columns ``framework, code, part, area,
    period, value, provisional, commentary, action, forecast_year_end, source, is_demo``.
    """

    frameworks: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    returns: pd.DataFrame
    theme_boards: pd.DataFrame
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))


# --- views of the register used by the pages and exports -----------------------------------

TARGET_VERSION_ORDER = {"original": 0, "refreshed": 1}


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
    """One target per part and year: the refreshed version where the LAA refresh changed it."""
    ordered = targets.assign(_order=targets["version"].map(TARGET_VERSION_ORDER).fillna(9))
    ordered = ordered.sort_values(["framework", "code", "part", "year", "_order"])
    return ordered.drop_duplicates(["framework", "code", "part", "year"], keep="last").drop(
        columns="_order")


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


def target_history(register: Register, framework: str, code: str) -> pd.DataFrame:
    """Every version of every year's target of one indicator, original before refreshed."""
    t = register.targets
    rows = t[(t["framework"] == framework) & (t["code"] == code)]
    rows = rows.assign(_order=rows["version"].map(TARGET_VERSION_ORDER).fillna(9))
    rows = rows.sort_values(["part", "year", "_order"]).drop(columns="_order")
    # "target_status", not "status": set / no_survey / ... is not a RAG status.
    return rows.rename(columns={"status": "target_status"})[
        ["part", "year", "version", "text", "value", "target_status", "measure", "effective_from",
         "decided_by", "source"]].reset_index(drop=True)


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


def reportable_periods(register: Register, framework: str, today=None) -> list[str]:
    """Quarters and years of the framework that have ended by ``today``, oldest first."""
    import datetime as dt

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
    return (f"**Theme board:** {part['theme_board']} · **Kind:** {part['kind']} · "
            f"**Lead partner:** {part['lead_partner'] or 'not named'} · "
            f"**Reward eligible:** {'yes' if part['reward_eligible'] else 'no'} · "
            f"**Status:** {part['status']}\n\n**Partners:** {part['partners'] or '—'}")
