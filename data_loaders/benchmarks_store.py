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
from performance.changes import ChangeRefused
from performance.comparators import check_fingertips_id, check_group_change
from performance.register import Register

__all__ = ["benchmark_areas", "change_group", "fingertips_ids", "fingertips_parts", "group_members",
           "known_areas", "own_series", "read_benchmark_values", "set_fingertips_indicator",
           "set_group_members", "store_benchmark_values"]

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
    """Names a benchmark value may be for: the benchmark areas and every group's current members
    (a neighbour removed from its group takes no new values)."""
    areas = benchmark_areas(engine)
    fixed = set(areas.loc[areas["kind"] != NEIGHBOUR_KIND, "name"])
    return fixed | {m for members in areas["members"] for m in members}


# A member's own area row (made the first time it has a value) has this kind.
NEIGHBOUR_KIND = "neighbour"
GROUP_KIND = "neighbour_group"


def group_members(engine: Engine) -> pd.DataFrame:
    """Every neighbour group's members with their sources (``group, member, source``), groups
    without members as one row with an empty member, in the order the groups were made."""
    ba, gm = s.benchmark_areas, s.benchmark_group_members
    with engine.connect() as conn:
        rows = conn.execute(select(ba.c.name, gm.c.member, gm.c.source)
                            .select_from(ba.outerjoin(gm, gm.c.group_id == ba.c.id))
                            .where(ba.c.kind == GROUP_KIND).order_by(ba.c.id, gm.c.member)).all()
    return pd.DataFrame([(g, m or "", src or "") for g, m, src in rows],
                        columns=["group", "member", "source"])


def _reserved(conn) -> dict[str, str]:
    """Names no neighbour may take, with why: the benchmark areas and the frameworks' own areas."""
    reserved = {r.name: f"{r.name} is a benchmark area ({r.kind.replace('_', ' ')}) itself"
                for r in conn.execute(select(s.benchmark_areas.c.name, s.benchmark_areas.c.kind)
                                      .where(s.benchmark_areas.c.kind != NEIGHBOUR_KIND))}
    owners: dict[str, list[str]] = {}
    for r in conn.execute(select(s.frameworks.c.name, s.frameworks.c.own_area).order_by(s.frameworks.c.id)):
        owners.setdefault(r.own_area, []).append(r.name)
    for area, frameworks in owners.items():
        reserved[area] = f"{area} is the own area of {' and '.join(frameworks)}"
    return reserved


def _groups(conn) -> dict[str, list[str]]:
    ba, gm = s.benchmark_areas, s.benchmark_group_members
    groups = {r.name: [] for r in conn.execute(select(ba.c.name).where(ba.c.kind == GROUP_KIND))}
    for r in conn.execute(select(ba.c.name, gm.c.member).select_from(gm.join(ba, gm.c.group_id == ba.c.id))
                          .order_by(gm.c.member)):
        groups.setdefault(r.name, []).append(r.member)
    return groups


def change_group(engine: Engine, change: str, group: str, members: list[tuple[str, str]], *,
                 actor: str, reason: str) -> dict[str, str]:
    """Set, add to or remove from a neighbour group's members, each with its source; audited.

    ``change`` is ``set`` (the whole list; the group is made if need be), ``add`` or ``remove``
    (for ``remove`` the sources are ignored). Checked by
    :func:`performance.comparators.check_group_change`: every problem by field in one
    :class:`~performance.changes.ChangeRefused`, and nothing is written. The change and its audit
    entry (members and sources before and after, the reason) are one transaction. A removed
    member's stored values stay in the database but are not shown, nor imported for, until it
    is a member again. Returns the members and sources after the change.
    """
    if not str(actor or "").strip():
        raise ChangeRefused([("actor", "who makes the change must be known")])
    ba, gm = s.benchmark_areas, s.benchmark_group_members
    with engine.begin() as conn:
        row = conn.execute(select(ba).where(ba.c.name == " ".join(str(group or "").split()))
                           .with_for_update()).first()  # two admins editing a group take turns
        given = check_group_change(change, group, members, reason=reason, groups=_groups(conn),
                                   reserved=_reserved(conn))
        group = " ".join(group.split())
        if row is None:
            group_id = conn.execute(insert(ba).values(
                name=group, kind=GROUP_KIND, source="", notes="")).inserted_primary_key[0]
        else:
            group_id = row.id
        before = {r.member: r.source for r in conn.execute(
            select(gm.c.member, gm.c.source).where(gm.c.group_id == group_id))}
        if change == "set":
            conn.execute(delete(gm).where(gm.c.group_id == group_id))
        if change == "remove":
            conn.execute(delete(gm).where(gm.c.group_id == group_id,
                                          gm.c.member.in_([n for n, _ in given])))
        elif given:
            conn.execute(insert(gm), [{"group_id": group_id, "member": n, "source": src}
                                      for n, src in given])
        after = {r.member: r.source for r in conn.execute(
            select(gm.c.member, gm.c.source).where(gm.c.group_id == group_id))}
        audit.record(conn, actor=actor, action="benchmark_group_edited", entity="benchmark_area",
                     key=group, before=dict(sorted(before.items())), after=dict(sorted(after.items())),
                     reason=reason.strip())
    return dict(sorted(after.items()))


def set_group_members(engine: Engine, group: str, members: list[tuple[str, str]], *, actor: str,
                      reason: str) -> dict[str, str]:
    """Set a named group's members (name, source), creating the group if need be; audited.

    A member needs a source (the list it was taken from) and the change a reason
    (:func:`change_group`).
    """
    return change_group(engine, "set", group, members, actor=actor, reason=reason)


def fingertips_ids(engine: Engine, framework: str | None = None) -> pd.DataFrame:
    """Each indicator part's Fingertips indicator ID and its source (``framework, code, part,
    fingertips_id, source``); parts without one are not listed."""
    fw, ind, part, ft = s.frameworks, s.indicators, s.indicator_parts, s.fingertips_indicators
    query = (select(fw.c.name.label("framework"), ind.c.code, part.c.part, ft.c.fingertips_id, ft.c.source)
             .select_from(ft.join(part).join(ind).join(fw, ind.c.framework_id == fw.c.id))
             .order_by(fw.c.id, part.c.id))
    if framework is not None:
        query = query.where(fw.c.name == framework)
    with engine.connect() as conn:
        return pd.read_sql_query(query, conn)


def _part_id(conn, framework: str, code: str, part: str) -> int:
    """The indicator part's id, or :class:`ChangeRefused` naming the field that does not match."""
    ids = part_ids(conn)
    if (framework, code, part) in ids:
        return ids[(framework, code, part)]
    if not any(f == framework for f, _, _ in ids):
        raise ChangeRefused([("framework", f"unknown framework '{framework}'")])
    parts = [p for f, c, p in ids if f == framework and c == code]
    if not parts:
        raise ChangeRefused([("code", f"{framework} has no indicator '{code}'")])
    raise ChangeRefused([("part", f"{code} has no part '{part}'; its parts: "
                                  + ", ".join(f"'{p}'" for p in parts))])


def set_fingertips_indicator(engine: Engine, framework: str, code: str, part: str, fingertips_id,
                             *, source: str, actor: str, reason: str = "") -> int | None:
    """Record which Fingertips indicator an indicator part is (``None``: forget it); audited.

    Refused (:class:`~performance.changes.ChangeRefused`, by field, nothing written): an unknown
    framework, code or part; an ID that is not a whole number above 0 or is already another
    part's (:func:`performance.comparators.check_fingertips_id`); no source. Returns the ID
    stored before.
    """
    if not str(actor or "").strip():
        raise ChangeRefused([("actor", "who makes the change must be known")])
    ft = s.fingertips_indicators
    with engine.begin() as conn:
        part_id = _part_id(conn, framework, code, part)
        conn.execute(select(s.indicator_parts.c.id).where(s.indicator_parts.c.id == part_id)
                     .with_for_update())  # two admins setting the same part take turns
        before = conn.execute(select(ft.c.fingertips_id).where(ft.c.part_id == part_id)).scalar()
        if fingertips_id is None:
            if before is None:
                raise ChangeRefused([("fingertips_id", f"{' '.join(filter(None, (code, part)))} has no "
                                                       "Fingertips ID to remove")])
            number = None
        else:
            number = check_fingertips_id(fingertips_id, source=source, code=code, part=part,
                                         mapped=_fingertips_map(conn), framework=framework)
        conn.execute(delete(ft).where(ft.c.part_id == part_id))
        if number is not None:
            conn.execute(insert(ft).values(part_id=part_id, fingertips_id=number, source=source.strip()))
        audit.record(conn, actor=actor, action="fingertips_id_set", entity="indicator_part",
                     key=" ".join(filter(None, (code, part))), before=before,
                     after=None if number is None else {"fingertips_id": number, "source": source.strip()},
                     reason=str(reason or "").strip())
    return before


def fingertips_parts(engine: Engine) -> dict[int, tuple[str, str, str]]:
    """Fingertips indicator ID -> (framework, code, part)."""
    with engine.connect() as conn:
        return _fingertips_map(conn)


def _fingertips_map(conn) -> dict[int, tuple[str, str, str]]:
    fw, ind, part, ft = s.frameworks, s.indicators, s.indicator_parts, s.fingertips_indicators
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
    # a neighbour's values are shown while it is a member of a group (kept, not shown, after)
    members = select(s.benchmark_group_members.c.member)
    query = query.where((ba.c.kind != NEIGHBOUR_KIND) | ba.c.name.in_(members))
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
