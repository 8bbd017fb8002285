"""Two app servers on one PostgreSQL: what is imported shows in the other within 5 s.

Two ``streamlit run app.py`` processes share one database; each keeps its own caches keyed on
the data version in the database (``ui.page``: read at most every couple of seconds). A returns
file is imported with ``manage.py import-returns`` (a third process writing to the database);
process B, which has already drawn the page, shows the new value on a render begun within 5 s.

Then the deployment the README documents, whole: the two processes with sign-in configured
(one secrets file, so one ``cookie_secret``), nginx in front with ``docs/nginx.conf`` itself (only
its ports changed), an OpenID Connect provider on localhost. A performance officer signs in and
uploads a return through the proxy, which sends the browser to one process (``ip_hash``); that
process is then taken out of the proxy (marked ``down``, nginx reloaded, as for an upgrade), and
the same browser, through the proxy, is still signed in on the other process and sees the upload.
(Streamlit accepts the sign-in cookie only from the origin of ``redirect_uri``, the proxy's, so
the processes are never visited directly here.)
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import openpyxl
import pytest

from data_loaders import audit, users
from data_loaders.database import open_database, read_register
from data_loaders.returns_file import build_template
from tests.e2e.browser import (
    REPO_ROOT,
    chromium,
    free_port,
    new_context,
    open_app,
    streamlit_server,
    wait_for_app,
    write_sign_in_secrets,
)

FRAMEWORK, PERIOD, CODE = "Luton LAA 2008-11", "2009/10 Q3", "NI 156"
VALUE, SHOWN = 48213, "48,213"
DEADLINE_SECONDS = 5
DATA_VERSION_TTL_SECONDS = 2  # ui.page's (not imported: importing ui.page needs a Streamlit script)


@pytest.fixture(scope="module")
def shared_postgres(tmp_path_factory):
    """One PostgreSQL database, migrated and seeded before either server starts (as a
    deployment runs ``alembic upgrade head`` and ``manage.py seed`` once, not per process)."""
    from sqlalchemy import create_engine, text

    from tests.conftest import skip_or_fail

    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        skip_or_fail("PostgreSQL not available: set TEST_POSTGRES_URL (.ci/run starts one)")
    name = f"test_two_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    os.environ["DEMO_DATA"], before = "off", os.environ.get("DEMO_DATA")
    try:
        open_database(url).dispose()
    finally:
        os.environ.pop("DEMO_DATA") if before is None else os.environ.__setitem__("DEMO_DATA", before)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _filled_return(url: str, path, value: int = VALUE) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        register = read_register(engine, include_demo=False)
    finally:
        engine.dispose()
    wb = openpyxl.load_workbook(io.BytesIO(build_template(register, FRAMEWORK, PERIOD)))
    ws = wb["Returns"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == CODE:
            row[header.index("value")].value = value
    wb.save(path)


def _show(page, base: str) -> str:
    page.goto(f"{base}/Indicator?code={CODE.replace(' ', '%20')}")
    wait_for_app(page, timeout_ms=180_000)
    page.get_by_text(f"{CODE} ·").first.wait_for(timeout=180_000)
    return page.evaluate("() => document.body.innerText")


def test_import_through_one_process_shows_in_the_other_within_5_seconds(shared_postgres, tmp_path):
    env = {"DEMO_DATA": "off"}
    with streamlit_server(shared_postgres, env=env) as first, \
            streamlit_server(shared_postgres, env=env) as second, chromium() as browser:
        page_a = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
        page_b = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
        assert SHOWN not in _show(page_a, first)
        assert SHOWN not in _show(page_b, second)  # B has drawn (and cached) the page before

        returns = tmp_path / "q3.xlsx"
        _filled_return(shared_postgres, returns)
        done = subprocess.run([sys.executable, "manage.py", "import-returns", str(returns)], cwd=REPO_ROOT,
                              env={**os.environ, "DATABASE_URL": shared_postgres, **env},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        imported = time.monotonic()
        # A process trusts the version it read for ui.page.DATA_VERSION_TTL_SECONDS; a render
        # begun after that must show the import. Renders on a busy machine take long, so the
        # first one starts then rather than being wasted on a version still trusted.
        time.sleep(DATA_VERSION_TTL_SECONDS + 0.2)
        while True:  # each render is begun within the deadline; how long one takes is not timed
            started = time.monotonic() - imported
            assert started <= DEADLINE_SECONDS, f"{SHOWN} not shown by process B within {DEADLINE_SECONDS} s"
            if SHOWN in _show(page_b, second):
                break
            time.sleep(0.5)
        assert SHOWN in _show(page_a, first)


OFFICER = "officer@luton.gov.uk"
UPLOADED, UPLOADED_SHOWN = 47391, "47,391"
NGINX = "/usr/sbin/nginx"
NGINX_CONF = REPO_ROOT / "docs" / "nginx.conf"


@contextmanager
def _provider():
    """A real OpenID Connect provider on localhost that knows the officer."""
    from oidc_provider_mock import User, run_server_in_thread

    people = [User(sub=OFFICER, claims={"email": OFFICER, "name": "Officer"})]
    with run_server_in_thread(port=free_port(), user_claims=people) as server:
        yield f"http://localhost:{server.server_port}"


def _proxy_config(folder, staff: tuple[int, int], listen: int) -> str:
    """``docs/nginx.conf`` with its ports replaced by this test's (each replacement must take:
    the test checks the documented file, not a copy of it), wrapped in a minimal nginx.conf."""
    site = NGINX_CONF.read_text()
    for documented, ours in (("server 127.0.0.1:8501 ", f"server 127.0.0.1:{staff[0]} "),
                             ("server 127.0.0.1:8511 ", f"server 127.0.0.1:{staff[1]} "),
                             ("server 127.0.0.1:8502 ", f"server 127.0.0.1:{free_port()} "),
                             ("server 127.0.0.1:8512 ", f"server 127.0.0.1:{free_port()} "),
                             ("listen 8080;", f"listen 127.0.0.1:{listen};"),
                             ("listen 8081;", f"listen 127.0.0.1:{free_port()};")):
        assert site.count(documented) == 1, f"docs/nginx.conf no longer has '{documented}'"
        site = site.replace(documented, ours)
    (folder / "lsp.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root (CI), nginx's workers would drop to "nobody", who cannot use this test's folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    # The access log names the process each request went to, so the test knows which one
    # took the upload.
    return (f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'};\nevents {{}}\n"
            f"http {{\n    log_format upstream '$request_method $uri $upstream_addr';\n"
            f"    access_log {folder / 'access.log'} upstream;\n{temp}\n"
            f"    include {folder / 'lsp.conf'};\n}}\n")


class _Proxy:
    """nginx running the documented configuration: its URL, and a way to take a process out."""

    def __init__(self, folder, proc, base: str) -> None:
        self.folder, self.proc, self.base = folder, proc, base

    def upstream_of(self, method: str, path_start: str) -> int:
        """The port of the process that answered the last ``method`` request under ``path_start``."""
        lines = [line.split() for line in (self.folder / "access.log").read_text().splitlines()]
        hits = [fields[2] for fields in lines
                if len(fields) == 3 and fields[0] == method and fields[1].startswith(path_start)]
        assert hits, f"no {method} {path_start}... in nginx's access log"
        return int(hits[-1].rsplit(":", 1)[1])

    def take_out(self, port: int) -> None:
        """Mark the process on ``port`` down and reload nginx (new connections go elsewhere)."""
        site = self.folder / "lsp.conf"
        text = site.read_text()
        entry = f"server 127.0.0.1:{port} "
        assert text.count(entry) == 1
        site.write_text(text.replace(entry, f"server 127.0.0.1:{port} down "))
        self.proc.send_signal(signal.SIGHUP)
        # nginx starts new workers with the new configuration while the old ones finish: wait
        # until a request is answered by another process (on a busy machine that takes a while).
        deadline = time.monotonic() + 60
        while True:
            with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=10):
                pass
            if self.upstream_of("GET", "/_stcore/health") != port:
                return
            assert time.monotonic() < deadline, f"nginx still sends requests to {port} after its reload"
            time.sleep(0.5)


@contextmanager
def _nginx(folder, staff: tuple[int, int], port: int):
    """nginx with the documented configuration in front of the two staff processes."""
    from tests.conftest import skip_or_fail

    if not os.path.exists(NGINX):
        skip_or_fail(f"nginx not installed at {NGINX} (apt-get install nginx; .ci/run does)")
    conf = folder / "nginx.conf"
    conf.write_text(_proxy_config(folder, staff, port))
    test = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
    assert test.returncode == 0, f"nginx refused docs/nginx.conf:\n{test.stderr}"
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:  # health through the proxy: nginx is up and reaches a process
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            log = folder / "error.log"
            assert proc.poll() is None and time.monotonic() < deadline, (
                f"nginx did not answer: {log.read_text() if log.exists() else ''}")
            time.sleep(0.3)
        yield _Proxy(folder, proc, base)
    finally:
        proc.terminate()
        proc.wait(timeout=10)



def _upload_through(page, base: str, workbook) -> str:
    """Upload ``workbook`` on the Returns page at ``base`` and confirm; the success message."""
    open_app(page, f"{base}/Returns")
    page.locator(".st-key-returns_upload input[type=file]").set_input_files(str(workbook))
    page.get_by_role("button", name="Confirm and save").click()
    saved = page.get_by_text(re.compile("^Saved: "))
    saved.wait_for()
    return saved.inner_text()


def _page_text(page) -> str:
    return page.evaluate("() => document.body.innerText")


def test_sign_in_and_upload_through_the_proxy_hold_on_the_other_process(shared_postgres, tmp_path):
    engine = open_database(shared_postgres)
    users.grant(engine, OFFICER, "performance_officer", actor="test set-up")
    engine.dispose()
    ports = (free_port(), free_port())
    proxy_port = free_port()
    # and the same upload protection secret, as the README says
    env = {"DEMO_DATA": "off", "STREAMLIT_SERVER_COOKIE_SECRET": "one-upload-secret"}
    with _provider() as provider:
        # One secrets file for both processes, as a deployment copies one: the same cookie_secret
        # lets either process read the sign-in cookie the other set.
        secrets = write_sign_in_secrets(tmp_path / "secrets.toml", provider=provider,
                                        redirect_uri=f"http://127.0.0.1:{proxy_port}/oauth2callback",
                                        cookie_secret="one-secret-shared-by-every-process")
        args = ("--secrets.files", str(secrets))
        with streamlit_server(shared_postgres, extra_args=args, port=ports[0], env=env), \
                streamlit_server(shared_postgres, extra_args=args, port=ports[1], env=env), \
                _nginx(tmp_path, ports, proxy_port) as proxy, chromium() as browser:
            page = new_context(browser, viewport={"width": 1400, "height": 1600}).new_page()
            open_app(page, proxy.base)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/authorize**")  # the provider's own form
            page.get_by_role("button", name=OFFICER).click()
            page.wait_for_url(f"{proxy.base}/**")
            wait_for_app(page)
            page.get_by_text(f"Signed in as {OFFICER}").wait_for()
            assert UPLOADED_SHOWN not in _show(page, proxy.base)

            workbook = tmp_path / "q3 officer.xlsx"
            _filled_return(shared_postgres, workbook, UPLOADED)
            assert f"values stored from {workbook.name}" in _upload_through(page, proxy.base, workbook)
            took_upload = proxy.upstream_of("PUT", "/_stcore/upload_file")
            assert took_upload in ports

            proxy.take_out(took_upload)
            shown = _show(page, proxy.base)
            other = proxy.upstream_of("GET", "/Indicator")  # the page itself (a websocket is logged on close)
            assert other in ports and other != took_upload, "the proxy sent the browser to the same process"
            assert f"Signed in as {OFFICER}" in shown, "the other process did not accept the sign-in"
            assert UPLOADED_SHOWN in shown, "the other process does not show the upload"

        # The save was the signed-in officer's: the process read the identity from the cookie
        engine = open_database(shared_postgres)
        try:
            trail = audit.read(engine)
        finally:
            engine.dispose()
        mine = trail[(trail["actor"] == OFFICER) & trail["entity_key"].str.contains(f"{CODE} ")]
        assert not mine.empty, "no audit entry of the officer's upload"
