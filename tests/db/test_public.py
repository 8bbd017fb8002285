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


# --- the benchmark line and the area's interval on the public chart (issue 14) -----------------

COMPARATORS = ("code,part,area,period,value,count,denominator,lower_95,upper_95,lower_998,upper_998,source\n"
               f"NI 135,,England,{PERIOD},45.0,,,,,,,Test England figure\n"
               f"NI 135,,Great Britain,{PERIOD},41.0,,,,,,,Test GB figure\n"
               f"NI 156,,England,{PERIOD},600,,,,,,,Test England figure\n")


def _counts_and_england(engine) -> None:
    """NI 135: 50 of 100 published, then 70 of 100 submitted and waiting for sign-off; England's
    and Great Britain's values imported through the comparators file's real check and store."""
    import pandas as pd

    from data_loaders.benchmarks_store import fingertips_parts, known_areas, store_benchmark_values
    from data_loaders.comparators_file import check_comparators_file
    from data_loaders.database import store_returns
    from tests.public_data import _row

    store_returns(engine, pd.DataFrame([_row("NI 135", 50.0, numerator=50, denominator=100)]),
                  file_name="counts.xlsx", checksum="c1", submitted_by="officer")
    store_returns(engine, pd.DataFrame([_row("NI 135", 70.0, "SUBMITTED-COUNT-v7", numerator=70,
                                             denominator=100)]),
                  file_name="counts2.xlsx", checksum="c2", submitted_by="officer", state="submitted")
    check = check_comparators_file(read_register(engine, include_demo=False), COMPARATORS.encode(),
                                   "comparators.csv", known_areas(engine), fingertips_parts(engine))
    assert check.ok, check.errors
    store_benchmark_values(engine, check.rows, file_name="comparators.csv", checksum="b",
                           submitted_by="analyst")


def _public_chart(engine, code: str):
    from data_loaders.public import read_public_benchmarks
    from scorecard.chart import public_comparison, public_trajectory

    register = read_public_register(engine, [FRAMEWORK])
    rated = with_register_columns(rag.rate(register), register)
    part_rows = rated[(rated["code"] == code) & (rated["part"] == "")]
    values, series = read_public_benchmarks(engine, register)
    compared = public_comparison(part_rows, values, series)
    return public_trajectory(compared, register.targets, title=code), values, series, compared


def _trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


def test_public_chart_has_englands_line_and_the_published_values_interval(engine):
    _counts_and_england(engine)
    fig, values, _, _ = _public_chart(engine, "NI 135")
    england = _trace(fig, "England (benchmark)")
    assert 45.0 in list(england.y) and 41.0 not in list(england.y)
    assert set(values["area"]) == {"England"}  # no picker: England only
    interval = _trace(fig, "95% confidence interval")
    assert list(interval.y) == [50.0]  # the published 50 of 100, not the submitted 70
    # Wilson 95% for 50 of 100: 40.38% to 59.62% (docs/benchmarks.md)
    assert interval.error_y.array[0] == pytest.approx(9.62, abs=0.01)
    assert interval.error_y.arrayminus[0] == pytest.approx(9.62, abs=0.01)


def test_public_chart_table_says_what_the_chart_draws_of_englands_comparison(engine):
    _counts_and_england(engine)
    _, _, _, compared = _public_chart(engine, "NI 135")
    row = chart_table(compared, "England").set_index("Period").loc[PERIOD]
    assert row["Value"] == "50.0%"  # the published 50 of 100, not the submitted 70
    # Wilson 95% for 50 of 100: 40.38% to 59.62% (docs/benchmarks.md); England's 45 is inside it
    assert row["95% confidence interval"] == "40.38% to 59.62%"
    assert (row["England"], row["Compared with England"]) == ("45.0%", "Similar to England")


def test_public_chart_shows_no_unpublished_value_or_count(engine):
    _counts_and_england(engine)
    for code in ("NI 135", "NI 156", "NI 030"):
        fig, _, series, compared = _public_chart(engine, code)
        shown = " ".join(str(v) for t in fig.data for v in [*(t.y if t.y is not None else ()),
                                                             *(t.hovertext or ()), *(t.text or ())])
        shown += fig.to_json() + chart_table(compared, "England").to_csv()  # and its text alternative
        for secret in (*SECRETS, "SUBMITTED-COUNT-v7", "70.0%"):
            assert secret not in shown, (code, secret)
        assert 70.0 not in set(series["numerator"].dropna())  # the waiting return's count
    fig, _, _, _ = _public_chart(engine, "NI 156")
    assert 600.0 in list(_trace(fig, "England (benchmark)").y)
    assert "612" in fig.to_json()  # the published value is there
