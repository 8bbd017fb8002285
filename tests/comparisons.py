"""A seeded database holding real counts on returns and real benchmark values, both brought in
through the importers people use (the returns template and the comparators file), so the
comparison columns have rows better, similar and worse than England, and others for Great
Britain."""

from __future__ import annotations

import io

import openpyxl

PERIOD = "2009/10 Q3"
FW = "Luton LAA 2008-11"

# 50 of 100 is 50.0%: Wilson 95% 40.38 to 59.62, 99.8% 35.24 to 64.76 (docs/benchmarks.md).
COUNTS = {"NI 130": (50, 100), "NI 135": (50, 100), "NI 142": (50, 100)}
# every part higher is better: England 36 is below the interval (better at 95%, similar at
# 99.8%), 50 inside it (similar), 70 above it (worse at both); Great Britain differs
ENGLAND = {"NI 130": 36.0, "NI 135": 50.0, "NI 142": 70.0}
GREAT_BRITAIN = {"NI 130": 55.0, "NI 135": 30.0, "NI 142": 45.0}
EXPECTED = {
    "England": {"NI 130": ("Better than benchmark", "Similar to benchmark"),
                "NI 135": ("Similar to benchmark", "Similar to benchmark"),
                "NI 142": ("Worse than benchmark", "Worse than benchmark")},
    "Great Britain": {"NI 130": ("Similar to benchmark", "Similar to benchmark"),
                      "NI 135": ("Better than benchmark", "Better than benchmark"),
                      "NI 142": ("Similar to benchmark", "Similar to benchmark")},
}
COMPARATORS_HEADER = ("code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,"
                      "source")


def _returns_file(register) -> bytes:
    from data_loaders.returns_file import build_template

    wb = openpyxl.load_workbook(io.BytesIO(build_template(register, FW, PERIOD)))
    ws = wb["Returns"]
    header = [c.value for c in ws[1]]
    filled = 0
    for row in ws.iter_rows(min_row=2):
        if row[0].value in COUNTS and not (row[1].value or ""):
            count, denominator = COUNTS[row[0].value]
            row[header.index("value")].value = round(100 * count / denominator, 1)
            row[header.index("numerator")].value = count
            row[header.index("denominator")].value = denominator
            filled += 1
    assert filled == len(COUNTS), "the template lists every counted part"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _comparators_file() -> bytes:
    lines = [COMPARATORS_HEADER]
    for area, values in (("England", ENGLAND), ("Great Britain", GREAT_BRITAIN)):
        lines += [f"{code},,{area},{PERIOD},{value},,,,,,,Test figures for the comparison columns"
                  for code, value in values.items()]
    return ("\n".join(lines) + "\n").encode()


def import_counts_and_benchmarks(engine) -> None:
    """Import the counts (a filled returns template) and the England and Great Britain values
    (a comparators CSV) into a seeded database, each through its real check and store."""
    from data_loaders.benchmarks_store import fingertips_parts, known_areas, store_benchmark_values
    from data_loaders.comparators_file import check_comparators_file
    from data_loaders.database import file_checksum, read_register, store_returns
    from data_loaders.returns_file import check_returns_file

    register = read_register(engine, include_demo=False)
    data = _returns_file(register)
    check = check_returns_file(register, data, "returns.xlsx")
    assert check.ok, check.errors
    store_returns(engine, check.rows, file_name="returns.xlsx", checksum=file_checksum(data),
                  submitted_by="officer")
    data = _comparators_file()
    register = read_register(engine, include_demo=False)
    check = check_comparators_file(register, data, "comparators.csv", known_areas(engine),
                                   fingertips_parts(engine))
    assert check.ok, check.errors
    store_benchmark_values(engine, check.rows, file_name="comparators.csv",
                           checksum=file_checksum(data), submitted_by="analyst")


def seeded_with_comparisons(url: str):
    """A database at ``url``, migrated, seeded with ``indicators.xlsx`` and the imports above."""
    from data_loaders.database import make_engine, seed_register, upgrade
    from data_loaders.workbook import DEFAULT_REGISTER_PATH

    engine = make_engine(url)
    upgrade(engine)
    seed_register(engine, DEFAULT_REGISTER_PATH)
    import_counts_and_benchmarks(engine)
    return engine
