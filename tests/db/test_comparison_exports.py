"""The comparison with a benchmark in the overview's table, its Excel and CSV export and the report
pack (issue 14), from counts and benchmark values imported through the real importers, on SQLite
and PostgreSQL; and ``manage.py report-pack --benchmark`` as a person runs it."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from data_loaders.benchmarks_store import own_series, read_benchmark_values
from data_loaders.database import read_register
from performance import exports, overview, rag
from performance.benchmark_rating import with_benchmarks
from performance.tables import column_label, display_codes
from performance.vocabulary import BENCHMARK_COLUMN_LABELS as L
from tests.comparisons import COUNTS, ENGLAND, EXPECTED, GREAT_BRITAIN, PERIOD, seeded_with_comparisons

REPO_ROOT = Path(__file__).resolve().parents[2]
ABOUT = {"Period": PERIOD, "Compared with": "England", "Data": "test database"}
MISSING_WORDS = {"None", "nan", "NaN", "NaT", "<NA>"}
VALUES = {"England": ENGLAND, "Great Britain": GREAT_BRITAIN}


@pytest.fixture
def data(database_url):
    """(register, the framework's rated rows, framework) of a seeded database holding the counts
    of NI 130, NI 135 and NI 142 and their England and Great Britain values."""
    engine = seeded_with_comparisons(database_url)
    register = read_register(engine)
    framework = register.frameworks["framework"].iloc[0]
    rated = overview.with_register_columns(rag.rate(register), register)
    rated = rated[rated["framework"] == framework]
    compare = {area: with_benchmarks(rated[rated["period"] == PERIOD], area,
                                     read_benchmark_values(engine, register), own_series(engine, register))
               for area in VALUES}
    yield register, rated, framework, compare
    engine.dispose()


def _by_code(frame, code_column="code"):
    return frame[frame[code_column].isin(list(COUNTS))].set_index(code_column)


def _texts(wb) -> list[str]:
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            if v is not None]


@pytest.mark.parametrize("benchmark", ["England", "Great Britain"])
def test_overview_table_has_the_comparison_in_words_after_the_action(data, benchmark):
    register, rated, framework, compare = data
    table = exports.overview_table(rated, PERIOD, compare[benchmark])
    columns = list(table.columns)
    assert columns == [*[c for c in exports.OVERVIEW_COLUMNS if c != "is_demo"], *exports.COMPARISON_COLUMNS,
                       "is_demo"]
    assert len(table) == int((rated["period"] == PERIOD).sum())
    rows = _by_code(table)
    for code, (at_95, at_998) in EXPECTED[benchmark].items():
        assert rows.loc[code, L["compared_with_benchmark"]] == at_95
        assert rows.loc[code, L["compared_with_benchmark_998"]] == at_998
        assert rows.loc[code, L["benchmark_value"]] == VALUES[benchmark][code]
        assert rows.loc[code, L["benchmark"]] == benchmark
        assert rows.loc[code, L["benchmark_period"]] == PERIOD
        assert (rows.loc[code, L["count"]], rows.loc[code, L["denominator"]]) == COUNTS[code]
        # 50 of 100: Wilson 40.38% to 59.62% (docs/benchmarks.md's worked figure)
        assert rows.loc[code, L["lower_95"]] == pytest.approx(40.383, abs=1e-3)
        assert rows.loc[code, L["upper_95"]] == pytest.approx(59.617, abs=1e-3)
        assert rows.loc[code, L["trend"]] == "Cannot be calculated"
        assert rows.loc[code, L["trend_reason"]] == "fewer than five consecutive points"
    # a part without a count is not compared, and says why (NI 152: England's 12.3 is stated in
    # the register, Luton's value came without a count)
    uncounted = table.set_index("code").loc["NI 152"]
    assert uncounted[L["compared_with_benchmark"]] == "Not compared"
    assert uncounted[L["comparison_reason"]].startswith("no confidence interval")
    words = {str(v) for c in exports.COMPARISON_COLUMNS for v in table[c].dropna()}
    assert not words & display_codes()


def test_overview_table_without_a_benchmark_is_as_before(data):
    register, rated, framework, compare = data
    assert tuple(exports.overview_table(rated, PERIOD).columns) == exports.OVERVIEW_COLUMNS


def test_overview_table_of_filtered_rows_takes_the_comparison_of_those_rows_only(data):
    register, rated, framework, compare = data
    shown = overview.apply_filters(rated, overview.Filters(status=["red"]))
    table = exports.overview_table(shown, PERIOD, compare["England"])
    assert set(table["status"]) == {"red"}
    assert table.set_index("code").loc["NI 142", L["compared_with_benchmark"]] == "Worse than benchmark"


def test_overview_table_exports_the_comparison_in_words_with_blanks_explained(data):
    register, rated, framework, compare = data
    table = exports.overview_table(rated, PERIOD, compare["England"])
    wb = openpyxl.load_workbook(io.BytesIO(exports.table_workbook(
        table, title=f"Indicators {PERIOD}", about=ABOUT, blanks=exports.COMPARISON_BLANKS)))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [column_label(c) for c in table.columns if c != "is_demo"] + ["Illustrative"]
    rows = {r[0].value: {h: c for h, c in zip(header, r, strict=True)} for r in ws.iter_rows(min_row=2)
            if r[0].value in COUNTS}
    for code, (at_95, at_998) in EXPECTED["England"].items():
        assert rows[code][L["compared_with_benchmark"]].value == at_95
        assert rows[code][L["compared_with_benchmark_998"]].value == at_998
        assert rows[code][L["benchmark_value"]].value == ENGLAND[code]
        limit = rows[code][L["lower_95"]]
        assert limit.data_type == "n" and limit.number_format == '0.0"%"'  # in the part's unit
        assert rows[code][L["comparison_reason"]].value is None  # compared: blank
    texts = _texts(wb)
    assert not {t for t in texts if t in display_codes()}
    assert not {t for t in texts if t.strip() in MISSING_WORDS}
    blanks = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}["Blank cells"]
    assert f"{L['lower_95']}, {exports.COMPARISON_BLANKS[L['lower_95']]}" in blanks
    assert f"{L['benchmark_value']}, {exports.COMPARISON_BLANKS[L['benchmark_value']]}" in blanks

    text = exports.table_csv(table).decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    counted = {r["Code"]: r for r in records if r["Code"] in COUNTS}
    assert counted["NI 142"][L["compared_with_benchmark"]] == "Worse than benchmark"
    assert counted["NI 142"][L["count"]] == "50" and counted["NI 142"][L["benchmark_period"]] == PERIOD
    cells = {v for r in records for v in r.values()}
    assert not cells & MISSING_WORDS and not cells & display_codes()


def _pack(data, benchmark: str | None = "England", progress=None) -> openpyxl.Workbook:
    register, rated, framework, compare = data
    return openpyxl.load_workbook(io.BytesIO(exports.report_pack(
        register, rated, PERIOD, framework=framework, about=ABOUT, progress=progress,
        compared=compare[benchmark] if benchmark else None)))


@pytest.mark.parametrize("benchmark", ["England", "Great Britain"])
def test_report_pack_compares_every_due_part_on_a_sheet_of_its_own(data, benchmark):
    register, rated, framework, compare = data
    wb = _pack(data, benchmark)
    sheet = f"Compared with {benchmark}"
    assert wb.sheetnames.index(sheet) == wb.sheetnames.index("Exceptions") + 1
    rows = list(wb[sheet].iter_rows(values_only=True))
    assert rows[0][0] == f"{sheet}: {PERIOD}"
    assert rows[1][0].startswith(f"Compared with {benchmark} at 95% confidence: ")
    header = list(rows[2])
    assert header == [column_label(c) for c in exports.REPORT_PACK_COMPARISON_COLUMNS]
    listed = [dict(zip(header, r, strict=True)) for r in rows[3:]]
    period_rows = rated[rated["period"] == PERIOD]
    assert len(listed) == int((period_rows["status"] != "not_due").sum())
    boards = overview.rag_counts(rated, PERIOD)["theme_board"].tolist()[1:]
    assert [r["Theme board"] for r in listed] == sorted((r["Theme board"] for r in listed), key=boards.index)
    by_code = {r["Code"]: r for r in listed}
    for code, (at_95, at_998) in EXPECTED[benchmark].items():
        assert by_code[code][L["compared_with_benchmark"]] == at_95
        assert by_code[code][L["compared_with_benchmark_998"]] == at_998
        assert by_code[code][L["benchmark_value"]] == VALUES[benchmark][code]
    better = sum(at_95 == "Better than benchmark" for at_95, _ in EXPECTED[benchmark].values())
    assert f"{better} better" in rows[1][0]
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Benchmark"].startswith(f"{benchmark}. On the sheet \"{sheet}\"")
    assert "Compared with benchmark (95%)" not in about["Blank cells"]  # never blank: "Not compared"
    assert f"{L['count']}, {exports.COMPARISON_BLANKS[L['count']]}" in about["Blank cells"]
    texts = _texts(wb)
    assert not {t for t in texts if t in display_codes()}
    assert not {t for t in texts if t.strip() in MISSING_WORDS}


def test_report_pack_board_sheets_keep_their_columns_and_progress_reaches_the_end(data):
    calls = []
    wb = _pack(data, "England", progress=lambda done, total: calls.append((done, total)))
    board = wb["Health and Well-Being Board"]
    assert [c.value for c in board[3]] == [column_label(c) for c in exports.REPORT_PACK_COLUMNS]
    assert calls and calls[-1][0] == calls[-1][1]


def test_report_pack_without_a_benchmark_has_no_comparison_sheet(data):
    wb = _pack(data, None)
    assert not [s for s in wb.sheetnames if s.startswith("Compared with")]
    assert "Benchmark" not in {r[0] for r in wb["About"].iter_rows(values_only=True)}


# --- manage.py report-pack --benchmark ----------------------------------------------------------


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """Run ``python manage.py ...`` against one SQLite database holding the imported counts and
    benchmark values."""
    tmp = tmp_path_factory.mktemp("cli-comparison")
    url = f"sqlite:///{tmp / 'x.sqlite'}"
    seeded_with_comparisons(url).dispose()
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DEMO_DATA", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    return run


@pytest.mark.parametrize(("args", "benchmark"), [((), "England"),
                                                 (("--benchmark", "Great Britain"), "Great Britain")])
def test_cli_report_pack_compares_with_the_benchmark_asked_for(cli, tmp_path, args, benchmark):
    out = tmp_path / "pack.xlsx"
    result = cli("report-pack", "--period", PERIOD, "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    sheet = f"Compared with {benchmark}"
    assert [s for s in wb.sheetnames if s.startswith("Compared with")] == [sheet]
    rows = list(wb[sheet].iter_rows(min_row=3, values_only=True))
    by_code = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    for code, (at_95, _) in EXPECTED[benchmark].items():
        assert by_code[code][L["compared_with_benchmark"]] == at_95
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Benchmark"].startswith(f"{benchmark}.")


def test_cli_report_pack_refuses_an_unknown_benchmark_naming_the_known_ones(cli, tmp_path):
    out = tmp_path / "never.xlsx"
    result = cli("report-pack", "--period", PERIOD, "--out", str(out), "--benchmark", "Narnia")
    assert result.returncode == 2, result.stderr
    assert "--benchmark: unknown area 'Narnia'; known: " in result.stderr
    for area in ("England", "East of England", "Great Britain", "Statistical neighbours"):
        assert area in result.stderr
    assert not out.exists()
