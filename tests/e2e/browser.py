"""Running the real app for browser tests: ``streamlit run`` on a free port, Debian Chromium.

Waits hold on a busy machine: on a 2-core CI machine shared with other jobs a page can take
well over Playwright's default 30 s to load while the server is starved of CPU, so every
wait here (and every Playwright wait in a context from :func:`new_context`) allows
:data:`PAGE_TIMEOUT_MS`, and waits on the app's own ready markers rather than on the page's
``load`` event. A real hang still fails: after 180 s with a message naming what was awaited,
well inside pytest-timeout's 600 s.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: How long any one wait of a browser test may take: generous for a starved server on a busy
#: 2-core machine (a page loaded in 30-60 s there), short enough that a hang fails the test.
PAGE_TIMEOUT_MS = 180_000
SERVER_START_S = 180  # streamlit's first health answer, on the same busy machine
CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


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


def new_context(browser, **options):
    """A browser context whose every wait (navigation, locators, downloads) allows
    :data:`PAGE_TIMEOUT_MS` instead of Playwright's 30 s."""
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    return context


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(database_url: str, page: str = "app.py", extra_args: tuple[str, ...] = (),
                     port: int | None = None, env: dict[str, str] | None = None):
    """Start ``streamlit run`` on 127.0.0.1 and yield its base URL once healthy (``env``: more
    environment variables for the server).

    The server's output goes to a temporary file (a pipe nobody reads would stop the server
    once it filled) and is shown if it does not start within :data:`SERVER_START_S`.
    """
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", page, "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--browser.gatherUsageStats", "false", *extra_args],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_S
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    state = (f"exited with {proc.returncode}" if proc.poll() is not None
                             else f"no health answer within {SERVER_START_S} s")
                    raise RuntimeError(f"streamlit run {page} did not start ({state}):\n"
                                       + log.read().decode(errors="replace")[-5000:])
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _waiting(page, what: str, timeout_ms: int, wait) -> None:
    """Run ``wait(timeout_ms)``; if it times out, fail saying what was awaited, where and how long."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        wait(timeout_ms)
    except PlaywrightTimeout as exc:
        raise AssertionError(f"{what} not seen within {timeout_ms / 1000:.0f} s at {page.url} "
                             "(the server starved or hung?)") from exc


def open_app(page, url: str, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Go to ``url`` and wait until the app is drawn (:func:`wait_for_app`).

    The navigation itself waits only for the server's answer: its ``load`` event depends on
    every static script arriving from a starved server, which the ready markers cover anyway.
    """
    _waiting(page, f"an answer from {url}", timeout_ms,
             lambda t: page.goto(url, wait_until="commit", timeout=t))
    wait_for_app(page, timeout_ms)


def wait_for_app(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait as Streamlit's own suite does: connected, then the script has finished."""
    _waiting(page, "the app connected to its server", timeout_ms,
             lambda t: page.wait_for_selector(CONNECTED, timeout=t))
    _waiting(page, "the app's script finished", timeout_ms,
             lambda t: page.wait_for_selector(SCRIPT_DONE, timeout=t))


#: Every ``st.dataframe`` on the page drawn into its canvas.
TABLES_DRAWN = """() => { const frames = document.querySelectorAll('[data-testid="stDataFrame"]');
                          return frames.length > 0 && [...frames].every(f => f.querySelector('canvas')); }"""
#: Resolves after the browser has painted two more frames (what was laid out is on screen).
NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def wait_for_tables(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Dataframes draw into a canvas after the script finishes: wait until each has one, then
    for the browser's next two frames (the grid paints its rows on them)."""
    _waiting(page, "every table drawn into its canvas", timeout_ms,
             lambda t: page.wait_for_function(TABLES_DRAWN, timeout=t))
    page.evaluate(NEXT_FRAMES)


def write_sign_in_secrets(path: Path, *, redirect_uri: str, provider: str,
                          cookie_secret: str = "a-long-random-test-secret") -> Path:
    """A secrets.toml at ``path`` whose [auth] section signs in against the OpenID Connect
    ``provider`` (its base URL), as a council would configure Entra ID; ``path``."""
    path.write_text(f"""[auth]
redirect_uri = "{redirect_uri}"
cookie_secret = "{cookie_secret}"
client_id = "lsp-dashboard"
client_secret = "test-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""")
    return path
