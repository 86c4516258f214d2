"""The Overview's figures: envelope against allocations, next key dates, missed targets.

:func:`overview` takes a ``Workbook``; the ``_in`` totals take the ``Session`` of a
transaction already open (the plan's, the consistency check's).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dom_desk.domain import keydates
from dom_desk.domain.performance import period_status
from dom_desk.domain.region import current_year, region, today, year_by_label
from dom_desk.domain.setup_steps import SetupStep, setup_in
from dom_desk.domain.status import Status
from dom_desk.models import (
    Allocation,
    EnvelopeLine,
    Measure,
    Period,
    PeriodKind,
    Result,
    Target,
)
from dom_desk.storage.workbook import Workbook

#: How far ahead the Overview's buckets of key dates reach, in days.
BUCKET_DAYS = 180


@dataclass(frozen=True)
class Overview:
    region: str
    year: str
    today: date
    envelope: int
    baseline: int
    provisional: int
    agreed: int
    #: What the region is committed to: agreed where agreed, else provisional, else baseline.
    committed: int
    key_dates: list[keydates.KeyDate]
    latest_period: str
    status_counts: dict[Status, int]
    #: Open key dates by bucket: overdue, within 30, 31-90 and 91-180 days.
    key_date_buckets: dict[keydates.Bucket, list[keydates.KeyDate]] = field(default_factory=dict)
    #: What a new region still lacks for the year, in order (the first-run guide).
    setup: tuple[SetupStep, ...] = ()

    @property
    def headroom(self) -> int:
        return self.envelope - self.committed

    @property
    def over_envelope(self) -> bool:
        return self.committed > self.envelope


def committed_figure(baseline: int, provisional: int | None, agreed: int | None) -> int:
    """What an allocation commits: agreed where agreed, else provisional, else baseline."""
    return next(v for v in (agreed, provisional, baseline) if v is not None)


def allocation_totals_in(session: Session, year_id: int) -> tuple[int, int, int, int]:
    """Exact totals in pence: baseline, provisional, agreed and committed."""
    baseline = provisional = agreed = committed = 0
    # The three figures only, not the allocations: no objects to build for a sum.
    rows = session.execute(
        select(Allocation.baseline, Allocation.provisional, Allocation.agreed).where(
            Allocation.year_id == year_id
        )
    )
    for row_baseline, row_provisional, row_agreed in rows:
        baseline += row_baseline
        provisional += row_provisional or 0
        agreed += row_agreed or 0
        committed += committed_figure(row_baseline, row_provisional, row_agreed)
    return baseline, provisional, agreed, committed


def envelope_total_in(session: Session, year_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(EnvelopeLine.amount), 0)).where(
            EnvelopeLine.year_id == year_id
        )
    )
    return int(total)


def latest_month_statuses_in(session: Session, year_id: int) -> tuple[str, dict[Status, int]]:
    """Statuses of the results of the latest month of the year that has any."""
    latest = session.execute(
        select(Period.id, Period.code, Period.kind)
        .join(Result, Result.period_id == Period.id)
        .where(
            Period.year_id == year_id, Period.kind == PeriodKind.MONTH, Result.superseded.is_(False)
        )
        .order_by(Period.start.desc())
        .limit(1)
    ).first()
    if latest is None:
        return "", {}
    # One statement: each result's figure with its measure and its target (if any).
    target = and_(
        Target.year_id == year_id,
        Target.measure_id == Result.measure_id,
        Target.provider_id == Result.provider_id,
    )
    rows = session.execute(
        select(Result.actual, Target.value, Measure)
        .join(Measure, Measure.id == Result.measure_id)
        .outerjoin(Target, target)
        .where(Result.period_id == latest.id, Result.superseded.is_(False))
    )
    counts: Counter[Status] = Counter()
    for actual, annual_target, measure in rows:
        counts[period_status(measure, actual, annual_target, latest.kind)] += 1
    return latest.code, dict(counts)


def _by_bucket(
    found: list[keydates.KeyDate], now: date
) -> dict[keydates.Bucket, list[keydates.KeyDate]]:
    """What ``keydates.buckets`` gives, from key dates already gathered (gathering them
    takes a dozen statements: the Overview does it once for the table and the buckets)."""
    grouped: dict[keydates.Bucket, list[keydates.KeyDate]] = {
        b: [] for b in keydates.Bucket if b is not keydates.Bucket.LATER
    }
    for key in found:
        grouped.setdefault(keydates.bucket_of(key, now), []).append(key)
    return grouped


def overview(wb: Workbook, year_label: str | None = None, horizon_days: int = 90) -> Overview:
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        now = today(session)
        baseline, provisional, agreed, committed = allocation_totals_in(session, year.id)
        period, counts = latest_month_statuses_in(session, year.id)
        # Gathered once to the furthest horizon; the table and the buckets are cut from it.
        open_dates = keydates.upcoming(session, now, max(horizon_days, BUCKET_DAYS))
        horizon = now + timedelta(days=horizon_days)
        bucket_end = now + timedelta(days=BUCKET_DAYS)
        return Overview(
            region=region(session).name,
            year=year.label,
            today=now,
            envelope=envelope_total_in(session, year.id),
            baseline=baseline,
            provisional=provisional,
            agreed=agreed,
            committed=committed,
            key_dates=[k for k in open_dates if k.when <= horizon],
            latest_period=period,
            status_counts=counts,
            key_date_buckets=_by_bucket([k for k in open_dates if k.when <= bucket_end], now),
            setup=setup_in(session, year),
        )
