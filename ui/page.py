"""The shared page guard. Every page file calls :func:`page_setup` first.

A visitor whose first request is a deep link (``/Register``) gets that page file run without
``app.py``, so the guard, the menu and the data loading live here and each page calls them
itself (``tests/e2e/test_pages.py`` fails if a page does not).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st
from sqlalchemy import event
from streamlit.delta_generator import DeltaGenerator

from data_loaders.database import (
    DataVersions,
    data_versions,
    database_url,
    open_database_noting,
    read_published_returns,
    read_register_tables,
    read_targets,
)
from data_loaders.failures import DatabaseUnavailable
from data_loaders.users import load_user
from performance import events
from performance.access import ROLE_LABELS, ROLES, User, local_admin
from performance.register import Register, framework_names
from ui.allocator import tune_allocator
from ui.sessions import start_session_reaper

# Once per server process, before its sessions allocate much: fewer malloc arenas and memory
# freed by closed sessions handed back (ui/allocator.py; README, "Performance").
tune_allocator()

# Menu entries: (page file, label, icon, role the page asks for). One place, so every page
# shows the same menu; a page also checks the role itself (a menu entry hidden is no check).
MENU = (
    ("app.py", "Overview", ":material/dashboard:", "viewer"),
    ("pages/3_Theme_board.py", "Theme boards", ":material/groups:", "viewer"),
    ("pages/4_Indicator.py", "Indicator detail", ":material/show_chart:", "viewer"),
    ("pages/1_Register.py", "Indicator register", ":material/list_alt:", "viewer"),
    ("pages/2_Returns.py", "Quarterly returns", ":material/upload_file:", "editor"),
    ("pages/5_Sign_off.py", "Sign-off", ":material/task_alt:", "performance_officer"),
    ("pages/8_Returns_due.py", "Returns due", ":material/pending_actions:", "performance_officer"),
    ("pages/6_Audit.py", "Audit trail", ":material/history:", "performance_officer"),
    ("pages/7_Admin.py", "Administration", ":material/admin_panel_settings:", "admin"),
)


@dataclass
class PageContext:
    """What a page needs: the register, the framework the user chose, and who they are."""

    register: Register
    framework: str
    user: User


events.configure()  # imports, exports and sign-offs log one key=value line each to stderr

# How long a process trusts the data versions it read: another process's import, target change
# or sign-off (several app servers on one PostgreSQL) shows within this, plus one render.
DATA_VERSION_TTL_SECONDS = 2


@st.cache_resource(show_spinner="Opening the database…")
def _opened(url: str):
    # One engine per process and database: migrated and seeded once, shared by sessions; with
    # why indicators.xlsx was not loaded, if it was not. A failure is not cached: the next
    # run tries again (a PostgreSQL server back up is used at once).
    opened = open_database_noting(url)
    # A write committed by this process is seen at once here, not a ttl later.
    event.listen(opened[0], "commit", lambda _conn: _data_versions.clear())
    return opened


def _engine(url: str):
    return _opened(url)[0]


@st.cache_data(ttl=DATA_VERSION_TTL_SECONDS, show_spinner=False)
def _data_versions(url: str) -> DataVersions:
    # One cheap query of the versions kept in the database per process every couple of
    # seconds, instead of on every rerun of every session.
    return data_versions(_engine(url))


def current_versions() -> DataVersions:
    """The register's, the targets' and the returns' data versions the cached loaders are
    keyed on (read from the database at most every :data:`DATA_VERSION_TTL_SECONDS`; at once
    after this process's own commits)."""
    return _data_versions(database_url())


def current_data_version() -> str:
    """One text that changes whenever the register, the targets or the returns change (for
    caches of anything read from all of them, e.g. the benchmark comparisons)."""
    return "/".join(current_versions())


@st.cache_resource(show_spinner="Loading the register…", max_entries=2)
def _register_tables(url: str, register_version: str) -> dict:
    # Frameworks, boards, parts, settings: read again only when the register version changes
    # (a tolerance, a register edit, a setting), not on an import or a target change.
    return read_register_tables(_engine(url))


@st.cache_resource(show_spinner="Loading the targets…", max_entries=2)
def _targets(url: str, targets_version: str):
    # Every target version (29,550 rows at 150 areas): read again only when one is added
    # (or the register is loaded or edited), not on a tolerance change or an import.
    return read_targets(_engine(url))


@st.cache_resource(show_spinner="Loading the values…", max_entries=2)
def _returns(url: str, returns_version: str):
    # Every published value (67,598 rows at 150 areas, most of a register read's time): read
    # again only when the returns version changes (an import, a sign-off), not on a target or
    # tolerance change.
    return read_published_returns(_engine(url))


@st.cache_resource(show_spinner=False, max_entries=2)
def _register(url: str, versions: DataVersions) -> Register:
    # Keyed on every version, so an import or target change shows on the next render; built
    # from the three parts above, each read only when its own version changed.
    # A resource like the rated frame: one Register shared by every session, read-only (pages
    # derive new frames from it, never assign into it); cache_data would unpickle a copy of
    # every table on every rerun of every page.
    return Register(**_register_tables(url, versions.register), targets=_targets(url, versions.targets),
                    returns=_returns(url, versions.returns))


def engine():
    """The database engine of this process (migrated and seeded)."""
    return _engine(database_url())


@st.cache_resource(show_spinner="Rating every indicator…", max_entries=2)
def _rated(url: str, versions: DataVersions):
    # A resource, not cache_data: cache_data would unpickle a fresh copy of every row of every
    # period on each rerun of each session (0.1 s and a second copy in memory at 150 areas).
    # The frame is shared and read-only: pages filter it (a new frame; copy-on-write keeps
    # the cached one unchanged) and never assign into it. Two entries: the data version in
    # use and the one before it (a session may still be drawing it); older ones are dropped.
    from performance import rag
    from performance.overview import framework_slices, with_register_columns
    from performance.reasons import ReasonCache

    register = _register(url, versions)
    rated, slices = framework_slices(with_register_columns(rag.rate(register), register))
    # Reasons are row-by-row Python: built for the rows a page shows, when it first shows
    # them (ReasonCache), not for every row of every period here (seconds at 150 areas).
    return rated, slices, ReasonCache(rated)


# The reasons of the rated frame load_rated() gave this script run (each run is on its own
# thread), so with_reasons() matches rows with the frame they came from even if the data
# changes in between.
_this_run = threading.local()


def load_rated(framework: str | None = None):
    """Every indicator part rated in every period (cached like the register; filter after),
    or the rows of one ``framework`` only (a view of the cached frame, not a copy). Shared by
    every session: read it, filter it, never assign into it. Reasons are not in it: ask
    :func:`with_reasons` for those of the rows shown."""
    url = database_url()
    rated, slices, reasons = _rated(url, _data_versions(url))
    _this_run.reasons = reasons
    if framework is None:
        return rated
    return rated.iloc[slices.get(framework, slice(0, 0))]


def with_reasons(rows, only=None):
    """``rows`` (of the frame :func:`load_rated` returned in this run, any filter applied) with
    their one-line ``reason`` column; each reason is built the first time any session shows
    its row and kept until the data changes. ``only``: a boolean mask of the rows whose
    reasons are needed (the others get an empty reason)."""
    reasons = getattr(_this_run, "reasons", None)
    if reasons is None:
        load_rated()
        reasons = _this_run.reasons
    return reasons.with_reasons(rows, only)


def load_register() -> Register:
    """The register and current values, cached until the next load into the database (shared
    by every session: read it, never assign into it)."""
    url = database_url()
    return _register(url, _data_versions(url))


def auth_configured() -> bool:
    """Whether sign-in through an identity provider is set up (an [auth] section in secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: the embedded default
        return False


def current_user() -> User:
    """Who is using the app: the signed-in person with their roles, or the local admin.

    With sign-in configured, someone not signed in sees only the sign-in button.
    """
    if not auth_configured():
        return local_admin()
    if not st.user.is_logged_in:
        st.title("Luton Forum performance dashboard")
        st.write("Sign in with your organisation's account to continue.")
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    return load_user(engine(), st.user.get("email", ""))


def page_setup(title: str, required_role: str = "viewer") -> PageContext:
    """Configure the page, check who may see it, draw the menu and return the loaded register.

    The first line of every page. ``required_role`` is checked here, on the server: someone
    without it gets a refusal and nothing of the page (a cold deep link runs a page file
    without app.py, so the check cannot live anywhere else).
    """
    st.set_page_config(page_title=f"{title} · LSP performance", layout="wide")
    start_session_reaper()  # once per process: closed tabs' sessions release what they held
    with _database_refusal():
        user = current_user()
    with st.sidebar:
        st.markdown("**Luton Forum · performance**")
        for path, label, icon, role in MENU:
            if user.may_open(role):
                st.page_link(path, label=label, icon=icon)
        st.divider()
        if user.local:
            st.warning("**Local use, no sign-in.** You act as administrator on this machine. "
                       "Configuring sign-in (see the README) turns this off.", icon=":material/key:")
        else:
            st.caption(f"Signed in as {user.email} · "
                       + ", ".join(ROLE_LABELS[r] for r in ROLES if r in user.roles))
            st.button("Sign out", on_click=st.logout, icon=":material/logout:")
    if not user.may_open(required_role):
        st.error(f"**{title}** is for {ROLE_LABELS[required_role].lower()}s. Your account "
                 f"({user.email}) does not have that role; ask an administrator if you need it.",
                 icon=":material/block:")
        st.stop()
    with _database_refusal():
        register = load_register()
        note = _opened(database_url())[1]
    if note and not st.session_state.get("register_note_shown"):
        st.session_state["register_note_shown"] = True  # said once, not on every page
        st.warning(note, icon=":material/warning:")
    with st.sidebar:
        framework = _framework_picker(register)
        if not os.environ.get("DATABASE_URL"):
            st.caption("Embedded database (SQLite).")
    return PageContext(register=register, framework=framework, user=user)


@contextmanager
def _database_refusal():
    """A database that cannot be used stops the page with one sentence saying why and where it
    was expected (the details are in the server's log), instead of a traceback."""
    try:
        yield
    except DatabaseUnavailable as failure:
        st.error(str(failure), icon=":material/database:")
        st.stop()


@contextmanager
def saving():
    """Around a write: a database that cannot be written (read-only, gone, down) says so and
    stops the page; nothing was saved, and nothing says "Saved"."""
    try:
        yield
    except DatabaseUnavailable as failure:
        st.error(f"**Nothing was saved.** {failure}", icon=":material/database:")
        st.stop()


def _framework_picker(register: Register) -> str:
    """Framework choice, kept in the URL (``?framework=...``) so a link opens the same view."""
    names = framework_names(register)
    chosen = st.query_params.get("framework") or st.session_state.get("framework") or names[0]
    if chosen not in names:
        chosen = names[0]
    framework = st.selectbox("Framework", names, index=names.index(chosen), key="framework_picker")
    st.session_state["framework"] = framework
    st.query_params["framework"] = framework
    return framework


def open_view(labels: list[str], *, key: str) -> tuple[str, DeltaGenerator]:
    """Tabs of ``labels``, of which only the open one is built: the caller draws into the
    container returned with its label, the others stay empty until chosen (each choice reruns
    the page). The open tab is in the URL (``?key=label``, absent for the first), so a link
    opens the same view; an unknown label in the URL opens the first."""
    tabs = st.tabs(labels, key=key, bind="query-params")
    return next((label, tab) for label, tab in zip(labels, tabs, strict=True) if tab.open)


def demo_banner(frame) -> None:
    """Say so whenever illustrative demo values are among those on screen."""
    flagged = (frame["is_demo"].astype(bool).any() if "is_demo" in frame else
               (frame["illustrative"] == "demo").any() if "illustrative" in frame else False)
    if flagged:
        st.warning("Some values shown are **illustrative demo values**, generated so the dashboard "
                   "has something to show; they are marked *demo*. Real values from the source "
                   "documents and returns always replace them. Start with `DEMO_DATA=off` to hide "
                   "them.", icon=":material/science:")
