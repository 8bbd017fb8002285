"""Benchmark areas, their values and the Fingertips register, in the database.

Values are stored as returns are: all or nothing in one transaction, a changed value as the
next version (never overwritten), each load logged and every value in the audit trail.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update

from data_loaders import audit
from data_loaders import schema as s
from data_loaders.database import part_ids
from performance.register import Register
from performance.vocabulary import BENCHMARK_AREA_KINDS

__all__ = ["benchmark_areas", "known_areas", "fingertips_parts", "own_series", "read_benchmark_values",
           "set_fingertips_indicator", "set_group_members", "store_benchmark_values"]

_NUMBERS = ("value", "count", "denominator", "lower_95", "upper_95", "lower_998", "upper_998")
BENCHMARK_VALUE_COLUMNS = ["framework", "code", "part", "area", "period", *_NUMBERS, "source"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _float_or_none(value):
    return None if value is None or value != value else float(value)


def benchmark_areas(engine: Engine) -> pd.DataFrame:
    """Every benchmark area with its kind, source, notes and (for groups) members."""
    with engine.connect() as conn:
        areas = pd.read_sql_query(select(s.benchmark_areas).order_by(s.benchmark_areas.c.id), conn)
        members = pd.read_sql_query(select(s.benchmark_group_members), conn)
    areas["members"] = [sorted(members.loc[members["group_id"] == i, "member"]) for i in areas["id"]]
    return areas.drop(columns="id")


def known_areas(engine: Engine) -> set[str]:
    """Names a benchmark value may be for: the benchmark areas and every group's members."""
    areas = benchmark_areas(engine)
    return set(areas["name"]) | {m for members in areas["members"] for m in members}


def set_group_members(engine: Engine, group: str, members: list[tuple[str, str]], *, actor: str,
                      reason: str, kind: str = "neighbour_group") -> None:
    """Set a named group's members (name, source), creating the group if need be; audited.

    A member needs a source (the list it was taken from) and the change a reason.
    """
    if kind not in BENCHMARK_AREA_KINDS:
        raise ValueError(f"kind must be one of {', '.join(BENCHMARK_AREA_KINDS)}")
    if not reason.strip():
        raise ValueError("give a reason for the change")
    missing = [name for name, source in members if not source.strip()]
    if missing:
        raise ValueError(f"give the source of {', '.join(missing)}")
    with engine.begin() as conn:
        row = conn.execute(select(s.benchmark_areas).where(s.benchmark_areas.c.name == group)).first()
        if row is None:
            group_id = conn.execute(insert(s.benchmark_areas).values(
                name=group, kind=kind, source="", notes="")).inserted_primary_key[0]
        else:
            group_id = row.id
        gm = s.benchmark_group_members
        before = sorted(r.member for r in conn.execute(select(gm.c.member).where(gm.c.group_id == group_id)))
        conn.execute(delete(gm).where(gm.c.group_id == group_id))
        if members:
            conn.execute(insert(s.benchmark_group_members), [
                {"group_id": group_id, "member": name.strip(), "source": source.strip()}
                for name, source in members])
        audit.record(conn, actor=actor, action="benchmark_group_edited", entity="benchmark_area",
                     key=group, before=before, after=sorted(n for n, _ in members), reason=reason)


def set_fingertips_indicator(engine: Engine, framework: str, code: str, part: str, fingertips_id: int,
                             *, source: str, actor: str) -> None:
    """Record which Fingertips indicator an indicator part is; audited."""
    with engine.begin() as conn:
        part_id = part_ids(conn).get((framework, code, part))
        if part_id is None:
            raise ValueError(f"unknown indicator part {framework} {code} {part!r}")
        conn.execute(delete(s.fingertips_indicators).where(s.fingertips_indicators.c.part_id == part_id))
        conn.execute(insert(s.fingertips_indicators).values(
            part_id=part_id, fingertips_id=int(fingertips_id), source=source))
        audit.record(conn, actor=actor, action="fingertips_id_set", entity="indicator_part",
                     key=" ".join(filter(None, (framework, code, part))), after=int(fingertips_id))


def fingertips_parts(engine: Engine) -> dict[int, tuple[str, str, str]]:
    """Fingertips indicator ID -> (framework, code, part)."""
    fw, ind, part, ft = s.frameworks, s.indicators, s.indicator_parts, s.fingertips_indicators
    with engine.connect() as conn:
        rows = conn.execute(select(ft.c.fingertips_id, fw.c.name, ind.c.code, part.c.part)
                            .select_from(ft.join(part).join(ind).join(fw, ind.c.framework_id == fw.c.id)))
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


def store_benchmark_values(engine: Engine, rows: pd.DataFrame, *, file_name: str, checksum: str,
                           submitted_by: str) -> dict:
    """Store checked benchmark values in one transaction: every value or none.

    A value equal to the current version (all numbers and the source) is left alone; any
    other becomes the next version. Each stored value goes into the audit trail.
    """
    with engine.begin() as conn:
        ids = part_ids(conn)
        areas = {r.name: r.id for r in conn.execute(select(s.benchmark_areas))}
        members = {r.member for r in conn.execute(select(s.benchmark_group_members.c.member))}
        # a group member gets an area row of its own (kind "neighbour") the first time it has a value
        for name in sorted(set(rows["area"]) - set(areas)):
            if name not in members:
                raise ValueError(f"unknown area '{name}'")
            areas[name] = conn.execute(insert(s.benchmark_areas).values(
                name=name, kind="neighbour", source="member of a statistical-neighbour group",
                notes="")).inserted_primary_key[0]
        bv = s.benchmark_values
        wanted = {ids[(r.framework, r.code, r.part)] for r in rows.itertuples()}
        current = {}
        for r in conn.execute(select(bv).where(bv.c.part_id.in_(wanted))
                              .order_by(bv.c.version)):
            current[(r.part_id, r.area_id, r.period)] = r
        load_id = conn.execute(insert(s.loads).values(
            kind="benchmarks", file_name=file_name, checksum=checksum, loaded_by=submitted_by,
            loaded_at=_now(), rows_written=0, summary="")).inserted_primary_key[0]
        stamp, batch, entries = _now(), [], []
        for r in rows.to_dict("records"):
            key = (ids[(r["framework"], r["code"], r["part"])], areas[r["area"]], r["period"])
            numbers = {c: _float_or_none(r.get(c)) for c in _NUMBERS}
            old = current.get(key)
            if old is not None and all(getattr(old, c) == numbers[c] for c in _NUMBERS) \
                    and old.source == r["source"]:
                continue
            version = (old.version + 1) if old is not None else 1
            batch.append({"part_id": key[0], "area_id": key[1], "period": key[2], "version": version,
                          **numbers, "source": r["source"], "submitted_by": submitted_by,
                          "submitted_at": stamp, "load_id": load_id})
            where = (r["framework"], r["code"], r["part"], r["area"], r["period"])
            entries.append({
                "actor": submitted_by, "entity": "benchmark_value",
                "action": "benchmark_value_corrected" if old is not None else "benchmark_value_imported",
                "key": " ".join(filter(None, where)),
                "before": {"value": old.value, "version": old.version} if old is not None else None,
                "after": {"value": numbers["value"], "version": version, "file": file_name}})
        if batch:
            conn.execute(insert(bv), batch)
        audit.record_many(conn, entries)
        summary = f"{len(rows)} benchmark values, {len(batch)} stored from {file_name}"
        conn.execute(update(s.loads).where(s.loads.c.id == load_id)
                     .values(rows_written=len(batch), summary=summary))
    return {"load_id": load_id, "values": len(batch), "summary": summary}


def read_benchmark_values(engine: Engine, register: Register | None = None) -> pd.DataFrame:
    """The current version of every benchmark value, one row per part, area and period.

    With ``register``, the comparator values its Returns sheet states for benchmark areas (GB
    74.3 and England 12.3, ``001_7c62a6d3c6b93d0e.txt`` lines 247-248) count as benchmark
    values too, where no imported value is given for the same part, area and period.
    """
    fw, ind, part, bv, ba = (s.frameworks, s.indicators, s.indicator_parts, s.benchmark_values,
                             s.benchmark_areas)
    latest = (select(bv.c.part_id, bv.c.area_id, bv.c.period, func.max(bv.c.version).label("version"))
              .group_by(bv.c.part_id, bv.c.area_id, bv.c.period).subquery())
    query = (select(fw.c.name.label("framework"), ind.c.code, part.c.part, ba.c.name.label("area"),
                    bv.c.period, *(bv.c[c] for c in _NUMBERS), bv.c.source)
             .select_from(bv.join(latest, (bv.c.part_id == latest.c.part_id)
                                  & (bv.c.area_id == latest.c.area_id)
                                  & (bv.c.period == latest.c.period)
                                  & (bv.c.version == latest.c.version))
                          .join(part, bv.c.part_id == part.c.id).join(ind)
                          .join(fw, ind.c.framework_id == fw.c.id).join(ba, bv.c.area_id == ba.c.id)))
    with engine.connect() as conn:
        stored = pd.read_sql_query(query, conn)
        area_names = {r.name for r in conn.execute(select(ba.c.name))}
    for c in _NUMBERS:
        stored[c] = stored[c].astype(float)
    if register is not None and len(register.returns):
        stated = register.returns[register.returns["area"].isin(area_names)
                                  & ~register.returns["is_demo"].astype(bool)]
        stated = stated.assign(**{c: float("nan") for c in _NUMBERS if c != "value"})[BENCHMARK_VALUE_COLUMNS]
        stored = pd.concat([stored, stated], ignore_index=True) if len(stored) else stated.copy()
        stored = stored.drop_duplicates(["framework", "code", "part", "area", "period"], keep="first")
    return stored[BENCHMARK_VALUE_COLUMNS].reset_index(drop=True)


def own_series(engine: Engine, register: Register) -> pd.DataFrame:
    """Each framework's own-area values for every period, with the numerator and denominator
    of the current published version where the return gave them (NaN otherwise)."""
    fw, ind, part, r, areas = s.frameworks, s.indicators, s.indicator_parts, s.returns, s.areas
    query = (select(fw.c.name.label("framework"), ind.c.code, part.c.part, areas.c.name.label("area"),
                    r.c.period, r.c.version, r.c.numerator, r.c.denominator)
             .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                          .join(fw, ind.c.framework_id == fw.c.id).join(areas))
             .where(r.c.state == "published", r.c.is_demo.is_(False),
                    r.c.numerator.is_not(None) | r.c.denominator.is_not(None)))
    with engine.connect() as conn:
        counts = pd.read_sql_query(query, conn)
    key = ["framework", "code", "part", "area", "period"]
    own = register.returns.merge(register.frameworks[["framework", "own_area"]], on="framework")
    own = own[own["area"] == own["own_area"]][[*key, "value"]]
    if len(counts):
        # only the newest version's counts belong to the value shown
        counts = counts.sort_values("version").drop_duplicates(key, keep="last")
        own = own.merge(counts[[*key, "numerator", "denominator"]], on=key, how="left")
    else:
        own = own.assign(numerator=float("nan"), denominator=float("nan"))
    own[["numerator", "denominator"]] = own[["numerator", "denominator"]].astype(float)
    return own.drop(columns="area").reset_index(drop=True)
