"""The overview as people get it: rendered on the server (AppTest), drawn in Chromium, and the
memory of the ``streamlit run`` server with a large register loaded (issue 8).

Two databases: *Luton*, the real register (``indicators.xlsx``) with the illustrative demo
returns, as the app sets itself up; *scale*, the same register with every indicator part
copied for 150 areas (synthetic codes ``NI 117 #001`` ..., so the app, which rates its own
area only, rates 150x the parts), seeded with ``data_loaders.database.seed_register`` and
given demo returns by ``performance.demo.generate_demo_returns`` stored with
``store_returns(..., is_demo=True, source="demo", kind="demo")`` (``load_demo``).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd

from bench.registry import Context, Sample, Skip, Target, measurement, timed

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = REPO_ROOT / "app.py"
SCALE_AREAS, SCALE_AREAS_QUICK = 150, 2
TIMEOUT_MS = 180_000
#: The overview's three-year matrix: an HTML table (performance.matrix) with a row per part,
#: in the overview's view of that name (app.py: only the open view is built and drawn).
MATRIX = '[data-testid="stHtml"] .lsp-matrix table tbody tr'
MATRIX_VIEW = "?view=Three+years+at+a+glance"
PARTS_VIEW = "?view=Every+indicator+part"
CANVASES = """() => { const frames = document.querySelectorAll('[data-testid="stDataFrame"]');
                      return frames.length > 0 && [...frames].every(f => f.querySelector('canvas')); }"""
#: Every grid there is drawn into its canvas (the matrix view has no grid: its RAG counts are a
#: plain table since 7 December), for a page whose own marker has already been seen.
EVERY_CANVAS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                      .every(f => f.querySelector('canvas'))"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

#: The floor page: one table of the same rows, nothing else (the frame cached as the app's is).
BARE_PAGE = """import pandas as pd
import streamlit as st

st.set_page_config(layout="wide")


@st.cache_data
def table():
    return pd.read_pickle({path!r})


st.selectbox("Period", {options!r}, key="url_period")
st.dataframe(table())
"""

#: The floor of a render after a data change: the same page, its table read again from its
#: file whenever the version file beside it changes (the least work of showing new data).
BARE_CHANGING_PAGE = """import pathlib

import pandas as pd
import streamlit as st

st.set_page_config(layout="wide")


@st.cache_data(max_entries=1)
def table(version):
    return pd.read_pickle({path!r})


st.selectbox("Period", {options!r}, key="url_period")
st.dataframe(table(pathlib.Path({version!r}).read_text()))
"""

TABS, TABS_QUICK = 20, 2
SETTLE_S = 10  # seconds after the last tab closes before the server's memory is read again

_BUILT: dict[int, Path] = {}  # databases built in this process, by number of area copies


# --- the databases -------------------------------------------------------------------------


def _workbook_rows(path: Path) -> dict[str, list[dict]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    rows = {}
    for ws in wb.worksheets:
        values = list(ws.iter_rows(values_only=True))
        header = [h for h in values[0] if h is not None] if values else []
        rows[ws.title] = [dict(zip(header, v, strict=False)) for v in values[1:]
                          if any(x is not None for x in v)]
    wb.close()
    return rows


def scaled_register_rows(copies: int) -> dict[str, list[dict]]:
    """The rows of ``indicators.xlsx`` with every indicator part and its targets copied so the
    register has ``copies`` times the parts (copy k of ``NI 117`` is ``NI 117 #k``)."""
    from performance import vocabulary as v

    rows = _workbook_rows(REPO_ROOT / "indicators.xlsx")
    for sheet in (v.SHEET_INDICATORS, v.SHEET_TARGETS):
        original = list(rows[sheet])
        for k in range(1, copies):
            for row in original:
                copy = {**row, "code": f"{row['code']} #{k:03d}"}
                if "title" in copy and sheet == v.SHEET_INDICATORS:
                    copy["title"] = f"{row['title']} (area {k:03d})"
                rows[sheet].append(copy)
    return rows


def build_database(path: Path, copies: int, url: str | None = None) -> dict:
    """A migrated database holding the real register (as the app seeds it), with
    ``copies - 1`` more copies of every part if ``copies > 1``, and the demo returns: a SQLite
    file at ``path``, or the (empty) database at ``url`` (``path`` then names the scratch
    workbook of the copies)."""
    from data_loaders.database import load_demo, make_engine, read_register, seed_register, upgrade
    from tests.builders import write_register

    engine = make_engine(url or f"sqlite:///{path}")
    try:
        upgrade(engine)
        seed_register(engine)  # the real register: the app's own seeding then changes nothing
        if copies > 1:
            seed_register(engine, write_register(path.with_suffix(".xlsx"), scaled_register_rows(copies)))
        demo = load_demo(engine)
        register = read_register(engine, include_demo=True)
    finally:
        engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return {"parts": len(register.indicators), "returns": len(register.returns),
            "demo values": demo.get("values", 0)}


def database(ctx: Context, copies: int) -> str:
    """URL of a fresh copy (in the measurement's scratch directory) of the database with
    ``copies`` copies of the register; built once per process, or taken from the folder
    ``BENCH_DATABASES`` names if it holds ``built-<copies>.sqlite`` (made by
    :func:`build_database`; the same file for both sides of an A/B comparison)."""
    kept = os.environ.get("BENCH_DATABASES")  # a folder of databases built before, for A/B runs
    if kept and copies not in _BUILT and (Path(kept) / f"built-{copies}.sqlite").exists():
        _BUILT[copies] = Path(kept) / f"built-{copies}.sqlite"
        ctx.note(f"database {_BUILT[copies]} reused (BENCH_DATABASES)")
    if copies not in _BUILT or not _BUILT[copies].exists():
        path = ctx.workdir / f"built-{copies}.sqlite"
        start = time.perf_counter()
        about = build_database(path, copies)
        ctx.note(f"database built in {time.perf_counter() - start:.0f} s: "
                 + ", ".join(f"{v:,} {k}" for k, v in about.items()))
        _BUILT[copies] = path
    copy = ctx.workdir / f"app-{copies}-{time.monotonic_ns()}.sqlite"
    shutil.copyfile(_BUILT[copies], copy)
    return f"sqlite:///{copy}"


def postgres_database(ctx: Context, copies: int) -> str:
    """URL of a fresh PostgreSQL database (on the server of ``TEST_POSTGRES_URL``, dropped
    afterwards) built as :func:`build_database` builds the SQLite one."""
    from bench.postgres import ScratchPostgres

    server = ScratchPostgres(ctx)
    url = server.url(server.create("bench_app"))
    start = time.perf_counter()
    about = build_database(ctx.workdir / f"pg-{copies}.sqlite", copies, url=url)
    ctx.note(f"PostgreSQL database built in {time.perf_counter() - start:.0f} s: "
             + ", ".join(f"{v:,} {k}" for k, v in about.items()))
    return url


def overview_rows(url: str) -> tuple[pd.DataFrame, list[str]]:
    """The overview's table of parts as the app shows it first (first framework, latest
    period, no filters), and the period options."""
    from data_loaders.database import make_engine, read_register
    from performance import rag
    from performance.exports import overview_table
    from performance.overview import latest_period, period_options, with_register_columns
    from performance.register import framework_names

    engine = make_engine(url)
    try:
        register = read_register(engine, include_demo=True)
    finally:
        engine.dispose()
    rated = with_register_columns(rag.rate(register), register)
    rated = rated[rated["framework"] == framework_names(register)[0]]
    return overview_table(rated, latest_period(rated)), list(period_options(rated))


def bare_page(ctx: Context, table: pd.DataFrame, options: list[str]) -> Path:
    """The floor's page file: ``table`` (pickled) in one ``st.dataframe``, and a period box."""
    frame_path = ctx.workdir / "table.pkl"
    table.to_pickle(frame_path)
    page = ctx.workdir / "bare_page.py"
    page.write_text(BARE_PAGE.format(path=str(frame_path), options=options))
    return page


def _set_env(ctx: Context, name: str, value: str) -> None:
    old = os.environ.get(name)
    os.environ[name] = value
    ctx.cleanup(lambda: os.environ.pop(name, None) if old is None else os.environ.update({name: old}))


# --- the server render (AppTest) -----------------------------------------------------------


def _apptest(ctx: Context, url: str, label: str, view: str | None = None):
    from streamlit.testing.v1 import AppTest

    table, options = overview_rows(url)
    _set_env(ctx, "DATABASE_URL", url)
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_MS / 1000)
    if view:  # a link to one of the overview's views (?view=); else the view it opens on
        app.query_params["view"] = view
    start = time.perf_counter()
    app.run()  # untimed: opens the database, reads and rates the register into the caches
    first = time.perf_counter() - start
    if app.exception:
        raise RuntimeError(f"the overview raised: {app.exception}")
    shown = max(len(d.value) for d in app.dataframe)
    bare = AppTest.from_string(bare_page(ctx, table, options).read_text(),
                               default_timeout=TIMEOUT_MS / 1000)
    bare.run()
    ctx.note(f"{label}: overview table of {len(table):,} parts in {options[-1]} (largest table "
             f"rendered: {shown:,} rows); {len(options)} periods; first render (cold caches) "
             f"{first:.1f} s, not timed")
    choices = options[-4:] if len(options) >= 2 else options
    turn = [0]

    def rerun(at) -> None:
        at.selectbox(key="url_period").select(choices[turn[0] % len(choices)])
        at.run()
        if at.exception:
            raise RuntimeError(f"the page raised: {at.exception}")

    def trial() -> Sample:
        turn[0] += 1
        return Sample(subject=timed(lambda: rerun(app)), floor=timed(lambda: rerun(bare)))

    return trial


APPTEST_DESCRIPTION = (
    "Server render of the overview: `streamlit.testing.v1.AppTest.from_file('app.py')` with "
    "`DATABASE_URL` set to a fresh SQLite file holding {data}; the first run is untimed (it "
    "opens the database and fills the caches), then each trial selects another period in "
    "`at.selectbox(key='url_period')` and times the re-run. The floor is the same re-run of a "
    "bare page (`AppTest.from_string`): a period select box and `st.dataframe` of the overview's "
    "table (the same rows). Browser drawing is not included (see browser_overview). The "
    "overview opens on its Exceptions view (since 7 December only the open view is built; before, "
    "every table and the three-year matrix); overview_render_scale_parts times its view of "
    "every indicator part, the largest."
)


@measurement(
    "overview_render_luton",
    APPTEST_DESCRIPTION.format(data="the real register (`indicators.xlsx`) and the demo returns, "
                               "as the app sets itself up"),
    Target(seconds=0.5),
)
def overview_render_luton(ctx: Context):
    return _apptest(ctx, database(ctx, 1), "Luton")


@measurement(
    "overview_render_scale",
    APPTEST_DESCRIPTION.format(data="the register with every indicator part copied for 150 areas "
                               "(150x the parts, synthetic codes, all quarters of 2008/09 to "
                               "2010/11) and demo returns for all of them (quick mode: 2 copies)"),
    Target(text="report (no target)"),
)
def overview_render_scale(ctx: Context):
    copies = ctx.size(SCALE_AREAS, SCALE_AREAS_QUICK)
    return _apptest(ctx, database(ctx, copies), f"{copies} x the register")


@measurement(
    "overview_render_scale_parts",
    APPTEST_DESCRIPTION.format(data="the 150-area register and demo returns (as overview_render_scale), "
                               "opened at the view of every indicator part (`?view=Every indicator "
                               "part`: its first 500 rows with reasons and the comparison with England)"),
    Target(text="report (no target)"),
)
def overview_render_scale_parts(ctx: Context):
    copies = ctx.size(SCALE_AREAS, SCALE_AREAS_QUICK)
    return _apptest(ctx, database(ctx, copies), f"{copies} x the register, every part",
                    view="Every indicator part")


@measurement(
    "overview_render_luton_postgresql",
    APPTEST_DESCRIPTION.replace("a fresh SQLite file", "a fresh PostgreSQL database").format(
        data="the real register (`indicators.xlsx`) and the demo returns (PostgreSQL at "
             "`TEST_POSTGRES_URL`; each re-run also asks the database for its data version)"),
    Target(seconds=0.5),
)
def overview_render_luton_postgresql(ctx: Context):
    return _apptest(ctx, postgres_database(ctx, 1), "Luton on PostgreSQL")


@measurement(
    "overview_render_scale_postgresql",
    APPTEST_DESCRIPTION.replace("a fresh SQLite file", "a fresh PostgreSQL database").format(
        data="the register with every indicator part copied for 150 areas and demo returns for "
             "all of them (quick mode: 2 copies; PostgreSQL at `TEST_POSTGRES_URL`)"),
    Target(text="report (no target)"),
)
def overview_render_scale_postgresql(ctx: Context):
    copies = ctx.size(SCALE_AREAS, SCALE_AREAS_QUICK)
    return _apptest(ctx, postgres_database(ctx, copies), f"{copies} x the register on PostgreSQL")


@measurement(
    "overview_after_change_scale",
    "First server render of the overview after a data change at the 150-area scale (quick mode: 2"
    " copies): `AppTest.from_file('app.py')` on the scale database (SQLite), run once untimed; "
    "then each trial changes one indicator part's tolerance with "
    "`data_loaders.database.set_tolerance` (an audited change: a new data version, as an import "
    "or a target change makes), untimed, waits out the app's data-version ttl (2 s, untimed: the "
    "change was made on another engine, as by another process), and times the next `at.run()`, "
    "which must read and rate the changed data. The floor is a bare page (`AppTest.from_string`: "
    "a period select box and `st.dataframe` of the overview's table) whose cached table is keyed "
    "on a version file changed in the same trial, so each timed run reads its table again.",
    Target(seconds=1.5),
)
def overview_after_change_scale(ctx: Context):
    from streamlit.testing.v1 import AppTest

    from data_loaders.database import make_engine, part_ids, set_tolerance

    copies = ctx.size(SCALE_AREAS, SCALE_AREAS_QUICK)
    url = database(ctx, copies)
    table, options = overview_rows(url)
    _set_env(ctx, "DATABASE_URL", url)
    engine = make_engine(url)
    ctx.cleanup(engine.dispose)
    with engine.connect() as conn:
        key = next(iter(part_ids(conn)))  # the first part of the first framework
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_MS / 1000)
    app.run()  # untimed: opens the database and fills the caches of the first data version
    if app.exception:
        raise RuntimeError(f"the overview raised: {app.exception}")
    frame_path = ctx.workdir / "table.pkl"
    table.to_pickle(frame_path)
    version = ctx.workdir / "version.txt"
    version.write_text("0")
    bare = AppTest.from_string(BARE_CHANGING_PAGE.format(path=str(frame_path), options=options,
                                                         version=str(version)),
                               default_timeout=TIMEOUT_MS / 1000)
    bare.run()
    ctx.note(f"{copies} x the register: overview table of {len(table):,} parts in {options[-1]}; "
             f"the change: tolerance of {' '.join(key[1:]).strip()} ({key[0]}) set to 6% or 7%, "
             "alternately")
    turn = [0]

    def rerun(at) -> None:
        at.run()
        if at.exception:
            raise RuntimeError(f"the page raised: {at.exception}")

    def trial() -> Sample:
        from ui.page import DATA_VERSION_TTL_SECONDS  # imported by the app's first run above

        turn[0] += 1
        set_tolerance(engine, *key, 6.0 + turn[0] % 2, actor="bench",
                      reason="bench: a data change before the timed render")
        version.write_text(str(turn[0]))
        # The change is made on another engine, as another process would make it: the app
        # sees it once its data versions' ttl has passed. Wait that out (untimed), so every
        # timed run is a first render after a change, never a render of unchanged data.
        time.sleep(DATA_VERSION_TTL_SECONDS + 0.2)
        return Sample(subject=timed(lambda: rerun(app)), floor=timed(lambda: rerun(bare)))

    return trial


# --- Chromium against streamlit run ---------------------------------------------------------


def _browser(ctx: Context):
    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        raise Skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise Skip(f"Playwright is not installed: {exc}") from exc
    playwright = sync_playwright().start()
    ctx.cleanup(playwright.stop)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    ctx.cleanup(browser.close)
    return browser


def _server(ctx: Context, url: str, page: Path) -> tuple[str, int]:
    """Start ``streamlit run page`` (tests.e2e.browser.streamlit_server); its URL and pid."""
    from tests.e2e.browser import free_port, streamlit_server

    port = free_port()
    base = ctx.enter(streamlit_server(url, page=str(page), port=port))
    return base, server_pid(port)


def server_pid(port: int) -> int:
    """The pid of this process's child that runs streamlit on ``port``."""
    me = str(os.getpid())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            status = (proc / "status").read_text()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        if ppid == me and b"streamlit" in args and str(port).encode() in args:
            return int(proc.name)
    raise RuntimeError(f"no streamlit server of ours on port {port}")


def peak_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no VmHWM for process {pid}")


def rss_mb(pid: int) -> float:
    """Resident memory now (VmRSS) of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no VmRSS for process {pid}")


def _load(page, url: str, matrix: bool) -> None:
    from tests.e2e.browser import wait_for_app

    page.goto(url, timeout=TIMEOUT_MS)
    wait_for_app(page, timeout_ms=TIMEOUT_MS)
    if matrix:
        page.wait_for_selector(MATRIX, timeout=TIMEOUT_MS)
    page.wait_for_function(EVERY_CANVAS if matrix else CANVASES, timeout=TIMEOUT_MS)
    page.evaluate(NEXT_FRAME)


def draw(context, url: str, matrix: bool) -> float:
    """Seconds from ``page.goto(url)`` in a new tab of ``context`` until the page is fully
    drawn: connected, script done, the status matrix's rows there (if ``matrix``), every table
    drawn into its canvas, and the browser's next frame painted after that."""
    page = context.new_page()
    try:
        return timed(lambda: _load(page, url, matrix))
    finally:
        page.close()


def tabs_round(context, url: str, pid: int, matrix: bool, tabs: int, wait_ttl: bool = True) -> dict:
    """Open ``tabs`` tabs of ``url`` one after another, each fully drawn and kept open, then
    close them all and wait :data:`SETTLE_S` seconds, then out the sessions' TTL and one new tab:
    the server's resident memory (MB) before, after each tab, at its highest, after the close
    (``after_close``) and after the TTL (``after``). ``wait_ttl=False`` (quick mode, which checks
    that the run works and is not judged) skips the waits."""
    start, after_each, pages = rss_mb(pid), [], []
    try:
        for _ in range(tabs):
            page = context.new_page()
            pages.append(page)
            _load(page, url, matrix)
            after_each.append(rss_mb(pid))
    finally:
        for page in pages:
            page.close()
    settle = SETTLE_S if wait_ttl else 0
    time.sleep(settle)  # the server ends the closed tabs' sessions (a bench, not a test: no assert)
    after_close = rss_mb(pid)
    # Streamlit keeps a closed tab's session for server.disconnectedSessionTTL seconds and drops
    # expired ones only when its session store is next used: wait out the TTL, then open (and
    # close) one new tab, as the next visitor would.
    time.sleep(session_ttl_s() if wait_ttl else 0)
    page = context.new_page()
    try:
        _load(page, url, matrix)
    finally:
        page.close()
    time.sleep(settle)
    return {"start": start, "peak": max(after_each), "after_close": after_close, "after": rss_mb(pid),
            "each": after_each}


def session_ttl_s() -> int:
    """``server.disconnectedSessionTTL`` as the servers started here read it: the repository's
    ``.streamlit/config.toml``, else Streamlit's default of 120 s."""
    import tomllib

    config = REPO_ROOT / ".streamlit" / "config.toml"
    settings = tomllib.loads(config.read_text()) if config.exists() else {}
    return int(settings.get("server", {}).get("disconnectedSessionTTL", 120))


def _context(ctx: Context, browser):
    """One browser context for the measurement: after the warm-up, Streamlit's scripts come
    from its HTTP cache, as for someone who has opened the dashboard before."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    ctx.cleanup(context.close)
    return context


def _served_pair(ctx: Context, url: str):
    """The app and the bare page of the same table, each under its own ``streamlit run``."""
    table, options = overview_rows(url)
    app_base, app_pid = _server(ctx, url, APP)
    bare_base, bare_pid = _server(ctx, url, bare_page(ctx, table, options))
    ctx.note(f"overview table of {len(table):,} parts in {options[-1]}; the bare page shows the same rows")
    return app_base, app_pid, bare_base, bare_pid


@measurement(
    "browser_overview",
    "The overview in Chromium (Playwright, `/usr/bin/chromium` with tests/e2e/browser.py's "
    "arguments; one browser context and a new tab per trial, so after the untimed warm-up the "
    "static scripts come from the browser's cache) against `streamlit run app.py` on the Luton "
    "database (real register and demo returns): seconds from `page.goto(url)` until the page as "
    "it opens is fully drawn (connected and the script done, as `wait_for_app`; every "
    "`stDataFrame` drawn into its canvas: the exceptions, the view open by default, under the "
    "RAG counts by theme board, a plain table; then two animation frames, so what was laid out "
    "has been painted). "
    "The floor is the same for a bare page with one `st.dataframe` of the overview's table, "
    "served the same way (its wait ends with the same two frames). The untimed warm-up also "
    "fills the server's caches. Since 7 December the overview's detail is in views of which only "
    "the open one is drawn (before, every table and the three-year matrix were drawn at once); "
    "browser_overview_matrix times the view with the matrix.",
    Target(ratio=1.4),
    quick_warmup=False,
)
def browser_overview(ctx: Context):
    context = _context(ctx, _browser(ctx))
    app_base, _, bare_base, _ = _served_pair(ctx, database(ctx, 1))

    def trial() -> Sample:
        return Sample(subject=draw(context, app_base, matrix=False),
                      floor=draw(context, bare_base, matrix=False))

    return trial


@measurement(
    "browser_overview_matrix",
    "As browser_overview, for a link to the overview's \"Three years at a glance\" view "
    f"(`{MATRIX_VIEW}`): until the three-year status matrix's rows are in the page (an HTML "
    "table since issue 8), any grid drawn into its canvas, and two animation frames. Same floor.",
    Target(text="report (the view a board chair opens second)"),
    quick_warmup=False,
)
def browser_overview_matrix(ctx: Context):
    context = _context(ctx, _browser(ctx))
    app_base, _, bare_base, _ = _served_pair(ctx, database(ctx, 1))

    def trial() -> Sample:
        return Sample(subject=draw(context, app_base + MATRIX_VIEW, matrix=True),
                      floor=draw(context, bare_base, matrix=False))

    return trial


@measurement(
    "server_memory_scale",
    "Peak memory (VmHWM, the maximum resident set, from /proc/<pid>/status) of the `streamlit "
    "run app.py` server process with the scale database (the register copied for 150 areas, "
    "with demo returns; quick mode: 2 copies) after the overview has been drawn in Chromium "
    "as it opens and in its two largest views (every indicator part; the three-year matrix), "
    "against the peak of a bare page's server showing one table of the same rows. Each trial "
    "draws the pages again in new tabs and reads the peaks so far (MB; quick mode draws once).",
    Target(ratio=1.5),
    unit="MB",
)
def server_memory_scale(ctx: Context):
    context = _context(ctx, _browser(ctx))
    app_base, app_pid, bare_base, bare_pid = _served_pair(ctx, database(ctx, ctx.size(SCALE_AREAS,
                                                                                        SCALE_AREAS_QUICK)))
    drawn = [0]

    def trial() -> Sample:
        if not ctx.quick or not drawn[0]:  # quick mode draws once: the run checks, it does not measure
            seconds = (draw(context, app_base, matrix=False),
                       draw(context, app_base + PARTS_VIEW, matrix=False),
                       draw(context, app_base + MATRIX_VIEW, matrix=True),
                       draw(context, bare_base, matrix=False))
            drawn[0] += 1
            ctx.note(f"drawing {drawn[0]}: {seconds[0]:.1f} s (overview), {seconds[1]:.1f} s (its parts), "
                     f"{seconds[2]:.1f} s (its matrix), {seconds[3]:.1f} s (bare page)")
        return Sample(subject=peak_mb(app_pid), floor=peak_mb(bare_pid))

    return trial


@measurement(
    "server_memory_20_tabs",
    "Resident memory (VmRSS, /proc/<pid>/status) of the `streamlit run app.py` server on the "
    "scale database (150 areas; quick mode: 2 copies, 2 tabs) after 20 browser tabs of the "
    "overview were opened one after another (each fully drawn, as browser_overview waits, and "
    "kept open: 20 sessions at once) and then all closed, read once the closed sessions have "
    "expired (`server.disconnectedSessionTTL` from .streamlit/config.toml, 30 s, then one new tab, "
    "which is when Streamlit drops expired sessions, and 10 s to settle); against a bare "
    "page's server showing one table of the same rows, put through the same 20 tabs. Both "
    "servers draw their page once before the first trial. The notes give, per trial, the "
    "memory at the start, after each tab (the peak is the highest), 10 s after the close and "
    "after the TTL: flat means the after-TTL figure comes back to the start's.",
    Target(ratio=1.5),
    unit="MB",
    warmup=False,
    trials=2,
)
def server_memory_20_tabs(ctx: Context):
    context = _context(ctx, _browser(ctx))
    app_base, app_pid, bare_base, bare_pid = _served_pair(ctx, database(ctx, ctx.size(SCALE_AREAS,
                                                                                        SCALE_AREAS_QUICK)))
    tabs = ctx.size(TABS, TABS_QUICK)
    draw(context, app_base, matrix=False)  # untimed: fills the server's caches
    draw(context, bare_base, matrix=False)
    turn = [0]

    def trial() -> Sample:
        turn[0] += 1
        app = tabs_round(context, app_base, app_pid, matrix=False, tabs=tabs, wait_ttl=not ctx.quick)
        bare = tabs_round(context, bare_base, bare_pid, matrix=False, tabs=tabs, wait_ttl=not ctx.quick)
        for name, r in (("app", app), ("bare page", bare)):
            ctx.note(f"trial {turn[0]}, {name}: start {r['start']:.0f} MB, peak {r['peak']:.0f} MB, "
                     f"{SETTLE_S} s after the close {r['after_close']:.0f} MB, after the sessions' "
                     f"TTL ({session_ttl_s()} s) and one new tab {r['after']:.0f} MB; "
                     f"after each of {tabs} tabs: "
                     + ", ".join(f"{x:.0f}" for x in r["each"]))
        return Sample(subject=app["after"], floor=bare["after"])

    return trial
