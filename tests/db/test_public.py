"""What the public scorecard reads: published, real values of the public frameworks only."""

from __future__ import annotations

import pytest

from data_loaders.database import read_register
from data_loaders.public import public_frameworks, read_public_register, set_public_frameworks
from performance import rag
from performance.overview import with_reasons, with_register_columns
from performance.public import chart_table, parts_table
from tests.public_data import FRAMEWORK, PERIOD, PUBLISHED_COMMENTARY, SECRETS, prepare_public_database


@pytest.fixture(autouse=True)
def _no_demo(monkeypatch):
    monkeypatch.setenv("DEMO_DATA", "off")


@pytest.fixture
def engine(database_url):
    engine = prepare_public_database(database_url, public=False)
    yield engine
    engine.dispose()


def test_no_framework_is_public_until_one_is_chosen(engine):
    assert public_frameworks(engine) == []
    set_public_frameworks(engine, [FRAMEWORK], actor="test")
    assert public_frameworks(engine) == [FRAMEWORK]


def test_public_register_holds_only_published_values_without_internal_commentary(engine):
    register = read_public_register(engine, [FRAMEWORK])
    assert set(register.indicators["framework"]) == {FRAMEWORK}
    returns = register.returns.set_index("code")
    assert returns.loc["NI 156", "value"] == 612  # the published one, not the submitted 48,213
    assert returns.loc["NI 156", "commentary"] == PUBLISHED_COMMENTARY
    assert returns.loc["NI 181", "value"] == 17
    assert returns.loc["NI 181", ["commentary", "action"]].tolist() == ["", ""]
    ni030 = register.returns[register.returns["code"] == "NI 030"]
    assert PERIOD not in set(ni030["period"])  # sent back: never published
    # The staff register still has the internal words (they are hidden, not lost).
    staff = read_register(engine).returns.set_index("code")
    assert staff.loc["NI 181", "commentary"] == "INTERNAL-ONLY-7f3k"


def test_public_tables_never_show_a_secret(engine):
    register = read_public_register(engine, [FRAMEWORK])
    rated = with_reasons(with_register_columns(rag.rate(register), register), register)
    rows = rated[rated["period"] == PERIOD]
    text = parts_table(rows).to_csv() + "".join(
        chart_table(g).to_csv() for _, g in rated.groupby(["code", "part"]))
    assert "612" in text and PUBLISHED_COMMENTARY in text
    for secret in SECRETS:
        assert secret not in text


def test_demo_values_are_never_public(engine, monkeypatch):
    from data_loaders.database import load_demo

    monkeypatch.setenv("DEMO_DATA", "on")
    load_demo(engine)
    register = read_public_register(engine, [FRAMEWORK])
    assert not register.returns["is_demo"].any()
    assert len(read_register(engine).returns) > len(register.returns)


def test_commentary_edited_as_internal_leaves_the_public_page_and_can_come_back(engine):
    from data_loaders.database import edit_commentary

    def public_words():
        returns = read_public_register(engine, [FRAMEWORK]).returns.set_index("code")
        return returns.loc["NI 181", ["value", "commentary", "action"]].tolist()

    assert public_words() == [17, "", ""]
    edit_commentary(engine, FRAMEWORK, "NI 181", "", PERIOD, commentary="Now public words",
                    action="Public action", actor="po@luton")
    assert public_words() == [17, "Now public words", "Public action"]
    edit_commentary(engine, FRAMEWORK, "NI 181", "", PERIOD, commentary="Back to internal",
                    action="Internal action", actor="po@luton", internal=True)
    assert public_words() == [17, "", ""]
