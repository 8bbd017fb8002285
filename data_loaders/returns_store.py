"""Returns in the database: every version kept, stored all or nothing, signed off or sent
back, read back as the current value of each part, period and area."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.engine import Connection

from data_loaders import audit
from data_loaders import schema as s
from data_loaders.connection import _clean, _now
from data_loaders.workbook import RETURN_FRAME_COLUMNS
from performance.events import logged


def add_return_version(conn: Connection, part_id: int, area_id: int, r: dict, load_id: int | None,
                       submitted_by: str) -> int:
    """Store a value as the next version for its part, area and period, unless it is the same
    as the current version (value, provisional flag, commentary and source). Returns rows written."""
    current = conn.execute(
        select(s.returns).where(s.returns.c.part_id == part_id, s.returns.c.area_id == area_id,
                                s.returns.c.period == r["period"])
        .order_by(s.returns.c.version.desc()).limit(1)).first()
    same = current is not None and (
        current.value == r["value"] and current.provisional == bool(r["provisional"])
        and current.commentary == (r.get("commentary") or "") and current.source == r["source"])
    if same:
        return 0
    conn.execute(insert(s.returns).values(
        part_id=part_id, area_id=area_id, period=r["period"],
        version=(current.version + 1) if current else 1, value=r["value"],
        forecast_year_end=_clean(r.get("forecast_year_end")),
        provisional=bool(r["provisional"]), commentary=r.get("commentary") or "",
        action=r.get("action") or "", source=r["source"], is_demo=bool(r.get("is_demo")),
        state="published", submitted_by=submitted_by, submitted_at=_now(), load_id=load_id))
    return 1


def current_returns(versions: pd.DataFrame) -> pd.DataFrame:
    """The current value of each part, area and period from all its versions.

    A value from a source document or a return always wins over an illustrative demo value,
    whatever their versions; among real values the newest version wins.
    """
    ordered = versions.sort_values(["is_demo", "version"], ascending=[True, False], kind="stable")
    current = ordered.drop_duplicates(["framework", "code", "part", "area", "period"])
    return current.sort_values(["framework", "code", "part", "area", "period"])[
        RETURN_FRAME_COLUMNS].reset_index(drop=True)


class ReturnConflict(Exception):
    """Values changed in the database since the person saving them loaded them."""

    def __init__(self, changed: list[str]):
        self.changed = changed
        super().__init__("These values were changed by someone else since you loaded them; "
                         "reload and check before saving: " + "; ".join(changed))


def part_ids(conn: Connection) -> dict[tuple[str, str, str], int]:
    """Map (framework, code, part) to the id of the indicator part."""
    fw, ind, part = s.frameworks, s.indicators, s.indicator_parts
    rows = conn.execute(select(fw.c.name, ind.c.code, part.c.part, part.c.id)
                        .select_from(part.join(ind).join(fw, ind.c.framework_id == fw.c.id)))
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def _area_ids(conn: Connection, names: set[str]) -> dict[str, int]:
    ids = {r.name: r.id for r in conn.execute(select(s.areas))}
    for name in sorted(names - set(ids)):
        ids[name] = conn.execute(insert(s.areas).values(name=name)).inserted_primary_key[0]
    return ids


def _value_rows(rows: pd.DataFrame, own_area: dict[str, str]) -> list[dict]:
    """Own-area values plus, for gap indicators, the comparator area's value, as flat rows.

    Rows that already name their area (the demo generator's) pass through as they are.
    """
    if "area" in rows.columns:
        return rows.to_dict("records")
    out = []
    for r in rows.to_dict("records"):
        out.append({**r, "area": own_area[r["framework"]]})
        comparator_value = r.get("comparator_value")
        if r.get("comparator") and comparator_value is not None and comparator_value == comparator_value:
            out.append({**r, "area": r["comparator"], "value": comparator_value,
                        "forecast_year_end": None, "commentary": "", "action": "",
                        "numerator": None, "denominator": None})
    return out


def _keys_with_real_values(conn: Connection, flat: list[dict], ids: dict, areas: dict) -> set[tuple]:
    """Keys that already hold a value someone submitted (not only a demo value): a new value
    for them is a correction."""
    keys = {(r["framework"], r["code"], r["part"], r["area"], r["period"]) for r in flat}
    by_ids = {(ids[k[:3]], areas[k[3]], k[4]): k for k in keys}
    found = conn.execute(
        select(s.returns.c.part_id, s.returns.c.area_id, s.returns.c.period).distinct()
        .where(s.returns.c.part_id.in_({i[0] for i in by_ids}),
               s.returns.c.period.in_({k[4] for k in keys}), s.returns.c.is_demo.is_(False))).all()
    return {by_ids[tuple(f)] for f in found if tuple(f) in by_ids}


def current_versions(engine: Engine, rows: pd.DataFrame) -> dict[tuple, int]:
    """The stored version of each value a save would touch (0 where none yet), keyed by
    (framework, code, part, area, period): remember it when showing a preview."""
    with engine.connect() as conn:
        return _current_versions(conn, rows)


def _current_versions(conn: Connection, rows: pd.DataFrame, flat: list[dict] | None = None
                      ) -> dict[tuple, int]:
    flat = _value_rows(rows, _own_areas(conn)) if flat is None else flat
    keys = [(r["framework"], r["code"], r["part"], r["area"], r["period"]) for r in flat]
    if not keys:
        return {}
    ids = part_ids(conn)
    areas = {r.name: r.id for r in conn.execute(select(s.areas))}
    periods = sorted({k[4] for k in keys})
    wanted_parts = sorted({ids[k[:3]] for k in keys if k[:3] in ids})
    found = conn.execute(
        select(s.returns.c.part_id, s.returns.c.area_id, s.returns.c.period,
               func.max(s.returns.c.version))
        .where(s.returns.c.part_id.in_(wanted_parts), s.returns.c.period.in_(periods))
        .group_by(s.returns.c.part_id, s.returns.c.area_id, s.returns.c.period)).all()
    stored = {(p, a, per): v for p, a, per, v in found}
    return {k: stored.get((ids.get(k[:3]), areas.get(k[3]), k[4]), 0) for k in keys}


def _own_areas(conn: Connection) -> dict[str, str]:
    return {r.name: r.own_area for r in conn.execute(select(s.frameworks.c.name, s.frameworks.c.own_area))}


@logged("import", who="submitted_by", fields=("file_name", "kind", "state"),
        result=lambda r: {"values": r["values"], "load": r["load_id"]})
def store_returns(engine: Engine, rows: pd.DataFrame, *, file_name: str, checksum: str,
                  submitted_by: str, expected_versions: dict[tuple, int] | None = None,
                  source: str | None = None, is_demo: bool = False, kind: str = "returns",
                  state: str = "published", progress=None) -> dict:
    """Store checked return rows in one transaction: every value or none.

    Each value becomes the next version for its part, area and period (a correction never
    overwrites). With ``expected_versions`` (from :func:`current_versions` at preview time),
    any value someone else saved meanwhile raises :class:`ReturnConflict` and nothing is written;
    two saves racing for the same version are stopped by the unique constraint the same way.
    ``progress(done, total)`` is called as rows are prepared and written. ``state`` is
    ``submitted`` where sign-off is on. Every value submitted or corrected goes into the audit
    trail in the same transaction (demo values do not: nobody submitted them).
    """
    from sqlalchemy.exc import IntegrityError

    try:
        with engine.begin() as conn:
            own = _own_areas(conn)
            flat = _value_rows(rows, own)
            ids = part_ids(conn)
            areas = _area_ids(conn, {r["area"] for r in flat})
            stored = _current_versions(conn, rows, flat)
            if expected_versions is not None:
                changed = [f"{k[1]}{' ' + k[2] if k[2] else ''} {k[3]} {k[4]}"
                           for k, version in stored.items() if expected_versions.get(k, 0) != version]
                if changed:
                    raise ReturnConflict(changed)
            load_id = conn.execute(insert(s.loads).values(
                kind=kind, file_name=file_name, checksum=checksum, loaded_by=submitted_by,
                loaded_at=_now(), rows_written=0, summary="")).inserted_primary_key[0]
            stamp = _now()
            batch = []
            total = len(flat)
            for i, r in enumerate(flat, start=1):
                key = (r["framework"], r["code"], r["part"], r["area"], r["period"])
                batch.append({
                    "part_id": ids[key[:3]], "area_id": areas[r["area"]], "period": r["period"],
                    "version": stored[key] + 1, "value": float(r["value"]),
                    "forecast_year_end": _clean(r.get("forecast_year_end")),
                    "provisional": bool(r.get("provisional")), "commentary": r.get("commentary") or "",
                    "commentary_internal": _clean(r.get("commentary_internal")) in (True, "yes"),
                    "action": r.get("action") or "", "source": r.get("source") or source or file_name,
                    "is_demo": is_demo, "state": state, "submitted_by": submitted_by,
                    "submitted_at": stamp, "load_id": load_id,
                    # issue 14: the count and denominator behind the value, where given
                    "numerator": _clean(r.get("numerator")), "denominator": _clean(r.get("denominator"))})
                if progress and (i % 500 == 0 or i == total):
                    progress(i, total)
            real = set() if is_demo else _keys_with_real_values(conn, flat, ids, areas)
            if batch:
                conn.execute(insert(s.returns), batch)
            if not is_demo:
                audit.record_many(conn, [{
                    "actor": submitted_by,
                    "action": "return_corrected" if k in real else "return_submitted",
                    "entity": "return", "key": " ".join(filter(None, k)),
                    "after": {"value": b["value"], "version": b["version"], "state": state,
                              "file": file_name, "commentary": b["commentary"]},
                } for k, b in zip(((r["framework"], r["code"], r["part"], r["area"], r["period"])
                                   for r in flat), batch, strict=True)])
            summary = f"{len(rows)} returns, {len(batch)} values stored from {file_name}"
            conn.execute(update(s.loads).where(s.loads.c.id == load_id)
                         .values(rows_written=len(batch), summary=summary))
    except IntegrityError as exc:
        raise ReturnConflict(["another save of the same values finished first"]) from exc
    return {"load_id": load_id, "values": len(batch), "summary": summary}


def sign_off_required(engine: Engine) -> bool:
    """Whether imported returns wait for a performance officer's approval."""
    with engine.connect() as conn:
        row = conn.execute(select(s.settings.c.value)
                           .where(s.settings.c.setting == "sign_off_required")).first()
    return bool(row) and row.value == "yes"


def pending_returns(engine: Engine) -> pd.DataFrame:
    """Returns waiting for sign-off, oldest first, with what they would replace."""
    fw, ind, part, r = s.frameworks, s.indicators, s.indicator_parts, s.returns
    query = (select(r.c.id, fw.c.name.label("framework"), ind.c.code, part.c.part,
                    s.areas.c.name.label("area"), r.c.period, r.c.version, r.c.value, r.c.provisional,
                    r.c.commentary, r.c.action, r.c.submitted_by, r.c.submitted_at,
                    s.loads.c.file_name)
             .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                          .join(fw, ind.c.framework_id == fw.c.id).join(s.areas)
                          .outerjoin(s.loads, r.c.load_id == s.loads.c.id))
             .where(r.c.state == "submitted").order_by(r.c.id))
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)


def count_pending(engine: Engine) -> int:
    """How many returns wait for sign-off."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.returns)
                            .where(s.returns.c.state == "submitted")).scalar_one()


@logged("sign_off", who="actor", fields=("approve",), result=lambda n: {"returns": n})
def review_returns(engine: Engine, ids: list[int], *, approve: bool, actor: str,
                   reason: str = "") -> int:
    """Approve (publish) or send back submitted returns; each decision is audited.

    Sending back needs a reason, which the officer who submitted sees. Only returns still
    ``submitted`` change, so two reviewers cannot decide the same return twice.
    """
    if not approve and not reason.strip():
        raise ValueError("give a reason for sending the return back")
    new_state = "published" if approve else "returned"
    changed = 0
    with engine.begin() as conn:
        for return_id in ids:
            row = conn.execute(select(s.returns).where(s.returns.c.id == return_id,
                                                       s.returns.c.state == "submitted")).first()
            if row is None:
                continue
            conn.execute(update(s.returns).where(s.returns.c.id == return_id).values(
                state=new_state, reviewed_by=actor, reviewed_at=_now(), review_reason=reason))
            audit.record(conn, actor=actor, action="return_approved" if approve else "return_sent_back",
                         entity="return", key=f"return {return_id} {row.period}",
                         before={"state": "submitted", "value": row.value},
                         after={"state": new_state, "value": row.value}, reason=reason)
            changed += 1
    return changed


def edit_commentary(engine: Engine, framework: str, code: str, part: str, period: str, *,
                    commentary: str, action: str, actor: str, internal: bool = False) -> int:
    """A performance officer's edit of the commentary and action of the current value.

    Stored as a new version with the same value (the officer's words never replace the
    officer's who submitted it), and audited. ``internal`` keeps the words off the public
    scorecard. Returns the new version number.
    """
    with engine.begin() as conn:
        part_id = part_ids(conn)[(framework, code, part)]
        own = _own_areas(conn)[framework]
        area_id = conn.execute(select(s.areas.c.id).where(s.areas.c.name == own)).scalar_one()
        current = conn.execute(
            select(s.returns).where(s.returns.c.part_id == part_id, s.returns.c.area_id == area_id,
                                    s.returns.c.period == period, s.returns.c.is_demo.is_(False))
            .order_by(s.returns.c.version.desc()).limit(1)).first()
        if current is None:
            raise ValueError(f"{code} has no submitted value for {period} to comment on")
        latest = conn.execute(select(func.max(s.returns.c.version)).where(
            s.returns.c.part_id == part_id, s.returns.c.area_id == area_id,
            s.returns.c.period == period)).scalar_one()
        values = {c: getattr(current, c) for c in (
            "part_id", "area_id", "period", "value", "forecast_year_end", "provisional", "source",
            "is_demo", "state", "load_id", "reviewed_by", "reviewed_at", "review_reason")}
        conn.execute(insert(s.returns).values(**values, version=latest + 1, commentary=commentary,
                                              action=action, commentary_internal=internal,
                                              submitted_by=actor, submitted_at=_now()))
        audit.record(conn, actor=actor, action="commentary_edited", entity="return",
                     key=f"{code} {part} {period}".replace("  ", " "),
                     before={"commentary": current.commentary, "action": current.action},
                     after={"commentary": commentary, "action": action})
    return latest + 1


def return_history(engine: Engine, framework: str, code: str, include_pending: bool = True
                   ) -> pd.DataFrame:
    """Every version of every value of one indicator: value, who, when, file, commentary.

    ``include_pending=False`` (for viewers) keeps published values only.
    """
    fw, ind, part, r = s.frameworks, s.indicators, s.indicator_parts, s.returns
    query = (select(part.c.part, s.areas.c.name.label("area"), r.c.period, r.c.version, r.c.value,
                    r.c.provisional, r.c.state, r.c.submitted_by, r.c.submitted_at,
                    s.loads.c.file_name, r.c.commentary, r.c.action, r.c.reviewed_by, r.c.review_reason,
                    r.c.source, r.c.is_demo)
             .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                          .join(fw, ind.c.framework_id == fw.c.id).join(s.areas)
                          .outerjoin(s.loads, r.c.load_id == s.loads.c.id))
             .where(fw.c.name == framework, ind.c.code == code,
                    *(() if include_pending else (r.c.state == "published",)))
             .order_by(part.c.part, s.areas.c.name, r.c.period, r.c.version))
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)
