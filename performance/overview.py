"""What the Performance Management Sub-Group reviews each quarter, computed once.

RAG counts (overall and per theme board, with the change since the previous quarter), the
exceptions to chase, and the filters of the overview, which live in the URL so that a filtered
view can be shared as a link. Pure pandas over the output of :func:`performance.rag.rate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from performance.periods import parse_period
from performance.rag import status_severity
from performance.register import Register, split_partners
from performance.vocabulary import STATUS_LABELS, STATUSES

RAG = ("green", "amber", "red")
GREY = ("no_data", "not_due", "no_target")


@dataclass
class Filters:
    """The overview's filters; an empty list means "all"."""

    theme_board: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    lead_partner: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    reward_eligible: str = ""  # "", "yes" or "no"

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> Filters:
        """Read filters from URL query parameters; repeated keys or comma lists both work."""
        def many(key: str) -> list[str]:
            raw = params.get(key) if hasattr(params, "get") else None
            getter = getattr(params, "get_all", None)
            values = getter(key) if getter else ([raw] if raw else [])
            return [v for value in values for v in str(value).split(",") if v]
        reward = str(params.get("reward_eligible") or "")
        return cls(theme_board=many("theme_board"), kind=many("kind"),
                   lead_partner=many("lead_partner"), status=many("status"),
                   reward_eligible=reward if reward in ("yes", "no") else "")

    def to_query(self) -> dict[str, list[str] | str]:
        """The filters as query parameters (only those set)."""
        out: dict[str, list[str] | str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                out[f.name] = value
        return out

    def describe(self) -> str:
        """The filters in words, for captions and the About sheet of exports (codes as their
        labels: "status: ■ Red, ▲ Amber; kind: Designated")."""
        from performance.tables import cell_words

        parts = [f"{f.name.replace('_', ' ')}: "
                 f"{', '.join(str(cell_words(f.name, x)) for x in v) if isinstance(v, list) else v}"
                 for f in fields(self) if (v := getattr(self, f.name))]
        return "; ".join(parts) or "none"


def with_register_columns(rated: pd.DataFrame, register: Register) -> pd.DataFrame:
    """Add the register's kind, lead partner and reward eligibility to rated rows.

    The rows and the columns of ``rated`` are kept as they are (a merge would turn its
    categorical framework, code and part into a Python string per row: about 28 MB more at
    150 areas, in the frame every app process caches). Kind and lead partner stay text
    (callers write new texts into them: a categorical would refuse).
    """
    keys = ["framework", "code", "part"]
    extra = register.indicators[[*keys, "kind", "lead_partner", "reward_eligible"]]
    parts = pd.MultiIndex.from_frame(extra[keys].astype(object))
    if not parts.is_unique:  # a part twice in the register: as a merge does, a row per match
        return rated.merge(extra, on=keys, how="left")
    positions = parts.get_indexer(pd.MultiIndex.from_frame(rated[keys].astype(object)))
    found = positions >= 0
    added = {}
    for column in ("kind", "lead_partner", "reward_eligible"):
        values = extra[column]
        if found.all():
            taken = values.array.take(positions)
        else:  # a rated part missing from the register: empty, as a merge leaves it
            taken = values.astype(object).array.take(positions, allow_fill=True)
        added[column] = pd.Series(taken, index=rated.index, name=column)
    return rated.assign(**added)


def framework_slices(rated: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, slice]]:
    """``rated`` with the rows of each framework together (in their order otherwise), and the
    slice of rows of each framework.

    The app caches the rated frame once per data version; a page then takes its framework's
    rows as ``frame.iloc[slices[name]]``, a view, instead of copying every row of every period
    (about 150 MB at 150 areas) on each rerun of each session.
    """
    codes, names = pd.factorize(rated["framework"].astype(object))
    order = np.argsort(codes, kind="stable")
    if (order != np.arange(len(order))).any():
        rated = rated.iloc[order]
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    return rated, {str(name): slice(int(bounds[i]), int(bounds[i + 1])) for i, name in enumerate(names)}


def apply_filters(rated: pd.DataFrame, filters: Filters, framework: str | None = None) -> pd.DataFrame:
    """Rows of ``rated`` (with register columns) that pass every filter (``rated`` itself, not
    a copy, when no filter is set)."""
    if not framework and not filters.to_query():
        return rated
    mask = pd.Series(True, index=rated.index)
    if framework:
        mask &= rated["framework"] == framework
    if filters.theme_board:
        mask &= rated["theme_board"].isin(filters.theme_board)
    if filters.kind:
        mask &= rated["kind"].isin(filters.kind)
    if filters.lead_partner:
        # Match the distinct lead-partner texts once, not every row of every period.
        wanted = set(filters.lead_partner)
        texts = rated["lead_partner"].dropna().unique()
        mask &= rated["lead_partner"].isin([t for t in texts if wanted & set(split_partners(t))])
    if filters.status:
        mask &= rated["status"].isin(filters.status)
    if filters.reward_eligible:
        mask &= rated["reward_eligible"] == (filters.reward_eligible == "yes")
    return rated[mask]


def previous_quarter(period: str) -> str:
    """The quarter before a quarter, or the year before an annual period."""
    return str(parse_period(period).previous())


def indicator_statuses(rated: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator and period: the worst status of its parts (red first)."""
    ordered = rated.assign(_sev=status_severity(rated["status"])).sort_values("_sev", kind="stable")
    return ordered.drop_duplicates(["framework", "code", "period"]).drop(columns="_sev")


def rag_counts(rated: pd.DataFrame, period: str) -> pd.DataFrame:
    """Indicators of each status in ``period`` and the quarter before, overall and per board.

    Counted per indicator (the worst of its parts), as the partnership reports it ("9 green,
    7 amber, 4 red"). Columns: theme_board ("All theme boards" first), then for each status its
    count and ``<status>_change`` since the previous period.
    """
    previous = previous_quarter(period)
    statuses = indicator_statuses(rated[rated["period"].isin([period, previous])])
    table = statuses.pivot_table(index=["theme_board", "period"], columns="status",
                                 values="code", aggfunc="count", fill_value=0)
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    boards = sorted(rated["theme_board"].unique())
    rows = []
    for board in ["All theme boards", *boards]:
        def count(p: str, _board=board) -> pd.Series:
            if _board == "All theme boards":
                frame = table.xs(p, level="period") if p in table.index.get_level_values("period") else None
                return frame.sum() if frame is not None else pd.Series(0, index=list(STATUSES))
            key = (_board, p)
            return table.loc[key] if key in table.index else pd.Series(0, index=list(STATUSES))
        now, before = count(period), count(previous)
        row = {"theme_board": board}
        for s in STATUSES:
            row[s] = int(now[s])
            row[f"{s}_change"] = int(now[s] - before[s])
        rows.append(row)
    return pd.DataFrame(rows)


def counts_sentence(counts: pd.DataFrame) -> str:
    """The headline as the partnership writes it: "9 green, 7 amber, 4 red (…)"."""
    row = counts.iloc[0]
    rag = ", ".join(f"{row[s]} {s}" for s in RAG)
    grey = ", ".join(f"{row[s]} {STATUS_LABELS[s].lower()}" for s in GREY if row[s])
    return rag + (f"; {grey}" if grey else "")


def signed(n: int) -> str:
    """A change written with its sign, "+2", "−1", or "no change"."""
    return "no change" if n == 0 else (f"+{n}" if n > 0 else f"−{-n}")


EXCEPTION_REASONS = {
    "red": "Red",
    "amber_worsening": "Amber and worsening",
    "forecast_short": "Year-end forecast misses target",
}


def exceptions(rated: pd.DataFrame, period: str) -> pd.DataFrame:
    """What the sub-group chases in ``period``: every red, every amber that is worsening, and
    every part whose year-end forecast misses its target; with commentary and action.

    One row per indicator part; ``listed_for`` says every reason it is listed.
    """
    rows = rated[rated["period"] == period]
    red = rows["status"] == "red"
    worsening_amber = (rows["status"] == "amber") & (rows["direction"] == "worsening")
    forecast_short = rows["forecast_status"].isin(["amber", "red"])
    chosen = (red | worsening_amber | forecast_short).to_numpy()
    picked = rows[chosen].copy()
    listed = np.full(len(picked), "", dtype=object)
    flags = {"red": red, "amber_worsening": worsening_amber, "forecast_short": forecast_short}
    for key, flag in flags.items():
        text = EXCEPTION_REASONS[key]
        on = flag.to_numpy()[chosen]
        listed = np.where(on, np.where(listed == "", text, listed + "; " + text), listed)
    picked["listed_for"] = pd.Series(listed, index=picked.index, dtype="str")
    picked = picked.assign(_sev=status_severity(picked["status"]))
    return picked.sort_values(["_sev", "theme_board", "code", "part"]).drop(columns="_sev")


def with_reasons(rated: pd.DataFrame, register: Register | None = None) -> pd.DataFrame:
    """``rated`` with its one-line ``reason`` column, built only if it is not there yet.

    The app builds reasons once per data version in its cached loader; exports and the
    command line, which start from a fresh rating, build them for the rows they write.
    """
    from performance import rag

    if "reason" in rated.columns:
        return rated
    return rated.assign(reason=rag.explain(rated, register).to_numpy(dtype=object))


def period_options(rated: pd.DataFrame) -> list[str]:
    """Every period of the rated frame in timeline order (quarters, then the year)."""
    ordered = rated.drop_duplicates("period").sort_values("period_order")
    return ordered["period"].tolist()


def latest_period(rated: pd.DataFrame) -> str | None:
    """The latest period that holds a value (the period picker's default)."""
    has_value = (rated["period_value"].notna() & ~rated["removed"].astype(bool)).to_numpy()
    if not has_value.any():
        return None
    orders = np.where(has_value, rated["period_order"].to_numpy(dtype=np.int64), np.iinfo(np.int64).min)
    return str(rated["period"].iloc[int(orders.argmax())])


def board_counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts per theme board as the sub-group reads them: "4 (+1)" for each RAG status."""
    out = pd.DataFrame({"theme_board": counts["theme_board"]})
    for s in STATUSES:
        out[STATUS_LABELS[s]] = [f"{n} ({signed(c)})" if c else str(n)
                                 for n, c in zip(counts[s], counts[f"{s}_change"], strict=True)]
    return out
