"""Operations: health of the database, and backup and restore of the embedded SQLite file.

PostgreSQL is backed up with its own tools (``pg_dump`` / ``pg_restore``, see the README);
these functions refuse it with that advice rather than half-doing it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from data_loaders.database import REPO_ROOT, database_description, database_url, make_engine
from data_loaders.failures import DatabaseUnavailable
from performance.events import log_event


class OperationRefused(Exception):
    """A backup, restore or health check that cannot be done, with the reason in words."""


@dataclass(frozen=True)
class Health:
    ok: bool
    reason: str


def alembic_heads() -> set[str]:
    """The newest migration revision(s) this checkout knows."""
    return set(ScriptDirectory.from_config(Config(str(REPO_ROOT / "alembic.ini"))).get_heads())


def health(url: str | None = None) -> Health:
    """Is the database reachable and at the Alembic head? Never raises, never changes anything
    (it does not migrate or seed, unlike opening the app)."""
    url = url or database_url()
    where = database_description(url)
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        return Health(False, f"{where}: no such file ({path})")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except DatabaseUnavailable as failure:  # make_engine's hooks give the one-sentence reason
        return Health(False, f"{where} unreachable: {str(failure).strip().splitlines()[0]}")
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Health(False, f"{where} unreachable: {first}")
    finally:
        engine.dispose()
    heads = alembic_heads()
    if current != heads:
        at = ", ".join(sorted(current)) or "no schema"
        return Health(False, f"{where} is at revision {at}, not {', '.join(sorted(heads))}: "
                             "run alembic upgrade head")
    return Health(True, f"{where} reachable, schema at revision {', '.join(sorted(heads))}")


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise OperationRefused("an in-memory SQLite database has nothing to back up")
    return Path(parsed.database)


def _require_sqlite(url: str, verb: str) -> Path:
    path = _sqlite_path(url)
    if path is None:
        raise OperationRefused(
            f"{verb} is for the embedded SQLite file; {database_description(url)} is backed up with "
            "pg_dump --format=custom and restored with pg_restore (see the README)")
    return path


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    # One step (pages=-1): the whole copy is read inside one read transaction of the source,
    # so it is the database as of one moment, even while another connection is writing (WAL
    # lets that writer go on; its transaction is either wholly in the copy or not at all).
    source.backup(target, pages=-1)


def _integrity(conn: sqlite3.Connection, name: str) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise OperationRefused(f"{name} is damaged: {result}")


def backup(out: str | Path, url: str | None = None, *, who: str = "") -> Path:
    """A consistent copy of the embedded SQLite database in ``out`` (written beside it first,
    then renamed into place, so a failed backup leaves no half file)."""
    url = url or database_url()
    path = _require_sqlite(url, "backup")
    if not path.exists():
        raise OperationRefused(f"there is no database file to back up at {path}")
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    start = time.perf_counter()
    source = sqlite3.connect(path, timeout=30)
    try:
        partial.unlink(missing_ok=True)
        target = sqlite3.connect(partial)
        try:
            _copy(source, target)
            _integrity(target, out.name)
        finally:
            target.close()
    finally:
        source.close()
    os.replace(partial, out)
    log_event("backup", who=who, seconds=time.perf_counter() - start, database=database_description(url),
              file=str(out), bytes=out.stat().st_size)
    return out


def _check_backup(file: Path) -> str:
    """The migration revision of a backup file, after checking it is one of ours and whole."""
    if not file.is_file():
        raise OperationRefused(f"{file}: no such file")
    with file.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise OperationRefused(f"{file.name} is not a SQLite database")
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        _integrity(conn, file.name)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "returns", "indicators"} <= tables:
            raise OperationRefused(f"{file.name} is not a backup of this dashboard's database")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    script = ScriptDirectory.from_config(Config(str(REPO_ROOT / "alembic.ini")))
    known = {rev.revision for rev in script.walk_revisions()}
    if not revision or revision[0] not in known:
        raise OperationRefused(f"{file.name} is at a schema revision this version does not know "
                               f"({revision[0] if revision else 'none'}); restore it with the "
                               "version of the dashboard that made it")
    return revision[0]


def restore(file: str | Path, url: str | None = None, *, who: str = "") -> Path | None:
    """Replace the embedded SQLite database with the backup ``file``.

    The backup is checked first (a SQLite file of this dashboard, whole, of a known schema
    revision); the database it replaces is kept beside it as ``NAME.before-restore-STAMP``
    (returned), so nothing stored is lost. The copy goes through SQLite's backup API into the
    live file, so a running app sees the restored data on its next read (the app upgrades an
    older schema when it next opens the database).
    """
    url = url or database_url()
    path = _require_sqlite(url, "restore")
    file = Path(file)
    start = time.perf_counter()
    revision = _check_backup(file)
    kept = None
    if path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        backup(kept, url, who=who)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(path, timeout=30)
        try:
            _copy(source, target)
            _integrity(target, path.name)
        finally:
            target.close()
    finally:
        source.close()
    log_event("restore", who=who, seconds=time.perf_counter() - start, database=database_description(url),
              file=str(file), revision=revision, kept=str(kept) if kept else None)
    return kept
