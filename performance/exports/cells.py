"""Safe cells: text written as text (never a formula), control and bidirectional characters
removed, sheet names Excel accepts, readable text on a status fill, and the RAG rules in words."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from performance.vocabulary import DEFAULT_SETTINGS, status_badge

_BLACK, _WHITE = "000000", "FFFFFF"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


# Bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069): in a
# cell they reorder what a reader sees ("Trojan Source"), so a comment could show one figure and
# hold another. Invisible and never needed in the client's English text: removed.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


_MAX_CELL_TEXT = 32_767  # Excel's limit on the characters of one cell


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and not math.isfinite(value)


def _clean_text(text: str) -> str:
    """Text without the control characters a workbook cannot hold, within Excel's cell limit.

    Line breaks become ``\n``: XML turns a carriage return into one anyway. Bidirectional
    override and isolate controls are removed (they could make a cell read otherwise than it is).
    """
    text = _BIDI_CONTROLS.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:_MAX_CELL_TEXT]


def _is_formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()[-6:]


def _argb(colour: str) -> str:
    """An opaque ARGB colour for openpyxl ("#E69F00" -> "FFE69F00")."""
    return "FF" + _hex(colour)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    rgb = _hex(colour)
    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def readable_text_colour(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (WCAG contrast ratio)."""
    lum = _luminance(fill)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return _BLACK if on_black >= on_white else _WHITE


def sheet_name(name: str, used: Iterable[str] = ()) -> str:
    """A valid, unused sheet name for ``name``: at most 31 characters, none of ``[]:*?/\\``.

    Long theme board names are shortened readably ("and" becomes "&", then "Board" goes)
    before being cut.
    """
    text = _SHEET_NAME_BAD.sub("-", _clean_text(str(name))).strip().strip("'").strip() or "Sheet"
    if len(text) > 31:
        text = text.replace(" and ", " & ")
    if len(text) > 31 and text.lower().endswith(" board"):
        text = text[: -len(" board")]
    if len(text) > 31:
        text = text[:30].rstrip() + "…"
    taken = {u.casefold() for u in used}
    candidate, n = text, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = text[: 31 - len(suffix)].rstrip() + suffix
        n += 1
    return candidate


def _timestamp(now: dt.datetime | None = None) -> str:
    now = (now or dt.datetime.now()).astimezone()
    return f"{now:%d %B %Y, %H:%M} {now:%Z}".strip()


def rag_rules(settings: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The RAG rules in force, in a few lines (the short version of ``docs/rag-rules.md``)."""
    settings = {**DEFAULT_SETTINGS, **(settings or {})}
    tolerance = str(settings.get("default_tolerance_pct") or DEFAULT_SETTINGS["default_tolerance_pct"])
    scheme = settings.get("rag_scheme") or DEFAULT_SETTINGS["rag_scheme"]
    threshold = settings.get("direction_threshold_pct") or DEFAULT_SETTINGS["direction_threshold_pct"]
    tol = f"the tolerance ({tolerance}% of the target unless the indicator sets its own)"
    if scheme == "target_with_tolerance":
        lines = [
            ("Scheme", "Target with tolerance (the default here; an indicator may use baseline and target)"),
            (status_badge("green"), "on or better than the target"),
            (status_badge("amber"), f"short of the target by no more than {tol}"),
            (status_badge("red"), "short of the target by more than the tolerance"),
        ]
    else:
        lines = [
            ("Scheme", "Baseline and target (the default; an indicator may use target with tolerance)"),
            (status_badge("green"), f"on or better than the target, or short of it by no more than {tol}"),
            (status_badge("amber"), "beyond the tolerance but better than the baseline "
                                    "(with no baseline: within twice the tolerance)"),
            (status_badge("red"), "no better than the baseline "
                                  "(with no baseline: short by more than twice the tolerance)"),
        ]
    return [
        *lines,
        ("Tolerance", f"{tolerance}% of the target by default; an indicator may set its own percentage, "
                      "or points in its unit"),
        ("Better, worse", "follow each indicator's polarity (higher or lower is better)"),
        (status_badge("no_data"), "due this period but no value recorded"),
        (status_badge("not_due"), "not reported this period (annual or survey indicators, no survey)"),
        (status_badge("no_target"), "no usable target (to be confirmed, not applicable, placeholder 0, "
                                    "indicator removed)"),
        ("Counts", "an indicator in parts counts once, with the worst status of its parts"),
        ("Direction", f"↑ improving, ↓ worsening or → no change (within {threshold}%) since the previous "
                      "period (Direction) and the same period a year earlier (Direction year)"),
        ("Full rules", "docs/rag-rules.md"),
    ]
