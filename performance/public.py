"""The public scorecard's tables and words: what the public sees of a framework in a period.

Pure pandas over a rating of the public register (``data_loaders.public.read_public_register``:
published, real values only, internal commentary blanked). Values are written out in their
unit (``6.5%``) and statuses as symbol and word, so every table reads the same on screen, to a
screen reader and in the CSV download; nothing here names a person.
"""

from __future__ import annotations

import pandas as pd

from performance.figures import part_label
from performance.rag import format_value
from performance.tables import direction_badge
from performance.vocabulary import COMPARISON_LABELS, STATUS_LABELS, status_badge

# What a member of the public sees of each indicator part: no lead officer, no e-mail, no
# file name, no one's name (commentary is the partnership's published words).
PUBLIC_COLUMNS = ("Indicator", "Title", "Value", "Target", "Status", "Reason",
                  "Change on the previous period", "Change on a year earlier", "Commentary")
CHART_TABLE_COLUMNS = ("Period", "Value", "Target", "Status")


def _value(value, unit) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return "" if number != number else format_value(number, str(unit))


def _status(status) -> str:
    return status_badge(status) if status in STATUS_LABELS else ""


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def parts_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator part of ``rows`` (rated rows of one period, with reasons), in
    :data:`PUBLIC_COLUMNS`, every cell text as a person reads it."""
    records = [{
        "Indicator": part_label(r.code, r.part),
        "Title": _text(r.title),
        "Value": _value(r.period_value, r.unit),
        "Target": _value(r.target, r.unit),
        "Status": _status(r.status),
        "Reason": _text(r.reason),
        "Change on the previous period": direction_badge(r.direction) or "not known",
        "Change on a year earlier": direction_badge(r.direction_year) or "not known",
        "Commentary": _text(r.commentary),
    } for r in rows.itertuples(index=False)]
    return pd.DataFrame(records, columns=list(PUBLIC_COLUMNS))


def chart_table(part_rows: pd.DataFrame, benchmark: str | None = None) -> pd.DataFrame:
    """The trajectory chart of one part as a table (its text alternative): each period that
    has a value or a target, in timeline order. With ``benchmark`` (rows from
    ``performance.benchmark_rating.with_benchmarks``) it also says what the chart draws of the
    comparison: the value's 95% confidence interval, the benchmark's value and how the value
    compares with it."""
    rows = part_rows.sort_values("period_order", kind="stable")
    keep = rows["period_value"].notna() | rows["target"].notna()
    columns = list(CHART_TABLE_COLUMNS)
    if benchmark:
        columns += ["95% confidence interval", benchmark, f"Compared with {benchmark}"]
    records = []
    for r in rows[keep].itertuples(index=False):
        record = {"Period": str(r.period), "Value": _value(r.period_value, r.unit) or "no value",
                  "Target": _value(r.target, r.unit) or "none set", "Status": _status(r.status)}
        if benchmark:
            low, high = _value(r.lower_95, r.unit), _value(r.upper_95, r.unit)
            record["95% confidence interval"] = f"{low} to {high}" if low and high else "not published"
            record[benchmark] = _value(r.benchmark_value, r.unit) or "no value"
            record[f"Compared with {benchmark}"] = COMPARISON_LABELS.get(
                str(r.compared_with_benchmark), "").replace("benchmark", benchmark)
        records.append(record)
    return pd.DataFrame(records, columns=columns)


def chart_summary(part_rows: pd.DataFrame) -> str:
    """One sentence describing the trajectory chart of one part, for people who cannot see it."""
    rows = part_rows.sort_values("period_order", kind="stable")
    valued = rows[rows["period_value"].notna()]
    label = part_label(rows["code"].iloc[0], rows["part"].iloc[0]) if len(rows) else ""
    if not len(valued):
        return f"{label}: no published values yet."
    first, last = valued.iloc[0], valued.iloc[-1]
    target = _value(last["target"], last["unit"])
    against = f" against a target of {target}" if target else ""
    if len(valued) == 1:
        return (f"{label}: 1 published value, for {last['period']}: "
                f"{_value(last['period_value'], last['unit'])}{against} ({_status(last['status'])}).")
    return (f"{label}: {len(valued)} published values from {first['period']} to {last['period']}; "
            f"the latest, {last['period']}, is {_value(last['period_value'], last['unit'])}{against} "
            f"({_status(last['status'])}).")


def counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """RAG counts per theme board (from :func:`performance.overview.rag_counts`) with the
    statuses as symbol and word for headings."""
    out = pd.DataFrame({"Theme board": counts["theme_board"].map(_text)})
    for status in STATUS_LABELS:
        out[status_badge(status)] = counts[status].astype(int).astype(str)
    return out
