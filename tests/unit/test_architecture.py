"""The house: arrows run one way (entry points -> ui -> data_loaders -> performance).

``performance/`` is the domain: importable without Streamlit, a database or the command line,
so it imports none of them; ``data_loaders/`` (I/O) imports no user interface.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# package -> the top-level modules it must not import
FORBIDDEN = {
    "performance": {"data_loaders", "ui", "pages", "streamlit", "manage", "app", "bench", "tests"},
    "data_loaders": {"ui", "pages", "streamlit", "manage", "app", "bench", "tests"},
    # the public scorecard reaches no code path of the staff app (its guard, pages, sign-in)
    "scorecard": {"ui", "pages", "manage", "app", "bench", "tests"},
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports (at any depth: lazy imports count)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path", [p for package in FORBIDDEN for p in sorted((REPO_ROOT / package).rglob("*.py"))],
    ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_module_imports_nothing_from_a_room_above_it(path):
    package = path.relative_to(REPO_ROOT).parts[0]
    wrong = imported_modules(path) & FORBIDDEN[package]
    assert not wrong, f"{path.relative_to(REPO_ROOT)} imports {sorted(wrong)}"


def test_imported_modules_sees_lazy_imports(tmp_path):
    """The check itself can fail: an import inside a function counts."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from data_loaders.database import open_database\n")
    assert "data_loaders" in imported_modules(module)
