"""The quarterly cycle: when each period's returns are due, which parts are chased, and the
state of each part's return (missing, overdue, submitted, awaiting sign-off, sent back,
published).

Pure pandas over :func:`performance.rag.rate` (whose ``due`` column decides whether a part is
due at all: annual parts in a quarter, survey indicators outside their survey years and parts
whose target is "no survey" are never chased) and over the submissions the database holds
(``data_loaders.cycle_store`` reads them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from performance.periods import parse_period
from performance.register import split_partners
from performance.vocabulary import RETURN_STATE_LABELS, RETURN_STATES

DEFAULT_DUE_DAYS = 30
DUE_DAYS_SETTING = "returns_due_days"
# States in which a return has come in: they count towards the quarter's collection.
COLLECTED = ("submitted", "awaiting_sign_off", "published")
# States an officer is reminded of.
CHASED = ("missing", "overdue", "sent_back")

TABLE_COLUMNS = ("framework", "code", "part", "title", "theme_board", "lead_partner", "officer",
                 "email", "due_date", "state", "days_overdue", "submitted_by", "submitted_at")


def due_days(settings: Mapping[str, str]) -> int:
    """Days after a period ends that its returns are due (the register's setting, default 30)."""
    raw = str(settings.get(DUE_DAYS_SETTING, "") or "").strip()
    if not raw:
        return DEFAULT_DUE_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"setting {DUE_DAYS_SETTING}: '{raw}' is not a whole number of days") from None
    if days < 0:
        raise ValueError(f"setting {DUE_DAYS_SETTING}: {days} is before the period ends")
    return days


def due_date(period: str, days: int = DEFAULT_DUE_DAYS,
             overrides: Mapping[str, dt.date] | None = None) -> dt.date:
    """When ``period``'s returns are due: the date an administrator set for it, otherwise
    ``days`` after the quarter (or year) ends."""
    when = parse_period(period)
    if overrides and str(when) in overrides and overrides[str(when)] is not None:
        return overrides[str(when)]
    return when.end_date + dt.timedelta(days=days)


def return_state(db_state: str | None, *, signed_off: bool, deadline: dt.date,
                 as_of: dt.date) -> tuple[str, int]:
    """The state of one part's return and the days it is overdue (0 unless past the deadline).

    ``db_state`` is the newest real (not demo) version's state in the database (``None``:
    nothing received): ``submitted`` waits for sign-off, ``returned`` was sent back, and
    ``published`` is ``published`` when a performance officer signed it off or it came from
    the Forum's own papers (``signed_off``), else ``submitted`` (received where sign-off is off).
    """
    late = max((as_of - deadline).days, 0)
    if db_state is None:
        return ("overdue", late) if late else ("missing", 0)
    if db_state == "submitted":
        return "awaiting_sign_off", 0
    if db_state == "returned":
        return "sent_back", late
    if db_state == "published":
        return ("published" if signed_off else "submitted"), 0
    raise ValueError(f"unknown state of a return in the database: '{db_state}'")


def due_parts(rated: pd.DataFrame, framework: str, period: str) -> pd.DataFrame:
    """The parts of ``framework`` due in ``period``: the RAG engine's ``due`` rows, without
    removed parts (never chased)."""
    rows = rated[(rated["framework"] == framework) & (rated["period"] == period)]
    return rows[rows["due"].astype(bool) & ~rows["removed"].astype(bool)]


def contact_for(contacts: pd.DataFrame, code: str, part: str, lead_partner: str) -> tuple[str, str]:
    """The responsible officer and email of a part: its own contact, else that of the first of
    its lead partners that has one; ``("", "")`` when none is kept."""
    if contacts is None or contacts.empty:
        return "", ""
    own = contacts[(contacts["code"] == code) & (contacts["part"] == part)]
    if not own.empty:
        return str(own["officer"].iloc[0]), str(own["email"].iloc[0])
    by_partner = contacts[contacts["code"] == ""].set_index("lead_partner")
    for partner in split_partners(lead_partner):
        if partner in by_partner.index:
            row = by_partner.loc[partner]
            return str(row["officer"]), str(row["email"])
    return "", ""


def returns_due(rated: pd.DataFrame, indicators: pd.DataFrame, framework: str, period: str, *,
                submissions: pd.DataFrame, contacts: pd.DataFrame, deadline: dt.date,
                as_of: dt.date) -> pd.DataFrame:
    """Every part due in ``period`` with its lead partner, officer, deadline and state.

    ``submissions``: the newest real version per part of the period (columns code, part,
    state, signed_off, submitted_by, submitted_at); ``contacts``: framework's contacts
    (lead_partner, code, part, officer, email).
    """
    due = due_parts(rated, framework, period)
    leads = indicators[indicators["framework"] == framework].drop_duplicates("code") \
        .set_index("code")["lead_partner"]
    got = {(r.code, r.part): r for r in submissions.itertuples(index=False)} if len(submissions) else {}
    rows = []
    for r in due.itertuples(index=False):
        code, part = str(r.code), str(r.part)
        lead = str(leads.get(code, "") or "")
        sub = got.get((code, part))
        state, late = return_state(None if sub is None else sub.state,
                                   signed_off=bool(sub is not None and sub.signed_off),
                                   deadline=deadline, as_of=as_of)
        officer, email = contact_for(contacts, code, part, lead)
        rows.append({"framework": framework, "code": code, "part": part, "title": str(r.title),
                     "theme_board": str(r.theme_board), "lead_partner": lead, "officer": officer,
                     "email": email, "due_date": deadline, "state": state, "days_overdue": late,
                     "submitted_by": "" if sub is None else str(sub.submitted_by or ""),
                     "submitted_at": None if sub is None else sub.submitted_at})
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def filter_table(table: pd.DataFrame, *, theme_board: str = "", lead_partner: str = "",
                 states: list[str] | None = None) -> pd.DataFrame:
    """Rows of a returns-due table for one theme board, lead partner and/or states."""
    mask = pd.Series(True, index=table.index)
    if theme_board:
        mask &= table["theme_board"] == theme_board
    if lead_partner:
        mask &= table["lead_partner"].map(lambda t: lead_partner in split_partners(t)).astype(bool)
    if states:
        mask &= table["state"].isin(states)
    return table[mask]


def state_counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Parts in each state per ``by`` (``theme_board`` or ``lead_partner``), with a total row
    first and a "collected" share; columns in the client's words."""
    counts = pd.crosstab(table[by], table["state"]).reindex(columns=list(RETURN_STATES), fill_value=0)
    counts.columns.name = None
    counts.loc["All"] = counts.sum()
    counts = counts.loc[["All", *[i for i in counts.index if i != "All"]]]
    total = counts.sum(axis=1)
    collected = counts[list(COLLECTED)].sum(axis=1)
    out = counts.rename(columns=RETURN_STATE_LABELS)
    out.insert(0, "Due", total)
    out["Collected"] = [f"{c} of {t} ({c / t:.0%})" if t else "0 of 0" for c, t in
                        zip(collected, total, strict=True)]
    label = {"theme_board": "Theme board", "lead_partner": "Lead partner"}.get(by, by)
    return out.rename_axis(label).reset_index()


def by_each_lead_partner(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a row per lead partner of each part (a part led by "LBC, NHS Luton"
    counts for both), for counts by lead partner; none named reads "Not recorded"."""
    names = table["lead_partner"].map(lambda t: split_partners(t) or ["Not recorded"])
    return table.assign(lead_partner=names).explode("lead_partner")


def progress(table: pd.DataFrame) -> tuple[int, int]:
    """How many of the due parts have come in (submitted, awaiting sign-off or published), and
    how many are due."""
    return int(table["state"].isin(COLLECTED).sum()), len(table)


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The returns-due table in the client's words, for the page, CSV and Excel."""
    # what the officer acts on first (state, days overdue), then who is responsible
    out = pd.DataFrame({
        "Code": table["code"], "Part": table["part"], "Indicator": table["title"],
        "State": table["state"].map(RETURN_STATE_LABELS),
        "Days overdue": table["days_overdue"].astype(int),
        "Due": [d.isoformat() for d in table["due_date"]],
        "Lead partner": table["lead_partner"],
        "Responsible officer": table["officer"].replace("", "not recorded"),
        "Email": table["email"], "Theme board": table["theme_board"],
        "Submitted by": table["submitted_by"],
    })
    return out.reset_index(drop=True)


def reminder_groups(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The parts to chase per officer's email (missing, overdue, sent back), officers without
    an email left out (listed by :func:`without_contact`)."""
    chased = table[table["state"].isin(CHASED) & (table["email"] != "")]
    return {email: rows for email, rows in chased.groupby("email", sort=True)}


def without_contact(table: pd.DataFrame) -> pd.DataFrame:
    """Parts to chase that have no responsible officer's email kept."""
    return table[table["state"].isin(CHASED) & (table["email"] == "")]


def reminder_text(officer: str, parts: pd.DataFrame, period: str, deadline: dt.date,
                  link: str) -> str:
    """The body of one officer's reminder: what is missing, overdue or sent back, and where
    to send it."""
    lines = [f"Dear {officer or 'colleague'},", "",
             f"The Luton Forum's returns for {period} were due on {deadline:%d %B %Y}. "
             f"These parts you are responsible for are still needed:", ""]
    for r in parts.itertuples(index=False):
        name = f"{r.code} {r.part}".strip()
        late = f"{r.days_overdue} days overdue" if r.days_overdue else ""
        state = late if r.state == "overdue" else ", ".join(
            w for w in (RETURN_STATE_LABELS[r.state].lower(), late) if w)
        lines.append(f"- {name}: {r.title} ({state})")
    lines += ["", "The returns template for just these parts is attached. Fill in the values, "
              "commentary and actions and upload it on the Quarterly returns page:", link, "",
              "Thank you,", "Performance Management Sub-Group"]
    return "\n".join(lines)
