"""Publish and scale out (issue 16): the overview from two app processes on one PostgreSQL under
20 concurrent browser sessions, and the public scorecard's page against a bare page."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from bench.app_bench import (
    APP,
    CANVASES,
    NEXT_FRAME,
    TIMEOUT_MS,
    _browser,
    _context,
    _server,
    database,
    postgres_database,
)
from bench.registry import Context, Sample, Skip, Target, measurement, timed

REPO_ROOT = Path(__file__).resolve().parents[1]
PUBLIC = REPO_ROOT / "scorecard" / "app.py"
SESSIONS, SESSIONS_QUICK = 20, 4
READY = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
         '[data-testid="stApp"][data-test-script-state="notRunning"]')
CHART = '[data-testid="stPlotlyChart"] .main-svg'

BARE_TABLE_PAGE = """import pandas as pd
import streamlit as st

st.set_page_config(layout="wide")


@st.cache_data
def table():
    return pd.read_pickle({path!r})


st.selectbox("Period", {options!r}, key="p")
st.table(table())
"""


async def _session(browser, url: str) -> float:
    """Seconds for one new browser session to draw the overview (as ``app_bench.draw``)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1800})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT_MS)
        for selector in READY:
            await page.wait_for_selector(selector, timeout=TIMEOUT_MS)
        await page.wait_for_function(CANVASES, timeout=TIMEOUT_MS)
        await page.evaluate(NEXT_FRAME)
        return time.perf_counter() - start
    finally:
        await context.close()


async def _sessions(urls: list[str]) -> tuple[list[float], list[str]]:
    """Every url opened at once, each in its own browser context; times and errors."""
    from playwright.async_api import async_playwright

    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = await asyncio.gather(*(_session(browser, u) for u in urls), return_exceptions=True)
        finally:
            await browser.close()
    times = [r for r in results if isinstance(r, float)]
    errors = [f"{type(r).__name__}: {(str(r).splitlines() or [''])[0][:120]}"
              for r in results if isinstance(r, BaseException)]
    return times, errors


@measurement(
    "overview_2_processes_20_sessions",
    "Two `streamlit run app.py` processes on one PostgreSQL database (the Luton register with demo "
    "returns, at `TEST_POSTGRES_URL`), 20 browser sessions (quick mode: 4) opened at once in "
    "Chromium, alternately on each process (as a sticky proxy spreads them): the subject is the "
    "median seconds from `goto` until a session's overview is fully drawn (as browser_overview); "
    "each trial's worst time and errors are in the notes. The floor is one session alone on one "
    "process, timed in the same trial.",
    Target(text="report median, worst and errors (no target)"),
    quick_warmup=False,
)
def overview_2_processes_20_sessions(ctx: Context):
    from tests.e2e.browser import CHROMIUM

    if not Path(CHROMIUM).exists():
        raise Skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    url = postgres_database(ctx, 1)
    first, _ = _server(ctx, url, APP)
    second, _ = _server(ctx, url, APP)
    n = ctx.size(SESSIONS, SESSIONS_QUICK)
    urls = [(first, second)[i % 2] for i in range(n)]

    def trial() -> Sample:
        alone, alone_errors = asyncio.run(_sessions([first]))
        if alone_errors:
            raise RuntimeError(f"a single session failed: {alone_errors[0]}")
        times, errors = asyncio.run(_sessions(urls))
        if not times:
            raise RuntimeError(f"every session failed: {errors[0]}")
        ctx.note(f"{n} sessions on 2 processes: median {statistics.median(times):.1f} s, worst "
                 f"{max(times):.1f} s, {len(errors)} errors" + (f" ({errors[0]})" if errors else "")
                 + f"; one session alone {alone[0]:.1f} s")
        return Sample(subject=statistics.median(times), floor=alone[0])

    return trial


def _draw_public(context, url: str, chart: bool) -> float:
    from tests.e2e.browser import wait_for_app

    page = context.new_page()
    try:
        def load() -> None:
            page.goto(url)
            wait_for_app(page, timeout_ms=TIMEOUT_MS)
            page.wait_for_selector(CHART if chart else '[data-testid="stTable"]', timeout=TIMEOUT_MS)
            page.evaluate(NEXT_FRAME)
        return timed(load)
    finally:
        page.close()


@measurement(
    "browser_public_page",
    "The public scorecard (`streamlit run scorecard/app.py`, the Luton LAA made public, the Luton "
    "database with demo returns, which it never shows) in Chromium: seconds from `goto` until it is "
    "fully drawn (connected, script done, the trajectory chart's `.main-svg`, two animation "
    "frames). The floor is a bare page with one `st.table` of the same parts table and a period "
    "box, served the same way.",
    Target(ratio=2.0),
    quick_warmup=False,
)
def browser_public_page(ctx: Context):
    from data_loaders.database import make_engine
    from data_loaders.public import read_public_register, set_public_frameworks
    from performance import rag
    from performance.overview import latest_period, period_options, with_reasons, with_register_columns
    from performance.public import parts_table

    context = _context(ctx, _browser(ctx))
    url = database(ctx, 1)
    engine = make_engine(url)
    try:
        set_public_frameworks(engine, ["Luton LAA 2008-11"], actor="bench")
        register = read_public_register(engine, ["Luton LAA 2008-11"])
    finally:
        engine.dispose()
    rated = with_reasons(with_register_columns(rag.rate(register), register), register)
    period = latest_period(rated)
    table = parts_table(rated[rated["period"] == period])
    frame_path = ctx.workdir / "public_table.pkl"
    table.to_pickle(frame_path)
    bare = ctx.workdir / "bare_public.py"
    bare.write_text(BARE_TABLE_PAGE.format(path=str(frame_path), options=period_options(rated)))
    public_base, _ = _server(ctx, url, PUBLIC)
    bare_base, _ = _server(ctx, url, bare)
    ctx.note(f"public page: {len(table)} parts in {period}; the bare page shows the same table")

    def trial() -> Sample:
        return Sample(subject=_draw_public(context, public_base, chart=True),
                      floor=_draw_public(context, bare_base, chart=False))

    return trial
