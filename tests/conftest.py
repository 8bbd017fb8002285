"""Shared fixtures: real databases (SQLite files; PostgreSQL when TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

REPO_ROOT = Path(__file__).resolve().parents[1]

# No per-example deadline: Hypothesis's default 200 ms is a timed assertion, which failed a
# property test on a loaded 2-core machine ("took 288 ms"). Speed is the benchmarks' job.
settings.register_profile("lsp", deadline=None)
settings.load_profile("lsp")
SEEDS_DIR = REPO_ROOT.parent / "shared" / "seeds"


def skip_or_fail(reason: str):
    """Skip a test whose system part is missing, saying so; in CI (.ci/run sets
    REQUIRE_SYSTEM_PARTS) a missing part is a failure, so nothing is skipped there."""
    if os.environ.get("REQUIRE_SYSTEM_PARTS"):
        pytest.fail(f"{reason} (REQUIRE_SYSTEM_PARTS is set)")
    pytest.skip(reason)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards.

    ``.ci/run`` starts a throwaway cluster and sets TEST_POSTGRES_URL; elsewhere these
    tests are skipped and say so.
    """
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        skip_or_fail("PostgreSQL not available: set TEST_POSTGRES_URL (.ci/run starts one)")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """Each database test runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param.replace('postgresql', 'postgres')}_url")
