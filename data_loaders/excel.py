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
import re
import weakref
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils import column_index_from_string, get_column_letter

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
# Hidden rows are listed one by one up to this many, then counted.
MAX_HIDDEN_ROWS_LISTED = 10

# The bytes each open workbook was read from, for the checks that look at a sheet's XML
# itself (merged cells, formulas without values, hidden rows): read-only openpyxl does not
# expose them. Weak, so a closed workbook does not keep its bytes alive.
_SOURCES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
    _SOURCES[wb] = data
    try:
        yield wb
    finally:
        _SOURCES.pop(wb, None)
        wb.close()


@dataclass
class SheetRows:
    """A sheet read as header names and rows of values, with the Excel row number of each.

    ``percent_cells``: (row, column) of the numbers Excel shows as percentages (a cell
    showing 6.5% holds 0.065); the reader of a column decides what that means for its unit.
    ``warnings``: what the person who made the file cannot see in Excel but is read
    (hidden rows, columns, the sheet itself).
    """

    sheet: str
    header: list[str]
    rows: list[tuple[int, dict[str, object]]]
    percent_cells: frozenset[tuple[int, str]] = frozenset()
    warnings: list[CellError] = field(default_factory=list)

    def column_letter(self, column: str) -> str:
        """Excel column letter of a header name (for messages)."""
        return get_column_letter(self.header.index(column) + 1) if column in self.header else "?"


def read_sheet(wb: openpyxl.Workbook, sheet: str, required: tuple[str, ...],
               optional: tuple[str, ...] = (), max_rows: int = MAX_ROWS
               ) -> tuple[SheetRows | None, list[CellError]]:
    """Read a sheet whose first row names its columns; check the required columns are there.

    Blank rows are skipped. Returns the rows (or None when the sheet is missing or unusable)
    and the errors found. Unknown extra columns are allowed and kept. Refused as errors: two
    sheets of the same name, merged cells, formulas saved without a calculated value, and
    numbers that are not numbers (``NaN``), each by row and column. The sheet's own XML part
    is checked, wherever the workbook stores it.
    """
    if sheet not in wb.sheetnames:
        return None, [CellError(sheet, None, None,
            f"the sheet is missing; the workbook must have a sheet named '{sheet}'")]
    same = [n for n in wb.sheetnames if n.casefold() == sheet.casefold()]
    if len(same) > 1:  # Excel itself forbids it; openpyxl would read the first and drop the rest
        return None, [CellError(sheet, None, None,
            f"{len(same)} sheets are named '{sheet}' ({', '.join(repr(n) for n in same)}); "
            "keep one, so it is clear which is read")]
    ws = wb[sheet]
    xml = b""
    try:
        xml = _sheet_xml(wb, ws)
        found, errors = _read_sheet(ws, sheet, required, optional, max_rows, wb)
    except Exception as exc:  # a damaged or hostile part surfaces only while rows are parsed
        located = _bad_numbers(xml, sheet, _header_of(ws)) if isinstance(exc, ValueError) else []
        return None, located or [CellError(sheet, None, None, _unreadable("the sheet", exc))]
    if found is None:
        return None, errors
    errors = _merged_cells(xml, sheet) + _formulas_without_values(xml, found)
    if errors:
        return None, errors
    found.warnings.extend(_hidden(xml, found, getattr(ws, "sheet_state", "visible")))
    return found, []


def _unreadable(label: str, exc: BaseException) -> str:
    """Say why a workbook could not be parsed; name an XML bomb as such."""
    chain, seen = exc, 0
    while chain is not None and seen < 10:
        if isinstance(chain, DefusedXmlException):
            return (f"{label} contains XML entity declarations (a possible XML bomb) "
                    "and is refused; save it again from Excel")
        chain, seen = chain.__cause__ or chain.__context__, seen + 1
    return f"{label} could not be read as a workbook ({type(exc).__name__}: {exc})"


def _read_sheet(ws, sheet, required, optional, max_rows, wb):
    if ws.max_row is not None and ws.max_row > max_rows + 1:
        return None, [CellError(sheet, None, None,
            f"{ws.max_row - 1} rows is more than the limit of {max_rows}")]
    # Number formats are looked at only where the workbook has a percent format at all:
    # reading every cell with its style costs more than reading values alone.
    percent = _has_percent_styles(_SOURCES.get(wb))
    rows_iter = ws.iter_rows(values_only=not percent, max_col=MAX_COLUMNS)
    header_cells = next(rows_iter, None)
    if percent and header_cells is not None:
        header_cells = tuple(c.value for c in header_cells)
    if not header_cells or all(c is None for c in header_cells):
        return None, [CellError(sheet, 1, None, "the sheet is empty; row 1 must name the columns")]
    header = [str(c).strip() if c is not None else "" for c in header_cells]
    errors = [CellError(sheet, 1, col, f"required column '{col}' is missing (is it renamed?)")
              for col in required if col not in header]
    if errors:
        return None, errors
    known = set(required) | set(optional)
    rows: list[tuple[int, dict[str, object]]] = []
    percent_cells: set[tuple[int, str]] = set()
    for number, cells in enumerate(rows_iter, start=2):
        if number > max_rows + 1:
            return None, [CellError(sheet, number, None,
                                    f"more rows than the limit of {max_rows}")]
        if percent and cells is not None:
            for i, cell in enumerate(cells):
                if (i < len(header) and header[i] and isinstance(cell.value, int | float)
                        and not isinstance(cell.value, bool) and is_percent_format(cell.number_format)):
                    percent_cells.add((number, header[i]))
            cells = tuple(c.value for c in cells)
        if cells is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        record = {name: cells[i] if i < len(cells) else None
                  for i, name in enumerate(header) if name}
        for name in known:
            record.setdefault(name, None)
        rows.append((number, record))
    return SheetRows(sheet, header, rows, frozenset(percent_cells)), []


def is_percent_format(number_format: str | None) -> bool:
    """Whether an Excel number format shows its number as a percentage (``0%``, ``0.0%``):
    a ``%`` outside quoted text and escapes, in the format for positive numbers."""
    if not number_format:
        return False
    return "%" in _LITERALS.sub("", number_format.split(";")[0])


# What a number format shows as it is: "quoted text", \x escapes, _x spaces, *x fills, [colour]
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


_PERCENT_BUILTINS = {i for i, code in BUILTIN_FORMATS.items() if is_percent_format(code)}


def _has_percent_styles(data: bytes | None) -> bool:
    """Whether any cell style of the workbook uses a percent number format."""
    if data is None:
        return True  # not opened by open_workbook: look at every cell to be safe
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist() if n.startswith("xl/") and n.endswith("styles.xml")]
        if not names:
            return False
        root = SafeET.fromstring(zf.read(names[0]))
    custom = {numfmt.get("numFmtId"): numfmt.get("formatCode")
              for numfmt in root.iter() if _local(numfmt.tag) == "numFmt"}
    percent_ids = {str(i) for i in _PERCENT_BUILTINS} | {
        i for i, code in custom.items() if is_percent_format(code)}
    for element in root.iter():
        if _local(element.tag) == "cellXfs":
            return any(xf.get("numFmtId") in percent_ids for xf in element)
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_xml(wb, ws) -> bytes:
    """The XML part openpyxl reads the sheet from (not always ``sheet1.xml``: its place in
    the zip is whatever the workbook's relationships say)."""
    data = _SOURCES.get(wb)
    part = getattr(ws, "_worksheet_path", None)  # openpyxl's own resolution of the part name
    if data is None or part is None:
        return b""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(part) if part in zf.namelist() else b""


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]*)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>/]*>[^<]+<")  # a cached value with content, not <v />
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v\b[^>/]*>([^<]*)<")
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ZERO_SIZE = re.compile(rb'\b(?:ht|width)="0(?:\.0*)?"')


def _attribute(attributes: bytes, name: bytes) -> str | None:
    found = re.search(rb"\b" + name + rb'="([^"]*)"', attributes)
    return found.group(1).decode() if found else None


def _merged_cells(xml: bytes, sheet: str) -> list[CellError]:
    """Merged cells join what should be separate rows or columns (read-only openpyxl does not
    see them): refused, naming the ranges."""
    refs = [m.decode(errors="replace") for m in _MERGE_REF.findall(xml)]
    if not refs:
        return []
    shown = ", ".join(refs[:5]) + (f" and {len(refs) - 5} more" if len(refs) > 5 else "")
    return [CellError(sheet, None, None,
                      f"has merged cells ({shown}); unmerge them so each row stands alone")]


def _column_name(letter: str, header: list[str]) -> str:
    index = column_index_from_string(letter) - 1
    return header[index] if index < len(header) and header[index] else letter


def _formulas_without_values(xml: bytes, sheet: SheetRows) -> list[CellError]:
    """A formula whose result was never calculated (saved by a program that does not compute)
    reads as empty with cached values; report it rather than import a blank.

    Read from the sheet's XML directly: a second parse of the whole sheet by openpyxl would
    double the time of a large import, and most files have no formula at all.
    """
    if not _FORMULA.search(xml):
        return []
    errors: list[CellError] = []
    for attributes, body in _CELL.findall(xml):
        if body and _FORMULA.search(body) and not _VALUE.search(body):
            ref = _REF.search(attributes)
            if ref is None:
                continue
            formula = re.search(rb"<(?:\w+:)?f\b[^>]*>(.*?)</", body, re.DOTALL)
            text = "=" + formula.group(1).decode(errors="replace") if formula else "a formula"
            errors.append(CellError(sheet.sheet, int(ref.group(2)),
                                    _column_name(ref.group(1).decode(), sheet.header),
                                    f"holds the formula {text} with no calculated value; "
                                    "type the value instead"))
    return errors


def _header_of(ws) -> list[str]:
    """Row 1 as column names, or nothing when row 1 itself cannot be read."""
    try:
        first = next(ws.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
    except Exception:  # row 1 holds the damage too: messages fall back to column letters
        return []
    return [str(c).strip() if c is not None else "" for c in first]


def _bad_numbers(xml: bytes, sheet: str, header: list[str]) -> list[CellError]:
    """Number cells whose stored text is not a number (``NaN``, ``inf``): openpyxl stops the
    whole sheet on the first, so they are found here, by row and column, after it fails."""
    errors: list[CellError] = []
    for attributes, body in _CELL.findall(xml):
        ref = _REF.search(attributes)
        kind = _TYPE.search(attributes)
        value = _VALUE_TEXT.search(body or b"")
        if ref is None or value is None:
            continue
        row, letter = int(ref.group(2)), ref.group(1).decode()
        text = value.group(1).decode(errors="replace").strip()
        if kind is not None and kind.group(1) != b"n":
            continue
        try:
            float(text) if any(ch in text for ch in ".eE") else int(text)
        except ValueError:
            errors.append(CellError(sheet, row, _column_name(letter, header),
                                    f"holds '{text}', which is not a number; type the figure"))
    return errors


def _hidden(xml: bytes, sheet: SheetRows, state: str) -> list[CellError]:
    """Warnings for what is read but hidden in Excel: the sheet, its columns, its rows."""
    warnings: list[CellError] = []
    if state in ("hidden", "veryHidden"):
        warnings.append(CellError(sheet.sheet, None, None,
                                  f"the sheet is hidden in Excel ({state}) but its {len(sheet.rows)} "
                                  "rows are read; unhide it and check what it holds"))
    for attributes in _COL.findall(xml):
        if _HIDDEN.search(attributes) or _ZERO_SIZE.search(attributes):
            low, high = int(_attribute(attributes, b"min") or 0), int(_attribute(attributes, b"max") or 0)
            for index in range(max(low, 1), min(high, len(sheet.header)) + 1):
                name = sheet.header[index - 1]
                if name:
                    warnings.append(CellError(sheet.sheet, None, name,
                                              f"column {get_column_letter(index)} is hidden in Excel "
                                              "but read; unhide it and check what it holds"))
    with_content = {number for number, _ in sheet.rows}
    hidden_rows = []
    for attributes in _ROW.findall(xml):
        if _HIDDEN.search(attributes) or _ZERO_SIZE.search(attributes):
            number = _attribute(attributes, b"r")
            if number and int(number) in with_content:
                hidden_rows.append(int(number))
    for number in hidden_rows[:MAX_HIDDEN_ROWS_LISTED]:
        warnings.append(CellError(sheet.sheet, number, None,
                                  "the row is hidden in Excel but read; unhide it and check it"))
    if len(hidden_rows) > MAX_HIDDEN_ROWS_LISTED:
        warnings.append(CellError(sheet.sheet, None, None,
                                  f"{len(hidden_rows) - MAX_HIDDEN_ROWS_LISTED} more hidden rows are "
                                  f"read ({len(hidden_rows)} in all); unhide them and check them"))
    return warnings
