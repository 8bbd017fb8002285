"""The README's two commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (REPO_ROOT / "README.md").read_text())


def test_readme_has_exactly_two_commands_each_making_its_venv():
    commands = _readme_commands()
    assert len(commands) == 2
    assert all(c.startswith("python3 -m venv .venv && ") for c in commands)
    assert "streamlit run app.py" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    assert _readme_commands()[1] in (REPO_ROOT / ".ci" / "run").read_text()
