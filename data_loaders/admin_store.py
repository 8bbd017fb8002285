"""What an administrator changes, each with its reason in the audit trail in the same
transaction: settings, tolerances, new target versions and the register's descriptions."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection

from data_loaders import audit
from data_loaders import schema as s
from data_loaders.connection import _clean, _now
from data_loaders.register_store import _upsert_setting
from data_loaders.returns_store import part_ids
from performance.changes import (
    INDICATOR_FIELDS,
    PART_FIELDS,
    ChangeRefused,
    check_register_edit,
    check_target_version,
    in_force,
)
from performance.periods import PeriodError, financial_year, parse_year


def set_setting(engine: Engine, setting: str, value: str, *, actor: str, reason: str = "") -> None:
    """Change a partnership-wide setting, recorded in the audit trail."""
    with engine.begin() as conn:
        row = conn.execute(select(s.settings.c.value).where(s.settings.c.setting == setting)).first()
        _upsert_setting(conn, setting, value)
        audit.record(conn, actor=actor, action="setting_changed", entity="setting", key=setting,
                     before=row.value if row else "", after=value, reason=reason)


def set_tolerance(engine: Engine, framework: str, code: str, part: str, tolerance_pct: float | None,
                  *, actor: str, reason: str) -> None:
    """Change an indicator part's tolerance (percent of target; None for the default), audited."""
    if not reason.strip():
        raise ValueError("give a reason for changing the tolerance")
    with engine.begin() as conn:
        part_id = part_ids(conn)[(framework, code, part)]
        before = conn.execute(select(s.indicator_parts.c.tolerance_pct)
                              .where(s.indicator_parts.c.id == part_id)).scalar_one()
        conn.execute(update(s.indicator_parts).where(s.indicator_parts.c.id == part_id)
                     .values(tolerance_pct=tolerance_pct))
        audit.record(conn, actor=actor, action="tolerance_changed", entity="indicator_part",
                     key=f"{code} {part}".strip(), before=before, after=tolerance_pct, reason=reason)


def _lock(conn: Connection, table, row_id: int) -> None:
    """Hold ``row_id`` of ``table`` until the transaction ends (PostgreSQL ``FOR UPDATE``), so two
    administrators changing the same indicator take turns and each audit entry's "before" is
    what really was before. SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time."""
    conn.execute(select(table.c.id).where(table.c.id == row_id).with_for_update())


def _part_row(conn: Connection, framework: str, code: str, part: str):
    """The indicator part (with its indicator and framework), or :class:`ChangeRefused` naming
    the field that does not match."""
    fw, ind, p = s.frameworks, s.indicators, s.indicator_parts
    framework_row = conn.execute(select(fw).where(fw.c.name == framework)).first()
    if framework_row is None:
        raise ChangeRefused([("framework", f"unknown framework '{framework}'")])
    indicator = conn.execute(select(ind).where(ind.c.framework_id == framework_row.id,
                                               ind.c.code == code)).first()
    if indicator is None:
        raise ChangeRefused([("code", f"{framework} has no indicator '{code}'")])
    row = conn.execute(select(p).where(p.c.indicator_id == indicator.id, p.c.part == part)).first()
    if row is None:
        parts = conn.execute(select(p.c.part).where(p.c.indicator_id == indicator.id)
                             .order_by(p.c.id)).scalars().all()
        raise ChangeRefused([("part", f"{code} has no part '{part}'; its parts are "
                                      + ", ".join(f"'{x}'" for x in parts))])
    return framework_row, indicator, row


_TARGET_FIELDS = ("version", "value", "text", "status", "measure", "effective_from", "decided_by",
                  "source", "reason")


def add_target_version(engine: Engine, framework: str, code: str, part: str, year: str, *,
                       version: str, value: float | None, status: str, text: str = "",
                       measure: str = "", effective_from, decided_by: str, reason: str,
                       actor: str, source: str = "") -> dict:
    """Add a new version of an indicator part's target for a year: an administrator's change.

    Existing versions are never edited or deleted. The new version is checked
    (:func:`performance.changes.check_target_version`: known part, a year of the framework, a
    new version name, a status with a value only when ``set``, an effective date on or after
    the version in force, who decided it and a reason), then stored with an audit entry whose
    "before" is the version in force until now and "after" the new one, in one transaction.
    Returns the stored row. Raises :class:`ChangeRefused` with every problem, naming its field.
    """
    from sqlalchemy.exc import IntegrityError

    if not str(actor or "").strip():
        raise ChangeRefused([("actor", "who makes the change must be known")])
    new = {"code": code, "part": part, "year": year, "version": version, "value": value,
           "status": status, "text": text, "measure": measure, "effective_from": effective_from,
           "decided_by": decided_by, "reason": reason, "source": source}
    label = f"{code} {part}".strip()
    try:
        with engine.begin() as conn:
            framework_row, _, part_row = _part_row(conn, framework, code, part)
            _lock(conn, s.indicator_parts, part_row.id)
            t = s.targets
            try:
                year_key = financial_year(parse_year(year))
            except PeriodError:
                year_key = str(year)  # no rows; the check names the problem
            existing = pd.DataFrame(conn.execute(
                select(*(t.c[c] for c in _TARGET_FIELDS)).where(
                    t.c.part_id == part_row.id, t.c.year == year_key).order_by(t.c.id)
            ).mappings().all(), columns=list(_TARGET_FIELDS))
            row = check_target_version(new, first_year=framework_row.first_year,
                                       last_year=framework_row.last_year, unit=part_row.unit,
                                       part_measure=part_row.measure, existing=existing)
            if not row["source"]:  # every row says where it came from
                row["source"] = f"Administration page, {actor}, {_now():%d %B %Y}"
            before = in_force(existing)
            conn.execute(insert(t).values(part_id=part_row.id, load_id=None, **row))
            audit.record(conn, actor=actor, action="target_version_added", entity="target",
                         key=f"{label} {row['year']} {row['version']}",
                         before={k: _clean(before[k]) for k in _TARGET_FIELDS} if before else None,
                         after={k: row[k] for k in _TARGET_FIELDS}, reason=row["reason"])
    except IntegrityError as exc:
        # someone added the same version name a moment earlier; any other failure is no
        # refusal of the administrator's input, so it is raised as it is
        with engine.connect() as conn:
            taken = conn.execute(select(s.targets.c.id).where(
                s.targets.c.part_id == part_row.id, s.targets.c.year == row["year"],
                s.targets.c.version == row["version"])).first()
        if taken is None:
            raise
        raise ChangeRefused([("version", f"a version '{row['version']}' of {label} for {row['year']} "
                                         "was added by someone else meanwhile; give yours another "
                                         "name")]) from exc
    return row


def edit_register(engine: Engine, framework: str, code: str, part: str, changes: dict[str, str], *,
                  actor: str, reason: str, expected: dict[str, str] | None = None
                  ) -> dict[str, tuple[str, str]]:
    """Change descriptive fields of an indicator part from the app: an administrator's edit.

    Editable (:data:`performance.changes.EDITABLE_FIELDS`): the indicator's title, theme, theme
    board, lead partner and partners (shared by all its parts) and the part's notes and source.
    Codes, parts, polarity and the other fields that decide a status are refused, each with a
    reason. With ``expected`` (the values shown when the page was opened), a field changed by
    someone else meanwhile is refused. The change and an audit entry (before and after of the
    changed fields, the reason) are written in one transaction. Returns ``{field: (before,
    after)}`` of what changed; empty (and nothing written) when nothing differs.
    """
    if not str(actor or "").strip():
        raise ChangeRefused([("actor", "who makes the change must be known")])
    ind, p, tb = s.indicators, s.indicator_parts, s.theme_boards
    with engine.begin() as conn:
        framework_row, indicator, part_row = _part_row(conn, framework, code, part)
        _lock(conn, ind, indicator.id)
        indicator = conn.execute(select(ind).where(ind.c.id == indicator.id)).one()  # after the lock
        part_row = conn.execute(select(p).where(p.c.id == part_row.id)).one()
        boards = dict(conn.execute(select(tb.c.name, tb.c.id).where(tb.c.framework_id == framework_row.id)
                                   .order_by(tb.c.id)).all())
        board = next(name for name, board_id in boards.items() if board_id == indicator.theme_board_id)
        current = {"title": indicator.title, "theme": indicator.theme, "theme_board": board,
                   "lead_partner": indicator.lead_partner, "partners": indicator.partners,
                   "notes": part_row.notes, "source": part_row.source}
        changed = check_register_edit(changes, current, theme_boards=list(boards), reason=reason,
                                      expected=expected)
        if not changed:
            return {}
        after = {f: new for f, (_, new) in changed.items()}
        on_indicator = {f: v for f, v in after.items() if f in INDICATOR_FIELDS}
        if "theme_board" in on_indicator:
            on_indicator["theme_board_id"] = boards[on_indicator.pop("theme_board")]
        if on_indicator:
            conn.execute(update(ind).where(ind.c.id == indicator.id).values(**on_indicator))
        on_part = {f: v for f, v in after.items() if f in PART_FIELDS}
        if on_part:
            conn.execute(update(p).where(p.c.id == part_row.id).values(**on_part))
        audit.record(conn, actor=actor, action="register_edited", entity="indicator",
                     key=f"{code} {part}".strip() if on_part else code,
                     before={f: old for f, (old, _) in changed.items()}, after=after,
                     reason=reason.strip())
    return changed
