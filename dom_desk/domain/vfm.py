"""Value for money: every service line's unit price against its service's target unit
cost (the costed specification) and against the other providers of the same service.

Seed 000 asks commissioners to "benchmark and test by competition": this is the
benchmark. Money stays in integer pence; the median of an even number of prices is the
mean of the middle two, exact in half-pence and shown rounded half up to the penny.
A line with no volume has no unit cost to compare: it is listed, says so, and takes no
part in the benchmark.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.sla.unit_costs import cost_difference
from dom_desk.models import Agreement, FinancialYear, ServiceLine
from dom_desk.storage.workbook import Workbook

NO_PATHWAY = "Not assigned to a pathway"
NO_VOLUME = "No volume this year: no unit price to compare"
NO_TARGET = "No target unit cost"
_PENNY = Decimal("1")


@dataclass(frozen=True)
class Benchmark:
    """The unit prices paid for one service across its providers (lines with volume)."""

    lines: int
    lowest: int
    median: Decimal
    highest: int

    @property
    def median_pence(self) -> int:
        """The median rounded half up to the penny."""
        return int(self.median.quantize(_PENNY, ROUND_HALF_UP))


@dataclass(frozen=True)
class VfmLine:
    line_id: int
    agreement_id: int
    agreement: str
    provider_id: int
    provider: str
    service_id: int
    service: str
    pathway: str
    unit: str
    volume: int
    unit_price: int
    target_unit_cost: int | None
    #: The other lines of the same service, or None when this line has no volume.
    benchmark: Benchmark | None
    #: 1 for the lowest price of the service; ties share a rank. None without volume.
    rank: int | None
    tied: bool

    @property
    def value(self) -> int:
        return self.volume * self.unit_price

    @property
    def has_volume(self) -> bool:
        return self.volume > 0

    @property
    def above_target(self) -> int | None:
        """Pence the unit price is above (+) or below (-) the target; None without a
        target or without volume."""
        if not self.has_volume:
            return None
        return cost_difference(self.unit_price, self.target_unit_cost)

    @property
    def above_target_percent(self) -> Decimal | None:
        """The difference as a share of the target, to one decimal place (half up)."""
        difference = self.above_target
        if difference is None or not self.target_unit_cost:
            return None
        share = Decimal(difference) * 100 / Decimal(self.target_unit_cost)
        return share.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def excess(self) -> int | None:
        """What the year's volume costs beyond the target price (negative: a saving)."""
        difference = self.above_target
        return None if difference is None else difference * self.volume

    @property
    def rank_text(self) -> str:
        """``2 of 5``, ``=1 of 3``, or empty without volume."""
        if self.rank is None or self.benchmark is None:
            return ""
        return f"{'=' if self.tied else ''}{self.rank} of {self.benchmark.lines}"

    @property
    def note(self) -> str:
        if not self.has_volume:
            return NO_VOLUME
        if self.target_unit_cost is None:
            return NO_TARGET
        return ""


@dataclass(frozen=True)
class PathwayValue:
    """One pathway's lines: what they cost and what they would cost at target prices."""

    pathway: str
    lines: int
    value: int
    #: Lines whose service has a target unit cost and whose volume is above nought.
    costed_lines: int
    value_of_costed: int
    value_at_target: int

    @property
    def excess(self) -> int:
        """Pence paid beyond the target prices on the costed lines (negative: a saving)."""
        return self.value_of_costed - self.value_at_target


@dataclass(frozen=True)
class ValueForMoney:
    year: str
    #: Lines furthest above target first (by share of the target), then those with no
    #: target, then those with no volume.
    lines: tuple[VfmLine, ...]
    pathways: tuple[PathwayValue, ...]

    @property
    def total_excess(self) -> int:
        return sum(p.excess for p in self.pathways)


def median(values: Sequence[int]) -> Decimal:
    """The exact median of whole pence (half-pence when the middle two differ by one)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def ranks(prices: Sequence[int]) -> list[tuple[int, bool]]:
    """Each price's competition rank (1 = lowest; equal prices share the rank) and
    whether it is tied, in the order given."""
    return [
        (1 + sum(1 for other in prices if other < price), prices.count(price) > 1)
        for price in prices
    ]


def value_for_money(wb: Workbook, year_label: str | None = None) -> ValueForMoney:
    """Every service line of the year (default: the workbook's current year)."""
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        return value_for_money_in(session, year)


def value_for_money_in(session: Session, year: FinancialYear) -> ValueForMoney:
    """The same in the caller's transaction (the plan reads every section in one)."""
    lines = _lines(session, year.id)
    return ValueForMoney(year.label, tuple(_sorted(lines)), tuple(_pathways(lines)))


def _lines(session: Session, year_id: int) -> list[VfmLine]:
    rows = session.scalars(
        select(ServiceLine)
        .where(ServiceLine.year_id == year_id)
        .options(
            joinedload(ServiceLine.service),
            joinedload(ServiceLine.agreement).joinedload(Agreement.provider),
        )
        .order_by(ServiceLine.id)
    ).all()
    prices: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.volume > 0:
            prices[row.service_id].append(row.unit_price)
    benchmarks = {
        service_id: Benchmark(len(paid), min(paid), median(paid), max(paid))
        for service_id, paid in prices.items()
    }
    items = []
    for row in rows:
        service = row.service
        rank, tied = (None, False)
        if row.volume > 0:
            paid = prices[row.service_id]
            rank, tied = ranks(paid)[paid.index(row.unit_price)]
        items.append(
            VfmLine(
                line_id=row.id,
                agreement_id=row.agreement_id,
                agreement=row.agreement.title,
                provider_id=row.agreement.provider_id,
                provider=row.agreement.provider.name,
                service_id=row.service_id,
                service=service.name,
                pathway=service.pathway.label if service.pathway else NO_PATHWAY,
                unit=service.unit,
                volume=row.volume,
                unit_price=row.unit_price,
                target_unit_cost=service.target_unit_cost,
                benchmark=benchmarks.get(row.service_id) if row.volume > 0 else None,
                rank=rank,
                tied=tied,
            )
        )
    return items


def _sorted(lines: Iterable[VfmLine]) -> list[VfmLine]:
    def key(line: VfmLine) -> tuple[int, Decimal, int, str, str]:
        share = line.above_target_percent
        group = 0 if share is not None else (1 if line.has_volume else 2)
        excess = line.excess or 0
        return (group, -(share or Decimal(0)), -excess, line.service, line.provider)

    return sorted(lines, key=key)


def _pathways(lines: Sequence[VfmLine]) -> list[PathwayValue]:
    grouped: dict[str, list[VfmLine]] = defaultdict(list)
    for line in lines:
        grouped[line.pathway].append(line)
    result = []
    for pathway, members in grouped.items():
        costed = [m for m in members if m.excess is not None]
        result.append(
            PathwayValue(
                pathway=pathway,
                lines=len(members),
                value=sum(m.value for m in members),
                costed_lines=len(costed),
                value_of_costed=sum(m.value for m in costed),
                value_at_target=sum(m.volume * (m.target_unit_cost or 0) for m in costed),
            )
        )
    # Most paid beyond target first; the unassigned lines last, as the plan prints them.
    return sorted(result, key=lambda p: (p.pathway == NO_PATHWAY, -p.excess, p.pathway))
