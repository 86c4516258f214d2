"""Properties of the calendar and money arithmetic that every figure relies on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dom_desk.domain.money import format_pounds, parse_pounds, split, uprate
from dom_desk.domain.periods import (
    add_months,
    format_date,
    parse_date,
    parse_year,
    periods_of_year,
    year_of,
)

QUICK = settings(max_examples=60, deadline=None)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
pence = st.integers(min_value=-(10**13), max_value=10**13)


@QUICK
@given(days)
def test_a_date_is_written_and_read_back_the_uk_way(day: date) -> None:
    assert parse_date(format_date(day)) == day


@QUICK
@given(days, st.integers(min_value=-240, max_value=240))
def test_adding_months_lands_in_the_right_month_and_never_past_its_end(
    day: date, months: int
) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    if day.day <= 28:
        assert add_months(moved, -months) == day


@QUICK
@given(days)
def test_every_day_falls_in_the_financial_year_named_for_it(day: date) -> None:
    start = parse_year(year_of(day))
    assert date(start, 4, 1) <= day < date(start + 1, 4, 1)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1990, max_value=2090))
def test_the_months_of_a_year_cover_it_without_gap_or_overlap(start: int) -> None:
    months = sorted(
        (
            p
            for p in periods_of_year(start)
            if p.start == p.end.replace(day=1) and p.end.month == p.start.month
        ),
        key=lambda p: p.start,
    )
    assert months[0].start == date(start, 4, 1) and months[-1].end == date(start + 1, 3, 31)
    assert all(
        a.end + timedelta(days=1) == b.start for a, b in zip(months, months[1:], strict=False)
    )


@QUICK
@given(pence)
def test_an_amount_shown_is_read_back_to_the_penny(amount: int) -> None:
    assert parse_pounds(format_pounds(amount)) == amount


@QUICK
@given(pence, st.decimals(min_value=-50, max_value=50, places=2))
def test_uprating_is_the_exact_figure_rounded_to_the_nearest_penny(
    amount: int, percent: Decimal
) -> None:
    exact = Decimal(amount) * (100 + percent) / 100
    assert abs(Decimal(uprate(amount, percent)) - exact) <= Decimal("0.5")


@QUICK
@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20).filter(
        lambda w: sum(w) > 0
    ),
)
def test_each_share_of_a_split_is_within_a_penny_of_its_exact_share(
    amount: int, weights: list[int]
) -> None:
    parts = split(amount, weights)
    assert sum(parts) == amount
    for part, weight in zip(parts, weights, strict=True):
        assert abs(Decimal(part) - Decimal(amount) * weight / sum(weights)) < 1
