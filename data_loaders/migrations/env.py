"""Alembic environment: runs against the connection handed in by ``data_loaders.database``,
or against ``DATABASE_URL`` (default: the embedded SQLite file) from the command line."""

from __future__ import annotations

from alembic import context

from data_loaders.database import database_url, make_engine
from data_loaders.schema import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(database_url())
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
