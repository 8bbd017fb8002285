"""Shut down the sessions Streamlit forgets after ``server.disconnectedSessionTTL``.

Why: when a tab closes, Streamlit keeps its session for the TTL (so a reconnect resumes it) in
a TTL cache, and clears expired sessions only when the cache is next written, that is when
another tab closes. Until then an expired session keeps everything it held: its session state,
uploads and deferred downloads (closures over the tables the page showed). On a server whose
other visitors keep their tabs open, or where nobody else comes, that is for good. Measured by
``python -m bench --only server_memory_20_tabs`` (150 areas, 20 tabs closed): 100 MB above the
start after the TTL without this, back to the start with it (issue 18, item 8). Streamlit's own
report: streamlit/streamlit#12506 ("Memory leak caused by session state persisting after tab
closed"; the fix proposed in #12521 was closed unmerged); ``tests/e2e/test_session_memory.py``
shows 1.67 still behaves so.

So, once per process, a thread asks the event loop every :data:`REAP_EVERY_S` seconds to take
the expired sessions out of the storage and shut each down, as Streamlit itself does for a
stored session whose tab is closed for good (``WebsocketSessionManager.close_session``). It
uses Streamlit's internals (the session manager's storage and lock): where they are not what
this expects (another Streamlit version), it does nothing and says so once in the log.
"""

from __future__ import annotations

import logging
import threading

REAP_EVERY_S = 5.0

_log = logging.getLogger("lsp.sessions")
_started = False
_lock = threading.Lock()


def _storage_parts(runtime):
    """The session manager's lock, its storage's TTL cache and the event loop, or None."""
    manager = getattr(runtime, "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    lock = getattr(manager, "_storage_lock", None)
    loop = getattr(getattr(runtime, "_async_objs", None), "eventloop", None)
    if lock is None or loop is None or not callable(getattr(cache, "expire", None)):
        return None
    return lock, cache, loop


def reap_expired(runtime) -> int:
    """Remove the expired sessions from ``runtime``'s storage and shut them down; how many.
    Must run on the runtime's event loop (as Streamlit's own session closing does)."""
    parts = _storage_parts(runtime)
    if parts is None:
        return 0
    lock, cache, _ = parts
    with lock:
        expired = cache.expire()
    for _, info in expired:
        try:
            info.session.shutdown()
        except Exception:  # one session's failure must not keep the others' memory
            _log.exception("shutting down an expired session failed")
    return len(expired)


def _reap_forever(runtime, stop: threading.Event) -> None:
    while not stop.wait(REAP_EVERY_S):
        parts = _storage_parts(runtime)
        if parts is None or parts[2].is_closed():
            return
        parts[2].call_soon_threadsafe(reap_expired, runtime)


def start_session_reaper() -> bool:
    """Start the reaping thread once per process (call from a running script); whether it runs."""
    global _started
    with _lock:
        if _started:
            return True
        from streamlit import runtime

        if not runtime.exists():
            return False
        current = runtime.get_instance()
        if _storage_parts(current) is None:
            _log.warning("Streamlit's session storage is not as expected: expired sessions are "
                         "left to Streamlit (their memory may not be released)")
            _started = True  # said once
            return False
        threading.Thread(target=_reap_forever, args=(current, threading.Event()),
                         name="session-reaper", daemon=True).start()
        _started = True
        return True
