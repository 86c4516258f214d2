"""The Overview's figures: envelope against allocations, next key dates, missed targets.

:func:`overview` takes a ``Workbook``; the ``_in`` totals take the ``Session`` of a
transaction already open (the plan's, the consistency check's).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import keydates
from dom_desk.domain.performance import period_status
from dom_desk.domain.region import current_year, region, today, year_by_label
from dom_desk.domain.status import Status
from dom_desk.models import Allocation, EnvelopeLine, Period, PeriodKind, Result, Target
from dom_desk.storage.workbook import Workbook


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
    for a in session.scalars(select(Allocation).where(Allocation.year_id == year_id)):
        baseline += a.baseline
        provisional += a.provisional or 0
        agreed += a.agreed or 0
        committed += committed_figure(a.baseline, a.provisional, a.agreed)
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
    latest = session.scalars(
        select(Period)
        .join(Result, Result.period_id == Period.id)
        .where(
            Period.year_id == year_id, Period.kind == PeriodKind.MONTH, Result.superseded.is_(False)
        )
        .order_by(Period.start.desc())
        .limit(1)
    ).first()
    if latest is None:
        return "", {}
    targets = {
        (t.measure_id, t.provider_id): t.value
        for t in session.scalars(select(Target).where(Target.year_id == year_id))
    }
    counts: Counter[Status] = Counter()
    for result in session.scalars(
        select(Result)
        .options(selectinload(Result.measure))
        .where(Result.period_id == latest.id, Result.superseded.is_(False))
    ):
        counts[
            period_status(
                result.measure,
                result.actual,
                targets.get((result.measure_id, result.provider_id)),
                latest.kind,
            )
        ] += 1
    return latest.code, dict(counts)


def overview(wb: Workbook, year_label: str | None = None, horizon_days: int = 90) -> Overview:
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        now = today(session)
        baseline, provisional, agreed, committed = allocation_totals_in(session, year.id)
        period, counts = latest_month_statuses_in(session, year.id)
        return Overview(
            region=region(session).name,
            year=year.label,
            today=now,
            envelope=envelope_total_in(session, year.id),
            baseline=baseline,
            provisional=provisional,
            agreed=agreed,
            committed=committed,
            key_dates=keydates.upcoming(session, now, horizon_days),
            latest_period=period,
            status_counts=counts,
            key_date_buckets=keydates.buckets(session, now, 180),
        )
