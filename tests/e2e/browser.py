"""Running the real app for browser tests: ``streamlit run`` on a free port, Debian Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium():
    """Debian's Chromium driven by Playwright (which cannot download its own browser here)."""
    from tests.conftest import skip_or_fail

    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(database_url: str, page: str = "app.py", extra_args: tuple[str, ...] = (),
                     port: int | None = None, env: dict[str, str] | None = None):
    """Start ``streamlit run`` on 127.0.0.1 and yield its base URL once healthy (``env``: more
    environment variables for the server)."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", page, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", *extra_args],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                output = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"streamlit did not start:\n{output}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait as Streamlit's own suite does: connected, then the script has finished."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                           timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                           timeout=timeout_ms)


def wait_for_tables(page, timeout_ms: int = 60_000) -> None:
    """Dataframes draw into a canvas after the script finishes: wait until each has one."""
    page.wait_for_function(
        """() => { const frames = document.querySelectorAll('[data-testid="stDataFrame"]');
                   return frames.length > 0 && [...frames].every(f => f.querySelector('canvas')); }""",
        timeout=timeout_ms)
    page.wait_for_timeout(500)  # the grid paints its rows on the next animation frames
