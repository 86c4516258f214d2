"""Rolling a year forward: next year's envelope (its groups and lines, uprated and
marked illustrative), allocations and SLAs copied from this one, and the roll undone
while nothing in the new year has been used."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.allocations.envelope import copy_table_in
from dom_desk.domain.overview import committed_figure
from dom_desk.domain.region import get_setting, set_setting, year_by_label
from dom_desk.domain.values import format_decimal
from dom_desk.errors import ConflictError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    EnvelopeGroup,
    EnvelopeLine,
    FinancialYear,
    ServiceLine,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

# -- rolling a year forward ---------------------------------------------------------------


@dataclass(frozen=True)
class RollForward:
    """What a roll forward created, so it can be undone by deleting exactly that."""

    from_year: str
    to_year: str
    percent: Decimal
    year_created: bool
    agreement_ids: tuple[int, ...]
    line_ids: tuple[int, ...]
    allocation_ids: tuple[int, ...]
    #: Contracts whose term ends before the new year: not rolled forward.
    skipped: tuple[str, ...]
    baseline: int
    #: The envelope's groups and lines copied into the new year (none if it had some).
    envelope_group_ids: tuple[int, ...] = ()
    envelope_line_ids: tuple[int, ...] = ()


def next_label(label: str) -> str:
    from dom_desk.domain.periods import parse_year, year_label

    return year_label(parse_year(label) + 1)


def _copy_sla(
    session: Session, sla: Agreement, source: FinancialYear, target: FinancialYear
) -> Agreement:
    copy = Agreement(
        provider_id=sla.provider_id,
        kind=sla.kind,
        title=sla.title.replace(source.label, target.label),
        status=AgreementStatus.DRAFT,
        year_id=target.id,
        reference=sla.reference,
        payment_mechanism=sla.payment_mechanism,
        pbr_share=sla.pbr_share,
        contract_manager=sla.contract_manager,
        notes=f"Rolled forward from {source.label}.",
    )
    session.add(copy)
    return copy


def roll_forward(
    wb: Workbook, from_label: str, percent: Decimal = Decimal(0), to_label: str | None = None
) -> RollForward:
    """Next year's baselines from this year's agreed figures, uprated by ``percent``.

    Where a figure is not yet agreed its provisional (else its baseline) is used: what the
    region is committed to. Each SLA of the year is copied as a draft SLA for the next
    year with its service lines; contracts that run into the next year keep their
    agreement and get the year's service lines copied. One transaction; refused if the
    next year already has allocations.
    """
    from dom_desk.domain.contracts import current_end
    from dom_desk.domain.money import uprate
    from dom_desk.domain.region import ensure_year

    if not percent.is_finite() or percent <= -100:
        raise ValidationError("The uprating must be a percentage above -100%", "Uprating")
    with wb.session() as session:
        source = year_by_label(session, from_label)
        label = to_label or next_label(source.label)
        existed = (
            session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first()
            is not None
        )
        target = ensure_year(session, label)
        if target.start <= source.start:
            raise ValidationError(f"{label} is not after {source.label}", "Roll forward")
        if session.scalar(
            select(func.count()).select_from(Allocation).where(Allocation.year_id == target.id)
        ):
            raise ValidationError(
                f"{label} already has allocations; roll forward only fills an empty year",
                "Roll forward",
            )
        allocations = session.scalars(
            select(Allocation)
            .options(selectinload(Allocation.agreement))
            .where(Allocation.year_id == source.id)
            .order_by(Allocation.id)
        ).all()
        new_agreements: dict[int, Agreement] = {}
        new_lines: dict[int, ServiceLine] = {}
        created: list[Allocation] = []
        skipped: list[str] = []
        for old in allocations:
            agreement = old.agreement
            if agreement.kind is AgreementKind.SLA and agreement.year_id == source.id:
                if agreement.id not in new_agreements:
                    new_agreements[agreement.id] = _copy_sla(session, agreement, source, target)
                owner = new_agreements[agreement.id]
            else:
                end = current_end(agreement)
                if end is not None and end < target.start:
                    if agreement.title not in skipped:
                        skipped.append(agreement.title)
                    continue
                owner = agreement
            line = None
            if old.service_line is not None:
                if old.service_line_id not in new_lines:
                    new_lines[old.service_line_id] = ServiceLine(
                        agreement=owner,
                        service_id=old.service_line.service_id,
                        year_id=target.id,
                        volume=old.service_line.volume,
                        unit_price=old.service_line.unit_price,
                    )
                line = new_lines[old.service_line_id]
            figure = committed_figure(old.baseline, old.provisional, old.agreed)
            allocation = Allocation(
                year_id=target.id,
                agreement=owner,
                service_line=line,
                funding_source_id=old.funding_source_id,
                baseline=uprate(figure, percent),
                illustrative=old.illustrative,
            )
            session.add(allocation)
            created.append(allocation)
        session.flush()
        envelope_groups: list[int] = []
        envelope_lines: list[int] = []
        if not session.scalar(
            select(func.count()).select_from(EnvelopeLine).where(EnvelopeLine.year_id == target.id)
        ):
            envelope_groups, envelope_lines = copy_table_in(session, source, target, percent)
        total = sum(a.baseline for a in created)
        audit.record(
            session,
            "roll forward",
            "financial_year",
            target.id,
            "baseline",
            None,
            total,
            f"From {source.label}, uprated by {format_decimal(percent)}%",
        )
        return RollForward(
            from_year=source.label,
            to_year=label,
            percent=percent,
            year_created=not existed,
            agreement_ids=tuple(a.id for a in new_agreements.values()),
            line_ids=tuple(line.id for line in new_lines.values()),
            allocation_ids=tuple(a.id for a in created),
            skipped=tuple(skipped),
            baseline=total,
            envelope_group_ids=tuple(envelope_groups),
            envelope_line_ids=tuple(envelope_lines),
        )


def _year_in_use(session: Session, year: FinancialYear) -> bool:
    """Whether anything besides the year's own periods refers to the year."""
    from dom_desk.models import Base, Period

    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                refers = fk.column.table.name
                if refers == "financial_year" and table.name != "period":
                    value = year.id
                elif refers == "period":
                    value = select(Period.id).where(Period.year_id == year.id).scalar_subquery()
                    count = session.scalar(
                        select(func.count()).select_from(table).where(column.in_(value))
                    )
                    if count:
                        return True
                    continue
                else:
                    continue
                if session.scalar(select(func.count()).select_from(table).where(column == value)):
                    return True
    return False


def undo_roll_forward(wb: Workbook, done: RollForward) -> None:
    """Deletes exactly what ``roll_forward`` created; refused if any of it was edited."""
    with wb.session() as session:
        allocations = [session.get(Allocation, i) for i in done.allocation_ids]
        for allocation in allocations:
            if allocation is None or allocation.row_version != 1:
                raise ConflictError(
                    f"The {done.to_year} allocations were changed after the roll forward; "
                    "it can no longer be undone"
                )
            session.delete(allocation)
        session.flush()
        for line_id in done.envelope_line_ids:
            envelope_line = session.get(EnvelopeLine, line_id)
            if envelope_line is None:
                continue
            if envelope_line.row_version != 1:
                raise ConflictError(
                    f"The {done.to_year} envelope was changed after the roll forward; "
                    "it can no longer be undone"
                )
            session.delete(envelope_line)
        session.flush()
        for group_id in reversed(done.envelope_group_ids):
            group = session.get(EnvelopeGroup, group_id)
            if group is not None:
                session.delete(group)
        session.flush()
        for model, ids in ((ServiceLine, done.line_ids), (Agreement, done.agreement_ids)):
            for record in (session.get(model, i) for i in ids):
                if record is None:
                    continue
                if record.row_version != 1:
                    raise ConflictError(
                        f"The {done.to_year} SLAs were changed after the roll forward; "
                        "it can no longer be undone"
                    )
                session.delete(record)
        session.flush()
        target = year_by_label(session, done.to_year)
        audit.record(
            session,
            "undo roll forward",
            "financial_year",
            target.id,
            "baseline",
            done.baseline,
            None,
            f"From {done.from_year}",
        )
        if done.year_created and not _year_in_use(session, target):
            if get_setting(session, "current_year") == target.label:
                set_setting(session, "current_year", done.from_year)
            for period in list(target.periods):
                session.delete(period)
            session.flush()
            session.delete(target)
