"""Import of a 10,000-row returns file: check it, then store it (issue 8)."""

from __future__ import annotations

import io
import shutil
import uuid

import pandas as pd

from bench.data import filled_returns_file, register_workbook_rows
from bench.postgres import ScratchPostgres
from bench.registry import Context, Sample, Target, measurement, timed

N_PARTS, N_PARTS_QUICK = 2_500, 50  # x 4 quarters, plus the 4 parts of the tests' register

DESCRIPTION = (
    "Import of a returns file of 10,016 rows (the tests' register, `tests/builders.py`, plus "
    "2,500 synthetic quarterly parts, x the 4 quarters of 2009/10, in `write_template`'s "
    "format, every row filled in): `data_loaders.returns_file.check_returns_file(register, data, "
    "name)` then `data_loaders.database.store_returns(...)` into a fresh {db} database, migrated "
    "and seeded with that register (seeding is not timed; the register is read from the "
    "database once, as the app holds it). The floor is `pandas.read_excel` of the same file's "
    "Returns sheet."
)


def _prepare_import(ctx: Context, fresh_engine) -> tuple[bytes, object, int]:
    """The register workbook and the filled-in returns file; the register as read back from
    a seeded database. ``fresh_engine()`` gives an engine on a new, seeded database."""
    from data_loaders.database import read_register
    from tests.builders import FW, write_register

    n = ctx.size(N_PARTS, N_PARTS_QUICK)
    register_path = write_register(ctx.workdir / "indicators.xlsx", register_workbook_rows(n))
    engine = fresh_engine(register_path)
    try:
        register = read_register(engine, include_demo=False)
    finally:
        engine.dispose()
    data = filled_returns_file(register, FW)
    rows = len(pd.read_excel(io.BytesIO(data), sheet_name="Returns"))
    ctx.note(f"{len(register.indicators):,} indicator parts; returns file of {rows:,} rows, "
             f"{len(data) / 1024:.0f} KB")
    return data, register, rows


def _import_trial(data: bytes, register, rows: int, fresh_engine, register_path):
    """One trial: a fresh database (untimed), then check + store timed, read_excel the floor."""
    from data_loaders.database import file_checksum, store_returns
    from data_loaders.returns_file import check_returns_file

    def trial() -> Sample:
        engine = fresh_engine(register_path)
        stored = {}

        def subject() -> None:
            check = check_returns_file(register, data, "returns.xlsx")
            if not check.ok:  # a benchmark of a refused file would time the wrong thing
                raise RuntimeError(f"the benchmark's returns file was refused: {check.errors[:3]}")
            stored.update(store_returns(engine, check.rows, file_name="returns.xlsx",
                                        checksum=file_checksum(data), submitted_by="bench"))

        try:
            seconds = timed(subject)
        finally:
            engine.dispose()
        if stored.get("values") != rows:
            raise RuntimeError(f"stored {stored.get('values')} values of {rows}")
        floor = timed(lambda: pd.read_excel(io.BytesIO(data), sheet_name="Returns"))
        return Sample(subject=seconds, floor=floor)

    return trial


@measurement("import_10k_sqlite", DESCRIPTION.format(db="SQLite (a file, WAL)"), Target(seconds=5.0))
def import_10k_sqlite(ctx: Context):
    from data_loaders.database import make_engine, seed_register, upgrade

    seeded = ctx.workdir / "seeded.sqlite"

    def fresh_engine(register_path):
        """A copy of the seeded database (seeding once: it takes longer than the import)."""
        if not seeded.exists():
            engine = make_engine(f"sqlite:///{seeded}")
            upgrade(engine)
            seed_register(engine, register_path)
            engine.dispose()  # the last connection closing checkpoints the WAL into the file
        copy = ctx.workdir / f"import-{uuid.uuid4().hex[:8]}.sqlite"
        shutil.copyfile(seeded, copy)
        return make_engine(f"sqlite:///{copy}")

    data, register, rows = _prepare_import(ctx, fresh_engine)
    return _import_trial(data, register, rows, fresh_engine, ctx.workdir / "indicators.xlsx")


@measurement("import_10k_postgresql", DESCRIPTION.format(db="PostgreSQL"), Target(seconds=5.0))
def import_10k_postgresql(ctx: Context):
    from data_loaders.database import make_engine, seed_register, upgrade

    server = ScratchPostgres(ctx)
    seeded: list[str] = []  # the seeded database, made on first use

    def fresh_engine(register_path):
        """A new database cloned from the seeded one (CREATE DATABASE ... TEMPLATE)."""
        if not seeded:
            seeded.append(server.create("bench_seed"))
            engine = make_engine(server.url(seeded[0]))
            upgrade(engine)
            seed_register(engine, register_path)
            engine.dispose()  # a template must have no sessions
        return make_engine(server.url(server.create(template=seeded[0])))

    data, register, rows = _prepare_import(ctx, fresh_engine)
    return _import_trial(data, register, rows, fresh_engine, ctx.workdir / "indicators.xlsx")
