"""The SLA workspace: one provider's agreement for a year, its service lines, its targets
and its status, edited under the rules a negotiation needs.

Agreed and signed agreements are locked: edits are refused until the DOM unlocks the
agreement, an explicit step recorded in the audit trail. A Nationally set target is shown
but not editable; a Regional Minimum target may not be set worse than its floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.overview import committed_figure
from dom_desk.domain.paste import CellCheck
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.tables import Change, Column, FieldEdit, Row
from dom_desk.domain.values import Kind, format_decimal
from dom_desk.errors import ConflictError, LockedError, ValidationError
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
    Service,
    ServiceLine,
    Target,
)
from dom_desk.storage import audit
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

    @property
    def value(self) -> int:
        return self.volume * self.unit_price


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


def find_provider(session: Session, provider: int | str) -> Provider:
    if isinstance(provider, int):
        found = session.get(Provider, provider)
    else:
        found = session.scalars(select(Provider).where(Provider.name == provider)).first()
    if found is None:
        raise ValidationError(f"The workbook has no provider '{provider}'")
    return found


def agreements_for(session: Session, provider_id: int, year: FinancialYear) -> list[Agreement]:
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
            if agreements_for(session, p.id, year)
        ]


def measures_for(session: Session, provider: Provider, year: FinancialYear) -> list[Measure]:
    """Measures in the provider's scope, and any measure it already has a target for."""
    scopes = {Scope.INTEGRATED}
    if provider.kind in _PRISONS:
        scopes.add(Scope.PRISON)
    elif provider.kind in _PROBATION:
        scopes.add(Scope.PROBATION)
    targeted = select(Target.measure_id).where(
        Target.provider_id == provider.id, Target.year_id == year.id
    )
    return list(
        session.scalars(
            select(Measure)
            .where(or_(Measure.scope.in_(scopes), Measure.id.in_(targeted)))
            .order_by(Measure.code_key)
        )
    )


def target_item(measure: Measure, target: Target | None) -> TargetItem:
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
    )


def workspace(
    wb: Workbook,
    provider: int | str,
    year_label: str | None = None,
    agreement_id: int | None = None,
) -> Workspace:
    """One provider's agreement for a year (its SLA unless another agreement is chosen)."""
    with wb.session() as session:
        found = find_provider(session, provider)
        year = _year(session, year_label)
        held = agreements_for(session, found.id, year)
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
        targets = {
            t.measure_id: t
            for t in session.scalars(
                select(Target).where(Target.provider_id == found.id, Target.year_id == year.id)
            )
        }
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
                target_item(m, targets.get(m.id)) for m in measures_for(session, found, year)
            ),
            allocated=allocated,
        )


# -- the two tables -----------------------------------------------------------------------

LINE_COLUMNS: tuple[Column, ...] = (
    Column("service", "Service"),
    Column("pathway", "Pathway"),
    Column("unit", "Unit"),
    Column("volume", "Volume", Kind.INTEGER, editable=True, required=True, minimum=0),
    Column("unit_price", "Unit price", Kind.MONEY, editable=True, required=True, minimum=0),
    Column("value", "Value", Kind.MONEY),
)

TARGET_COLUMNS: tuple[Column, ...] = (
    Column("code", "Code"),
    Column("title", "Measure"),
    Column("unit", "Unit", Kind.CHOICE, choices=MeasureUnit),
    Column("guidance", "Guidance", Kind.CHOICE, choices=Guidance),
    Column("value", "Target", Kind.DECIMAL, editable=True),
    Column("minimum", "Minimum level", Kind.DECIMAL, editable=True),
    Column("floor", "Floor", Kind.DECIMAL),
    Column("direction", "Direction", Kind.CHOICE, choices=Direction),
)


def line_rows(ws: Workspace) -> list[Row]:
    return [
        Row(item.id, item.version, tuple(getattr(item, c.key) for c in LINE_COLUMNS))
        for item in ws.lines
    ]


def target_rows(ws: Workspace) -> list[Row]:
    """Target rows are keyed by measure id: a target may not exist until it is set."""
    return [
        Row(item.measure_id, item.version, tuple(getattr(item, c.key) for c in TARGET_COLUMNS))
        for item in ws.targets
    ]


def line_label(row: Row) -> str:
    return str(row.values[0])


def target_label(row: Row) -> str:
    return str(row.values[0])


def _locked_error(agreement: Agreement, where: str) -> LockedError:
    return LockedError(
        f"'{agreement.title}' is {agreement.status.label.lower()} and locked "
        "against edits; unlock it first",
        where,
    )


def floor_problem(measure: Measure, field: str, value: Decimal | None) -> str | None:
    """Why ``value`` breaks the measure's guidance, or None."""
    if field == "value" and measure.guidance is Guidance.NATIONAL:
        return "the target is set nationally and cannot be changed here"
    if value is None or measure.guidance is not Guidance.REGIONAL_MINIMUM or measure.floor is None:
        return None
    floor = format_decimal(measure.floor)
    if measure.direction is Direction.LOWER and value > measure.floor:
        return (
            f"{format_decimal(value)} is worse than the Regional Minimum of {floor} "
            "(lower is better)"
        )
    if measure.direction is Direction.HIGHER and value < measure.floor:
        return f"{format_decimal(value)} is below the Regional Minimum floor of {floor}"
    return None


def line_check(ws: Workspace) -> CellCheck:
    """The cell check a paste into the service lines runs before writing anything."""

    def check(_row: Row, _column: Column, _value: Any, where: str) -> None:
        if ws.locked:
            raise LockedError(
                f"'{ws.agreement}' is {ws.status.label.lower()} and locked "
                "against edits; unlock it first",
                where,
            )

    return check


def target_check(wb: Workbook, ws: Workspace) -> CellCheck:
    """The cell check a paste into the targets runs: lock, national value, floor."""
    with wb.session() as session:
        measures = {m.id: m for m in session.scalars(select(Measure))}
        for m in measures.values():
            session.expunge(m)

    def check(row: Row, column: Column, value: Any, where: str) -> None:
        if ws.locked:
            raise LockedError(
                f"'{ws.agreement}' is {ws.status.label.lower()} and locked "
                "against edits; unlock it first",
                where,
            )
        problem = floor_problem(measures[row.id], column.key, value)
        if problem:
            raise ValidationError(problem, where)

    return check


# -- editing ------------------------------------------------------------------------------

_LINE_FIELDS = {"volume": "Volume", "unit_price": "Unit price"}
_TARGET_FIELDS = {"value": "Target", "minimum": "Minimum level"}


def set_line_in(session: Session, edit: FieldEdit, check_version: bool = False) -> Change:
    """Sets a service line's volume or unit price inside an open transaction."""
    line = session.get(ServiceLine, edit.row_id)
    if line is None:
        raise ValidationError("That service line no longer exists")
    title = _LINE_FIELDS.get(edit.key)
    where = f"{line.agreement.title}, {line.service.name}, {title or edit.key}"
    if title is None:
        raise ValidationError("is worked out, not typed in", where)
    if (
        check_version
        and edit.expected_version is not None
        and line.row_version != edit.expected_version
    ):
        raise ConflictError(
            f"{where} was changed elsewhere since you opened it; reload "
            "to see the latest figures before editing"
        )
    if line.agreement.status.locked:
        raise _locked_error(line.agreement, where)
    if not isinstance(edit.value, int) or isinstance(edit.value, bool):
        raise ValidationError(f"{title} must be a whole number", where)
    if edit.value < 0:
        raise ValidationError(f"{title} cannot be negative", where)
    old = getattr(line, edit.key)
    if old != edit.value:
        setattr(line, edit.key, edit.value)
    return Change("service_lines", line.id, edit.key, old, edit.value)


def update_lines(wb: Workbook, edits: Sequence[FieldEdit]) -> list[Change]:
    """Sets service-line volumes and unit prices, all or nothing, in one transaction."""
    changes: list[Change] = []
    seen: set[int] = set()
    with wb.session() as session:
        for edit in edits:
            changes.append(set_line_in(session, edit, edit.row_id not in seen))
            seen.add(edit.row_id)
    return changes


def primary_agreement(session: Session, provider_id: int, year: FinancialYear) -> Agreement | None:
    """The agreement a provider's targets for the year belong to: its SLA, else a contract."""
    held = agreements_for(session, provider_id, year)
    return held[0] if held else None


def set_target_in(
    session: Session,
    provider: Provider,
    year: FinancialYear,
    measure: Measure,
    key: str,
    value: Decimal | None,
    expected_version: int | None = None,
) -> Change:
    """Sets one target field inside an open transaction, under every rule.

    An empty target (no value, no minimum, no notes) is the same as none: it is deleted,
    so setting a field and setting it back leaves the workbook exactly as it was.
    """
    title = _TARGET_FIELDS.get(key)
    where = f"{provider.name}, {measure.code}, {title or key}"
    if title is None:
        raise ValidationError("is not a target field that can be typed in", where)
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        raise ValidationError(f"{title} must be a number", where)
    target = session.scalars(
        select(Target).where(
            Target.measure_id == measure.id,
            Target.provider_id == provider.id,
            Target.year_id == year.id,
        )
    ).first()
    if expected_version is not None and (target.row_version if target else 0) != expected_version:
        raise ConflictError(
            f"{where} was changed elsewhere since you opened it; reload to "
            "see the latest figures before editing"
        )
    old = getattr(target, key) if target else None
    if old == value:
        return Change("targets", measure.id, key, old, value)
    agreement = primary_agreement(session, provider.id, year)
    if agreement is not None and agreement.status.locked:
        raise _locked_error(agreement, where)
    problem = floor_problem(measure, key, value)
    if problem:
        raise ValidationError(problem, where)
    if target is None:
        target = Target(measure_id=measure.id, provider_id=provider.id, year_id=year.id)
        session.add(target)
    setattr(target, key, value)
    if target.value is None and target.minimum is None and not target.notes:
        if target.id is not None:
            session.delete(target)
        else:
            session.expunge(target)
    session.flush()
    return Change("targets", measure.id, key, old, value)


def update_targets(
    wb: Workbook, provider: int | str, edits: Sequence[FieldEdit], year_label: str | None = None
) -> list[Change]:
    """Sets a provider's targets (edits keyed by measure id), all or nothing."""
    changes: list[Change] = []
    seen: set[int] = set()
    with wb.session() as session:
        found = find_provider(session, provider)
        year = _year(session, year_label)
        for edit in edits:
            measure = session.get(Measure, edit.row_id)
            if measure is None:
                raise ValidationError("That measure no longer exists")
            version = None if edit.row_id in seen else edit.expected_version
            seen.add(edit.row_id)
            changes.append(
                set_target_in(session, found, year, measure, edit.key, edit.value, version)
            )
    return changes


def add_line(
    wb: Workbook,
    agreement_id: int,
    service: str,
    volume: int,
    unit_price: int,
    year_label: str | None = None,
) -> int:
    """Adds a service line to an agreement for the year; returns its id."""
    with wb.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise ValidationError("That agreement no longer exists")
        where = f"{agreement.title}, new service line"
        if agreement.status.locked:
            raise _locked_error(agreement, where)
        found = session.scalars(select(Service).where(Service.name == service)).first()
        if found is None:
            raise ValidationError(f"There is no service '{service}' in the directory", where)
        if volume < 0 or unit_price < 0:
            raise ValidationError("Volume and unit price cannot be negative", where)
        line = ServiceLine(
            agreement_id=agreement.id,
            service_id=found.id,
            year_id=_year(session, year_label).id,
            volume=volume,
            unit_price=unit_price,
        )
        session.add(line)
        session.flush()
        return line.id


def remove_line(wb: Workbook, line_id: int) -> None:
    with wb.session() as session:
        line = session.get(ServiceLine, line_id)
        if line is None:
            return
        if line.agreement.status.locked:
            raise _locked_error(line.agreement, f"{line.agreement.title}, {line.service.name}")
        session.delete(line)


# -- status and locking -------------------------------------------------------------------


def set_status(
    wb: Workbook,
    agreement_id: int,
    status: AgreementStatus,
    unlock_note: str | None = None,
    expected_version: int | None = None,
) -> AgreementStatus:
    """Moves an agreement's status; returns the old one (for undo).

    Forward moves (draft -> in negotiation -> agreed -> signed) and back to draft are
    allowed. Leaving agreed or signed is an unlock: it needs ``unlock_note`` (why) and is
    recorded in the audit trail as an "unlock".
    """
    with wb.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise ValidationError("That agreement no longer exists")
        where = f"{agreement.title}, Status"
        if expected_version is not None and agreement.row_version != expected_version:
            raise ConflictError(
                f"{where} was changed elsewhere since you opened it; reload before changing it"
            )
        old = agreement.status
        if old is status:
            return old
        backwards = _ORDER.index(status) < _ORDER.index(old)
        if backwards and old.locked:
            if unlock_note is None:
                raise LockedError(
                    f"'{agreement.title}' is {old.label.lower()}: unlock it "
                    "explicitly to reopen it",
                    where,
                )
            audit.record(
                session,
                "unlock",
                "agreement",
                agreement.id,
                "status",
                old,
                status,
                unlock_note or "Unlocked",
            )
        agreement.status = status
        return old


def unlock(wb: Workbook, agreement_id: int, note: str = "") -> AgreementStatus:
    """Reopens an agreed or signed agreement for negotiation, recorded in the audit trail."""
    with wb.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise ValidationError("That agreement no longer exists")
        if not agreement.status.locked:
            raise ValidationError(
                f"'{agreement.title}' is not locked", f"{agreement.title}, Status"
            )
    return set_status(
        wb,
        agreement_id,
        AgreementStatus.IN_NEGOTIATION,
        unlock_note=note or "Unlocked for negotiation",
    )
