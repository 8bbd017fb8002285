"""Structured event log: one ``key=value`` line per import, export and sign-off (who, what, how long).

Plain :mod:`logging` (logger ``lsp.events``), so a deployment routes it like any other log
(journald, a file, a collector); :func:`configure` gives it a stderr handler when nothing else
has. Values with spaces or quotes are quoted, so a line splits back into its fields with
``shlex.split``.
"""

from __future__ import annotations

import functools
import inspect
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

LOGGER_NAME = "lsp.events"
logger = logging.getLogger(LOGGER_NAME)


def _quote(value: object) -> str:
    if isinstance(value, float):
        text = format(value, ".3f")
    else:
        text = value if isinstance(value, str) else str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    if not text or any(c in text for c in ' "\'=\\'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def format_event(event: str, **fields: object) -> str:
    """``event=import who=... seconds=0.123 ...``: the event first, then the fields in order."""
    return " ".join(f"{k}={_quote(v)}" for k, v in {"event": event, **fields}.items() if v is not None)


def log_event(event: str, *, who: str, seconds: float, outcome: str = "ok", **fields: object) -> None:
    """Write one event line at INFO (WARNING when ``outcome`` is not ``ok``)."""
    level = logging.INFO if outcome == "ok" else logging.WARNING
    logger.log(level, format_event(event, who=who, outcome=outcome, seconds=float(seconds), **fields))


@contextmanager
def timed(event: str, *, who: str, **fields: object) -> Iterator[dict]:
    """Log ``event`` with how long the block took; the block may add fields to the yielded
    dict. An exception is logged with ``outcome=failed`` and its type, then raised again."""
    extra: dict = {}
    start = time.perf_counter()
    try:
        yield extra
    except BaseException as exc:
        log_event(event, who=who, seconds=time.perf_counter() - start, outcome="failed",
                  error=type(exc).__name__, **fields, **extra)
        raise
    log_event(event, who=who, seconds=time.perf_counter() - start, **fields, **extra)


def logged(event: str, *, who: str, fields: tuple[str, ...] = (),
           result: Callable[[object], dict] | None = None):
    """Decorator: log each call of the function as ``event``, ``who`` and ``fields`` read from
    its arguments by name, ``result(returned)`` adding fields from what it returned."""
    def wrap(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            given = signature.bind_partial(*args, **kwargs).arguments
            with timed(event, who=str(given.get(who, "")), **{f: given.get(f) for f in fields}) as extra:
                returned = fn(*args, **kwargs)
                if result is not None:
                    extra.update(result(returned))
            return returned
        return inner
    return wrap


def configure(stream=None, level: int = logging.INFO) -> None:
    """Send the event log to ``stream`` (stderr) unless a handler is already set (idempotent)."""
    if logger.handlers:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
