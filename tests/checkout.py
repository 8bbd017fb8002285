"""A copy of the app's own files in a scratch folder, for tests that need a checkout of their
own: a broken indicators.xlsx, or the embedded default database (data/ beside the code), without
touching the real checkout. Commands and AppTest run there as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
APP_FILES = ("app.py", "manage.py", "pages", "ui", "performance", "data_loaders", "indicators.xlsx",
             "alembic.ini",
             ".streamlit")


def copy_checkout(dest: Path) -> Path:
    """The app's files (code, register workbook, migrations, settings) copied to ``dest``."""
    dest.mkdir(parents=True)
    for name in APP_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def run_in(checkout: Path, args: list[str], database_url: str | None = None,
           **env: str) -> subprocess.CompletedProcess:
    """``python args...`` in ``checkout`` (its own modules, not the repository's), with
    ``DATABASE_URL`` set, or unset for the embedded default."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update({"DEMO_DATA": "off", **env})
    if database_url:
        environment["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, *args], cwd=checkout, env=environment,
                          capture_output=True, text=True, timeout=300)
