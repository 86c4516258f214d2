"""A small region for allocation, SLA and scenario tests: few rows, every case covered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from dom_desk.domain.region import year_by_label
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Direction,
    EnvelopeLine,
    FundingSource,
    Guidance,
    Measure,
    MeasureUnit,
    Pathway,
    Provider,
    ProviderKind,
    Scope,
    Sector,
    Service,
    ServiceLine,
    Target,
)


def pounds(amount: int) -> int:
    return amount * 100


@dataclass(frozen=True)
class Ids:
    """Ids of the rows tests refer to by role."""

    prison: int  # HMP Kennet, SLA in negotiation
    prison_sla: int
    prison_custody: int  # service line
    prison_custody_alloc: int
    prison_drugs_alloc: int
    signed: int  # HMP Risley, SLA signed
    signed_sla: int
    signed_alloc: int
    charity: int  # Nacro, contract in negotiation
    charity_contract: int
    charity_alloc: int
    charity_line: int
    agreement_level_alloc: int  # a Nacro allocation with no service line
    rate: int  # Regional Minimum, higher is better, floor 70
    drugs: int  # National 9.3, lower is better
    escapes: int  # Regional Minimum, lower is better, floor 0.05
    local: int  # Locally Set count


def build(wb) -> Ids:
    """North West 2009-10: an envelope of £1,200,000, allocations committing £1,098,500."""
    with wb.session() as s:
        year = year_by_label(s, "2009-10")
        noms, esf = FundingSource(name="NOMS regional allocation"), FundingSource(name="ESF")
        s.add_all([noms, esf])
        s.flush()
        s.add_all(
            [
                EnvelopeLine(year_id=year.id, funding_source_id=noms.id, amount=pounds(1_100_000)),
                EnvelopeLine(year_id=year.id, funding_source_id=esf.id, amount=pounds(100_000)),
            ]
        )
        kennet = Provider(name="HMP Kennet", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC)
        risley = Provider(name="HMP Risley", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC)
        nacro = Provider(name="Nacro", kind=ProviderKind.VCS, sector=Sector.THIRD)
        custody = Service(name="Custody places", unit="place")
        drugs = Service(
            name="Drug treatment in custody", pathway=Pathway.DRUGS_ALCOHOL, unit="start"
        )
        resettle = Service(name="Resettlement advice", pathway=Pathway.ACCOMMODATION, unit="case")
        s.add_all([kennet, risley, nacro, custody, drugs, resettle])
        s.flush()
        sla = Agreement(
            provider_id=kennet.id,
            kind=AgreementKind.SLA,
            year_id=year.id,
            title="HMP Kennet SLA 2009-10",
            status=AgreementStatus.IN_NEGOTIATION,
        )
        signed = Agreement(
            provider_id=risley.id,
            kind=AgreementKind.SLA,
            year_id=year.id,
            title="HMP Risley SLA 2009-10",
            status=AgreementStatus.SIGNED,
        )
        contract = Agreement(
            provider_id=nacro.id,
            kind=AgreementKind.CONTRACT,
            title="Nacro resettlement contract",
            status=AgreementStatus.IN_NEGOTIATION,
            start=date(2009, 4, 1),
            end=date(2012, 3, 31),
            annual_value=pounds(100_000),
        )
        s.add_all([sla, signed, contract])
        s.flush()
        k_custody = ServiceLine(
            agreement_id=sla.id,
            service_id=custody.id,
            year_id=year.id,
            volume=30,
            unit_price=pounds(22_000),
        )
        k_drugs = ServiceLine(
            agreement_id=sla.id,
            service_id=drugs.id,
            year_id=year.id,
            volume=100,
            unit_price=pounds(1_100),
        )
        r_custody = ServiceLine(
            agreement_id=signed.id,
            service_id=custody.id,
            year_id=year.id,
            volume=20,
            unit_price=pounds(22_000),
        )
        n_line = ServiceLine(
            agreement_id=contract.id,
            service_id=resettle.id,
            year_id=year.id,
            volume=250,
            unit_price=pounds(350),
        )
        s.add_all([k_custody, k_drugs, r_custody, n_line])
        s.flush()
        allocations = [
            Allocation(
                year_id=year.id,
                agreement_id=sla.id,
                service_line_id=k_custody.id,
                funding_source_id=noms.id,
                baseline=pounds(650_000),
                provisional=pounds(660_000),
            ),
            Allocation(
                year_id=year.id,
                agreement_id=sla.id,
                service_line_id=k_drugs.id,
                funding_source_id=noms.id,
                baseline=pounds(100_000),
                provisional=pounds(110_000),
                agreed=pounds(110_000),
            ),
            Allocation(
                year_id=year.id,
                agreement_id=signed.id,
                service_line_id=r_custody.id,
                funding_source_id=noms.id,
                baseline=pounds(430_000),
                provisional=pounds(440_000),
                agreed=pounds(240_000),
            ),
            Allocation(
                year_id=year.id,
                agreement_id=contract.id,
                service_line_id=n_line.id,
                funding_source_id=esf.id,
                baseline=pounds(85_000),
                provisional=pounds(87_500),
            ),
            Allocation(
                year_id=year.id,
                agreement_id=contract.id,
                funding_source_id=esf.id,
                baseline=pounds(1_000),
            ),
        ]
        s.add_all(allocations)
        measures = [
            Measure(
                code="PT 9",
                code_key="PT9",
                title="Orders completed successfully",
                unit=MeasureUnit.PERCENT,
                direction=Direction.HIGHER,
                scope=Scope.INTEGRATED,
                guidance=Guidance.REGIONAL_MINIMUM,
                floor=Decimal(70),
            ),
            Measure(
                code="KPT 4",
                code_key="KPT4",
                title="Positive drug tests",
                unit=MeasureUnit.PERCENT,
                direction=Direction.LOWER,
                scope=Scope.PRISON,
                guidance=Guidance.NATIONAL,
                national_value=Decimal("9.3"),
            ),
            Measure(
                code="KPT 1",
                code_key="KPT1",
                title="Escapes",
                unit=MeasureUnit.PERCENT,
                direction=Direction.LOWER,
                scope=Scope.PRISON,
                guidance=Guidance.REGIONAL_MINIMUM,
                floor=Decimal("0.05"),
            ),
            Measure(
                code="PM 3",
                code_key="PM3",
                title="Programme completions",
                unit=MeasureUnit.COUNT,
                direction=Direction.HIGHER,
                scope=Scope.INTEGRATED,
                guidance=Guidance.LOCALLY_SET,
            ),
        ]
        s.add_all(measures)
        s.flush()
        s.add(
            Target(
                measure_id=measures[0].id, provider_id=kennet.id, year_id=year.id, value=Decimal(75)
            )
        )
        s.flush()
        level = s.scalars(select(Allocation).where(Allocation.service_line_id.is_(None))).one()
        return Ids(
            prison=kennet.id,
            prison_sla=sla.id,
            prison_custody=k_custody.id,
            prison_custody_alloc=allocations[0].id,
            prison_drugs_alloc=allocations[1].id,
            signed=risley.id,
            signed_sla=signed.id,
            signed_alloc=allocations[2].id,
            charity=nacro.id,
            charity_contract=contract.id,
            charity_alloc=allocations[3].id,
            charity_line=n_line.id,
            agreement_level_alloc=level.id,
            rate=measures[0].id,
            drugs=measures[1].id,
            escapes=measures[2].id,
            local=measures[3].id,
        )


def figures(wb) -> dict:
    """Every stored figure a negotiation can touch, to show a refused edit changed nothing."""
    with wb.session() as s:
        return {
            "allocations": sorted(
                s.execute(
                    select(
                        Allocation.id,
                        Allocation.year_id,
                        Allocation.baseline,
                        Allocation.provisional,
                        Allocation.agreed,
                    )
                ).all()
            ),
            "lines": sorted(
                s.execute(
                    select(
                        ServiceLine.id,
                        ServiceLine.year_id,
                        ServiceLine.volume,
                        ServiceLine.unit_price,
                    )
                ).all()
            ),
            # A target by what it is, not its id: one removed and made again (undo, redo)
            # takes a new id on PostgreSQL, whose ids are never reused.
            "targets": sorted(
                s.execute(
                    select(
                        Target.measure_id,
                        Target.provider_id,
                        Target.value,
                        Target.minimum,
                    )
                ).all(),
                key=repr,  # without the id, a minimum may be None beside a Decimal
            ),
            "status": sorted(s.execute(select(Agreement.id, Agreement.status)).all()),
            "envelope": sorted(s.execute(select(EnvelopeLine.id, EnvelopeLine.amount)).all()),
        }
