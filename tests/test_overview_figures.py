"""The Overview's figures agree with the domain functions each one summarises."""

from __future__ import annotations

from collections import Counter

import pytest

from dom_desk.domain import keydates
from dom_desk.domain.overview import allocation_totals_in, committed_figure, overview
from dom_desk.domain.performance import period_status
from dom_desk.domain.region import today, year_by_label
from dom_desk.models import Allocation, Result, Target


@pytest.mark.parametrize("horizon", [0, 30, 90, 180, 365])
def test_key_dates_and_buckets_are_those_of_the_key_dates_module(demo, horizon: int) -> None:
    figures = overview(demo, horizon_days=horizon)
    with demo.session() as session:
        now = today(session)
        assert figures.key_dates == keydates.upcoming(session, now, horizon)
        assert figures.key_date_buckets == keydates.buckets(session, now, 180)
    assert figures.key_dates, "the demo has key dates to show"


def test_allocation_totals_are_the_sums_of_the_allocations(demo) -> None:
    with demo.session() as session:
        year = year_by_label(session, "2009-10")
        rows = list(session.query(Allocation).filter(Allocation.year_id == year.id))
        assert rows
        assert allocation_totals_in(session, year.id) == (
            sum(a.baseline for a in rows),
            sum(a.provisional or 0 for a in rows),
            sum(a.agreed or 0 for a in rows),
            sum(committed_figure(a.baseline, a.provisional, a.agreed) for a in rows),
        )


def test_status_counts_are_those_of_each_latest_result_against_its_target(demo) -> None:
    figures = overview(demo, "2009-10")
    assert figures.latest_period
    with demo.session() as session:
        year = year_by_label(session, "2009-10")
        results = [
            r
            for r in session.query(Result).filter(Result.superseded.is_(False))
            if r.period.code == figures.latest_period
        ]
        targets = {
            (t.measure_id, t.provider_id): t.value
            for t in session.query(Target).filter(Target.year_id == year.id)
        }
        expected = Counter(
            period_status(
                r.measure,
                r.actual,
                targets.get((r.measure_id, r.provider_id)),
                r.period.kind,
            )
            for r in results
        )
    assert results
    assert figures.status_counts == dict(expected)
