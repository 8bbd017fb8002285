"""Reading a comparators file (.xlsx or .csv) or a Fingertips data-download CSV, safely.

The first sheet of an .xlsx (or the CSV) has the columns ``code, part, area, period, value,
count, denominator, lower_95, upper_95, lower_998, upper_998, source`` (``part``, the counts
and the limits optional; ``framework`` where a code is in more than one framework). A CSV
whose header has Fingertips' ``Indicator ID`` is read as a Fingertips download.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from data_loaders.benchmarks_store import fingertips_parts, known_areas
from data_loaders.excel import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    WorkbookRefused,
    open_workbook,
    read_sheet,
)
from performance.comparators import (
    FINGERTIPS_COLUMNS,
    ComparatorsCheck,
    check_comparator_rows,
    fingertips_rows,
)
from performance.errors import CellError
from performance.register import Register
from performance.vocabulary import COMPARATOR_COLUMNS, COMPARATOR_OPTIONAL_COLUMNS

__all__ = ["check_comparators_file", "check_comparators_upload"]


def _csv_rows(data: bytes, name: str) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkbookRefused([CellError(None, None, None,
                                         f"{name} is not UTF-8 text: save it as CSV UTF-8")]) from exc
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])][:MAX_COLUMNS]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise WorkbookRefused([CellError(None, number, None, f"more rows than the limit of {MAX_ROWS}")])
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header) if h}))
    return header, rows


def check_comparators_file(register: Register, data: bytes, name: str, areas: set[str],
                           fingertips_parts: dict[int, tuple[str, str, str]] | None = None
                           ) -> ComparatorsCheck:
    """Read and check a comparators file; every problem by sheet, row and column.

    ``areas`` are the names a value may be for (benchmark areas and group members);
    ``fingertips_parts`` maps Fingertips indicator IDs to parts for a Fingertips download.
    """
    if len(data) > MAX_FILE_BYTES:
        return ComparatorsCheck(errors=[CellError(None, None, None,
                                f"{name} is larger than {MAX_FILE_BYTES // 2**20} MB")])
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".csv":
            header, rows = _csv_rows(data, name)
            sheet = None
            if "Indicator ID" in header:
                needed = ("Indicator ID", "Area Name", "Time period", "Value")
                missing = [c for c in needed if c not in header]
                if missing:
                    return ComparatorsCheck(errors=[
                        CellError(None, 1, c, "required Fingertips column is missing") for c in missing])
                converted, warnings, errors = fingertips_rows(rows, fingertips_parts or {}, areas,
                                                              f"Fingertips data download ({name})")
                check = check_comparator_rows(register, sheet, converted, areas)
                check.errors[:0] = errors
                check.warnings.extend(warnings)
                if errors:
                    check.rows = check.rows.iloc[0:0]
                return check
            missing = [c for c in COMPARATOR_COLUMNS if c not in header]
            if missing:
                return ComparatorsCheck(errors=[CellError(None, 1, c, f"required column '{c}' is missing")
                                                for c in missing])
            for _, row in rows:
                for column in COMPARATOR_OPTIONAL_COLUMNS:
                    row.setdefault(column, None)
            return check_comparator_rows(register, sheet, rows, areas)
        if suffix != ".xlsx":
            return ComparatorsCheck(errors=[CellError(None, None, None,
                                    f"{name}: give an .xlsx workbook or a .csv file")])
        with open_workbook(data, name) as wb:
            sheet = wb.sheetnames[0]
            read, errors = read_sheet(wb, sheet, COMPARATOR_COLUMNS, COMPARATOR_OPTIONAL_COLUMNS)
            if errors:
                return ComparatorsCheck(errors=errors)
            return check_comparator_rows(register, sheet, read.rows, areas)
    except WorkbookRefused as refused:
        return ComparatorsCheck(errors=list(refused.errors))


def check_comparators_upload(engine, register: Register, data: bytes, name: str) -> ComparatorsCheck:
    """The one check of a benchmark-values file, for the command line and the Quarterly returns
    page alike: :func:`check_comparators_file` against the benchmark areas, the neighbours and
    the Fingertips IDs stored now."""
    return check_comparators_file(register, data, name, known_areas(engine), fingertips_parts(engine))


# The Fingertips columns this reader uses, for the docs and the guidance.
FINGERTIPS_READ = tuple(FINGERTIPS_COLUMNS)
