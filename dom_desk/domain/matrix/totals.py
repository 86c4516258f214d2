"""The SQL behind the matrix (internal: these take the caller's session, so that
:mod:`.build` reads everything in one transaction).

The window's current returns are totalled by the database per provider and measure, in
one pass over the current-results index, in SQL that SQLite and PostgreSQL both run:
decimals are cast to NUMERIC before they are summed, the window's periods are picked by
id (read first, a dozen rows), and no column is read under SQLite's bare-column rule
(a snapshot measure's latest figures are sought apart, by :mod:`.latest`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, and_, case, cast, func, null, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from dom_desk.domain.applicability import code_order
from dom_desk.domain.matrix.cells import MeasureInfo, ProviderInfo
from dom_desk.domain.performance import CADENCE_ORDER, CURRENT, Window
from dom_desk.domain.status import is_overdue
from dom_desk.models import FinancialYear, Measure, Period, PeriodKind, Provider, Result, Target

#: Decimals are cast to NUMERIC and summed by the database. SQLite sums whole numbers
#: exactly, as integers, and anything else as binary floats; PostgreSQL sums NUMERIC
#: exactly. A float sum is never trusted: its group is added up again in Python with
#: Decimal (see :func:`exact_totals`). Counts and numerators are whole numbers, so that
#: is rare; a single period's own figure is read as stored, from min(actual).


@dataclass(frozen=True, slots=True)
class WindowPeriod:
    id: int
    kind: PeriodKind
    start: date
    due: date


# The loaders read Core rows through the session's connection: no ORM bookkeeping for
# 40,000 tuples, and the values typed only where the column type is worth its cost.


def driver_rows(session: Session, statement: Any) -> list[tuple]:
    """The statement's rows as plain tuples from the driver, skipping SQLAlchemy's row
    objects: only for statements whose columns need no result processing (ids, counts
    and :func:`raw` values), where that gives the same values at a third of the cost."""
    result = session.connection().execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def load_providers(session: Session) -> list[ProviderInfo]:
    rows = session.connection().execute(
        select(Provider.id, Provider.name, Provider.kind, Provider.sector).order_by(Provider.name)
    )
    return [ProviderInfo(*row) for row in rows]


def load_measures(session: Session) -> list[MeasureInfo]:
    m = Measure
    rows = session.execute(
        select(
            m.id,
            m.code,
            m.title,
            m.unit,
            m.direction,
            m.scope,
            m.guidance,
            m.aggregation,
            m.tolerance,
            m.weighting,
        )
    )
    return sorted((MeasureInfo(*row) for row in rows), key=lambda info: code_order(info.code))


def load_targets(session: Session, year_id: int) -> dict[tuple[int, int], Decimal | None]:
    rows = driver_rows(
        session,
        select(Target.provider_id, Target.measure_id, raw(Target.value)).where(
            Target.year_id == year_id
        ),
    )
    # Converted here rather than by the column type, and once per distinct figure (most
    # targets repeat a national level): the same Decimals, equal and immutable.
    known: dict[Any, Decimal] = {}
    return {
        (p, m): None if v is None else known.get(v) or known.setdefault(v, Decimal(v))
        for p, m, v in rows
    }


def in_window(window: Window):
    return and_(
        Period.year_id == window.year_id, Period.start >= window.start, Period.end <= window.end
    )


def window_periods(session: Session, window: Window) -> list[WindowPeriod]:
    """The periods (months, quarters, the year) lying wholly in the window."""
    rows = session.execute(
        select(Period.id, Period.kind, Period.start, Period.due).where(in_window(window))
    )
    return [WindowPeriod(*row) for row in rows]


def period_counts(
    periods: Iterable[WindowPeriod], today: date
) -> dict[PeriodKind, tuple[int, int]]:
    """For each kind of period: how many lie in the window, and how many are overdue."""
    counts: dict[PeriodKind, tuple[int, int]] = {}
    for period in periods:
        total, overdue = counts.get(period.kind, (0, 0))
        counts[period.kind] = (total + 1, overdue + is_overdue(period.due, today))
    return counts


def raw(column):
    """The value as the driver returns it (text, or a number for a sum): converted by
    :func:`exact` only where a cell needs it, not by the column type for every row."""
    return type_coerce(column, NullType())


def exact(value: Any) -> Decimal | None | bool:
    """A SQL sum as an exact Decimal; False for a float (not exact: total it again)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return False


def _count_if(condition):
    """How many rows of the group meet ``condition`` (COUNT skips the NULL of no match)."""
    return func.count(case((condition, 1)))


def totals_query(periods: Collection[WindowPeriod], today: date, with_one: bool = True):
    """Current returns in the window totalled per provider and measure. Columns:
    provider, measure, count, months, quarters, overdue, sum of actuals, sums of
    numerators and denominators, how many gave both, the (one) actual as stored and the
    lowest and highest period ids (the latest, where :func:`numbered`).

    The sums of numerators and denominators are plain, not only over the rows giving
    both (a CASE per row costs a tenth of the query): they are the rate's totals only
    where every row gave both; the caller totals a group where some did not again.

    The counts of months, quarters and overdue periods are NULL where the window's
    periods make them plain (one kind of period only; all or none overdue): the caller
    reads them from ``count`` then (see :func:`group_kind`, :func:`group_due`).
    """
    r = Result
    ids = [p.id for p in periods]
    kinds = {p.kind for p in periods}
    due = [p.id for p in periods if is_overdue(p.due, today)]

    def kind_count(kind: PeriodKind):
        if len(kinds) == 1 or banded(periods):  # the kind is read from the lowest id
            return null()
        return _count_if(r.period_id.in_([p.id for p in periods if p.kind is kind]))

    parts = and_(r.numerator.is_not(None), r.denominator.is_not(None))
    return (
        select(
            r.provider_id,
            r.measure_id,
            func.count(),
            kind_count(PeriodKind.MONTH),
            kind_count(PeriodKind.QUARTER),
            _count_if(r.period_id.in_(due)) if 0 < len(due) < len(ids) else null(),
            raw(func.sum(cast(r.actual, Numeric))),
            raw(func.sum(cast(r.numerator, Numeric))),
            raw(func.sum(cast(r.denominator, Numeric))),
            _count_if(parts),
            # A group of one period: its actual as stored (else looked up, where rare).
            raw(func.min(r.actual)) if with_one else null(),
            func.min(r.period_id),
            func.max(r.period_id),
        )
        .where(CURRENT, r.period_id.in_(ids))
        # Grouping by the leading columns of the current-results index needs no sort.
        .group_by(r.provider_id, r.measure_id)
    )


def banded(periods: Collection[WindowPeriod]) -> bool:
    """Whether each kind's periods hold one unbroken band of ids (as a region's periods
    are made): then the lowest and highest ids of a group tell whether it mixes kinds."""
    seen: list[PeriodKind] = []
    for period in sorted(periods, key=lambda p: p.id):
        if not seen or seen[-1] is not period.kind:
            if period.kind in seen:
                return False
            seen.append(period.kind)
    return True


def group_kind(
    kind_of: dict[int, PeriodKind],
    count: int,
    months: int | None,
    quarters: int | None,
    first: int,
    last: int,
) -> PeriodKind | None:
    """The one kind of period a group's returns are; None when they mix kinds. Without
    the counts of months and quarters, the periods are :func:`banded`."""
    if months is None:
        kind = kind_of[first]
        return kind if kind_of[last] is kind else None
    if months == count:
        return PeriodKind.MONTH
    if quarters == count:
        return PeriodKind.QUARTER
    return PeriodKind.YEAR if months == quarters == 0 else None


def group_due(periods: Collection[WindowPeriod], today: date, count: int, due: int | None) -> int:
    """How many of a group's returned periods were due by ``today``."""
    if due is not None:
        return due
    return count if any(is_overdue(p.due, today) for p in periods) else 0


def numbered(periods: Collection[WindowPeriod]) -> bool:
    """Whether each kind's periods are numbered in date order (as a region's periods are
    made): then a group's latest period is its highest period id, read from the index."""
    by_kind: dict[PeriodKind, list[WindowPeriod]] = defaultdict(list)
    for period in periods:
        by_kind[period.kind].append(period)
    return all(
        sorted(found, key=lambda p: p.id) == sorted(found, key=lambda p: p.start)
        for found in by_kind.values()
    )


@dataclass(frozen=True, slots=True)
class ExactTotals:
    """One group's returns added up in Python: kind, count, overdue, sums, the latest."""

    kind: PeriodKind
    count: int
    count_due: int
    sum_actual: Decimal | None
    sum_num: Decimal | None
    sum_den: Decimal | None
    ratio_count: int
    latest_actual: Decimal | None
    latest_num: Decimal | None
    latest_den: Decimal | None


def exact_totals(
    session: Session, window: Window, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], ExactTotals]:
    """Totals added up in Python with Decimal, keeping the finest kind of period: for the
    few groups SQL cannot total exactly, or that mix months and quarters."""
    r = Result
    rows = session.connection().execute(
        select(
            r.provider_id,
            r.measure_id,
            Period.kind,
            Period.start,
            Period.due,
            r.actual,
            r.numerator,
            r.denominator,
        )
        .join(Period, Period.id == r.period_id)
        .where(CURRENT, in_window(window), r.provider_id.in_({p for p, _m in pairs}))
    )
    grouped: dict[tuple[int, int], dict[PeriodKind, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if (row.provider_id, row.measure_id) in pairs:
            grouped[(row.provider_id, row.measure_id)][row.kind].append(row)
    totals = {}
    for key, kinds in grouped.items():
        kind = next(k for k in CADENCE_ORDER if k in kinds)
        found = kinds[kind]
        parts = [f for f in found if f.numerator is not None and f.denominator is not None]
        actuals = [f.actual for f in found if f.actual is not None]
        latest = max(found, key=lambda f: f.start)
        totals[key] = ExactTotals(
            kind,
            len(found),
            sum(1 for f in found if is_overdue(f.due, window.today)),
            sum(actuals, Decimal(0)) if actuals else None,
            sum((f.numerator for f in parts), Decimal(0)) if parts else None,
            sum((f.denominator for f in parts), Decimal(0)) if parts else None,
            len(parts),
            latest.actual,
            latest.numerator,
            latest.denominator,
        )
    return totals


def reporting_years(session: Session, window: Window) -> list[int]:
    """The window's year and the one before it: where a provider's returns are looked for."""
    start = session.scalar(select(FinancialYear.start).where(FinancialYear.id == window.year_id))
    earlier = session.scalar(
        select(FinancialYear.id)
        .where(FinancialYear.start < start)
        .order_by(FinancialYear.start.desc())
        .limit(1)
    )
    return [window.year_id] + ([earlier] if earlier is not None else [])


def load_reported(session: Session, window: Window) -> set[tuple[int, int]]:
    """(provider, measure) pairs returned this year or last: what each provider reports.

    Reads only the current-results index (provider, measure, period), never the table.
    """
    periods = select(Period.id).where(Period.year_id.in_(reporting_years(session, window)))
    rows = driver_rows(
        session,
        select(Result.provider_id, Result.measure_id)
        .distinct()
        .where(CURRENT, Result.period_id.in_(periods)),
    )
    return {(p, m) for p, m in rows}
