"""The demo's negotiation scenarios: two drafts for settling HMP Liverpool's 2009-10 SLA.

Both move money from Liverpool's custody line to Lancashire Probation Area's accredited
programmes (both agreements are still in negotiation, so either scenario can be
accepted), with the targets each side would sign up to. Neither is accepted: the demo's
committed figures are those of the SLAs and contracts.

Written through the models inside ``build_demo``'s one transaction, as the rest of the
demo is; each change records the figure it was drafted against exactly as
``domain.scenarios.draft`` would (pence as whole numbers, targets as decimals), and a
scenario change has no note of its own, so each scenario's notes say why each change.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.demo.data import (
    CUSTODY_DRUGS,
    CUSTODY_MEN,
    ILLUSTRATIVE,
    PROGRAMMES,
    RECORDED_BY,
    pounds,
)
from dom_desk.models import (
    Agreement,
    Allocation,
    FinancialYear,
    Measure,
    Provider,
    Scenario,
    ScenarioChange,
    Service,
    ServiceLine,
    Target,
)

LIVERPOOL = "HMP Liverpool"
LANCASHIRE = "Lancashire Probation Area"


class Move(NamedTuple):
    """Money moved between two allocations' provisional figures (neither is agreed)."""

    source: tuple[str, str]  # provider, service
    to: tuple[str, str]
    amount: int


class Provisional(NamedTuple):
    """An allocation's provisional figure changed by ``change`` pence."""

    allocation: tuple[str, str]
    change: int


class TargetValue(NamedTuple):
    provider: str
    code: str
    value: Decimal


class ScenarioRow(NamedTuple):
    name: str
    created: datetime
    notes: str
    changes: tuple[Move | Provisional | TargetValue, ...]


SCENARIOS: tuple[ScenarioRow, ...] = (
    # The earlier, smaller option (drafted first, so the tab opens on the one in progress).
    ScenarioRow(
        "Liverpool SLA option B: £150,000 to Lancashire programmes",
        datetime(2009, 10, 26, 11, 0),
        "The fallback if Liverpool will not go to £250,000. " + ILLUSTRATIVE + "\n"
        "- £150,000 off Liverpool's custody places line, into about 50 more accredited "
        "programme places in Lancashire at £2,900 each.\n"
        "- No extra drug treatment: Liverpool's drug misuse target (KPI 6) tightened "
        "from 9.5% only to 9.0%.\n"
        "- Lancashire's programme completion target (PM 8) up from 75% to 77%.",
        (
            Move((LIVERPOOL, CUSTODY_MEN), (LANCASHIRE, PROGRAMMES), pounds(150_000)),
            TargetValue(LIVERPOOL, "KPI 6", Decimal("9.0")),
            TargetValue(LANCASHIRE, "PM 8", Decimal(77)),
        ),
    ),
    ScenarioRow(
        "Liverpool SLA option A: £250,000 to Lancashire programmes",
        datetime(2009, 10, 30, 15, 30),
        "In progress at the table with HMP Liverpool (SLA deadline 13/11/2009); "
        "Lancashire has seen the programme figures. " + ILLUSTRATIVE + "\n"
        "- £250,000 off Liverpool's custody places line: the 1,400 places stay, at about "
        "£179 a place less, as this year's efficiency; the money buys about 86 more "
        "accredited programme places in Lancashire at £2,900, where completions are behind.\n"
        "- Liverpool's drug treatment (CARAT/IDTS) provisional up £33,000 for 30 more "
        "starts at £1,100, paid from headroom.\n"
        "- In return Liverpool's drug misuse target (KPI 6) tightens from 9.5% to 8.5%.\n"
        "- Lancashire's programme completion target (PM 8) up from 75% to 78%.",
        (
            Move((LIVERPOOL, CUSTODY_MEN), (LANCASHIRE, PROGRAMMES), pounds(250_000)),
            Provisional((LIVERPOOL, CUSTODY_DRUGS), pounds(33_000)),
            TargetValue(LIVERPOOL, "KPI 6", Decimal("8.5")),
            TargetValue(LANCASHIRE, "PM 8", Decimal(78)),
        ),
    ),
)


def _text(value: int | Decimal) -> str:
    """A figure as a scenario stores it (the same text ``domain.scenarios`` writes)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _allocation(session: Session, year: FinancialYear, where: tuple[str, str]) -> Allocation:
    provider, service = where
    return session.scalars(
        select(Allocation)
        .join(Agreement, Allocation.agreement_id == Agreement.id)
        .join(Provider, Agreement.provider_id == Provider.id)
        .join(ServiceLine, Allocation.service_line_id == ServiceLine.id)
        .join(Service, ServiceLine.service_id == Service.id)
        .where(Allocation.year_id == year.id, Provider.name == provider, Service.name == service)
    ).one()


def _target_change(session: Session, year: FinancialYear, row: TargetValue) -> ScenarioChange:
    provider = session.scalars(select(Provider).where(Provider.name == row.provider)).one()
    measure = session.scalars(select(Measure).where(Measure.code == row.code)).one()
    target = session.scalars(
        select(Target).where(
            Target.year_id == year.id,
            Target.provider_id == provider.id,
            Target.measure_id == measure.id,
        )
    ).one()
    assert target.value is not None, f"{row.provider} has no {row.code} target to change"
    return ScenarioChange(
        measure_id=measure.id,
        provider_id=provider.id,
        field="value",
        base_value=_text(target.value),
        new_value=_text(row.value),
    )


def _changes(session: Session, year: FinancialYear, row: ScenarioRow) -> list[ScenarioChange]:
    # Provisional figures as the scenario proposes them, by allocation, in drafting order.
    proposed: dict[int, tuple[Allocation, int]] = {}

    def shift(where: tuple[str, str], amount: int) -> None:
        allocation = _allocation(session, year, where)
        assert allocation.agreed is None and allocation.provisional is not None
        _, now = proposed.get(allocation.id, (allocation, allocation.provisional))
        proposed[allocation.id] = (allocation, now + amount)

    targets = []
    for change in row.changes:
        if isinstance(change, Move):
            shift(change.source, -change.amount)
            shift(change.to, change.amount)
        elif isinstance(change, Provisional):
            shift(change.allocation, change.change)
        else:
            targets.append(_target_change(session, year, change))
    return [
        ScenarioChange(
            allocation_id=allocation.id,
            field="provisional",
            base_value=_text(allocation.provisional),
            new_value=_text(value),
        )
        for allocation, value in proposed.values()
    ] + targets


def add_scenarios(session: Session, year: FinancialYear) -> None:
    """The year's two draft scenarios; call once the year's allocations and targets exist."""
    session.flush()  # the allocations and targets the changes name need their ids
    for row in SCENARIOS:
        scenario = Scenario(
            year_id=year.id,
            name=row.name,
            notes=row.notes,
            created_at=row.created,
            created_by=RECORDED_BY,
        )
        scenario.changes.extend(_changes(session, year, row))
        session.add(scenario)
