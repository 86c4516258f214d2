"""The envelope and the allocations of a year: figures, variances, totals and warnings.

Every figure is integer pence and every total is an exact integer sum of the lines it
covers, so the totals by provider, kind, sector and pathway each add up to the grand
totals to the penny. Percentages are worked out for display only, never summed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.money import format_pounds, variance_percent
from dom_desk.domain.overview import committed_figure
from dom_desk.domain.region import current_year, get_setting, set_setting, year_by_label
from dom_desk.domain.tables import Change, Column, FieldEdit, Row
from dom_desk.domain.values import Kind, format_decimal
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    EnvelopeLine,
    FinancialYear,
    FundingSource,
    Pathway,
    ProviderKind,
    Sector,
    ServiceLine,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

NO_PATHWAY = "Not assigned to a pathway"
THRESHOLD_KEY = "variance_threshold_percent"
DEFAULT_THRESHOLD = Decimal(5)


# -- the figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationLine:
    """One allocation with what it is for, as the allocations table shows it."""

    id: int
    version: int
    provider_id: int
    provider: str
    provider_kind: ProviderKind
    sector: Sector
    agreement_id: int
    agreement: str
    agreement_kind: AgreementKind
    status: AgreementStatus
    service_line_id: int | None
    service: str
    pathway: str
    funding_source: str
    baseline: int
    provisional: int | None
    agreed: int | None

    @property
    def committed(self) -> int:
        return committed_figure(self.baseline, self.provisional, self.agreed)

    @property
    def variance(self) -> int | None:
        """Agreed less provisional, in pence; None until both are known."""
        if self.agreed is None or self.provisional is None:
            return None
        return self.agreed - self.provisional

    @property
    def variance_percent(self) -> Decimal | None:
        return variance_percent(self.agreed, self.provisional)

    @property
    def locked(self) -> bool:
        return self.status.locked

    @property
    def label(self) -> str:
        parts = [self.provider, self.agreement] + ([self.service] if self.service else [])
        return ", ".join(parts)

    def beyond(self, threshold: Decimal) -> bool:
        """Whether agreed is further from provisional than ``threshold`` per cent (exact)."""
        variance = self.variance
        if variance is None or variance == 0:
            return False
        assert self.provisional is not None
        if self.provisional == 0:
            return True
        return Decimal(abs(variance)) * 100 > threshold * self.provisional

    def with_figures(self, **figures: int | None) -> AllocationLine:
        return replace(self, **figures)


@dataclass(frozen=True)
class GroupTotal:
    """Exact totals of the allocations in one group (a provider, a sector...)."""

    name: str
    count: int
    baseline: int
    provisional: int
    agreed: int
    committed: int


@dataclass(frozen=True)
class EnvelopeItem:
    id: int
    version: int
    funding_source: str
    amount: int
    illustrative: bool
    notes: str


def _grouped(
    lines: Iterable[AllocationLine], key: Callable[[AllocationLine], str], order: Sequence[str] = ()
) -> tuple[GroupTotal, ...]:
    sums: dict[str, list[int]] = {}
    for line in lines:
        figures = sums.setdefault(key(line), [0, 0, 0, 0, 0])
        figures[0] += 1
        figures[1] += line.baseline
        figures[2] += line.provisional or 0
        figures[3] += line.agreed or 0
        figures[4] += line.committed
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(sums, key=lambda n: (rank.get(n, len(rank)), n.casefold()))
    return tuple(GroupTotal(n, *sums[n]) for n in names)


@dataclass(frozen=True)
class Position:
    """A year's envelope and allocations, with every total and warning derived from them.

    Built from the stored figures, or from a scenario's figures (``with_lines``), so the
    live "what if" and the real position are added up by the same code.
    """

    year: str
    envelope_lines: tuple[EnvelopeItem, ...]
    lines: tuple[AllocationLine, ...]
    threshold: Decimal

    def with_lines(self, lines: Iterable[AllocationLine]) -> Position:
        return replace(self, lines=tuple(lines))

    @property
    def envelope(self) -> int:
        return sum(e.amount for e in self.envelope_lines)

    @cached_property
    def total(self) -> GroupTotal:
        totals = _grouped(self.lines, lambda _line: "Total")
        return totals[0] if totals else GroupTotal("Total", 0, 0, 0, 0, 0)

    @property
    def baseline(self) -> int:
        return self.total.baseline

    @property
    def provisional(self) -> int:
        return self.total.provisional

    @property
    def agreed(self) -> int:
        return self.total.agreed

    @property
    def committed(self) -> int:
        return self.total.committed

    @property
    def headroom(self) -> int:
        return self.envelope - self.committed

    @property
    def over_envelope(self) -> bool:
        return self.committed > self.envelope

    @cached_property
    def by_provider(self) -> tuple[GroupTotal, ...]:
        return _grouped(self.lines, lambda line: line.provider)

    @cached_property
    def by_kind(self) -> tuple[GroupTotal, ...]:
        return _grouped(
            self.lines, lambda line: line.provider_kind.label, [k.label for k in ProviderKind]
        )

    @cached_property
    def by_sector(self) -> tuple[GroupTotal, ...]:
        return _grouped(self.lines, lambda line: line.sector.label, [s.label for s in Sector])

    @cached_property
    def by_pathway(self) -> tuple[GroupTotal, ...]:
        return _grouped(
            self.lines, lambda line: line.pathway, [p.label for p in Pathway] + [NO_PATHWAY]
        )

    def totals(self, dimension: str) -> tuple[GroupTotal, ...]:
        """Totals by ``provider``, ``kind``, ``sector`` or ``pathway``."""
        return {
            "provider": self.by_provider,
            "kind": self.by_kind,
            "sector": self.by_sector,
            "pathway": self.by_pathway,
        }[dimension]

    @property
    def beyond_threshold(self) -> list[AllocationLine]:
        return [line for line in self.lines if line.beyond(self.threshold)]

    @property
    def warnings(self) -> list[str]:
        """Each problem as one sentence a DOM can act on."""
        found: list[str] = []
        if self.lines and not self.envelope_lines:
            found.append(
                f"No envelope is set for {self.year}: allocations cannot be checked against it."
            )
        elif self.over_envelope:
            found.append(
                f"Allocations of {format_pounds(self.committed)} exceed the {self.year} "
                f"envelope of {format_pounds(self.envelope)} by "
                f"{format_pounds(self.committed - self.envelope)}."
            )
        for line in self.beyond_threshold:
            assert line.variance is not None
            direction = "above" if line.variance > 0 else "below"
            pct = line.variance_percent
            how_far = f"{format_decimal(abs(pct))}%" if pct is not None else "infinitely"
            found.append(
                f"{line.label}: agreed {format_pounds(line.agreed)} is {how_far} {direction} "
                f"provisional {format_pounds(line.provisional)}, beyond the "
                f"{format_decimal(self.threshold)}% threshold."
            )
        return found


# -- reading ------------------------------------------------------------------------------


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def variance_threshold(session: Session) -> Decimal:
    """The DOM's variance threshold in per cent (5 unless set)."""
    text = get_setting(session, THRESHOLD_KEY)
    try:
        return Decimal(text) if text else DEFAULT_THRESHOLD
    except InvalidOperation:
        return DEFAULT_THRESHOLD


def set_variance_threshold(wb: Workbook, percent: Decimal) -> None:
    if not percent.is_finite() or percent < 0:
        raise ValidationError(
            "The variance threshold must be a percentage of 0 or more", "Variance threshold"
        )
    with wb.session() as session:
        set_setting(session, THRESHOLD_KEY, format(percent.normalize(), "f"))


def _line(a: Allocation) -> AllocationLine:
    agreement = a.agreement
    provider = agreement.provider
    service_line = a.service_line
    service = service_line.service if service_line else None
    pathway = service.pathway.label if service and service.pathway else NO_PATHWAY
    return AllocationLine(
        id=a.id,
        version=a.row_version,
        provider_id=provider.id,
        provider=provider.name,
        provider_kind=provider.kind,
        sector=provider.sector,
        agreement_id=agreement.id,
        agreement=agreement.title,
        agreement_kind=agreement.kind,
        status=agreement.status,
        service_line_id=a.service_line_id,
        service=service.name if service else "",
        pathway=pathway,
        funding_source=a.funding_source.name if a.funding_source else "",
        baseline=a.baseline,
        provisional=a.provisional,
        agreed=a.agreed,
    )


def position_in(session: Session, year: FinancialYear) -> Position:
    """The year's position, read inside an open session."""
    allocations = session.scalars(
        select(Allocation)
        .options(
            selectinload(Allocation.agreement).selectinload(Agreement.provider),
            selectinload(Allocation.service_line).selectinload(ServiceLine.service),
            selectinload(Allocation.funding_source),
        )
        .where(Allocation.year_id == year.id)
    ).all()
    lines = sorted(
        (_line(a) for a in allocations),
        key=lambda ln: (
            ln.provider.casefold(),
            ln.agreement.casefold(),
            ln.service.casefold(),
            ln.id,
        ),
    )
    envelope = session.scalars(
        select(EnvelopeLine)
        .options(selectinload(EnvelopeLine.funding_source))
        .where(EnvelopeLine.year_id == year.id)
    ).all()
    items = tuple(
        sorted(
            (
                EnvelopeItem(
                    e.id, e.row_version, e.funding_source.name, e.amount, e.illustrative, e.notes
                )
                for e in envelope
            ),
            key=lambda e: (-e.amount, e.funding_source),
        )
    )
    return Position(year.label, items, tuple(lines), variance_threshold(session))


def position(wb: Workbook, year_label: str | None = None) -> Position:
    """The envelope and allocations of a year (the current year when not given)."""
    with wb.session() as session:
        return position_in(session, _year(session, year_label))


# -- the allocations table ----------------------------------------------------------------

MONEY = Kind.MONEY

#: The allocations table; editable keys are the "allocations" area's fields.
COLUMNS: tuple[Column, ...] = (
    Column("provider", "Provider"),
    Column("provider_kind", "Provider kind", Kind.CHOICE, choices=ProviderKind),
    Column("sector", "Sector", Kind.CHOICE, choices=Sector),
    Column("agreement", "Agreement"),
    Column("status", "Status", Kind.CHOICE, choices=AgreementStatus),
    Column("service", "Service line"),
    Column("pathway", "Pathway"),
    Column("funding_source", "Funding source"),
    Column("baseline", "Baseline", MONEY, editable=True, required=True, minimum=0),
    Column("provisional", "Provisional", MONEY, editable=True, minimum=0),
    Column("agreed", "Agreed", MONEY, editable=True, minimum=0),
    Column("committed", "Committed", MONEY),
    Column("variance", "Variance £", MONEY),
    Column("variance_percent", "Variance %", Kind.PERCENT),
    Column("flag", "Check"),
)


def _flag(line: AllocationLine, threshold: Decimal) -> str:
    return "Beyond threshold" if line.beyond(threshold) else ""


def table_rows(pos: Position) -> list[Row]:
    """The allocations as table rows, values in ``COLUMNS`` order."""
    rows = []
    for line in pos.lines:
        values = tuple(
            _flag(line, pos.threshold) if c.key == "flag" else getattr(line, c.key) for c in COLUMNS
        )
        rows.append(Row(line.id, line.version, values))
    return rows


def row_label(row: Row) -> str:
    """How a row of the allocations table is named in messages."""
    keys = [c.key for c in COLUMNS]
    parts = [row.values[keys.index(k)] for k in ("provider", "agreement", "service")]
    return ", ".join(p for p in parts if p)


def check_cell(row: Row, column: Column, _value: object, where: str) -> None:
    """Refuses a paste into a locked agreement's allocation before anything is written."""
    status = row.values[[c.key for c in COLUMNS].index("status")]
    if isinstance(status, AgreementStatus) and status.locked:
        raise LockedError(
            f"the agreement is {status.label.lower()} and locked against edits; unlock it first",
            where,
        )


def update_allocations(wb: Workbook, edits: Sequence[FieldEdit]) -> list[Change]:
    """A batch of allocation edits, all or nothing (see ``tables.update_fields``)."""
    from dom_desk.domain.tables import update_fields

    return update_fields(wb, "allocations", edits)


# -- the envelope -------------------------------------------------------------------------


def set_envelope_line(
    wb: Workbook,
    source: str,
    amount: int,
    year_label: str | None = None,
    notes: str = "",
    illustrative: bool = False,
) -> int:
    """Sets the envelope from one funding source (adding the source if new); returns its id."""
    name = source.strip()
    if not name:
        raise ValidationError("The funding source needs a name", "Envelope, Funding source")
    if amount < 0:
        raise ValidationError("An envelope amount cannot be negative", f"Envelope, {name}")
    with wb.session() as session:
        year = _year(session, year_label)
        found = session.scalars(select(FundingSource).where(FundingSource.name == name)).first()
        if found is None:
            found = FundingSource(name=name)
            session.add(found)
            session.flush()
        line = session.scalars(
            select(EnvelopeLine).where(
                EnvelopeLine.year_id == year.id, EnvelopeLine.funding_source_id == found.id
            )
        ).first()
        if line is None:
            line = EnvelopeLine(
                year_id=year.id,
                funding_source_id=found.id,
                amount=amount,
                notes=notes,
                illustrative=illustrative,
            )
            session.add(line)
        else:
            line.amount = amount
            line.notes = notes or line.notes
        session.flush()
        return line.id


ENVELOPE_COLUMNS: tuple[Column, ...] = (
    Column("funding_source", "Funding source"),
    Column("amount", "Amount", MONEY, editable=True, required=True, minimum=0),
    Column("illustrative", "Illustrative", Kind.FLAG),
    Column("notes", "Notes"),
)


def envelope_rows(pos: Position) -> list[Row]:
    return [
        Row(e.id, e.version, tuple(getattr(e, c.key) for c in ENVELOPE_COLUMNS))
        for e in pos.envelope_lines
    ]


def update_envelope(wb: Workbook, edits: Sequence[FieldEdit]) -> list[Change]:
    """Sets envelope amounts, all or nothing; returns the changes (for undo)."""
    changes: list[Change] = []
    seen: set[int] = set()
    with wb.session() as session:
        for edit in edits:
            line = session.get(EnvelopeLine, edit.row_id)
            if line is None:
                raise ValidationError("That envelope line no longer exists")
            where = f"Envelope, {line.funding_source.name}, Amount"
            if edit.key != "amount":
                raise ValidationError("only the amount can be changed here", where)
            if (
                edit.row_id not in seen
                and edit.expected_version is not None
                and line.row_version != edit.expected_version
            ):
                raise ConflictError(f"{where} was changed elsewhere; reload before editing")
            seen.add(edit.row_id)
            if not isinstance(edit.value, int) or edit.value < 0:
                raise ValidationError("An envelope amount must be £0 or more", where)
            changes.append(Change("envelope", line.id, "amount", line.amount, edit.value))
            line.amount = edit.value
    return changes


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
