"""The connection: which database (``DATABASE_URL`` or the embedded SQLite file), its engine
(WAL and a busy timeout on SQLite; failures turned into one sentence), migrations, the data
version the caches follow, and helpers every store shares."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, select

from data_loaders import failures
from data_loaders import schema as s

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

    Streamlit serves each session on its own thread. With ``BEGIN IMMEDIATE`` a writer
    (``engine.begin()``, the one way this code writes) takes the write lock when its
    transaction starts, so two writers cannot both read and then overwrite each other; the
    busy timeout makes the second wait instead of failing. Readers (``engine.connect()``)
    start a plain deferred ``BEGIN``, which takes no lock: under WAL they read beside a
    writer. Write only inside ``engine.begin()``: a write on a connection from
    ``engine.connect()`` would start its lock late and could fail with "database is locked".
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
        # Writers take the write lock as their transaction starts; a reader's transaction takes
        # none: with WAL it reads the last committed state beside a writer instead of queueing
        # behind every other page's reads and behind an import (tests/db/test_data_versions.py).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITER) else "BEGIN")

    @contextmanager
    def begin():
        # Every write goes through engine.begin() (the stores, migrations): this one marks its
        # connection as a writer's before its transaction starts.
        with engine.connect() as conn:
            conn.execution_options(**{_WRITER: True})
            with conn.begin():
                yield conn

    engine.begin = begin
    return engine


# The execution option that marks a SQLite connection as a writer's (make_engine).
_WRITER = "lsp_sqlite_writer"


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


def data_version(engine: Engine) -> str:
    """Changes after every load and every audited change (approval, tolerance), so caches
    keyed on it show new data on the next render."""
    with engine.connect() as conn:
        loads = conn.execute(select(func.coalesce(func.max(s.loads.c.id), 0))).scalar_one()
        changes = conn.execute(select(func.coalesce(func.max(s.audit_log.c.id), 0))).scalar_one()
    return f"{loads}.{changes}"


class DataVersions(NamedTuple):
    """The versions of the three things the app reads and caches separately.

    ``register``: frameworks, boards, indicator parts and settings. It changes with a register
    load and with every audited change that is neither a return's nor a target's (a
    tolerance, a register edit, a setting; also contacts or roles, which costs a re-read of
    these small tables but can never leave them stale).
    ``targets``: every target version. It changes with a register load, a target version
    added and a register edit (which the targets' rows name their part by).
    ``returns``: the published values. It changes with every load (a returns import, the demo,
    a register load, which adds the values its source documents state; a benchmarks import,
    which the benchmark caches follow) and every audited change of a return (sign-off, sent
    back, commentary edited).
    So a tolerance change reads neither the targets nor the values again, a target change
    neither the parts nor the values, and an import not the register.
    """

    register: str
    targets: str
    returns: str


#: Audited entities whose changes are changes of the targets (admin_store).
TARGET_ENTITIES = ("target", "indicator")


def data_versions(engine: Engine) -> DataVersions:
    """The :class:`DataVersions` now: one query of cheap look-ups (the newest load of a kind,
    and the newest audit row of some entities, found by walking the primary key back)."""
    loads, audit = s.loads, s.audit_log

    def newest_change(*where):
        return select(audit.c.id).where(*where).order_by(audit.c.id.desc()).limit(1).scalar_subquery()

    query = select(
        select(func.coalesce(func.max(loads.c.id), 0)).where(loads.c.kind == "register").scalar_subquery(),
        newest_change(audit.c.entity != "return", audit.c.entity.not_in(("target",))),
        newest_change(audit.c.entity.in_(TARGET_ENTITIES)),
        select(func.coalesce(func.max(loads.c.id), 0)).scalar_subquery(),
        newest_change(audit.c.entity == "return"),
    )
    with engine.connect() as conn:
        register_load, register_change, target_change, load, return_change = conn.execute(query).one()
    return DataVersions(register=f"{register_load}.{register_change or 0}",
                        targets=f"{register_load}.{target_change or 0}",
                        returns=f"{load}.{return_change or 0}")


def demo_enabled() -> bool:
    """Illustrative demo values are loaded and shown unless ``DEMO_DATA=off`` (or 0, no, false)."""
    return os.environ.get("DEMO_DATA", "on").strip().lower() not in ("off", "0", "no", "false")
