"""Settings that keep details from visitors and secrets out of git (issue 18, items 6 and 9)."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from performance.access import User, sees_pending
from performance.returns import name_problem

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_shows_visitors_no_error_details():
    # "none": no message, type or trace; the legacy `false` would still show the stack trace
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.parametrize("path", [".streamlit/secrets.toml", ".embedded-database", "data/performance.sqlite"])
def test_gitignore_keeps_secrets_and_local_data_out_of_git(path):
    done = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert done.returncode == 0, f"{path} is not ignored"


@pytest.mark.parametrize("name, refused", [
    ("officer@luton.gov.uk", False),
    ("Jane O'Neil (NHS Luton)", False),
    ("", False),  # empty is the page's own "enter your name" case
    ("off\x00icer", True),
    ("officer\t", True),
    ("officer\x7f", True),
])
def test_name_problem_refuses_control_characters(name, refused):
    problem = name_problem(name)
    assert bool(problem) is refused
    if refused:
        assert "control character" in problem and "U+" in problem


PARTS = pd.DataFrame({"theme_board": ["Health and Well-Being Board"], "lead_partner": ["NHS Luton"]})


@pytest.mark.parametrize("user, sees", [
    (User("admin@luton.gov.uk", {"admin"}), True),
    (User("subgroup@luton.gov.uk", {"performance_officer"}), True),
    (User("officer@nhs.net", {"editor"}, [("theme_board", "Health and Well-Being Board")]), True),
    (User("officer@nhs.net", {"editor"}, [("lead_partner", "NHS Luton")]), True),
    (User("cyp@luton.gov.uk", {"editor"}, [("theme_board", "Children and Young People's Trust Board")]),
     False),
    (User("viewer@luton.gov.uk", {"viewer"}), False),
])
def test_sees_pending_only_within_the_editors_scope(user, sees):
    assert sees_pending(user, PARTS) is sees
