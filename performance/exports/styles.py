"""The look: NamedStyles registered once per workbook (header band, status fills with symbol
and word, numbers in each unit) and the write-only writer that copies them into cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from copy import copy
from io import BytesIO

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

from performance.exports.cells import (
    _argb,
    _clean_text,
    _is_formula_like,
    _missing,
    readable_text_colour,
    sheet_name,
)
from performance.exports.columns import CHANGE_FORMAT, DATE_FORMAT, GENERAL_FORMAT, UNIT_FORMATS
from performance.vocabulary import STATUS_COLOURS, STATUSES

Progress = Callable[[int, int], None]


_PROGRESS_EVERY = 250


_HEADER_FILL = "1F3A5F"  # navy: the header band (not a status colour)


_HEADER_TEXT = "FFFFFF"


FONT_NAME, FONT_SIZE = "Arial", 10


_PAPER_A4 = "9"  # Worksheet.PAPERSIZE_A4


_WARNING_TEXT = "7A2E00"  # dark brown: the demo warning (not a status colour)


_ABOUT_WIDTH = 100


_LINE_HEIGHT = 12.5  # points per line of Arial 10


_MAX_ROW_HEIGHT = 409.0  # Excel's limit


def _font(**kwargs) -> Font:
    return Font(**{"name": FONT_NAME, "size": FONT_SIZE, **kwargs})


def _named_styles() -> list[NamedStyle]:
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top")
    thin = Side(style="thin", color="999999")
    plain, bold = _font(), _font(bold=True)
    styles = [
        NamedStyle("x header", font=_font(bold=True, color=_argb(_HEADER_TEXT)),
                   fill=PatternFill("solid", fgColor=_argb(_HEADER_FILL)),
                   alignment=Alignment(vertical="center", wrap_text=True), border=Border(bottom=thin)),
        NamedStyle("x text", font=plain, alignment=top),
        NamedStyle("x long text", font=plain, alignment=wrap),
        NamedStyle("x number", font=plain, alignment=top, number_format=GENERAL_FORMAT),
        NamedStyle("x date", font=plain, alignment=top, number_format=DATE_FORMAT),
        NamedStyle("x change", font=plain, alignment=centre, number_format=CHANGE_FORMAT),
        NamedStyle("x count", font=plain, alignment=centre, number_format="#,##0"),
        NamedStyle("x title", font=_font(bold=True, size=14)),
        NamedStyle("x subtitle", font=_font(italic=True, color=_argb("444444"))),
        NamedStyle("x headline", font=_font(bold=True, size=12)),
        NamedStyle("x key", font=bold, alignment=top),
        NamedStyle("x warning", font=_font(bold=True, color=_argb(_WARNING_TEXT)), alignment=wrap),
        NamedStyle("x warning line", font=_font(bold=True, color=_argb(_WARNING_TEXT))),
        NamedStyle("x bold text", font=bold, alignment=top),
        NamedStyle("x bold count", font=bold, alignment=centre, number_format="#,##0"),
        NamedStyle("x bold change", font=bold, alignment=centre, number_format=CHANGE_FORMAT),
    ]
    for unit, fmt in UNIT_FORMATS.items():
        styles.append(NamedStyle(f"x number {unit}", font=plain, alignment=top, number_format=fmt))
    for status in STATUSES:
        colour = STATUS_COLOURS[status]
        font = _font(bold=True, color=_argb(readable_text_colour(colour)))
        fill = PatternFill("solid", fgColor=_argb(colour), bgColor=_argb(colour))
        styles.append(NamedStyle(f"x status {status}", font=font, fill=fill, alignment=top))
        styles.append(NamedStyle(f"x status header {status}", font=font, fill=fill,
                                 alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                                 border=Border(bottom=thin)))
    return styles


class _Writer:
    """One write-only workbook with its named styles; makes styled cells cheaply."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.arrays = {}
        for style in _named_styles():
            self.wb.add_named_style(style)
            self.arrays[style.name] = style.as_tuple()

    def sheet(self, name: str):
        return self.wb.create_sheet(sheet_name(name, self.wb.sheetnames))

    def cell(self, ws, value, style: str) -> Cell | None:
        """A cell holding ``value`` (None for a missing value) in the named style."""
        if _missing(value):
            return None
        c = Cell(ws, row=1, column=1)
        if isinstance(value, str):
            text = _clean_text(value)
            c._value, c.data_type = text, "s"
            c._style = copy(self.arrays[style])
            if _is_formula_like(text):
                c.quotePrefix = True
            return c
        if isinstance(value, bool | np.bool_):
            return self.cell(ws, "yes" if value else "no", style)
        if isinstance(value, int | float | np.integer | np.floating):
            c._value, c.data_type = (int(value) if isinstance(value, int | np.integer) else float(value)), "n"
            c._style = copy(self.arrays[style])
            return c
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, dt.datetime | dt.date | dt.time):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            c.value = value
            c._style = copy(self.arrays["x date"])
            return c
        return self.cell(ws, str(value), style)

    def save(self) -> bytes:
        buffer = BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()


class _Progress:
    def __init__(self, callback: Progress | None, total: int) -> None:
        self.callback, self.total, self.done = callback, total, 0

    def step(self) -> None:
        self.done += 1
        if self.callback is not None and self.done % _PROGRESS_EVERY == 0 and self.done < self.total:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(self.total, self.total)
