"""Need and demand (issue 15, item 1): the figures a region plans from, per provider and
year, a simple forecast for years with no figure, and demand set against what is
commissioned: where a provider's demand for a service exceeds the volume bought, or a
prison's population its operational capacity, it is said by provider and service.

Forecast, for a year with no figure of its own: with a growth rate the DOM sets, the
latest earlier figure grown by that rate for each year ahead (counts only: the
reoffending rate always follows its trend); otherwise the straight-line
trend (least squares) of the earlier years' figures, or the latest figure when only one
year is known. Worked in exact decimals; counts are shown whole, rates to one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dom_desk.domain.periods import parse_year, year_label
from dom_desk.domain.region import current_year, get_setting, set_setting, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    DemandFigure,
    DemandKind,
    FinancialYear,
    Provider,
    Service,
    ServiceLine,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

GROWTH_KEY = "demand_growth_percent"
_WHOLE = Decimal("1")
_TENTH = Decimal("0.1")

# -- forecasting (pure) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    value: Decimal
    #: "entered", "trend of 2007-08 to 2009-10", "+2.0% a year from 2009-10",
    #: "as 2009-10".
    method: str

    @property
    def entered(self) -> bool:
        return self.method == "entered"


def forecast(
    known: Mapping[int, Decimal], year: int, growth_percent: Decimal | None = None
) -> Forecast | None:
    """The figure for ``year`` (a financial year's first calendar year) from the figures
    ``known`` by year: the entered one, else grown or trended from earlier years only;
    None when no earlier year is known."""
    if year in known:
        return Forecast(known[year], "entered")
    earlier = sorted(y for y in known if y < year)
    if not earlier:
        return None
    last = earlier[-1]
    if growth_percent is not None:
        factor = (1 + growth_percent / 100) ** (year - last)
        sign = "+" if growth_percent >= 0 else ""
        return Forecast(
            known[last] * factor,
            f"{sign}{growth_percent.normalize():f}% a year from {year_label(last)}",
        )
    if len(earlier) == 1:
        return Forecast(known[last], f"as {year_label(last)}")
    xs = [Decimal(y) for y in earlier]
    ys = [known[y] for y in earlier]
    n = Decimal(len(xs))
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    value = mean_y + slope * (Decimal(year) - mean_x)
    return Forecast(
        max(value, Decimal(0)), f"trend of {year_label(earlier[0])} to {year_label(last)}"
    )


def shown(kind: DemandKind, value: Decimal) -> str:
    """Counts whole with thousands separators; the reoffending rate to one place."""
    if kind is DemandKind.REOFFENDING_RATE:
        return f"{value.quantize(_TENTH, ROUND_HALF_UP)}%"
    return f"{int(value.quantize(_WHOLE, ROUND_HALF_UP)):,}"


# -- storing figures ------------------------------------------------------------------------


def set_figure(
    wb: Workbook,
    provider_id: int,
    year: str,
    kind: DemandKind,
    value: Decimal | int | str,
    service_id: int | None = None,
    source: str = "",
) -> None:
    """Sets a provider's figure of one kind (and service) for a year, replacing any
    there; one audited transaction."""
    with wb.session() as session:
        set_figure_in(session, provider_id, year, kind, value, service_id, source)


def set_figure_in(
    session: Session,
    provider_id: int,
    year: str,
    kind: DemandKind,
    value: Decimal | int | str,
    service_id: int | None = None,
    source: str = "",
    where: str = "Demand",
) -> bool:
    """The same in the caller's transaction; True when something changed."""
    amount = check_value(kind, value, where)
    if (kind is DemandKind.SERVICE) != (service_id is not None):
        raise ValidationError(
            "Demand for a service needs the service; other figures take none", where
        )
    label = year_label(parse_year(year))
    found = held_figure(session, provider_id, label, kind, service_id)
    if found is None:
        session.add(
            DemandFigure(
                id=audit.fresh_id(session, DemandFigure),
                provider_id=provider_id,
                year=label,
                kind=kind,
                service_id=service_id,
                value=amount,
                source=source.strip(),
            )
        )
        return True
    if found.value == amount and (not source.strip() or found.source == source.strip()):
        return False
    found.value = amount
    if source.strip():
        found.source = source.strip()
    return True


def check_value(kind: DemandKind, value: Decimal | int | str, where: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("demand figures are Decimal, int or text, never float")
    try:
        amount = Decimal(str(value).replace(",", "").rstrip("%").strip())
    except InvalidOperation:
        raise ValidationError(f"'{value}' is not a number", where) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"A demand figure cannot be negative ({value})", where)
    if kind is DemandKind.REOFFENDING_RATE and amount > 100:
        raise ValidationError(f"A reoffending rate is 0 to 100%, not {value}", where)
    return amount


def held_figure(
    session: Session, provider_id: int, year: str, kind: DemandKind, service_id: int | None
) -> DemandFigure | None:
    query = select(DemandFigure).where(
        DemandFigure.provider_id == provider_id,
        DemandFigure.year == year,
        DemandFigure.kind == kind,
    )
    query = query.where(
        DemandFigure.service_id.is_(None)
        if service_id is None
        else DemandFigure.service_id == service_id
    )
    return session.scalar(query)


def remove_figure(
    wb: Workbook, provider_id: int, year: str, kind: DemandKind, service_id: int | None = None
) -> bool:
    with wb.session() as session:
        found = held_figure(session, provider_id, year_label(parse_year(year)), kind, service_id)
        if found is None:
            return False
        session.delete(found)
        return True


def growth(wb: Workbook) -> Decimal | None:
    """The growth rate a year the DOM set for forecasts, or None to follow the trend."""
    with wb.session() as session:
        text = get_setting(session, GROWTH_KEY).strip()
    return Decimal(text) if text else None


def set_growth(wb: Workbook, percent: Decimal | None) -> None:
    """Sets (or, with None, clears) the forecasts' growth rate a year, -50 to 100%."""
    if percent is not None and not Decimal(-50) <= percent <= Decimal(100):
        raise ValidationError(f"A growth rate is -50% to 100% a year, not {percent}%", "Growth")
    with wb.session() as session:
        old = get_setting(session, GROWTH_KEY) or None
        new = "" if percent is None else f"{percent.normalize():f}"
        set_setting(session, GROWTH_KEY, new)
        audit.record(session, "set", "setting", None, GROWTH_KEY, old, new or None, "Demand growth")


# -- demand against what is bought ----------------------------------------------------------


@dataclass(frozen=True)
class DemandRow:
    provider_id: int
    provider: str
    kind: DemandKind
    service_id: int | None
    service: str
    unit: str
    figure: Forecast
    #: For demand for a service: the volume the provider is commissioned for that year.
    commissioned: int | None = None

    @property
    def label(self) -> str:
        return f"{self.kind.label}: {self.service}" if self.service else self.kind.label

    @property
    def shortfall(self) -> Decimal | None:
        """Demand beyond what is bought (positive), or None where nothing compares."""
        if self.commissioned is None:
            return None
        return self.figure.value - self.commissioned


@dataclass(frozen=True)
class DemandPosition:
    year: str
    growth_percent: Decimal | None
    rows: tuple[DemandRow, ...]
    #: One sentence per provider and service where demand exceeds what is bought, and per
    #: prison whose population exceeds its operational capacity, largest first.
    pressures: tuple[str, ...]


def demand_position(wb: Workbook, year: str | None = None) -> DemandPosition:
    """Every provider's figures for the year, entered or forecast, with what is bought."""
    with wb.session() as session:
        fy = year_by_label(session, year) if year else current_year(session)
        return demand_position_in(session, fy)


def demand_position_in(session: Session, fy: FinancialYear) -> DemandPosition:
    """The same in the caller's transaction (the plan reads every section in one)."""
    text = get_setting(session, GROWTH_KEY).strip()
    rate = Decimal(text) if text else None
    rows = _rows(session, fy, rate)
    return DemandPosition(fy.label, rate, tuple(rows), tuple(_pressures(rows)))


def _rows(session: Session, fy: FinancialYear, rate: Decimal | None) -> list[DemandRow]:
    known: dict[tuple[int, DemandKind, int | None], dict[int, Decimal]] = defaultdict(dict)
    for figure in session.scalars(select(DemandFigure)):
        key = (figure.provider_id, figure.kind, figure.service_id)
        known[key][parse_year(figure.year)] = figure.value
    names = {pid: name for pid, name in session.execute(select(Provider.id, Provider.name))}
    services = {s.id: s for s in session.scalars(select(Service))}
    bought = _commissioned(session, fy.id)
    target = parse_year(fy.label)
    order = {kind: i for i, kind in enumerate(DemandKind)}
    rows = []
    for (provider_id, kind, service_id), by_year in known.items():
        # A rate does not grow by a percentage of itself: it follows its trend.
        figure = forecast(by_year, target, None if kind is DemandKind.REOFFENDING_RATE else rate)
        if figure is None:
            continue
        service = services.get(service_id) if service_id is not None else None
        rows.append(
            DemandRow(
                provider_id=provider_id,
                provider=names[provider_id],
                kind=kind,
                service_id=service_id,
                service=service.name if service else "",
                unit=service.unit if service else "",
                figure=figure,
                commissioned=bought.get((provider_id, service_id), 0)
                if kind is DemandKind.SERVICE
                else None,
            )
        )
    return sorted(rows, key=lambda r: (r.provider, order[r.kind], r.service))


def _commissioned(session: Session, year_id: int) -> dict[tuple[int, int], int]:
    """Volume bought per provider and service in the year."""
    rows = session.execute(
        select(Agreement.provider_id, ServiceLine.service_id, func.sum(ServiceLine.volume))
        .join(Agreement, ServiceLine.agreement_id == Agreement.id)
        .where(ServiceLine.year_id == year_id)
        .group_by(Agreement.provider_id, ServiceLine.service_id)
    ).all()
    return {(p, s): int(v or 0) for p, s, v in rows}


def _pressures(rows: list[DemandRow]) -> list[str]:
    found: list[tuple[Decimal, str]] = []
    for row in rows:
        short = row.shortfall
        if short is not None and short > 0:
            words = "forecast" if not row.figure.entered else "demand"
            found.append(
                (
                    short,
                    f"{row.provider}, {row.service}: {words} {shown(row.kind, row.figure.value)} "
                    f"against {row.commissioned:,} commissioned ({shown(row.kind, short)} short)",
                )
            )
    for population, capacity in _prisons_over(rows):
        people, places = population.figure.value, capacity.figure.value
        over = people - places
        found.append(
            (
                over,
                f"{population.provider}: population {shown(population.kind, people)} "
                f"against operational capacity {shown(capacity.kind, places)} "
                f"({shown(capacity.kind, over)} over)",
            )
        )
    return [text for _, text in sorted(found, key=lambda item: -item[0])]


def _prisons_over(rows: Sequence[DemandRow]) -> list[tuple[DemandRow, DemandRow]]:
    """(population, capacity) of each prison whose population exceeds its capacity."""
    by_provider: dict[int, dict[DemandKind, DemandRow]] = defaultdict(dict)
    for row in rows:
        by_provider[row.provider_id][row.kind] = row
    found = []
    for kinds in by_provider.values():
        population = kinds.get(DemandKind.PRISON_POPULATION)
        capacity = kinds.get(DemandKind.CAPACITY)
        if population and capacity and population.figure.value > capacity.figure.value:
            found.append((population, capacity))
    return found


def outruns(position: DemandPosition, row: DemandRow) -> bool:
    """Whether a row is part of one of the year's pressures: demand for a service beyond
    the volume bought, or a prison's population or capacity where it is over capacity."""
    short = row.shortfall
    if short is not None:
        return short > 0
    return any(row in pair for pair in _prisons_over(position.rows))


@dataclass(frozen=True)
class PressureBar:
    """One pressure as a chart draws it: demand (or population) against what is bought
    (or the places there are), the percentage exact to a tenth."""

    label: str
    demand: Decimal
    bought: Decimal

    @property
    def percent(self) -> Decimal:
        if not self.bought:
            return Decimal(0)
        return (self.demand * 100 / self.bought).quantize(_TENTH, ROUND_HALF_UP)


def pressure_bars(position: DemandPosition) -> list[PressureBar]:
    """The year's pressures, furthest beyond what is bought first (as a share of it)."""
    bars = []
    for row in position.rows:
        short = row.shortfall
        if short is not None and short > 0 and row.commissioned:
            bars.append(
                PressureBar(
                    f"{row.provider}: {row.service}", row.figure.value, Decimal(row.commissioned)
                )
            )
    for population, capacity in _prisons_over(position.rows):
        bars.append(
            PressureBar(
                f"{population.provider}: population",
                population.figure.value,
                capacity.figure.value,
            )
        )
    return sorted(bars, key=lambda b: (-b.percent, b.label))
