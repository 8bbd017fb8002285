"""``export`` and ``report-pack`` run as a person or a scheduled job runs them: real processes, a
real SQLite database (seeded, with the illustrative demo values on, the default)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from performance.exports import OVERVIEW_COLUMNS, REPORT_PACK_COLUMNS
from performance.tables import column_label, display_codes
from performance.vocabulary import UNIT_LABELS

REPO_ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2009/10 Q3"
CYP = "Children and Young People's Trust Board"
HWB = "Health and Well-Being Board"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """Run ``python manage.py ...`` against one database (seeded on the first run)."""
    tmp = tmp_path_factory.mktemp("cli-exports")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'x.sqlite'}"}
    env.pop("DEMO_DATA", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    return run


def table(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def about(path: Path) -> dict:
    return {r[0]: r[1] for r in openpyxl.load_workbook(path)["About"].iter_rows(values_only=True) if r[0]}


def test_export_writes_the_overview_table_of_the_period(cli, tmp_path):
    out = tmp_path / "all.xlsx"
    result = cli("export", "--period", PERIOD, "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = table(out)
    assert result.stdout.strip() == f"wrote {out} ({len(rows)} rows)"
    assert len(rows) > 20 and {r["Period"] for r in rows} == {PERIOD}
    assert list(rows[0]) == [column_label(c) for c in OVERVIEW_COLUMNS if c != "is_demo"] + ["Illustrative"]
    assert "Theme board" in rows[0] and "Forecast year end" in rows[0]
    assert any(r["Illustrative"] == "demo" for r in rows)  # demo values on, and marked
    info = about(out)
    assert info["Period"] == PERIOD and info["Filters"] == "none"
    assert info["Data"].startswith("sqlite:///") and info["Illustrative values"].startswith("YES")


@pytest.mark.parametrize(("statuses", "labels"), [
    ("red", {"■ Red"}),
    ("red,amber", {"■ Red", "▲ Amber"}),
    ("Green, no_data", {"● Green", "○ No data"}),
])
def test_export_respects_the_status_filter(cli, tmp_path, statuses, labels):
    out = tmp_path / "filtered.xlsx"
    result = cli("export", "--period", PERIOD, "--status", statuses, "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = table(out)
    assert rows and {r["Status"] for r in rows} <= labels
    assert "status:" in about(out)["Filters"]


def test_export_respects_the_theme_board_filter(cli, tmp_path):
    out = tmp_path / "board.xlsx"
    result = cli("export", "--period", PERIOD, "--theme-board", HWB, "--status", "red,green",
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = table(out)
    assert rows and {r[column_label("theme_board")] for r in rows} == {HWB}
    assert {r[column_label("status")] for r in rows} <= {"■ Red", "● Green"}
    assert about(out)["Filters"] == f"theme board: {HWB}; status: ■ Red, ● Green"  # in words


def test_export_to_csv_writes_csv(cli, tmp_path):
    out = tmp_path / "board.csv"
    result = cli("export", "--period", PERIOD, "--theme-board", CYP, "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert result.stdout.strip() == f"wrote {out} ({len(rows)} rows)"
    assert rows and {r["Theme board"] for r in rows} == {CYP}
    assert list(rows[0]) == [column_label(c) for c in OVERVIEW_COLUMNS if c != "is_demo"] + ["Illustrative"]
    # for people, in words (the rag command's CSV keeps the codes for scripts)
    assert {r["Unit"] for r in rows} <= set(UNIT_LABELS.values()) and "Percent" in {r["Unit"] for r in rows}
    assert not {v for r in rows for v in r.values()} & display_codes()


def test_report_pack_writes_summary_boards_and_exceptions(cli, tmp_path):
    out = tmp_path / "pack.xlsx"
    result = cli("report-pack", "--period", PERIOD, "--out", str(out))
    assert result.returncode == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    # with every part compared with England (report-pack's default --benchmark) after the exceptions
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-4:] == ["Exceptions", "Compared with England",
                                                                    "Reward estimate", "About"]
    assert HWB in wb.sheetnames and "Children & Young People's Trust" in wb.sheetnames
    board_header = [c.value for c in wb[HWB][3]]  # below the title and subtitle
    assert board_header[:len(REPORT_PACK_COLUMNS)] == [column_label(c) for c in REPORT_PACK_COLUMNS]
    parts = sum(ws.max_row - 3 for ws in wb.worksheets[1:-4])  # title, subtitle, header
    assert result.stdout.strip() == f"wrote {out} ({parts} rows)"
    headline = wb["Summary"]["A3"].value
    assert " green, " in headline and " amber, " in headline and " red" in headline
    assert "writing" in result.stderr  # the progress count


@pytest.mark.parametrize(("args", "message"), [
    (("export", "--period", "Q3 2009"), "--period: 'Q3 2009' is not a period"),
    (("export", "--period", "2019/20 Q1"), "is outside Luton LAA 2008-11"),
    (("export", "--period", PERIOD, "--theme-board", "Parks Board"), "unknown theme board 'Parks Board'"),
    (("export", "--period", PERIOD, "--status", "red,purple"), "unknown status 'purple'"),
    (("export", "--period", PERIOD, "--framework", "Nope"), "unknown framework 'Nope'"),
    (("report-pack", "--period", "2009/10 Q5"), "is not a period"),
    (("report-pack", "--period", "2015/16"), "is outside"),
])
def test_export_commands_refuse_bad_input_with_exit_2(cli, tmp_path, args, message):
    out = tmp_path / "never.xlsx"
    result = cli(*args, "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not out.exists()


def test_report_pack_refuses_a_csv_file_name(cli, tmp_path):
    result = cli("report-pack", "--period", PERIOD, "--out", str(tmp_path / "pack.csv"))
    assert result.returncode == 2 and "a report pack is a workbook" in result.stderr

