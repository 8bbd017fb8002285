"""The Forum's paper as a PDF, opened with poppler as a reader would: pdfinfo (A4, page count),
pdftotext (real text: sections, contents, every exception's commentary, page numbers, the
header on every page, the demo warning) and pdftoppm (the page drawn, with its RAG colours)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

import manage
from data_loaders.database import make_engine, read_register, seed_register, upgrade
from performance import overview, paper, rag
from tests.builders import FW, register_rows, write_register
from tests.conftest import skip_or_fail

LUTON = "Luton's Local Area Agreement 2008 – 2011 (2nd revision 2009-10)"
PERIOD = "2009/10 Q3"


@pytest.fixture(scope="module", autouse=True)
def poppler():
    for tool in ("pdfinfo", "pdftotext", "pdftoppm"):
        if not shutil.which(tool):
            skip_or_fail(f"{tool} not installed (Debian poppler-utils; .ci/run installs it)")


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends each page with a form feed


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def luton_paper(tmp_path_factory):
    """The paper for Luton with the demo values, built by the command line as a scheduled job would."""
    folder = tmp_path_factory.mktemp("paper")
    mp = pytest.MonkeyPatch()
    mp.setenv("DATABASE_URL", f"sqlite:///{folder / 'app.sqlite'}")
    mp.delenv("DEMO_DATA", raising=False)
    out = folder / "paper.pdf"
    assert manage.main(["report-pdf", "--period", PERIOD, "--out", str(out)]) == 0
    engine = make_engine(f"sqlite:///{folder / 'app.sqlite'}")
    register = read_register(engine)
    rated = overview.with_register_columns(rag.rate(register), register)
    mp.undo()
    yield out, register, rated[rated["framework"] == "Luton LAA 2008-11"]
    engine.dispose()


def test_paper_is_a4_with_page_n_of_n_and_the_header_on_every_page(luton_paper):
    pdf, _, _ = luton_paper
    info = _info(pdf)
    assert info["Page size"].startswith("595.276 x 841.89") and "(A4)" in info["Page size"]
    total = int(info["Pages"])
    pages = _pages(pdf)
    assert len(pages) == total >= 6
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert LUTON in page and PERIOD in page and "produced" in page


def test_paper_has_contents_summary_exceptions_and_a_section_per_board(luton_paper):
    pdf, _, rated = luton_paper
    pages = _pages(pdf)
    first = _flat(pages[0])
    assert "Contents" in first and "1. Summary" in first and "2. Exceptions" in first
    boards = sorted(rated["theme_board"].unique())
    headings = [page for page in pages[1:] if any(f"{i}. {b}" in page for i, b in enumerate(boards, start=3))]
    assert len(headings) == len(boards)
    for i, board in enumerate(boards, start=3):
        assert f"{i}. {board}" in first  # listed in the contents
    summary = _flat(pages[1])
    counts = overview.rag_counts(rated, PERIOD)
    assert f"{PERIOD}: {overview.counts_sentence(counts)}" in summary
    assert "■ Red" in summary and "▲ Amber" in summary and "● Green" in summary   # symbol and word


def test_paper_lists_every_exception_with_its_commentary_and_action(luton_paper):
    pdf, register, rated = luton_paper
    text = _flat(" ".join(_pages(pdf)))
    chased = overview.exceptions(rated, PERIOD)
    assert len(chased) >= 1
    for r in chased.itertuples():
        assert f"{r.code}{' ' + r.part if r.part else ''}: {_flat(r.title)}" in text
        assert _flat(str(r.commentary) or "No commentary received.") in text
        assert _flat(str(r.action) or "No action recorded.") in text


def test_paper_warns_of_demo_values_when_they_are_shown(luton_paper):
    pdf, _, rated = luton_paper
    assert rated[rated["period"] == PERIOD]["is_demo"].any()
    pages = _pages(pdf)
    assert "Illustrative demo values." in _flat(pages[0])
    assert all("Includes illustrative demo values" in page for page in pages)


def test_paper_page_image_shows_the_exceptions_in_their_rag_colours(luton_paper, tmp_path):
    pdf, _, _ = luton_paper
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "3", "-l", "3", str(pdf), str(tmp_path / "page")],
                   check=True)
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("RGB")
    assert image.size == (414, 585)  # A4 at 50 dpi
    raw = image.tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]

    def near(colour: str) -> int:
        target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, target, strict=True)) < 40)
    inked = sum(1 for p in pixels if sum(p) < 600)
    assert inked > 5000  # text and charts, not a blank page
    assert near("#D55E00") > 20   # red markers and symbols of the exceptions
    assert near("#0072B2") > 50   # the target lines of their trajectory charts


def test_paper_without_demo_values_has_no_warning_and_one_board_only(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DEMO_DATA", "off")
    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed_register(engine, write_register(tmp_path / "register.xlsx", register_rows()))
    register = read_register(engine)
    rated = overview.with_register_columns(rag.rate(register), register)
    data = paper.build_paper(register, rated, "2009/10", framework=FW,
                             theme_board="Health and Well-Being Board")
    pdf = tmp_path / "board.pdf"
    pdf.write_bytes(data)
    text = _flat(" ".join(_pages(pdf)))
    assert "Illustrative demo values" not in text
    assert "3. Health and Well-Being Board" in text and "Environment and Economy Board" not in text
    assert "NI 120 male" in text and "NI 117" not in text


def test_overview_builds_the_paper_for_a_performance_officer_to_download(luton_paper, monkeypatch):
    from streamlit.testing.v1 import AppTest

    pdf, _, _ = luton_paper
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{pdf.parent / 'app.sqlite'}")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=180)
    at.query_params["period"] = PERIOD
    at.query_params["view"] = "Report pack and paper"
    at.run()
    assert not at.get("download_button") or all(
        "Forum's paper" not in b.proto.label for b in at.get("download_button"))
    at.button(key="build_paper").click().run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Download the Forum's paper {PERIOD}" in labels


# --- compared with a benchmark (issue 14): real counts and England / GB values, imported ------


@pytest.fixture(scope="module")
def compared_paper(tmp_path_factory):
    """(folder, the paper compared with England by ``report-pdf``'s default) from a database
    holding the counts of NI 130, NI 135 and NI 142 and England's and Great Britain's values,
    imported through the returns template and the comparators file (tests/comparisons.py)."""
    from tests.comparisons import seeded_with_comparisons

    folder = tmp_path_factory.mktemp("compared")
    url = f"sqlite:///{folder / 'app.sqlite'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("DATABASE_URL", url)
    mp.setenv("DEMO_DATA", "off")
    seeded_with_comparisons(url).dispose()
    out = folder / "england.pdf"
    assert manage.main(["report-pdf", "--period", PERIOD, "--out", str(out)]) == 0
    yield folder, out
    mp.undo()


def _png_of_page_with(pdf: Path, text: str, folder: Path) -> Image.Image:
    """The last page showing ``text`` (a board's charts follow its table), as an image."""
    pages = _pages(pdf)
    number = max(i for i, page in enumerate(pages, start=1) if text in page)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), str(pdf),
                    str(folder / f"{pdf.stem}-{number}")], check=True)
    (png,) = folder.glob(f"{pdf.stem}-{number}*.png")
    return Image.open(png).convert("RGB")


def _near(image: Image.Image, colour: str) -> int:
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    raw = image.tobytes()
    return sum(1 for i in range(0, len(raw), 3)
               if sum(abs(a - b) for a, b in zip(raw[i:i + 3], target, strict=True)) < 40)


def test_paper_says_it_compares_with_england_in_the_summary_and_the_chart_key(compared_paper):
    _, pdf = compared_paper
    pages = _pages(pdf)
    summary = _flat(pages[1])
    # NI 130 better, NI 135 similar, NI 142 worse than England (tests/comparisons.py EXPECTED)
    assert ("Compared with England (benchmark), at 95%: 1 better than benchmark, 1 similar to benchmark, "
            "1 worse than benchmark") in summary
    text = _flat(" ".join(pages))
    assert "England (benchmark): its latest value at or before each period (dashed purple line" in text
    assert "Great Britain (benchmark)" not in text


def test_paper_charts_draw_the_benchmark_line_and_the_intervals(compared_paper, tmp_path):
    from performance.benchmark_figures import BENCHMARK_COLOUR

    folder, pdf = compared_paper
    # the Health and Well-Being Board's small multiples hold NI 130, NI 135 and NI 142
    with_line = _png_of_page_with(pdf, "NI 130 Social care clients", tmp_path)
    assert _near(with_line, BENCHMARK_COLOUR) > 60  # three dashed lines with diamonds
    # the same data laid out without a benchmark: no purple at all
    engine = make_engine(f"sqlite:///{folder / 'app.sqlite'}")
    register = read_register(engine)
    rated = overview.with_register_columns(rag.rate(register), register)
    engine.dispose()
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(paper.build_paper(register, rated, PERIOD, framework="Luton LAA 2008-11"))
    assert "(benchmark)" not in _flat(" ".join(_pages(plain)))
    assert _near(_png_of_page_with(plain, "NI 130 Social care clients", tmp_path), BENCHMARK_COLOUR) == 0


def test_report_pdf_compares_with_the_benchmark_asked_for(compared_paper):
    folder, _ = compared_paper
    out = folder / "gb.pdf"
    assert manage.main(["report-pdf", "--period", PERIOD, "--out", str(out),
                        "--benchmark", "Great Britain"]) == 0
    text = _flat(" ".join(_pages(out)))
    # against Great Britain: NI 130 similar, NI 135 better, NI 142 similar
    assert ("Compared with Great Britain (benchmark), at 95%: 1 better than benchmark, 2 similar to "
            "benchmark") in text
    assert "Great Britain (benchmark): its latest value" in text and "England (benchmark)" not in text


def test_report_pdf_with_an_unknown_benchmark_exits_2_naming_the_known_areas(compared_paper, capsys):
    folder, _ = compared_paper
    out = folder / "nowhere.pdf"
    assert manage.main(["report-pdf", "--period", PERIOD, "--out", str(out), "--benchmark", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert "--benchmark: unknown area 'Atlantis'" in err
    assert "England" in err and "Great Britain" in err and "East of England" in err
    assert not out.exists()


def test_overview_builds_the_paper_compared_with_the_pickers_benchmark(compared_paper, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    folder, _ = compared_paper
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / 'app.sqlite'}")
    monkeypatch.setenv("DEMO_DATA", "off")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=180)
    at.query_params["period"] = PERIOD
    at.query_params["benchmark"] = "Great Britain"
    at.query_params["view"] = "Report pack and paper"
    at.run()
    at.button(key="build_paper").click().run()
    assert not at.exception, at.exception
    period, _, benchmark, data = at.session_state["forum_paper"]
    assert (period, benchmark) == (PERIOD, "Great Britain")
    assert f"Download the Forum's paper {PERIOD}" in [b.proto.label for b in at.get("download_button")]
    pdf = tmp_path / "from_the_button.pdf"
    pdf.write_bytes(data)
    text = _flat(" ".join(_pages(pdf)))
    assert "Compared with Great Britain (benchmark), at 95%: 1 better than benchmark" in text
    assert "England (benchmark)" not in text
