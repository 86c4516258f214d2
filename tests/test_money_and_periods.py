"""Money in pence and the financial calendar: the arithmetic every figure relies on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dom_desk.domain.money import format_pounds, parse_pounds, split, uprate, variance_percent
from dom_desk.domain.periods import (
    add_months,
    parse_date,
    parse_period,
    periods_of_year,
    year_of,
)
from dom_desk.errors import ValidationError
from dom_desk.models import PeriodKind


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£1,234,567", 123456700),
        ("1234.5", 123450),
        (" 250,000 ", 25000000),
        ("(200)", -20000),
        ("-£2,500.50", -250050),
        ("4.1m", 410000000),
        ("12k", 1200000),
    ],
)
def test_amounts_are_read_as_people_type_them(typed: str, pence: int) -> None:
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize("typed", ["abc", "12.345", "£", "1,2,3.4.5", "nan", "inf"])
def test_text_that_is_not_money_is_refused_with_the_field_named(typed: str) -> None:
    with pytest.raises(ValidationError, match="Allocations, Provisional"):
        parse_pounds(typed, "Allocations, Provisional")


def test_amounts_are_shown_the_uk_way() -> None:
    assert format_pounds(123456700) == "£1,234,567"
    assert format_pounds(123456789) == "£1,234,567.89"
    assert format_pounds(-5) == "-£0.05"
    assert format_pounds(None) == ""


@given(
    st.integers(min_value=-(10**13), max_value=10**13),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(
        lambda w: sum(w) > 0
    ),
)
def test_a_split_always_adds_back_to_the_penny(pence: int, weights: list[int]) -> None:
    parts = split(pence, weights)
    assert sum(parts) == pence
    assert len(parts) == len(weights)


def test_uprating_rounds_half_up_to_the_penny() -> None:
    assert uprate(100_00, Decimal("2.5")) == 102_50
    assert uprate(333, Decimal("10")) == 366  # 366.3 -> 366
    assert uprate(335, Decimal("10")) == 369  # 368.5 -> 369


def test_variance_is_a_percentage_of_the_reference() -> None:
    assert variance_percent(110_00, 100_00) == Decimal("10.0")
    assert variance_percent(None, 100_00) is None
    assert variance_percent(5, 0) is None


def test_a_financial_year_runs_april_to_march() -> None:
    year = parse_period("2009-10")
    assert (year.kind, year.start, year.end) == (
        PeriodKind.YEAR,
        date(2009, 4, 1),
        date(2010, 3, 31),
    )
    q4 = parse_period("2009-10-Q4")
    assert (q4.start, q4.end) == (date(2010, 1, 1), date(2010, 3, 31))
    month = parse_period("2010-02")
    assert (month.kind, month.end) == (PeriodKind.MONTH, date(2010, 2, 28))
    assert year_of(date(2010, 3, 31)) == "2009-10"
    assert year_of(date(2010, 4, 1)) == "2010-11"


def test_october_is_written_so_it_cannot_be_mistaken_for_the_year() -> None:
    codes = [p.code for p in periods_of_year(2009)]
    assert len(codes) == len(set(codes)) == 17
    assert "2009-10-M" in codes
    assert parse_period("Oct 2009").code == "2009-10-M"


@pytest.mark.parametrize("code", ["2009-11-Q1", "2009-13", "2009-10-Q5", "Q1 2009", ""])
def test_a_period_that_does_not_exist_is_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="is not a"):
        parse_period(code)


def test_months_are_added_across_month_ends_and_leap_years() -> None:
    assert add_months(date(2012, 2, 29), -3) == date(2011, 11, 29)
    assert add_months(date(2011, 8, 31), -3) == date(2011, 5, 31)
    assert add_months(date(2011, 5, 31), -3) == date(2011, 2, 28)
    assert add_months(date(2012, 5, 31), -3) == date(2012, 2, 29)
    assert add_months(date(2010, 6, 30), -12) == date(2009, 6, 30)


def test_dates_are_typed_the_uk_way() -> None:
    assert parse_date("31/03/2010") == date(2010, 3, 31)
    assert parse_date("1/4/09") == date(2009, 4, 1)
    assert parse_date("2010-03-31") == date(2010, 3, 31)
    assert parse_date("  ") is None
    with pytest.raises(ValidationError, match="not a date"):
        parse_date("31/02/2010")
