"""The overview's views (tabs of which only the open one is built) and its filter panel, in AppTest.

What each view draws is told by an element only it draws (its table, its matrix, its buttons);
which view was built is told by the one tab with anything in it (``ui.page.open_view`` builds
only the open tab, the others stay empty).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

# The shared AppTest fixtures: `app` (no sign-in configured: the local admin) and `signed_in`
# (sign-in configured, a user of each role), with their module-scoped seeded databases.
from tests.e2e.test_pages import app, app_database  # noqa: F401
from tests.e2e.test_roles import database, signed_in  # noqa: F401

PERIOD = "2009/10 Q3"  # has exceptions (4 reds) and reward-eligible parts in the seeded data
BOARD = "Health and Well-Being Board"

EXCEPTIONS, RED_RED, PARTS = "Exceptions", "Red-red", "Every indicator part"
MATRIX, REWARD, REPORTS = "Three years at a glance", "Reward estimate", "Report pack and paper"
EVERYONE_S_VIEWS = [EXCEPTIONS, RED_RED, PARTS, MATRIX, REWARD]


def _has_table_with(column: str):
    return lambda at: any(column in d.value.columns for d in at.dataframe)


#: An element each view draws and no other part of the overview does.
DRAWN = {
    EXCEPTIONS: _has_table_with("Listed for"),
    RED_RED: lambda at: any(s.value.startswith("Red-red: ") for s in at.subheader),
    PARTS: _has_table_with("Lead partner"),
    MATRIX: lambda at: any("lsp-matrix" in h.value for h in at.get("html")),
    REWARD: _has_table_with("Share of improvement so far"),
    REPORTS: lambda at: {"build_pack", "build_paper"} <= {b.key for b in at.button},
}


def _built(at: AppTest) -> list[str]:
    """The labels of the tabs that have anything drawn in them."""
    return [tab.label for tab in at.tabs if tab.children]


def _drawn(at: AppTest) -> list[str]:
    """The views whose own element is on the page."""
    return [view for view, drawn in DRAWN.items() if drawn(at)]


def _counts(at: AppTest) -> list[str]:
    """The headline: the counts of each status."""
    return [m.value for m in at.metric]


def test_first_visit_builds_only_the_exceptions_view(app):  # noqa: F811
    at = app("app.py")
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == [*EVERYONE_S_VIEWS, REPORTS]  # the local admin
    assert _built(at) == [EXCEPTIONS]
    assert not any("lsp-matrix" in h.value for h in at.get("html")), (
        "the three-year status matrix is built on a first visit")
    assert not _has_table_with("Lead partner")(at), "the parts table is built on a first visit"
    assert not DRAWN[REWARD](at), "the reward estimate is built on a first visit"
    assert "view" not in at.query_params  # the first view is not named in the URL


@pytest.mark.parametrize("view", [*EVERYONE_S_VIEWS, REPORTS])
def test_view_in_the_url_opens_that_view_and_only_it(app, view):  # noqa: F811
    at = app("app.py", {"period": PERIOD, "view": view})
    assert not at.exception, at.exception
    assert _built(at) == [view]
    assert _drawn(at) == [view]


def test_unknown_view_in_the_url_opens_the_exceptions(app):  # noqa: F811
    at = app("app.py", {"period": PERIOD, "view": "Nonsense"})
    assert not at.exception, at.exception
    assert _built(at) == [EXCEPTIONS]
    assert _drawn(at) == [EXCEPTIONS]


@pytest.mark.parametrize(("role", "may_sign_off"), [("viewer", False), ("editor", False),
                                                     ("performance_officer", True), ("admin", True)])
def test_report_pack_view_only_for_those_who_may_sign_off(signed_in, role, may_sign_off):  # noqa: F811
    at = signed_in(role, query={"period": PERIOD, "view": REPORTS})
    assert not at.exception, at.exception
    labels = [tab.label for tab in at.tabs]
    assert labels == EVERYONE_S_VIEWS + ([REPORTS] if may_sign_off else [])
    # A link to the report pack gives anyone else the exceptions, and no build button.
    assert _built(at) == [REPORTS if may_sign_off else EXCEPTIONS]
    assert _drawn(at) == [REPORTS if may_sign_off else EXCEPTIONS]
    builds = {b.key for b in at.button} & {"build_pack", "build_paper"}
    assert builds == ({"build_pack", "build_paper"} if may_sign_off else set())


def test_filter_panel_without_a_filter_is_closed_and_says_none_set(app):  # noqa: F811
    at = app("app.py", {"period": PERIOD})
    (panel,) = at.expander
    assert panel.label == "Filters: none set"
    assert panel.proto.expanded is False
    assert not at.multiselect, "the filters' widgets are drawn while the panel is closed"


def test_filter_panel_with_a_board_in_the_url_is_open_and_names_it(app):  # noqa: F811
    everything = _counts(app("app.py", {"period": PERIOD}))
    at = app("app.py", {"period": PERIOD, "theme_board": BOARD})
    (panel,) = at.expander
    assert panel.label == f"Filters: theme board: {BOARD}"
    assert panel.proto.expanded is True
    assert at.multiselect(key="f_theme_board").value == [BOARD]
    assert _counts(at) != everything


@pytest.mark.parametrize("boards", ["Nonsense", "Nonsense,Made-up Board"])
def test_filter_panel_ignores_a_board_the_register_lacks(app, boards):  # noqa: F811
    everything = _counts(app("app.py", {"period": PERIOD}))
    at = app("app.py", {"period": PERIOD, "theme_board": boards})
    assert not at.exception, at.exception
    (panel,) = at.expander
    assert panel.label == "Filters: none set"
    assert panel.proto.expanded is False
    assert _counts(at) == everything
    assert any(c.value.endswith("Filters: none.") for c in at.caption)


def test_filter_panel_keeps_the_known_board_of_a_url_with_an_unknown_one(app):  # noqa: F811
    only_board = _counts(app("app.py", {"period": PERIOD, "theme_board": BOARD}))
    at = app("app.py", {"period": PERIOD, "theme_board": f"Nonsense,{BOARD}"})
    assert at.expander[0].label == f"Filters: theme board: {BOARD}"
    assert at.multiselect(key="f_theme_board").value == [BOARD]
    assert _counts(at) == only_board


def test_filter_panel_closed_still_applies_the_url_filter(app):  # noqa: F811
    at = app("app.py", {"period": PERIOD, "theme_board": BOARD})
    filtered = _counts(at)
    at.session_state["filters"] = False  # the panel closed, as a click on its label does
    at.run()
    assert not at.exception, at.exception
    (panel,) = at.expander
    assert panel.proto.expanded is False and not at.multiselect
    assert panel.label == f"Filters: theme board: {BOARD}"
    assert _counts(at) == filtered
    assert at.query_params["theme_board"] == BOARD


def test_filter_panel_opened_then_a_board_chosen_narrows_the_counts_and_names_it(app):  # noqa: F811
    at = app("app.py", {"period": PERIOD})
    everything = _counts(at)
    at.session_state["filters"] = True  # the panel opened, as a click on its label does
    at.run()
    at.multiselect(key="f_theme_board").select(BOARD).run()
    assert not at.exception, at.exception
    assert at.query_params["theme_board"] == BOARD
    (panel,) = at.expander
    assert panel.label == f"Filters: theme board: {BOARD}" and panel.proto.expanded is True
    assert _counts(at) != everything


def test_filter_panel_last_board_removed_clears_the_url_and_the_label(app):  # noqa: F811
    everything = _counts(app("app.py", {"period": PERIOD}))
    at = app("app.py", {"period": PERIOD, "theme_board": BOARD})
    at.multiselect(key="f_theme_board").unselect(BOARD).run()
    assert not at.exception, at.exception
    for _ in range(2):  # as the click's run shows it, and as the next run (any click) does
        assert "theme_board" not in at.query_params
        assert at.expander[0].label == "Filters: none set"
        assert _counts(at) == everything
        at.run()
