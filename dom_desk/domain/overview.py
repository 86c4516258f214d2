"""The Overview's figures: envelope against allocations, next key dates, missed targets,
and the two charts' figures (committed by provider kind, statuses by month).

:func:`overview` takes a ``Workbook``; the ``_in`` totals take the ``Session`` of a
transaction already open (the plan's, the consistency check's, the attention list's).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dom_desk.domain import keydates
from dom_desk.domain.money import format_pounds
from dom_desk.domain.performance import period_status
from dom_desk.domain.periods import add_months, period_label
from dom_desk.domain.region import current_year, region, today, year_by_label
from dom_desk.domain.setup_steps import SetupStep, setup_in
from dom_desk.domain.status import Status
from dom_desk.models import (
    Agreement,
    Allocation,
    EnvelopeLine,
    Measure,
    Period,
    PeriodKind,
    Provider,
    ProviderKind,
    Result,
    Target,
)
from dom_desk.storage.workbook import Workbook

#: How far ahead the Overview's buckets of key dates reach, in days.
BUCKET_DAYS = 180


@dataclass(frozen=True)
class MissedTarget:
    """A provider's target missed in one month."""

    provider_id: int
    provider: str
    measure_id: int
    #: The measure's code ("KPI 3") and wording (the short name is derived from both).
    code: str
    title: str
    period_code: str


@dataclass(frozen=True)
class MonthStatuses:
    """One month's results counted by status (a bar of the Overview's chart)."""

    period_code: str
    start: date
    counts: dict[Status, int]

    def count(self, status: Status) -> int:
        return self.counts.get(status, 0)


@dataclass(frozen=True)
class MonthsOfYear:
    """The year's monthly results by status, and the targets missed in its latest month
    with results and in the month before it."""

    months: tuple[MonthStatuses, ...] = ()
    missed_latest: tuple[MissedTarget, ...] = ()
    missed_previous: tuple[MissedTarget, ...] = ()

    @property
    def latest(self) -> MonthStatuses | None:
        return self.months[-1] if self.months else None

    @property
    def previous(self) -> MonthStatuses | None:
        return self.months[-2] if len(self.months) > 1 else None


@dataclass(frozen=True)
class KindCommitted:
    """What the year's allocations commit to providers of one kind (a bar of the chart)."""

    kind: ProviderKind
    committed: int
    agreements: int


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
    #: Committed by provider kind, in the order of the kinds (only kinds with money).
    by_kind: tuple[KindCommitted, ...] = ()
    #: Results by status month by month, and the targets missed lately.
    months: MonthsOfYear = field(default_factory=MonthsOfYear)

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


def committed_by_kind_in(session: Session, year_id: int) -> tuple[KindCommitted, ...]:
    """The year's committed figure (agreed, else provisional, else baseline) summed by the
    kind of provider each allocation's agreement is with; exact pence."""
    rows = session.execute(
        select(
            Provider.kind,
            Allocation.agreement_id,
            Allocation.baseline,
            Allocation.provisional,
            Allocation.agreed,
        )
        .join(Agreement, Agreement.id == Allocation.agreement_id)
        .join(Provider, Provider.id == Agreement.provider_id)
        .where(Allocation.year_id == year_id)
    )
    sums: dict[ProviderKind, int] = {}
    agreements: dict[ProviderKind, set[int]] = {}
    for kind, agreement_id, baseline, provisional, agreed in rows:
        sums[kind] = sums.get(kind, 0) + committed_figure(baseline, provisional, agreed)
        agreements.setdefault(kind, set()).add(agreement_id)
    return tuple(
        KindCommitted(kind, sums[kind], len(agreements[kind]))
        for kind in ProviderKind
        if kind in sums
    )


def code_order(code: str) -> tuple[tuple[int, str], ...]:
    """A measure code's place in order: "KPI 6" before "KPI 11" (numbers as numbers)."""
    return tuple(
        (int(part), "") if part.isdigit() else (0, part.casefold())
        for part in re.split(r"(\d+)", code)
    )


def months_of_year_in(session: Session, year_id: int) -> MonthsOfYear:
    """Every current monthly result of the year against its target (the rule of
    :func:`latest_month_statuses_in`, month by month), in one statement."""
    target = and_(
        Target.year_id == year_id,
        Target.measure_id == Result.measure_id,
        Target.provider_id == Result.provider_id,
    )
    rows = session.execute(
        select(
            Period.code,
            Period.start,
            Result.provider_id,
            Provider.name,
            Result.actual,
            Target.value,
            Measure,
        )
        .join(Period, Period.id == Result.period_id)
        .join(Measure, Measure.id == Result.measure_id)
        .join(Provider, Provider.id == Result.provider_id)
        .outerjoin(Target, target)
        .where(
            Period.year_id == year_id,
            Period.kind == PeriodKind.MONTH,
            Result.superseded.is_(False),
        )
    )
    counts: dict[str, Counter[Status]] = {}
    starts: dict[str, date] = {}
    missed: dict[str, list[MissedTarget]] = {}
    for code, start, provider_id, provider, actual, annual_target, measure in rows:
        status = period_status(measure, actual, annual_target, PeriodKind.MONTH)
        counts.setdefault(code, Counter())[status] += 1
        starts[code] = start
        if status is Status.MISSED:
            missed.setdefault(code, []).append(
                MissedTarget(provider_id, provider, measure.id, measure.code, measure.title, code)
            )
    order = sorted(counts, key=lambda c: starts[c])
    months = tuple(MonthStatuses(c, starts[c], dict(counts[c])) for c in order)

    def of(month: MonthStatuses | None) -> tuple[MissedTarget, ...]:
        found = missed.get(month.period_code, []) if month else []
        return tuple(sorted(found, key=lambda m: (m.provider.casefold(), code_order(m.code))))

    result = MonthsOfYear(months)
    previous = result.previous
    # "Two months running" means the calendar month before, not the last month with
    # results: a gap of a month is not a run.
    latest = result.latest
    if previous and latest and add_months(previous.start, 1) != latest.start:
        previous = None
    return MonthsOfYear(months, of(latest), of(previous))


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
        months = months_of_year_in(session, year.id)
        latest = months.latest
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
            latest_period=latest.period_code if latest else "",
            status_counts=dict(latest.counts) if latest else {},
            key_date_buckets=_by_bucket([k for k in open_dates if k.when <= bucket_end], now),
            setup=setup_in(session, year),
            by_kind=committed_by_kind_in(session, year.id),
            months=months,
        )


# -- the Overview's two charts ------------------------------------------------------------


@dataclass(frozen=True)
class KindBar:
    """A bar of "committed against the envelope by provider kind"."""

    label: str
    committed: int
    #: Its share of the envelope in per cent, one decimal place (None: no envelope).
    share: Decimal | None


@dataclass(frozen=True)
class MonthBar:
    """A stacked bar of "targets met, near and missed by month"."""

    period_code: str
    label: str
    met: int
    near: int
    missed: int

    @property
    def total(self) -> int:
        return self.met + self.near + self.missed


def _share(amount: int, envelope: int) -> Decimal | None:
    if envelope <= 0:
        return None
    return (Decimal(amount) * 100 / envelope).quantize(Decimal("0.1"), ROUND_HALF_UP)


def kind_bars(figures: Overview) -> tuple[KindBar, ...]:
    """One bar per provider kind with money committed, then the total committed."""
    bars = [
        KindBar(k.kind.label, k.committed, _share(k.committed, figures.envelope))
        for k in figures.by_kind
    ]
    if bars:
        bars.append(
            KindBar("All committed", figures.committed, _share(figures.committed, figures.envelope))
        )
    return tuple(bars)


def kind_chart_text(figures: Overview) -> str:
    """The chart in words (its alternative text)."""
    bars = kind_bars(figures)
    if not bars:
        return f"No allocations for {figures.year} yet."
    envelope = (
        f"the envelope of {format_pounds(figures.envelope)}"
        if figures.envelope > 0
        else "no envelope entered"
    )
    parts = [
        f"{bar.label} {format_pounds(bar.committed) or '£0'}"
        + (f" ({bar.share}%)" if bar.share is not None else "")
        for bar in bars[:-1]
    ]
    return (
        f"Committed in {figures.year} by provider kind against {envelope}: "
        f"{'; '.join(parts)}. In all {format_pounds(figures.committed) or '£0'}"
        + (f", {bars[-1].share}% of the envelope." if bars[-1].share is not None else ".")
    )


def month_bars(months: MonthsOfYear) -> tuple[MonthBar, ...]:
    """The year's months with results, each with its targets met, near and missed."""
    return tuple(
        MonthBar(
            m.period_code,
            period_label(m.period_code),
            m.count(Status.MET),
            m.count(Status.NEAR),
            m.count(Status.MISSED),
        )
        for m in months.months
    )


def month_chart_text(months: MonthsOfYear) -> str:
    bars = month_bars(months)
    if not bars:
        return "No monthly returns with targets yet."
    parts = [f"{b.label}: {b.met} met, {b.near} near, {b.missed} missed" for b in bars]
    return f"Targets met, near and missed by month: {'; '.join(parts)}."
