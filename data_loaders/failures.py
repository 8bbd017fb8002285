"""When the database itself fails (not what someone typed): a sentence a person can act on.

A read-only database, a PostgreSQL server that does not answer, a database file that cannot be
created, or one whose folder was deleted while the dashboard ran: each becomes
:class:`DatabaseUnavailable`, whose message says what went wrong, where the database was
expected and what to do, without SQL or a traceback. The details go to the server's log.

:func:`watch` hooks an engine's ``handle_error`` event, so every read and write through it, in
the app and on the command line, fails this way; :func:`prepare_sqlite_file` and the file
check keep a deleted SQLite file from being silently replaced by an empty one.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger("lsp.database")


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened, read or written. The message is for the person using
    the app or the command line; ``read_only`` tells a database that can still be read."""

    def __init__(self, message: str, *, read_only: bool = False):
        super().__init__(message)
        self.read_only = read_only


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (``sqlite:///x.sqlite``, or a ``file:`` URI with
    ``uri=true``); None for an in-memory database or another kind of database."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    name = parsed.database or ""
    if parsed.query.get("uri") in ("true", "1") and name.startswith("file:"):
        name = name.removeprefix("file:").split("?", 1)[0]
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name).resolve()


def place(url: str) -> str:
    """Where the database is, in words and without a password."""
    path = sqlite_path(url)
    if path is not None:
        return f"the SQLite file {path}"
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return "the in-memory SQLite database"
    port = f":{parsed.port}" if parsed.port else ""
    backend = {"postgresql": "PostgreSQL", "mysql": "MySQL"}.get(parsed.get_backend_name(),
                                                                 parsed.get_backend_name())
    return f"the {backend} database '{parsed.database}' on {parsed.host}{port}"


def _sentence(original: BaseException, url: str, *, connecting: bool) -> DatabaseUnavailable | None:
    """The message for a driver error that comes from the database's state, or None for one
    that is the caller's to handle (a unique key taken by a concurrent save, for example)."""
    text = str(original)
    where = place(url)
    sqlstate = getattr(original, "sqlstate", None)
    if "readonly database" in text or sqlstate == "25006":
        return DatabaseUnavailable(
            f"The database ({where}) is read-only, so nothing can be saved to it. The figures it "
            "holds can still be read; ask whoever runs the dashboard to make it writable.",
            read_only=True)
    if "unable to open database file" in text:
        return DatabaseUnavailable(
            f"The database cannot be opened: it was expected at {where}, and that file or its "
            "folder is missing or may not be written. Check DATABASE_URL (or, on the embedded "
            "default, the data folder of the checkout) and start the dashboard again.")
    if "database disk image is malformed" in text or "file is not a database" in text:
        return DatabaseUnavailable(
            f"The database ({where}) is damaged or is not a database. Restore it from a backup.")
    if "database is locked" in text:
        return DatabaseUnavailable(
            f"The database ({where}) is busy with another change that did not finish in time. "
            "Try again in a moment; nothing was saved.")
    if "disk I/O error" in text or "database or disk is full" in text:
        return DatabaseUnavailable(
            f"The database ({where}) cannot be written: the disk reports an error or is full. "
            "Ask whoever runs the dashboard to check the server's disk.")
    if make_url(url).drivername.startswith("postgresql") and (
            connecting or sqlstate is None or sqlstate.startswith("08") or sqlstate == "57P01"):
        lowered = text.lower()
        why = ("refused the user name or password" if "password" in lowered or "authentication" in lowered
               else "has no such database" if "does not exist" in lowered
               else "does not answer")
        return DatabaseUnavailable(
            f"The database server cannot be reached: {where} {why}. Check that PostgreSQL is "
            "running there and that DATABASE_URL names it, then try again; nothing was "
            "changed.")
    return None


def watch(engine: Engine) -> None:
    """Turn the engine's failures of the database itself into :class:`DatabaseUnavailable`,
    logging the driver's own error (with SQL) on the server only."""
    url = engine.url.render_as_string(hide_password=False)

    @event.listens_for(engine, "handle_error")
    def _translate(context):
        from sqlalchemy import exc

        original = context.original_exception
        failed = context.sqlalchemy_exception
        # a taken key or a bad value is the caller's to handle; a pre-ping failure is retried
        # by the pool on a new connection, whose own failure comes back here
        if (context.is_pre_ping or not isinstance(failed, exc.DBAPIError)
                or isinstance(failed, exc.IntegrityError | exc.DataError)):
            return None
        failure = _sentence(original, url, connecting=context.connection is None)
        if failure is not None:
            log.warning("%s (%s: %s)", failure, type(original).__name__, context.sqlalchemy_exception)
        return failure


def _gone(path: Path) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"The database file is no longer where the dashboard opened it, {path} (was its folder "
        "deleted or moved while the dashboard was running?). Put the folder back, or restore it "
        "from a backup, and start the dashboard again.")


def watch_file(engine: Engine, path: Path) -> None:
    """Refuse every transaction once the SQLite file at ``path`` is gone or replaced.

    SQLite keeps writing to a file deleted under it, so without this a save reports success
    and is lost with the file. The file's identity (device, inode) is taken at the first
    connection; each transaction checks it again (one ``stat``).
    """
    identity: list[tuple[int, int]] = []

    def check() -> None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise _gone(path) from None
        if identity and identity[0] != (stat.st_dev, stat.st_ino):
            raise _gone(path)
        if not identity:
            identity.append((stat.st_dev, stat.st_ino))

    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_connection, _record):
        check()

    @event.listens_for(engine, "begin")
    def _on_begin(_conn):
        check()


def _record_text(path: Path) -> str:
    return (f"The embedded database {path} was created here on {dt.date.today():%d %B %Y}.\n"
            "While this file exists, the dashboard refuses to start when that database is missing\n"
            "(a deleted or moved data folder) instead of creating an empty one in its place.\n"
            "To start afresh on purpose, delete this file.\n")


def prepare_sqlite_file(path: Path, record: Path | None = None) -> None:
    """Make sure the SQLite file's folder exists, or say why it cannot.

    With ``record`` (the embedded default), the file is created only when it has never existed:
    ``record``, kept outside the data folder, says it was created once, so a missing file is
    refused rather than silently replaced by an empty database. An existing database without a
    record (a checkout from before the record) gets one.
    """
    if path.exists():
        if record is not None and not record.exists():
            _write_record(record, path)
        return
    if record is not None and record.exists():
        raise DatabaseUnavailable(
            f"The embedded database was expected at {path}, but it is not there (was the data "
            "folder deleted or moved?). The dashboard does not start an empty database in its "
            f"place. Put the folder back or restore it from a backup; to start afresh on purpose, "
            f"delete {record} and start again.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if record is not None:
            sqlite3.connect(path).close()  # the file exists before the record says so
            _write_record(record, path)
    except (OSError, sqlite3.Error) as exc:
        log.warning("cannot create the database file %s: %s", path, exc)
        blocking = next((p for p in path.parents if p.exists()), None)
        reason = (f"{blocking} is a file, not a folder" if blocking and not blocking.is_dir()
                  else (getattr(exc, "strerror", None) or str(exc)).lower())
        raise DatabaseUnavailable(
            f"The database file cannot be created at {path} ({reason}). Set DATABASE_URL "
            "to a file in a folder the dashboard may write, or to a PostgreSQL database.") from exc


def _write_record(record: Path, path: Path) -> None:
    try:
        record.write_text(_record_text(path))
    except OSError as exc:  # the database works without it; say so on the server
        log.warning("cannot write %s: %s", record, exc)

