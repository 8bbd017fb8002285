"""Safe reading of .xlsx files that people upload or edit by hand.

An .xlsx is a zip of XML parts. Before openpyxl sees it we check the zip itself (a file
that is not a zip, too many members, too large once unpacked, a suspicious compression
ratio, macros), because a zip bomb or a renamed macro workbook must be refused before
anything expands. openpyxl parses the XML through defusedxml when it is installed, which
guards against XML entity bombs. Every problem is reported as a :class:`CellError` naming
the sheet, row and column, so the person who made the file can fix it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter

from performance.errors import CellError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_COMPRESSION_RATIO = 100
# Ordinary workbooks compress their XML 10-30 times; a ratio test alone would refuse a large,
# repetitive but honest sheet, so the ratio counts only once the content is big.
RATIO_CHECK_FROM_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 60


class WorkbookRefused(ValueError):
    """The workbook cannot be used; ``errors`` says every reason found."""

    def __init__(self, errors: list[CellError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def check_zip(data: bytes, name: str = "the file") -> None:
    """Refuse bytes that are not a plain, reasonably sized .xlsx, before parsing any XML."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRefused([CellError(None, None, None,
            f"{name} is {len(data) / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES / 2**20:.0f} MB")])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused([CellError(None, None, None,
            f"{name} is not an Excel .xlsx workbook (save it from Excel as 'Excel Workbook (.xlsx)')")])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.infolist()
        names = {m.filename for m in members}
        if len(members) > MAX_ZIP_MEMBERS:
            raise WorkbookRefused([CellError(None, None, None,
                f"{name} has {len(members)} parts inside; a workbook has far fewer")])
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if total > MAX_UNCOMPRESSED_BYTES or (
                total > RATIO_CHECK_FROM_BYTES and total / packed > MAX_COMPRESSION_RATIO):
            raise WorkbookRefused([CellError(None, None, None,
                f"{name} expands to {total / 1e6:.0f} MB from {packed / 1e6:.1f} MB; "
                "it is refused as a possible zip bomb")])
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise WorkbookRefused([CellError(None, None, None,
                f"{name} contains macros; save it as a plain .xlsx workbook without macros")])
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise WorkbookRefused([CellError(None, None, None,
                f"{name} is a zip file but not an Excel .xlsx workbook")])


@contextmanager
def open_workbook(source: str | Path | bytes, name: str | None = None) -> Iterator[openpyxl.Workbook]:
    """Open a workbook read-only with cached values, after :func:`check_zip`; always closed."""
    if isinstance(source, bytes):
        data, label = source, name or "the file"
    else:
        data, label = Path(source).read_bytes(), name or Path(source).name
    check_zip(data, label)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise WorkbookRefused([CellError(None, None, None, _unreadable(label, exc))]) from exc
    try:
        yield wb
    finally:
        wb.close()


@dataclass
class SheetRows:
    """A sheet read as header names and rows of values, with the Excel row number of each."""

    sheet: str
    header: list[str]
    rows: list[tuple[int, dict[str, object]]]

    def column_letter(self, column: str) -> str:
        """Excel column letter of a header name (for messages)."""
        return get_column_letter(self.header.index(column) + 1) if column in self.header else "?"


def read_sheet(wb: openpyxl.Workbook, sheet: str, required: tuple[str, ...],
               optional: tuple[str, ...] = (), max_rows: int = MAX_ROWS
               ) -> tuple[SheetRows | None, list[CellError]]:
    """Read a sheet whose first row names its columns; check the required columns are there.

    Blank rows are skipped. Returns the rows (or None when the sheet is missing or unusable)
    and the errors found. Unknown extra columns are allowed and kept.
    """
    if sheet not in wb.sheetnames:
        return None, [CellError(sheet, None, None,
            f"the sheet is missing; the workbook must have a sheet named '{sheet}'")]
    try:
        return _read_sheet(wb[sheet], sheet, required, optional, max_rows)
    except Exception as exc:  # a damaged or hostile part surfaces only while rows are parsed
        return None, [CellError(sheet, None, None, _unreadable("the sheet", exc))]


def _unreadable(label: str, exc: BaseException) -> str:
    """Say why a workbook could not be parsed; name an XML bomb as such."""
    chain, seen = exc, 0
    while chain is not None and seen < 10:
        if isinstance(chain, DefusedXmlException):
            return (f"{label} contains XML entity declarations (a possible XML bomb) "
                    "and is refused; save it again from Excel")
        chain, seen = chain.__cause__ or chain.__context__, seen + 1
    return f"{label} could not be read as a workbook ({type(exc).__name__}: {exc})"


def _read_sheet(ws, sheet, required, optional, max_rows):
    if ws.max_row is not None and ws.max_row > max_rows + 1:
        return None, [CellError(sheet, None, None,
            f"{ws.max_row - 1} rows is more than the limit of {max_rows}")]
    rows_iter = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header_cells = next(rows_iter, None)
    if not header_cells or all(c is None for c in header_cells):
        return None, [CellError(sheet, 1, None, "the sheet is empty; row 1 must name the columns")]
    header = [str(c).strip() if c is not None else "" for c in header_cells]
    errors = [CellError(sheet, 1, col, f"required column '{col}' is missing (is it renamed?)")
              for col in required if col not in header]
    if errors:
        return None, errors
    known = set(required) | set(optional)
    rows: list[tuple[int, dict[str, object]]] = []
    for number, cells in enumerate(rows_iter, start=2):
        if number > max_rows + 1:
            return None, [CellError(sheet, number, None,
                                    f"more rows than the limit of {max_rows}")]
        if cells is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        record = {name: cells[i] if i < len(cells) else None
                  for i, name in enumerate(header) if name}
        for name in known:
            record.setdefault(name, None)
        rows.append((number, record))
    return SheetRows(sheet, header, rows), []
