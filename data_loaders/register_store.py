"""The register in the database: seeded from ``indicators.xlsx`` (a changed value is a new
version, every load logged), the demo values, and the whole register read back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.engine import Connection

from data_loaders import schema as s
from data_loaders.connection import _clean, _now, demo_enabled, file_checksum
from data_loaders.returns_store import add_return_version, current_returns, store_returns
from data_loaders.workbook import DEFAULT_REGISTER_PATH
from data_loaders.workbook import read_register as read_register_workbook
from performance.register import Register
from performance.vocabulary import DEFAULT_SETTINGS


def seed_register(engine: Engine, path: str | Path = DEFAULT_REGISTER_PATH,
                  loaded_by: str = "seed") -> dict:
    """Load ``indicators.xlsx`` into the database, all or nothing; idempotent.

    A workbook whose checksum was loaded before changes nothing. Otherwise frameworks, theme
    boards, indicators, parts and targets are inserted or brought up to date, the values the
    source documents state are added as returns (a changed value becomes a new version), and
    the load is logged. An invalid workbook raises before anything is written.
    """
    path = Path(path)
    data = path.read_bytes()
    checksum = file_checksum(data)
    register = read_register_workbook(data, path.name)  # validates everything first
    with engine.begin() as conn:
        seen = conn.execute(select(s.loads.c.id).where(
            s.loads.c.kind == "register", s.loads.c.checksum == checksum)).first()
        if seen:
            return {"changed": False, "load_id": seen.id, "rows_written": 0}
        load_id = conn.execute(insert(s.loads).values(
            kind="register", file_name=path.name, checksum=checksum, loaded_by=loaded_by,
            loaded_at=_now(), rows_written=0, summary="")).inserted_primary_key[0]
        written = _write_register(conn, register, load_id)
        summary = (f"{len(register.indicators)} indicator parts, {len(register.targets)} targets, "
                   f"{len(register.returns)} stated values; {written} rows written")
        conn.execute(update(s.loads).where(s.loads.c.id == load_id)
                     .values(rows_written=written, summary=summary))
    return {"changed": True, "load_id": load_id, "rows_written": written}


def _upsert(conn: Connection, table, key: dict, values: dict) -> tuple[int, int]:
    """Insert a row, or update it where it differs. Returns (id, rows written)."""
    row = conn.execute(select(table).where(and_(*(table.c[k] == v for k, v in key.items())))).first()
    if row is None:
        new_id = conn.execute(insert(table).values(**key, **values)).inserted_primary_key[0]
        return new_id, 1
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changed:
        conn.execute(update(table).where(table.c.id == row.id).values(**changed))
    return row.id, int(bool(changed))


def _write_register(conn: Connection, register: Register, load_id: int) -> int:
    written = 0
    framework_ids: dict[str, int] = {}
    for fw in register.frameworks.to_dict("records"):
        framework_ids[fw["framework"]], n = _upsert(conn, s.frameworks, {"name": fw["framework"]}, {
            "title": fw["title"], "first_year": fw["first_year"], "last_year": fw["last_year"],
            "own_area": fw["own_area"], "source": fw["source"]})
        written += n
    board_ids: dict[tuple[str, str], int] = {}
    for b in register.theme_boards.to_dict("records"):
        key = {"framework_id": framework_ids[b["framework"]], "name": b["theme_board"]}
        board_ids[(b["framework"], b["theme_board"])], n = _upsert(conn, s.theme_boards, key, {
            "chair": b["chair"], "theme": b["theme"], "source": b["source"]})
        written += n
    indicator_ids: dict[tuple[str, str], int] = {}
    part_ids: dict[tuple[str, str, str], int] = {}
    for p in register.indicators.to_dict("records"):
        ind_key = (p["framework"], p["code"])
        if ind_key not in indicator_ids:
            indicator_ids[ind_key], n = _upsert(
                conn, s.indicators, {"framework_id": framework_ids[p["framework"]], "code": p["code"]},
                {"kind": p["kind"], "title": p["title"], "theme": p["theme"],
                 "theme_board_id": board_ids[(p["framework"], p["theme_board"])],
                 "lead_partner": p["lead_partner"], "partners": p["partners"],
                 "reward_eligible": bool(p["reward_eligible"]), "status": p["status"]})
            written += n
        part_ids[(p["framework"], p["code"], p["part"])], n = _upsert(
            conn, s.indicator_parts, {"indicator_id": indicator_ids[ind_key], "part": p["part"]},
            {c: _clean(p[c]) for c in PART_COLUMNS})
        written += n
    for t in register.targets.to_dict("records"):
        key = {"part_id": part_ids[(t["framework"], t["code"], t["part"])], "year": t["year"],
               "version": t["version"]}
        _, n = _upsert(conn, s.targets, key, {
            "value": _clean(t["value"]), "text": t["text"], "status": t["status"],
            "measure": t["measure"], "effective_from": _clean(t["effective_from"]),
            "decided_by": t["decided_by"], "source": t["source"], "load_id": load_id})
        written += n
    area_ids = {row.name: row.id for row in conn.execute(select(s.areas))}
    for r in register.returns.to_dict("records"):
        if r["area"] not in area_ids:
            area_ids[r["area"]] = conn.execute(insert(s.areas).values(name=r["area"])).inserted_primary_key[0]
            written += 1
        written += add_return_version(conn, part_ids[(r["framework"], r["code"], r["part"])],
                                      area_ids[r["area"]], r, load_id, submitted_by="register")
    for setting, value in register.settings.items():
        _, n = _upsert_setting(conn, setting, value)
        written += n
    return written


PART_COLUMNS = ("unit", "polarity", "measure", "frequency", "baseline", "baseline_period",
                "baseline_text", "tolerance_pct", "tolerance_points", "rag_scheme",
                "survey_years", "comparator", "plausible_min", "plausible_max", "notes", "source")


def _upsert_setting(conn: Connection, setting: str, value: str) -> tuple[str, int]:
    row = conn.execute(select(s.settings).where(s.settings.c.setting == setting)).first()
    if row is None:
        conn.execute(insert(s.settings).values(setting=setting, value=value))
        return setting, 1
    if row.value != value:
        conn.execute(update(s.settings).where(s.settings.c.setting == setting).values(value=value))
        return setting, 1
    return setting, 0


def load_demo(engine: Engine) -> dict:
    """Add the illustrative demo returns once (a database that has them is left alone).

    Every value is stored with source ``demo`` and flagged ``is_demo``; real values from the
    source documents and from returns always win over them when the register is read.
    """
    from performance.demo import generate_demo_returns

    with engine.connect() as conn:
        done = conn.execute(select(s.loads.c.id).where(s.loads.c.kind == "demo")).first()
    if done:
        return {"changed": False, "load_id": done.id, "values": 0}
    frame = generate_demo_returns(read_register(engine, include_demo=False))
    data = frame.to_csv(index=False).encode()
    result = store_returns(engine, frame, file_name="demo (generated)", checksum=file_checksum(data),
                           submitted_by="demo generator", source="demo", is_demo=True, kind="demo")
    return {"changed": True, **result}


def read_register(engine: Engine, include_demo: bool | None = None) -> Register:
    """Read the whole register and the current version of every published value.

    ``include_demo`` (default: :func:`demo_enabled`) decides whether illustrative values count.
    Its parts, :func:`read_register_tables`, :func:`read_targets` and
    :func:`read_published_returns`, can be read (and cached) on their own: the app keys each
    on its own data version (``data_loaders.connection.data_versions``).
    """
    return Register(**read_register_tables(engine), targets=read_targets(engine),
                    returns=read_published_returns(engine, include_demo))


def read_register_tables(engine: Engine) -> dict:
    """The register's frameworks, boards and parts: ``frameworks``, ``theme_boards``,
    ``indicators`` (one row per part) and ``settings``, as keyword arguments of
    :class:`~performance.register.Register` (without ``targets`` and ``returns``)."""
    fw, tb, ind, part = s.frameworks, s.theme_boards, s.indicators, s.indicator_parts
    with engine.connect() as conn:
        frameworks = pd.read_sql_query(select(
            fw.c.name.label("framework"), fw.c.title, fw.c.first_year, fw.c.last_year,
            fw.c.own_area, fw.c.source).order_by(fw.c.id), conn)
        boards = pd.read_sql_query(select(
            fw.c.name.label("framework"), tb.c.name.label("theme_board"), tb.c.chair, tb.c.theme,
            tb.c.source).join_from(tb, fw).order_by(tb.c.id), conn)
        indicators = pd.read_sql_query(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, ind.c.kind, ind.c.title,
            ind.c.theme, tb.c.name.label("theme_board"), *(part.c[c] for c in PART_COLUMNS[:-2]),
            ind.c.lead_partner, ind.c.partners, ind.c.reward_eligible, ind.c.status,
            part.c.notes, part.c.source)
            .select_from(part.join(ind).join(fw, ind.c.framework_id == fw.c.id)
                         .join(tb, ind.c.theme_board_id == tb.c.id))
            .order_by(fw.c.id, ind.c.code, part.c.id), conn)
        settings = {row.setting: row.value for row in conn.execute(select(s.settings))}
    for col in ("baseline", "tolerance_pct", "tolerance_points", "plausible_min", "plausible_max"):
        indicators[col] = indicators[col].astype(float)
    indicators["reward_eligible"] = indicators["reward_eligible"].astype(bool)
    return {"frameworks": frameworks, "indicators": indicators, "theme_boards": boards,
            "settings": {**DEFAULT_SETTINGS, **settings}}


def read_targets(engine: Engine) -> pd.DataFrame:
    """Every version of every target (the register's ``targets``), in the order added."""
    fw, ind, part = s.frameworks, s.indicators, s.indicator_parts
    with engine.connect() as conn:
        targets = pd.read_sql_query(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, s.targets.c.year,
            s.targets.c.value, s.targets.c.text, s.targets.c.status, s.targets.c.version,
            s.targets.c.effective_from, s.targets.c.decided_by, s.targets.c.source,
            s.targets.c.measure, s.targets.c.reason)
            .select_from(s.targets.join(part).join(ind).join(fw, ind.c.framework_id == fw.c.id))
            .order_by(s.targets.c.id), conn)
    targets["value"] = targets["value"].astype(float)
    targets["effective_from"] = pd.to_datetime(targets["effective_from"]).dt.date
    return targets


def read_published_returns(engine: Engine, include_demo: bool | None = None) -> pd.DataFrame:
    """The current published value of every part, area and period (the register's
    ``returns``); ``include_demo`` (default: :func:`demo_enabled`) decides whether
    illustrative values count."""
    include_demo = demo_enabled() if include_demo is None else include_demo
    fw, ind, part, r = s.frameworks, s.indicators, s.indicator_parts, s.returns
    with engine.connect() as conn:
        returns = pd.read_sql_query(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, s.areas.c.name.label("area"),
            r.c.period, r.c.value, r.c.provisional, r.c.commentary, r.c.action,
            r.c.forecast_year_end, r.c.source, r.c.is_demo, r.c.version)
            .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                         .join(fw, ind.c.framework_id == fw.c.id).join(s.areas))
            .where(r.c.state == "published", *(() if include_demo else (r.c.is_demo.is_(False),))),
            conn)
    returns = current_returns(returns)
    returns["value"] = returns["value"].astype(float)
    returns["forecast_year_end"] = returns["forecast_year_end"].astype(float)
    returns[["provisional", "is_demo"]] = returns[["provisional", "is_demo"]].astype(bool)
    return returns
