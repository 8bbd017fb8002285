"""The database: opening it (migrated, seeded from ``indicators.xlsx`` on first use), and the one
place every reader and writer is imported from.

The work is in four files: ``connection`` (engine, migrations, data version),
``register_store`` (seeding and reading the register), ``returns_store`` (returns, sign-off,
history) and ``admin_store`` (settings, tolerances, target versions, register edits); their
public names are imported here, so ``from data_loaders.database import ...`` reads them all.

``DATABASE_URL`` names the database (any SQLAlchemy URL; PostgreSQL as
``postgresql+psycopg://user@host:5432/db`` for a shared deployment). Without it the app uses
an embedded SQLite file, ``data/performance.sqlite``, created and seeded on first run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from data_loaders import failures
from data_loaders import schema as s
from data_loaders.admin_store import add_target_version, edit_register, set_setting, set_tolerance
from data_loaders.connection import (
    DEFAULT_SQLITE_PATH,
    EMBEDDED_RECORD,
    REPO_ROOT,
    DataVersions,
    data_version,
    data_versions,
    database_description,
    database_url,
    demo_enabled,
    file_checksum,
    make_engine,
    upgrade,
)
from data_loaders.excel import WorkbookRefused
from data_loaders.failures import DatabaseUnavailable
from data_loaders.register_store import (
    PART_COLUMNS,
    load_demo,
    read_published_returns,
    read_register,
    read_register_tables,
    read_targets,
    seed_register,
)
from data_loaders.returns_store import (
    ReturnConflict,
    add_return_version,
    count_pending,
    current_returns,
    current_versions,
    edit_commentary,
    part_ids,
    pending_returns,
    return_history,
    review_returns,
    sign_off_required,
    store_returns,
)
from data_loaders.workbook import DEFAULT_REGISTER_PATH

__all__ = [
    "DEFAULT_REGISTER_PATH", "DEFAULT_SQLITE_PATH", "EMBEDDED_RECORD", "PART_COLUMNS", "REPO_ROOT",
    "DataVersions", "RegisterUnavailable", "ReturnConflict", "add_return_version",
    "add_target_version", "count_pending", "current_returns", "current_versions", "data_version",
    "data_versions", "database_description", "database_url", "demo_enabled", "edit_commentary",
    "edit_register", "file_checksum", "load_demo", "make_engine", "open_database",
    "open_database_noting", "part_ids", "pending_returns", "read_published_returns",
    "read_register", "read_register_tables", "read_targets", "return_history", "review_returns",
    "seed_register", "set_setting", "set_tolerance", "sign_off_required", "store_returns",
    "upgrade",
]


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
