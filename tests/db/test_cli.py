"""The command line, run as a person or a scheduled job runs it: a real process, a real database."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_template_then_import_returns_stores_and_summarises(cli, tmp_path):
    template = tmp_path / "q3.xlsx"
    made = cli("template", "--period", "2009/10 Q3", "--theme-board",
               "Children and Young People's Trust Board", "--out", str(template))
    assert made.returncode == 0, made.stderr
    wb = openpyxl.load_workbook(template)
    ws = wb["Returns"]
    codes = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "NI 117" in codes and "NI 120" not in codes  # NI 120 is Health and Well-Being
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "NI 117":
            row[3].value = 6.8
    wb.save(template)
    imported = cli("import-returns", str(template), "--submitted-by", "officer@luton.gov.uk")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported q3.xlsx: 1 returns, 1 values stored")
    assert "storing 1/1" in imported.stderr  # the progress count


def test_import_returns_bad_file_exits_2_with_the_problems(cli, tmp_path):
    template = tmp_path / "q3.xlsx"
    assert cli("template", "--period", "2009/10 Q3", "--out", str(template)).returncode == 0
    wb = openpyxl.load_workbook(template)
    wb["Returns"]["D2"] = "six"
    buffer = io.BytesIO()
    wb.save(buffer)
    template.write_bytes(buffer.getvalue())
    result = cli("import-returns", str(template))
    assert result.returncode == 2
    assert "nothing was stored" in result.stderr
    assert "sheet 'Returns', row 2, column 'value': 'six' is text where a number is required" in result.stderr


def test_template_wrong_period_exits_2(cli, tmp_path):
    result = cli("template", "--period", "Q3 2009", "--out", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2 and "not a period" in result.stderr


def test_rag_prints_csv_of_every_part_with_reasons(cli):
    import csv

    result = cli("rag", "--period", "2009/10")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["code", "part", "period", "value", "target", "status", "direction",
                             "direction_year", "reason", "count", "denominator", "lower_95", "upper_95",
                             "benchmark", "benchmark_value", "compared_with_benchmark", "trend"]
    neet = next(r for r in rows if r["code"] == "NI 117")
    # 001_7c62a6d3c6b93d0e.txt line 576: 6.55% (unconfirmed) against 6.5% was reported green
    assert (neet["value"], neet["target"], neet["status"]) == ("6.55", "6.5", "green")
    assert neet["reason"].startswith("Green: 6.55%")
    assert {r["status"] for r in rows} <= {"green", "amber", "red", "no_data", "not_due", "no_target"}


def test_rag_without_period_rates_the_default_frameworks_latest_period_with_data(cli):
    import csv

    # the register has a second framework (Section 256, 2013/14) whose periods come later
    result = cli("rag")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and len({r["period"] for r in rows}) == 1
    assert rows[0]["period"][:7] in ("2008/09", "2009/10", "2010/11")
    assert any(r["value"] for r in rows)


def test_rag_piped_into_a_reader_that_stops_early_ends_without_a_traceback(cli):
    assert cli("seed").returncode == 0  # the fixture's database, made before the pipe reads it
    # `true` reads nothing and is gone before the rating is written: every write fails
    command = f"'{sys.executable}' manage.py rag --period '2009/10 Q3' | true; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", command], cwd=REPO_ROOT, env=cli.env, capture_output=True,
                          text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.stdout.strip() == "1"  # the command's own status: output was cut short


def test_rag_theme_board_filter_and_bad_input(cli):
    result = cli("rag", "--period", "2009/10 Q3", "--theme-board", "Health and Well-Being Board")
    assert result.returncode == 0 and "NI 117" not in result.stdout and "NI 123" in result.stdout
    assert cli("rag", "--period", "2009/10 Q3", "--theme-board", "Nope").returncode == 2
    assert cli("rag", "--period", "Q3").returncode == 2


def test_old_command_python_m_performance_says_it_moved_and_still_runs(cli):
    """``python -m performance`` (scheduled jobs written before the move) runs manage.py."""
    old = subprocess.run([sys.executable, "-m", "performance", "rag", "--period", "2009/10 Q3"],
                         cwd=REPO_ROOT, env=cli.env, capture_output=True, text=True, timeout=120)
    new = cli("rag", "--period", "2009/10 Q3")
    assert old.returncode == new.returncode == 0, old.stderr
    assert "'python -m performance' is now 'python manage.py'" in old.stderr
    assert old.stdout == new.stdout and "NI 117" in new.stdout


@pytest.mark.parametrize("given", ["missing.xlsx", "."])
def test_import_returns_file_that_cannot_be_read_exits_2_without_a_traceback(cli, tmp_path, given):
    path = tmp_path / given
    result = cli("import-returns", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr, result.stderr
    assert f"{path} cannot be read" in result.stderr and "nothing was stored" in result.stderr


def test_import_returns_percent_formatted_value_says_how_it_was_read(cli, tmp_path):
    template = tmp_path / "q3.xlsx"
    assert cli("template", "--period", "2009/10 Q3", "--out", str(template)).returncode == 0
    wb = openpyxl.load_workbook(template)
    for row in wb["Returns"].iter_rows(min_row=2):
        if row[0].value == "NI 117":
            row[3].value, row[3].number_format = 0.065, "0.0%"  # typed as 6.5% in Excel
            where = row[3].row
    wb.save(template)
    result = cli("import-returns", str(template))
    assert result.returncode == 0, result.stderr
    assert (f"warning: sheet 'Returns', row {where}, column 'value': shows 6.5% in Excel "
            "(the cell holds 0.065); read as 6.5") in result.stderr
    rated = cli("rag", "--period", "2009/10 Q3")
    neet = next(line for line in rated.stdout.splitlines() if line.startswith("NI 117,"))
    assert neet.split(",")[3] == "6.5"


def test_seed_register_that_cannot_be_read_exits_2_without_a_traceback(cli, tmp_path):
    result = cli("seed", "--register", str(tmp_path / "missing.xlsx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "missing.xlsx cannot be read" in result.stderr
