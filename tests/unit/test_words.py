"""The client's words in charts and the status matrix: no vocabulary code, no "None" or "nan"
in any name, title, axis or hover text (issue 17 items 1 and 2)."""

from __future__ import annotations

import re

import pytest

from performance import overview
from performance.figures import small_multiples, trajectory_figure
from performance.matrix import status_grid, status_matrix_html
from performance.tables import display_codes
from tests.builders import luton_rated

MISSING_WORDS = re.compile(r"\b(None|nan|NaN|NaT)\b|<NA>")
CODE_IN_TEXT = re.compile(r"\b(" + "|".join(sorted((c for c in display_codes() if "_" in c),
                                                   key=len, reverse=True)) + r")\b")


@pytest.fixture(scope="module")
def luton():
    register, rated, framework = luton_rated()
    return register, overview.with_reasons(rated, register), framework


def _figure_texts(figure) -> list[str]:
    """Every text a reader can see in a Plotly figure: titles, trace names, hover, annotations."""
    texts = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("text", "name", "hovertext", "title", "ticktext"):
            texts.append(node)
    walk(figure.to_plotly_json())
    return texts


def test_every_trajectory_speaks_the_clients_words(luton):
    register, rated, _ = luton
    bad = {}
    for (code, part), rows in rated.groupby(["code", "part"], sort=False):
        figure = trajectory_figure(rows, register.targets, title=f"{code} {part}".strip())
        found = [t for t in _figure_texts(figure) if CODE_IN_TEXT.search(t) or MISSING_WORDS.search(t)]
        if found:
            bad[f"{code} {part}"] = found[:3]
    assert not bad, bad


def test_every_small_multiple_speaks_the_clients_words(luton):
    register, rated, _ = luton
    for board, rows in rated.groupby("theme_board", sort=False, observed=True):
        for label, figure in small_multiples(rows, register.targets, register):
            found = [t for t in _figure_texts(figure) if CODE_IN_TEXT.search(t) or MISSING_WORDS.search(t)]
            assert not found, (board, label, found[:3])


def test_status_matrix_speaks_the_clients_words(luton):
    _, rated, _ = luton
    html = status_matrix_html(status_grid(rated), current="2009/10 Q3")
    # what is read (outside the style sheet and the tags), and the hover titles
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S))
    titles = re.findall(r'title="([^"]*)"', html)
    for piece in (text, *titles):
        assert not CODE_IN_TEXT.search(piece), CODE_IN_TEXT.search(piece)
        assert not MISSING_WORDS.search(piece), MISSING_WORDS.search(piece)


def test_returns_template_guidance_is_in_the_clients_words():
    """The template's Guidance sheet is read by accountable officers: words, not codes; the
    Returns sheet they fill in keeps its column names, which the import reads."""
    import io

    import openpyxl

    from data_loaders.returns_file import build_template
    from data_loaders.workbook import read_register

    register = read_register()
    framework = register.frameworks["framework"].iloc[0]
    wb = openpyxl.load_workbook(io.BytesIO(build_template(register, framework, "2009/10 Q3")))
    rows = list(wb["Guidance"].iter_rows(values_only=True))
    header, cells = rows[0], [v for r in rows[1:] for v in r if isinstance(v, str)]
    assert header[:6] == ("code", "part", "title", "unit", "polarity", "measure")
    assert not set(cells) & display_codes()
    assert {"Higher is better", "Lower is better", "Rate per 1,000", "Cumulative in year"} <= set(cells)
