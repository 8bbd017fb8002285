"""Financial years and quarters, written the partnership's way."""

from __future__ import annotations

import datetime as dt

import pytest

from performance.periods import Period, PeriodError, parse_period, parse_year, periods


@pytest.mark.parametrize(("text", "expected"), [
    ("2009/10 Q3", Period(2009, 3)),
    ("2009/10", Period(2009)),
    (" 2010/11  q1 ", Period(2010, 1)),
    ("1999/00 Q4", Period(1999, 4)),
])
def test_parse_period_reads_partnership_notation(text, expected):
    assert parse_period(text) == expected
    assert str(parse_period(text)) == " ".join(text.split()).replace("q", "Q")


@pytest.mark.parametrize("text", ["2009 Q3", "2009/11", "Q3 2009/10", "2009/10 Q5", "", "09/10"])
def test_parse_period_rejects_other_notations(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(("period", "end"), [
    (Period(2009, 1), dt.date(2009, 6, 30)),
    (Period(2009, 2), dt.date(2009, 9, 30)),
    (Period(2009, 3), dt.date(2009, 12, 31)),
    (Period(2009, 4), dt.date(2010, 3, 31)),
    (Period(2009), dt.date(2010, 3, 31)),
])
def test_period_end_date_follows_april_to_march_year(period, end):
    assert period.end_date == end


@pytest.mark.parametrize(("period", "previous", "year_earlier"), [
    (Period(2009, 1), Period(2008, 4), Period(2008, 1)),
    (Period(2009, 3), Period(2009, 2), Period(2008, 3)),
    (Period(2009), Period(2008), Period(2008)),
])
def test_period_previous_and_year_earlier(period, previous, year_earlier):
    assert period.previous() == previous
    assert period.year_earlier() == year_earlier


def test_periods_orders_quarters_before_the_annual_outturn():
    timeline = [str(p) for p in periods(2008, 2009)]
    assert timeline[:6] == ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4", "2008/09",
                            "2009/10 Q1"]
    assert sorted(periods(2008, 2009), reverse=True)[0] == Period(2009)
    assert parse_year("2010/11") == 2010
