"""Builds the demo region into an empty workbook session from the tables beside it.

Everything is added as objects linked by relationship and written by the session's
flush, so the build is a handful of bulk inserts rather than a flush per row.

``build_demo`` takes a session, not a workbook, because the whole region is one
transaction (``write_demo`` opens it): a failure leaves no half-built demo behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy.orm import Session

from dom_desk.demo import data, plan
from dom_desk.demo.cycle import add_cycle
from dom_desk.demo.data import ContractRow, Line, SlaRow
from dom_desk.demo.performance import add_performance
from dom_desk.demo.plan.priorities import PRIORITIES_BY_YEAR
from dom_desk.demo.plan_text import add_plan_template
from dom_desk.demo.scenarios import add_scenarios
from dom_desk.domain.competitions import default_timetable
from dom_desk.domain.region import create_region, ensure_year, region, set_setting
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Competition,
    CompetitionStage,
    EnvelopeGroup,
    EnvelopeLine,
    FinancialYear,
    FundingSource,
    Milestone,
    Priority,
    Provider,
    Risk,
    Service,
    ServiceLine,
    Stage,
    Variation,
)


@dataclass
class Refs:
    """What later tables point at, by the names the data tables use."""

    years: dict[str, FinancialYear]
    providers: dict[str, Provider] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    funding: dict[str, FundingSource] = field(default_factory=dict)
    #: SLAs by provider name and year label.
    slas: dict[tuple[str, str], Agreement] = field(default_factory=dict)
    priorities: dict[int, Priority] = field(default_factory=dict)


def build_demo(session: Session) -> None:
    """Fills an empty workbook with the North West demo region (2009-10 and 2008-09)."""
    # create_region also makes its first year the current one.
    create_region(session, data.REGION, data.CURRENT_YEAR)
    refs = Refs({label: ensure_year(session, label) for label in data.YEARS})
    region(session).notes = data.REGION_NOTES
    set_setting(session, "as_of", data.AS_OF)
    _add_providers(session, refs)
    _add_services(session, refs)
    _add_funding(session, refs)
    _add_slas(session, refs)
    _add_contracts(session, refs)
    _add_priorities(session, refs)
    _add_competitions(session, refs)
    _add_milestones(session, refs)
    _add_risks(session, refs)
    add_plan_template(session)
    add_performance(session, refs.years, refs.providers, _sla_volumes(refs))
    add_scenarios(session, refs.years[data.CURRENT_YEAR])
    add_cycle(session)
    session.flush()


# -- providers, services, money ---------------------------------------------------------


def _add_providers(session: Session, refs: Refs) -> None:
    for row in data.PROVIDERS:
        refs.providers[row.name] = Provider(
            name=row.name,
            kind=row.kind,
            sector=row.sector,
            operator=row.operator,
            capacity=row.capacity,
            aliases="\n".join(row.aliases),
            notes=row.notes,
        )
    session.add_all(refs.providers.values())


def _add_services(session: Session, refs: Refs) -> None:
    for row in data.SERVICES:
        refs.services[row.name] = Service(
            name=row.name,
            pathway=row.pathway,
            unit=row.unit,
            target_unit_cost=row.target_unit_cost,
            minimum_quality=row.minimum_quality,
            outputs=f"{row.outputs} Target unit cost illustrative.",
        )
    session.add_all(refs.services.values())


def _add_funding(session: Session, refs: Refs) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    from dom_desk.demo.data.services import ENVELOPE_GROUPS, ENVELOPE_TOLERANCE

    def printed(pence: int) -> int:
        # As the table prints it: £m to one decimal place.
        tenths = (Decimal(pence) / 10_000_000).quantize(Decimal(1), ROUND_HALF_UP)
        return int(tenths) * 10_000_000

    groups = {
        (label, name): EnvelopeGroup(
            year=year,
            name=name,
            position=position,
            total_label=f"Total {name}",
            tolerance=ENVELOPE_TOLERANCE,
            notes=data.ILLUSTRATIVE,
        )
        for label, year in refs.years.items()
        for position, name in enumerate(ENVELOPE_GROUPS)
    }
    for row in data.FUNDING:
        source = FundingSource(name=row.name, notes=row.notes)
        refs.funding[row.name] = source
        for label, amount in row.amounts.items():
            group = groups[(label, row.group)]
            group.printed_total = printed(amount) + (group.printed_total or 0)
            session.add(
                EnvelopeLine(
                    year=refs.years[label],
                    funding_source=source,
                    group=group,
                    name=row.name,
                    position=sum(
                        1 for r in data.FUNDING[: data.FUNDING.index(row)] if r.group == row.group
                    ),
                    amount=amount,
                    illustrative=True,
                    notes=data.ILLUSTRATIVE,
                )
            )
    session.add_all(g for g in groups.values() if g.printed_total is not None)
    session.add_all(refs.funding.values())


def _lines(
    agreement: Agreement, year: FinancialYear, lines: tuple[Line, ...], refs: Refs
) -> list[ServiceLine]:
    # Setting the agreement also appends each line to agreement.lines.
    return [
        ServiceLine(
            agreement=agreement,
            service=refs.services[service],
            year=year,
            volume=volume,
            unit_price=price,
        )
        for service, volume, price in lines
    ]


def _allocation(
    line: ServiceLine, baseline: int, provisional: int | None, agreed: int | None, refs: Refs
) -> Allocation:
    source = data.SERVICE_FUNDING.get(line.service.name, data.NOMS_ALLOCATION)
    return Allocation(
        year=line.year,
        agreement=line.agreement,
        service_line=line,
        funding_source=refs.funding[source],
        baseline=baseline,
        provisional=provisional,
        agreed=agreed,
        illustrative=True,
        notes=data.ILLUSTRATIVE,
    )


def _previous_lines(row: SlaRow) -> tuple[Line, ...]:
    return tuple(
        (service, volume, price * data.PREVIOUS_PRICE_PERCENT // 100)
        for service, volume, price in row.lines
    )


def _add_slas(session: Session, refs: Refs) -> None:
    for number, row in enumerate(data.SLAS, start=1):
        previous = _add_sla(
            session,
            refs,
            row,
            number,
            data.PREVIOUS_YEAR,
            AgreementStatus.SIGNED,
            _previous_lines(row),
        )
        current = _add_sla(session, refs, row, number, data.CURRENT_YEAR, row.status, row.lines)
        _allocate_previous_sla(session, previous, refs)
        _allocate_current_sla(session, current, previous, row, refs)


def _add_sla(
    session: Session,
    refs: Refs,
    row: SlaRow,
    number: int,
    label: str,
    status: AgreementStatus,
    lines: tuple[Line, ...],
) -> list[ServiceLine]:
    current = label == data.CURRENT_YEAR
    agreement = Agreement(
        provider=refs.providers[row.provider],
        kind=AgreementKind.SLA,
        title=f"{row.provider} SLA {label}",
        status=status,
        year=refs.years[label],
        reference=f"NW/SLA/{label}/{number:02d}",
        negotiation_deadline=row.negotiation_deadline if current else None,
        notes=row.notes if current else "",
    )
    refs.slas[row.provider, label] = agreement
    session.add(agreement)
    return _lines(agreement, refs.years[label], lines, refs)


def _allocate_previous_sla(session: Session, lines: list[ServiceLine], refs: Refs) -> None:
    """2008-09 is settled: every SLA signed at the value of its lines."""
    session.add_all(
        _allocation(
            line,
            _whole_pounds(line.value * data.PREVIOUS_BASELINE_PERCENT // 100),
            line.value,
            line.value,
            refs,
        )
        for line in lines
    )


def _whole_pounds(pence: int) -> int:
    """Planning figures are whole pounds: the pence are dropped."""
    return pence - pence % 100


def _allocate_current_sla(
    session: Session, lines: list[ServiceLine], previous: list[ServiceLine], row: SlaRow, refs: Refs
) -> None:
    """Baseline rolls 2008-09 forward; the lines hold the agreed deal or the current offer."""
    settled = row.status.locked
    for index, (line, before) in enumerate(zip(lines, previous, strict=True)):
        provisional = line.value - (row.negotiated if settled and index == 0 else 0)
        session.add(
            _allocation(line, before.value, provisional, line.value if settled else None, refs)
        )


def _add_contracts(session: Session, refs: Refs) -> None:
    for row in data.CONTRACTS:
        agreement = _contract(row, refs)
        session.add(agreement)
        for label, lines in row.lines.items():
            # Contract prices are fixed: no negotiation between baseline and agreed.
            session.add_all(
                _allocation(line, line.value, line.value, line.value, refs)
                for line in _lines(agreement, refs.years[label], lines, refs)
            )


def _contract(row: ContractRow, refs: Refs) -> Agreement:
    agreement = Agreement(
        provider=refs.providers[row.provider],
        kind=AgreementKind.CONTRACT,
        title=row.title,
        status=row.status,
        reference=row.reference,
        start=row.start,
        end=row.end,
        annual_value=row.annual_value,
        extension_options=row.extension_options,
        break_clauses=row.break_clauses,
        notice_months=row.notice_months,
        payment_mechanism=row.payment,
        pbr_share=Decimal(row.pbr_share) if row.pbr_share is not None else None,
        contract_manager=row.contract_manager,
        notes=row.notes,
    )
    agreement.variations.extend(
        Variation(
            kind=v.kind,
            effective=v.effective,
            description=v.description,
            value_change=v.value_change,
            new_end=v.new_end,
            recorded_at=datetime.combine(v.effective, time(10, 0)),
            recorded_by=data.RECORDED_BY,
        )
        for v in row.variations
    )
    return agreement


def _sla_volumes(refs: Refs) -> dict[tuple[str, str], int]:
    """Volumes each provider's 2009-10 SLA buys, by provider and service name."""
    return {
        (name, line.service.name): line.volume
        for (name, label), agreement in refs.slas.items()
        if label == data.CURRENT_YEAR
        for line in agreement.lines
    }


# -- plan ---------------------------------------------------------------------------------


def _add_priorities(session: Session, refs: Refs) -> None:
    # Priority has no relationship to its year; years are flushed, so use the id. Risks
    # and milestones name the current year's priorities (``refs.priorities``).
    for label, rows in PRIORITIES_BY_YEAR.items():
        made = {
            row.number: Priority(
                year_id=refs.years[label].id,
                number=row.number,
                title=row.title,
                rationale=row.rationale,
                provider_response=row.provider_response,
            )
            for row in rows
        }
        session.add_all(made.values())
        if label == data.CURRENT_YEAR:
            refs.priorities = made


def _recompete_stages(row: plan.CompetitionRow) -> list[CompetitionStage]:
    """Stages by the app's one default timetable, worked back from expiry (the call 12
    months before, as seed 000 prints it); the call keeps its printed wording."""
    assert row.expiry is not None
    planned = default_timetable(row.expiry)
    actuals = dict(row.actuals)
    return [
        CompetitionStage(
            stage=stage,
            planned=planned[stage],
            planned_text=row.call_text if stage is Stage.CALL else "",
            actual=actuals.get(stage),
        )
        for stage in Stage
    ]


def _add_competitions(session: Session, refs: Refs) -> None:
    for row in plan.COMPETITIONS_2009:
        competition = Competition(
            subject=row.subject,
            kind=row.kind,
            expiry=row.expiry,
            expiry_text=row.expiry_text,
            notes=row.notes,
            provider=refs.providers[row.provider] if row.provider else None,
            agreement=refs.slas[row.provider, data.CURRENT_YEAR] if row.provider else None,
        )
        competition.stages.extend(
            [
                CompetitionStage(
                    stage=s.stage, planned=s.planned, planned_text=s.planned_text, actual=s.actual
                )
                for s in row.stages
            ]
            if row.stages
            else _recompete_stages(row)
        )
        session.add(competition)


def _add_milestones(session: Session, refs: Refs) -> None:
    session.add_all(
        Milestone(
            reference=m.reference,
            title=m.title,
            owner=m.owner,
            due=m.due,
            due_text=m.due_text,
            done=m.done,
            notes=m.notes,
            priority=refs.priorities.get(m.priority) if m.priority else None,
        )
        for m in plan.MILESTONES
    )


def _add_risks(session: Session, refs: Refs) -> None:
    session.add_all(
        Risk(
            reference=r.reference,
            description=r.description,
            likelihood=r.likelihood,
            impact=r.impact,
            owner=r.owner,
            mitigations=r.mitigations,
            review=r.review,
            status=r.status,
            priority=refs.priorities.get(r.priority) if r.priority else None,
        )
        for r in plan.RISKS
    )
