"""The database: engine, migrations, seeding from ``indicators.xlsx`` and reading a Register.

``DATABASE_URL`` names the database (any SQLAlchemy URL; PostgreSQL as
``postgresql+psycopg://user@host:5432/db`` for a shared deployment). Without it the app uses
an embedded SQLite file, ``data/performance.sqlite``, created and seeded on first run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from pathlib import Path

import pandas as pd
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, and_, create_engine, event, func, insert, select, update
from sqlalchemy.engine import Connection

from data_loaders import audit, failures
from data_loaders import schema as s
from data_loaders.excel import WorkbookRefused
from data_loaders.failures import DatabaseUnavailable
from data_loaders.workbook import DEFAULT_REGISTER_PATH, RETURN_FRAME_COLUMNS
from data_loaders.workbook import read_register as read_register_workbook
from performance.changes import (
    INDICATOR_FIELDS,
    PART_FIELDS,
    ChangeRefused,
    check_register_edit,
    check_target_version,
    in_force,
)
from performance.events import logged
from performance.periods import PeriodError, financial_year, parse_year
from performance.register import Register
from performance.vocabulary import DEFAULT_SETTINGS

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE_PATH = REPO_ROOT / "data" / "performance.sqlite"
# Outside data/, so it survives the folder: the embedded database was created once, and a
# missing one is refused instead of silently replaced by an empty one (data_loaders.failures).
EMBEDDED_RECORD = REPO_ROOT / ".embedded-database"


def database_url() -> str:
    """The database to use: ``DATABASE_URL``, or the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def database_description(url: str | None = None) -> str:
    """The database in words, without a password: for the About sheet of an export."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url or database_url())
    if parsed.drivername.startswith("sqlite"):
        return f"embedded SQLite file {Path(parsed.database or '').name}"
    return f"{parsed.get_backend_name()} database {parsed.database} on {parsed.host}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE`` writes.

    Streamlit serves each session on its own thread. With ``BEGIN IMMEDIATE`` a writer takes
    the write lock when its transaction starts, so two writers cannot both read and then
    overwrite each other; the busy timeout makes the second wait instead of failing.
    """
    url = url or database_url()
    if not url.startswith("sqlite"):
        engine = create_engine(url, pool_pre_ping=True)
        failures.watch(engine)
        return engine
    path = failures.sqlite_path(url)
    if path is not None:
        # the embedded default is created only when it never existed (EMBEDDED_RECORD)
        embedded = path == DEFAULT_SQLITE_PATH.resolve() and not os.environ.get("DATABASE_URL")
        failures.prepare_sqlite_file(path, EMBEDDED_RECORD if embedded else None)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    failures.watch(engine)
    if path is not None:
        failures.watch_file(engine, path)  # first, so a vanished file is refused before BEGIN

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below take control
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine) -> None:
    """Bring the database's schema to the newest migration (Alembic ``upgrade head``)."""
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def file_checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _clean(value):
    """NaN and pandas' missing markers become NULL."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


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


def data_version(engine: Engine) -> str:
    """Changes after every load and every audited change (approval, tolerance), so caches
    keyed on it show new data on the next render."""
    with engine.connect() as conn:
        loads = conn.execute(select(func.coalesce(func.max(s.loads.c.id), 0))).scalar_one()
        changes = conn.execute(select(func.coalesce(func.max(s.audit_log.c.id), 0))).scalar_one()
    return f"{loads}.{changes}"


def demo_enabled() -> bool:
    """Illustrative demo values are loaded and shown unless ``DEMO_DATA=off`` (or 0, no, false)."""
    return os.environ.get("DEMO_DATA", "on").strip().lower() not in ("off", "0", "no", "false")


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
    """
    include_demo = demo_enabled() if include_demo is None else include_demo
    fw, tb, ind, part = s.frameworks, s.theme_boards, s.indicators, s.indicator_parts
    with engine.connect() as conn:
        frameworks = pd.read_sql(select(
            fw.c.name.label("framework"), fw.c.title, fw.c.first_year, fw.c.last_year,
            fw.c.own_area, fw.c.source).order_by(fw.c.id), conn)
        boards = pd.read_sql(select(
            fw.c.name.label("framework"), tb.c.name.label("theme_board"), tb.c.chair, tb.c.theme,
            tb.c.source).join_from(tb, fw).order_by(tb.c.id), conn)
        indicators = pd.read_sql(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, ind.c.kind, ind.c.title,
            ind.c.theme, tb.c.name.label("theme_board"), *(part.c[c] for c in PART_COLUMNS[:-2]),
            ind.c.lead_partner, ind.c.partners, ind.c.reward_eligible, ind.c.status,
            part.c.notes, part.c.source)
            .select_from(part.join(ind).join(fw, ind.c.framework_id == fw.c.id)
                         .join(tb, ind.c.theme_board_id == tb.c.id))
            .order_by(fw.c.id, ind.c.code, part.c.id), conn)
        targets = pd.read_sql(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, s.targets.c.year,
            s.targets.c.value, s.targets.c.text, s.targets.c.status, s.targets.c.version,
            s.targets.c.effective_from, s.targets.c.decided_by, s.targets.c.source,
            s.targets.c.measure, s.targets.c.reason)
            .select_from(s.targets.join(part).join(ind).join(fw, ind.c.framework_id == fw.c.id))
            .order_by(s.targets.c.id), conn)
        r = s.returns
        returns = pd.read_sql(select(
            fw.c.name.label("framework"), ind.c.code, part.c.part, s.areas.c.name.label("area"),
            r.c.period, r.c.value, r.c.provisional, r.c.commentary, r.c.action,
            r.c.forecast_year_end, r.c.source, r.c.is_demo, r.c.version)
            .select_from(r.join(part, r.c.part_id == part.c.id).join(ind)
                         .join(fw, ind.c.framework_id == fw.c.id).join(s.areas))
            .where(r.c.state == "published", *(() if include_demo else (r.c.is_demo.is_(False),))),
            conn)
        settings = {row.setting: row.value for row in conn.execute(select(s.settings))}
    for frame in (indicators, targets):
        for col in ("baseline", "tolerance_pct", "tolerance_points", "plausible_min", "plausible_max",
                    "value"):
            if col in frame:
                frame[col] = frame[col].astype(float)
    indicators["reward_eligible"] = indicators["reward_eligible"].astype(bool)
    targets["effective_from"] = pd.to_datetime(targets["effective_from"]).dt.date
    returns = current_returns(returns)
    returns["value"] = returns["value"].astype(float)
    returns["forecast_year_end"] = returns["forecast_year_end"].astype(float)
    returns[["provisional", "is_demo"]] = returns[["provisional", "is_demo"]].astype(bool)
    return Register(frameworks=frameworks, indicators=indicators, targets=targets,
                    returns=returns, theme_boards=boards, settings={**DEFAULT_SETTINGS, **settings})


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


def set_setting(engine: Engine, setting: str, value: str, *, actor: str, reason: str = "") -> None:
    """Change a partnership-wide setting, recorded in the audit trail."""
    with engine.begin() as conn:
        row = conn.execute(select(s.settings.c.value).where(s.settings.c.setting == setting)).first()
        _upsert_setting(conn, setting, value)
        audit.record(conn, actor=actor, action="setting_changed", entity="setting", key=setting,
                     before=row.value if row else "", after=value, reason=reason)


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
        return pd.read_sql(query, conn)


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
        return pd.read_sql(query, conn)


def open_database(url: str | None = None, register_path: str | Path = DEFAULT_REGISTER_PATH) -> Engine:
    """Engine for the configured database, migrated, seeded, and with the demo unless switched off.

    A workbook that cannot be loaded is logged and the register the database holds is served
    (:func:`open_database_noting`)."""
    return open_database_noting(url, register_path)[0]


def open_database_noting(url: str | None = None, register_path: str | Path = DEFAULT_REGISTER_PATH
                         ) -> tuple[Engine, str | None]:
    """:func:`open_database`, and why ``indicators.xlsx`` was not loaded (None when it was).

    A broken or missing workbook does not take the dashboard down when the database already
    holds a register: that register is served and the sentence returned says why the workbook
    was not loaded (``python manage.py seed`` lists every problem). With no register in
    the database there is nothing to serve: :class:`RegisterUnavailable`.
    """
    engine = make_engine(url)
    upgrade(engine)
    try:
        note = _seed_or_keep(engine, Path(register_path))
        if demo_enabled():
            load_demo(engine)
    except DatabaseUnavailable as failure:
        # a read-only database (a replica, a locked-down file) can still be read: it is served
        # as it is when it holds a register, and the note says why nothing new was loaded
        if not failure.read_only or _held_register(engine) is None:
            raise
        note = f"{failure} Nothing new from {Path(register_path).name} or the demo values was loaded."
        failures.log.warning("%s", note)
    return engine, note


class RegisterUnavailable(DatabaseUnavailable):
    """The workbook cannot be loaded and the database holds no register to serve instead."""


def _held_register(engine: Engine):
    """The newest register load the database holds (file name, when), or None."""
    with engine.connect() as conn:
        return conn.execute(select(s.loads.c.file_name, s.loads.c.loaded_at)
                            .where(s.loads.c.kind == "register")
                            .order_by(s.loads.c.id.desc()).limit(1)).first()


def _seed_or_keep(engine: Engine, path: Path) -> str | None:
    try:
        seed_register(engine, path)
        return None
    except (WorkbookRefused, OSError) as problem:
        errors = getattr(problem, "errors", None)
        why = (f"{len(errors)} problem{'s' if len(errors) != 1 else ''}, the first: {errors[0]}"
               if errors else (getattr(problem, "strerror", None) or str(problem)).lower())
        held = _held_register(engine)
        if held is None:
            raise RegisterUnavailable(
                f"{path.name} cannot be loaded ({why}) and the database holds no register yet, "
                f"so there is nothing to show. Fix the workbook ({path}); "
                "`python manage.py seed` lists every problem.") from problem
    note = (f"{path.name} was not loaded ({why}). The register the database holds is used "
            f"instead (loaded {pd.Timestamp(held.loaded_at):%d %B %Y %H:%M} UTC from "
            f"{held.file_name}). Fix the workbook; `python manage.py seed` lists every problem.")
    failures.log.warning("%s", note)
    return note
