"""The report pack's comparison sheet opened by LibreOffice (headless), as a board member's
spreadsheet would open it: the comparison in words, numbers as numbers, no code and no "None"."""

from __future__ import annotations

import pytest

from data_loaders.benchmarks_store import own_series, read_benchmark_values
from data_loaders.database import read_register
from performance import exports, overview, rag
from performance.benchmark_rating import with_benchmarks
from performance.tables import column_label
from performance.vocabulary import BENCHMARK_COLUMN_LABELS as L
from tests.comparisons import EXPECTED, PERIOD, seeded_with_comparisons
from tests.e2e.test_libreoffice import codes_or_none, records, sheets_as_csv, soffice  # noqa: F401

ABOUT = {"Period": PERIOD, "Data": "test database with imported counts and England values"}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("comparison-pack")
    engine = seeded_with_comparisons(f"sqlite:///{tmp / 'x.sqlite'}")
    register = read_register(engine)
    framework = register.frameworks["framework"].iloc[0]
    rated = overview.with_register_columns(rag.rate(register), register)
    rated = rated[rated["framework"] == framework]
    compared = with_benchmarks(rated[rated["period"] == PERIOD], "England",
                               read_benchmark_values(engine, register), own_series(engine, register))
    engine.dispose()
    source = tmp / "pack.xlsx"
    source.write_bytes(exports.report_pack(register, rated, PERIOD, framework=framework, about=ABOUT,
                                           compared=compared))
    return source


def test_libreoffice_reads_the_comparison_sheet_in_words(soffice, tmp_path, pack):  # noqa: F811
    sheets = sheets_as_csv(soffice, pack, tmp_path / "out")
    if "(first sheet)" in sheets:
        pytest.skip("LibreOffice before 7.2 converts only the first sheet (the Summary)")
    assert "Compared with England" in sheets
    assert not codes_or_none(sheets), codes_or_none(sheets)
    rows = records(sheets["Compared with England"], column_label("theme_board"))
    assert list(rows[0]) == [column_label(c) for c in exports.REPORT_PACK_COMPARISON_COLUMNS]
    by_code = {r["Code"]: r for r in rows}
    for code, (at_95, at_998) in EXPECTED["England"].items():
        assert by_code[code][L["compared_with_benchmark"]] == at_95
        assert by_code[code][L["compared_with_benchmark_998"]] == at_998
        assert float(by_code[code][L["lower_95"]]) == pytest.approx(40.383, abs=1e-3)  # a number
    about = {r[0]: r[1] for r in sheets["About"] if len(r) > 1 and r[0]}
    assert about["Benchmark"].startswith("England. On the sheet \"Compared with England\"")
