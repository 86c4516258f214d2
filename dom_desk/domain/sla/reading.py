"""Reading the SLA workspace: a provider's agreements for a year, their service lines and
targets as plain items (:class:`Workspace`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.applicability import code_order, in_year_clause
from dom_desk.domain.overview import committed_figure
from dom_desk.domain.periods import parse_year, year_label
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.sla.basis import basis
from dom_desk.domain.sla.unit_costs import against_target, cost_difference
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Direction,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Provider,
    ProviderKind,
    Scope,
    ServiceLine,
    Target,
)
from dom_desk.storage.workbook import Workbook

_PRISONS = {ProviderKind.PUBLIC_PRISON, ProviderKind.CONTRACTED_PRISON, ProviderKind.PRISON_CLUSTER}
_PROBATION = {
    ProviderKind.PROBATION_BOARD,
    ProviderKind.PROBATION_TRUST,
    ProviderKind.CRC,
    ProviderKind.NPS_DIVISION,
}
_ORDER = list(AgreementStatus)


@dataclass(frozen=True)
class LineItem:
    id: int
    version: int
    service_id: int
    service: str
    unit: str
    pathway: str
    volume: int
    unit_price: int
    #: The service's target unit cost in pence (its costed specification), if it has one.
    target_unit_cost: int | None = None

    @property
    def value(self) -> int:
        return self.volume * self.unit_price

    @property
    def cost_difference(self) -> int | None:
        """Pence the unit price is above (+) or below (-) the target unit cost."""
        return cost_difference(self.unit_price, self.target_unit_cost)

    @property
    def against_target(self) -> str:
        """``+£120 (8.0%) above``, ``at target``, ``-£50 (2.1%) below``, ``no target cost``."""
        return against_target(self.unit_price, self.target_unit_cost)


@dataclass(frozen=True)
class TargetItem:
    measure_id: int
    target_id: int | None
    version: int
    code: str
    title: str
    unit: MeasureUnit
    direction: Direction
    guidance: Guidance
    national_value: Decimal | None
    floor: Decimal | None
    #: For a National measure, the national value (what the provider is held to).
    value: Decimal | None
    minimum: Decimal | None
    #: Where the value stands: national, not yet set, offered, agreed, in negotiation.
    basis: str = ""
    notes: str = ""

    @property
    def editable(self) -> bool:
        return self.guidance is not Guidance.NATIONAL


@dataclass(frozen=True)
class Workspace:
    provider_id: int
    provider: str
    provider_kind: ProviderKind
    year: str
    agreement_id: int | None
    agreement: str
    agreement_kind: AgreementKind | None
    status: AgreementStatus | None
    agreement_version: int
    #: Other agreements the provider holds for the year: (id, title).
    agreements: tuple[tuple[int, str], ...]
    lines: tuple[LineItem, ...]
    targets: tuple[TargetItem, ...]
    #: What the region has committed to the agreement this year (allocations), in pence.
    allocated: int

    @property
    def locked(self) -> bool:
        return self.status is not None and self.status.locked

    @property
    def value(self) -> int:
        """The service lines' value in pence: the exact sum of volume times unit price."""
        return sum(line.value for line in self.lines)


# -- finding things -----------------------------------------------------------------------


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def find_provider_in(session: Session, provider: int | str) -> Provider:
    if isinstance(provider, int):
        found = session.get(Provider, provider)
    else:
        found = session.scalars(select(Provider).where(Provider.name == provider)).first()
    if found is None:
        raise ValidationError(f"The workbook has no provider '{provider}'")
    return found


def agreements_for_in(session: Session, provider_id: int, year: FinancialYear) -> list[Agreement]:
    """The provider's agreements for the year: its SLA first, then contracts in force."""
    from dom_desk.domain.contracts import current_end

    found = session.scalars(
        select(Agreement)
        .where(
            Agreement.provider_id == provider_id,
            or_(Agreement.year_id == year.id, Agreement.kind == AgreementKind.CONTRACT),
        )
        .order_by(Agreement.kind, Agreement.start.desc(), Agreement.id)
    ).all()
    in_force = []
    for agreement in found:
        if agreement.year_id not in (None, year.id):
            continue
        if agreement.kind is AgreementKind.CONTRACT and agreement.year_id is None:
            end = current_end(agreement)
            if (agreement.start and agreement.start > year.end) or (end and end < year.start):
                continue
        in_force.append(agreement)
    return sorted(in_force, key=lambda a: (a.kind is not AgreementKind.SLA,))


def providers_with_agreements(wb: Workbook, year_label: str | None = None) -> list[tuple[int, str]]:
    """(id, name) of the providers holding an agreement in the year, by name."""
    with wb.session() as session:
        year = _year(session, year_label)
        return [
            (p.id, p.name)
            for p in session.scalars(select(Provider).order_by(Provider.name))
            if agreements_for_in(session, p.id, year)
        ]


def previous_year_in(session: Session, year: FinancialYear) -> FinancialYear | None:
    """The year before ``year``, if the workbook holds it."""
    label = year_label(parse_year(year.label) - 1)
    return session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first()


def measures_for_in(session: Session, provider: Provider, year: FinancialYear) -> list[Measure]:
    """Measures in the provider's scope that apply in the year (linked to it, or to no
    year) and that providers report, and any measure it already has a target for.

    Voluntary and private providers see the integrated measures, so a locally set target
    can be agreed with them; which measures a provider reports on is
    ``domain.applicability``'s rule."""
    scopes = {Scope.INTEGRATED}
    if provider.kind in _PRISONS:
        scopes.add(Scope.PRISON)
    elif provider.kind in _PROBATION:
        scopes.add(Scope.PROBATION)
    targeted = select(Target.measure_id).where(
        Target.provider_id == provider.id, Target.year_id == year.id
    )
    in_scope = (
        Measure.scope.in_(scopes) & Measure.reported_by_providers.is_(True) & in_year_clause(year)
    )
    found = session.scalars(select(Measure).where(or_(in_scope, Measure.id.in_(targeted))))
    return sorted(found, key=lambda m: code_order(m.code))  # KPI 2 before KPI 10


def target_item(measure: Measure, target: Target | None, target_basis: str = "") -> TargetItem:
    value = target.value if target else None
    if measure.guidance is Guidance.NATIONAL and measure.national_value is not None:
        value = measure.national_value
    return TargetItem(
        measure_id=measure.id,
        target_id=target.id if target else None,
        version=target.row_version if target else 0,
        code=measure.code,
        title=measure.title,
        unit=measure.unit,
        direction=measure.direction,
        guidance=measure.guidance,
        national_value=measure.national_value,
        floor=measure.floor,
        value=value,
        minimum=target.minimum if target else None,
        basis=target_basis or basis(measure, target, locked=False),
        notes=target.notes if target else "",
    )


def _line_item(line: ServiceLine) -> LineItem:
    service = line.service
    return LineItem(
        line.id,
        line.row_version,
        service.id,
        service.name,
        service.unit,
        service.pathway.label if service.pathway else "",
        line.volume,
        line.unit_price,
        service.target_unit_cost,
    )


def _targets_in(session: Session, provider_id: int, year: FinancialYear) -> dict[int, Target]:
    """The provider's targets for the year, by measure id."""
    return {
        t.measure_id: t
        for t in session.scalars(
            select(Target).where(Target.provider_id == provider_id, Target.year_id == year.id)
        )
    }


def workspace(
    wb: Workbook,
    provider: int | str,
    year_label: str | None = None,
    agreement_id: int | None = None,
) -> Workspace:
    """One provider's agreement for a year (its SLA unless another agreement is chosen)."""
    with wb.session() as session:
        found = find_provider_in(session, provider)
        year = _year(session, year_label)
        held = agreements_for_in(session, found.id, year)
        chosen = (
            next((a for a in held if a.id == agreement_id), None)
            if agreement_id
            else (held[0] if held else None)
        )
        if agreement_id and chosen is None:
            raise ValidationError(f"{found.name} holds no such agreement in {year.label}")
        lines: list[LineItem] = []
        allocated = 0
        if chosen is not None:
            lines = [
                _line_item(line)
                for line in session.scalars(
                    select(ServiceLine)
                    .options(selectinload(ServiceLine.service))
                    .where(ServiceLine.agreement_id == chosen.id, ServiceLine.year_id == year.id)
                    .order_by(ServiceLine.id)
                )
            ]
            allocated = sum(
                committed_figure(a.baseline, a.provisional, a.agreed)
                for a in session.scalars(
                    select(Allocation).where(
                        Allocation.agreement_id == chosen.id, Allocation.year_id == year.id
                    )
                )
            )
        targets = _targets_in(session, found.id, year)
        last = previous_year_in(session, year)
        last_values = (
            {m: t.value for m, t in _targets_in(session, found.id, last).items()} if last else {}
        )
        # Targets belong to the provider's first agreement (its SLA): its lock is theirs.
        targets_locked = bool(held) and held[0].status.locked
        return Workspace(
            provider_id=found.id,
            provider=found.name,
            provider_kind=found.kind,
            year=year.label,
            agreement_id=chosen.id if chosen else None,
            agreement=chosen.title if chosen else "",
            agreement_kind=chosen.kind if chosen else None,
            status=chosen.status if chosen else None,
            agreement_version=chosen.row_version if chosen else 0,
            agreements=tuple((a.id, a.title) for a in held),
            lines=tuple(lines),
            targets=tuple(
                target_item(
                    m,
                    targets.get(m.id),
                    basis(
                        m,
                        targets.get(m.id),
                        targets_locked,
                        last.label if last else "",
                        last_values.get(m.id),
                    ),
                )
                for m in measures_for_in(session, found, year)
            ),
            allocated=allocated,
        )
