"""The figures behind a trend chart: actuals by period, the target line, the year before.

Plain data (no matplotlib, no Qt): ``dom_desk.charts`` draws it, for the window and for
the PDF plan alike.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.performance import (
    CADENCE_ORDER,
    CURRENT,
    MONTHS_IN,
    Figure,
    combine,
    format_measure_value,
    ratio,
    window_target,
)
from dom_desk.domain.region import current_year, year_by_label, years
from dom_desk.models import (
    Direction,
    FinancialYear,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Provider,
    Result,
    Target,
)
from dom_desk.storage.workbook import Workbook

#: Above this many providers the chart shows the region line alone, not one per provider.
MAX_PROVIDER_LINES = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]


@dataclass(frozen=True)
class TrendData:
    title: str
    subtitle: str
    unit: MeasureUnit
    direction: Direction
    #: One label per period of the year: "Apr" ... "Mar", or "Q1" ... "Q4".
    labels: tuple[str, ...]
    actual: Series
    previous: Series | None
    target: Series | None
    #: Thin lines, one per provider, when a measure is shown across a few providers.
    providers: tuple[Series, ...] = ()

    @property
    def empty(self) -> bool:
        return all(v is None for v in self.actual.values)


def _periods(session: Session, year: FinancialYear, kind: PeriodKind) -> list[Period]:
    return list(
        session.scalars(
            select(Period)
            .where(Period.year_id == year.id, Period.kind == kind)
            .order_by(Period.start)
        )
    )


def _label(period: Period) -> str:
    return period.code[-2:] if period.kind is PeriodKind.QUARTER else f"{period.start:%b}"


def _previous_year(session: Session, year: FinancialYear) -> FinancialYear | None:
    earlier = [y for y in years(session) if y.start < year.start]
    return earlier[-1] if earlier else None


def _cadence(
    session: Session, measure_id: int, provider_id: int | None, year_ids: list[int]
) -> PeriodKind:
    query = (
        select(Period.kind)
        .join(Result, Result.period_id == Period.id)
        .where(Result.measure_id == measure_id, CURRENT, Period.year_id.in_(year_ids))
        .distinct()
    )
    if provider_id is not None:
        query = query.where(Result.provider_id == provider_id)
    kinds = set(session.scalars(query))
    return next((k for k in CADENCE_ORDER if k in kinds), PeriodKind.MONTH)


def _figures(
    session: Session, measure_id: int, provider_id: int | None, periods: list[Period]
) -> dict[int, dict[int, Figure]]:
    """{period id: {provider id: figure}} of current results."""
    query = select(
        Result.period_id, Result.provider_id, Result.actual, Result.numerator, Result.denominator
    ).where(Result.measure_id == measure_id, CURRENT, Result.period_id.in_([p.id for p in periods]))
    if provider_id is not None:
        query = query.where(Result.provider_id == provider_id)
    start = {p.id: p.start for p in periods}
    found: dict[int, dict[int, Figure]] = defaultdict(dict)
    for period_id, pid, actual, num, den in session.execute(query):
        found[period_id][pid] = Figure(start[period_id], actual, num, den)
    return found


def across_providers(measure: Measure, figures: list[Figure]) -> Decimal | None:
    """The region's figure for one period from its providers' figures: counts add up,
    rates are summed numerators over summed denominators; a rate returned without its
    parts falls back to the median provider (never the mean of percentages)."""
    if not figures:
        return None
    if measure.unit is MeasureUnit.COUNT:
        values = [f.actual for f in figures if f.actual is not None]
        return sum(values, Decimal(0)) if values else None
    parts = [
        (f.numerator, f.denominator)
        for f in figures
        if f.numerator is not None and f.denominator is not None
    ]
    if len(parts) == len(figures):
        return ratio(
            measure.unit,
            sum((n for n, _ in parts), Decimal(0)),
            sum((d for _, d in parts), Decimal(0)),
        )
    values = [f.actual for f in figures if f.actual is not None]
    return Decimal(statistics.median(values)) if values else None


def _one(measure: Measure, figure: Figure | None) -> Decimal | None:
    if figure is None:
        return None
    return combine(measure.aggregation, measure.unit, [figure]).value


def _series(
    session: Session, measure: Measure, provider_id: int | None, periods: list[Period], name: str
) -> tuple[Series, dict[int, Series]]:
    found = _figures(session, measure.id, provider_id, periods)
    if provider_id is not None:
        values = tuple(_one(measure, found.get(p.id, {}).get(provider_id)) for p in periods)
        return Series(name, values), {}
    values = tuple(across_providers(measure, list(found.get(p.id, {}).values())) for p in periods)
    per_provider: dict[int, list[Decimal | None]] = defaultdict(lambda: [None] * len(periods))
    for i, p in enumerate(periods):
        for pid, figure in found.get(p.id, {}).items():
            per_provider[pid][i] = _one(measure, figure)
    return Series(name, values), {pid: Series("", tuple(v)) for pid, v in per_provider.items()}


def _target_series(
    session: Session,
    measure: Measure,
    provider_id: int | None,
    year: FinancialYear,
    periods: list[Period],
) -> Series | None:
    months = MONTHS_IN[periods[0].kind] if periods else 1
    query = select(Target.value).where(
        Target.measure_id == measure.id, Target.year_id == year.id, Target.value.is_not(None)
    )
    if provider_id is not None:
        annual = session.scalar(query.where(Target.provider_id == provider_id))
        name = "Target"
    elif measure.national_value is not None:
        annual, name = measure.national_value, "National target"
    else:
        values = list(session.scalars(query))
        if not values:
            return None
        if measure.unit is MeasureUnit.COUNT:
            annual, name = sum(values, Decimal(0)), "Target (providers' targets added up)"
        else:
            annual, name = Decimal(statistics.median(values)), "Target (median provider)"
    if annual is None:
        return None
    level = window_target(measure.aggregation, annual, months)
    shown = format_measure_value(measure.unit, level)
    if level != annual:
        per = "a quarter" if months == 3 else "a month"
        shown += f" {per} ({format_measure_value(measure.unit, annual)} a year)"
    return Series(f"{name}: {shown}", tuple(level for _ in periods))


def trend(
    wb: Workbook, measure_id: int, provider_id: int | None = None, year: str | None = None
) -> TrendData:
    """A measure's trend for one provider, or across all providers when none is given."""
    with wb.session() as session:
        measure = session.get(Measure, measure_id)
        if measure is None:
            raise LookupError(measure_id)
        fy = year_by_label(session, year) if year else current_year(session)
        before = _previous_year(session, fy)
        kind = _cadence(session, measure_id, provider_id, [fy.id] + ([before.id] if before else []))
        periods = _periods(session, fy, kind)
        who = "all providers"
        if provider_id is not None:
            who = session.scalar(select(Provider.name).where(Provider.id == provider_id)) or ""
        suffix = "" if provider_id is not None else " (all providers)"
        actual, lines = _series(session, measure, provider_id, periods, fy.label + suffix)
        previous = None
        if before is not None:
            earlier = _periods(session, before, kind)
            previous, _ = _series(session, measure, provider_id, earlier, before.label + suffix)
            if all(v is None for v in previous.values):
                previous = None
        target = _target_series(session, measure, provider_id, fy, periods)
        providers: tuple[Series, ...] = ()
        if provider_id is None and 1 < len(lines) <= MAX_PROVIDER_LINES:
            names = dict(
                session.execute(
                    select(Provider.id, Provider.name).where(Provider.id.in_(lines))
                ).all()
            )
            providers = tuple(
                Series(names[pid], s.values)
                for pid, s in sorted(lines.items(), key=lambda item: names[item[0]])
            )
        return TrendData(
            title=f"{measure.code}: {measure.title}",
            subtitle=f"{who}, {fy.label}. {measure.direction.label}.",
            unit=measure.unit,
            direction=measure.direction,
            labels=tuple(_label(p) for p in periods),
            actual=actual,
            previous=previous,
            target=target,
            providers=providers,
        )
