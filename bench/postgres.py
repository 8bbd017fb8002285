"""Scratch PostgreSQL databases for the measurements that run on PostgreSQL too (issue 8).

The server is the one named by ``TEST_POSTGRES_URL`` (as for the database tests); a
measurement is skipped, with the reason, when it is not set or not reachable. Every database
made here is dropped when the measurement is done.
"""

from __future__ import annotations

import os
import uuid

from bench.registry import Context, Skip

POSTGRES_ENV = "TEST_POSTGRES_URL"


class ScratchPostgres:
    """Makes databases on the server at ``TEST_POSTGRES_URL`` for one measurement."""

    def __init__(self, ctx: Context) -> None:
        admin_url = os.environ.get(POSTGRES_ENV)
        if not admin_url:
            raise Skip(f"PostgreSQL not available: set {POSTGRES_ENV} (e.g. "
                       "postgresql+psycopg://postgres@127.0.0.1:55432/postgres)")
        from sqlalchemy import create_engine, text
        from sqlalchemy.exc import OperationalError

        self._text, self._ctx = text, ctx
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        ctx.cleanup(self._admin.dispose)
        try:
            with self._admin.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise Skip(f"PostgreSQL at {POSTGRES_ENV} is not reachable: {exc.orig}") from exc
        self._base = admin_url.rsplit("/", 1)[0]

    def create(self, prefix: str = "bench", template: str | None = None) -> str:
        """A new empty database (or a copy of the database ``template``); its name. It is
        dropped when the measurement is done."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as conn:
            conn.execute(self._text(f'CREATE DATABASE "{name}"{copy}'))
        self._ctx.cleanup(lambda: self._drop(name))
        return name

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` on the server."""
        return f"{self._base}/{name}"

    def _drop(self, name: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(self._text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
