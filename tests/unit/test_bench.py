"""The benchmark command runs in quick mode, prints its table and writes the results file.

No timings are asserted: they depend on the machine. Quick mode uses small sizes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.registry import registry

REPO_ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ("measurement", "subject median s", "min s", "max s", "floor median s", "ratio", "target",
           "met?")


def test_bench_quick_prints_the_table_and_writes_the_results(tmp_path):
    out = tmp_path / "results.md"
    # One trial each: the run is checked here, not measured (quick sizes are not judged).
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--repeat", "1", "--out", str(out)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("measurement"))
    assert all(column in header for column in COLUMNS)
    for name in ("rag_1m_arrays", "rag_1m_rate", "benchmarks_1m", "import_10k_sqlite",
                 "import_10k_postgresql", "export_10k", "overview_render_luton", "overview_render_scale",
                 "overview_render_scale_parts", "overview_after_change_scale", "browser_overview",
                 "browser_overview_matrix", "server_memory_scale",
                 "server_memory_20_tabs", "paper_pdf_luton", "paper_pdf_scale"):
        assert any(line.startswith(name) for line in done.stdout.splitlines()), name
    text = out.read_text()
    assert text.startswith("# Benchmark results")
    assert "## Machine" in text and "- CPU: " in text and "- pandas: " in text
    assert "| " + " | ".join(COLUMNS) + " |" in text
    assert "| import_10k_sqlite | " in text
    for name in ("export_10k", "overview_render_luton", "overview_render_scale",
                 "overview_render_scale_parts", "overview_after_change_scale", "paper_pdf_luton"):
        row = next(line for line in text.splitlines() if line.startswith(f"| {name} | "))
        assert "skipped" not in row and "| - |" not in row, row  # these need nothing but the venv
    for name in ("server_memory_scale", "server_memory_20_tabs"):
        memory = next(line for line in text.splitlines() if line.startswith(f"| {name} | "))
        assert " MB |" in memory or "skipped" in memory, memory


def test_bench_only_runs_the_measurements_named(tmp_path, capsys):
    out = tmp_path / "nested" / "results.md"
    assert main(["--quick", "--repeat", "1", "--only", "rag_1m_arr", "--out", str(out)]) == 0
    table = capsys.readouterr().out
    assert "rag_1m_arrays" in table and "rag_1m_rate" not in table
    text = out.read_text()
    assert "| rag_1m_arrays | " in text and "rag_1m_rate" not in text
    assert "n/a (quick)" in text  # quick sizes are not judged against the targets


def test_bench_unknown_measurement_is_refused(tmp_path, capsys):
    assert main(["--quick", "--only", "no_such_thing", "--out", str(tmp_path / "r.md")]) == 2
    assert "no measurement named no_such_thing" in capsys.readouterr().err
    assert not (tmp_path / "r.md").exists()


def test_every_measurement_has_a_description_and_a_target():
    for m in registry().values():
        assert m.description and m.target.describe() != "-", m.name


@pytest.mark.parametrize(("quick", "given", "expected"),
                         [(False, False, 2), (False, True, 5), (True, False, 5)])
def test_a_measurement_with_its_own_trials_runs_them_unless_told_otherwise(tmp_path, quick, given, expected):
    from bench.registry import Measurement, Sample, Target, run

    m = Measurement("slow", "a slow one", Target(text="report"), lambda ctx: lambda: Sample(1.0, 1.0),
                    warmup=False, trials=2)
    assert len(run(m, quick, 5, tmp_path, repeats_given=given).samples) == expected
