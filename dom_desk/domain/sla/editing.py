"""Editing service lines and targets: each public call one transaction; the ``_in``
forms for domain code (a scenario's accept) that already has one open."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.sla.grid import _locked_error, floor_problem
from dom_desk.domain.sla.reading import _year, agreements_for_in, find_provider_in
from dom_desk.domain.tables import Change, FieldEdit
from dom_desk.errors import ConflictError, ValidationError
from dom_desk.models import (
    Agreement,
    FinancialYear,
    Measure,
    Provider,
    Service,
    ServiceLine,
    Target,
)
from dom_desk.storage.workbook import Workbook

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


def primary_agreement_in(
    session: Session, provider_id: int, year: FinancialYear
) -> Agreement | None:
    """The agreement a provider's targets for the year belong to: its SLA, else a contract."""
    held = agreements_for_in(session, provider_id, year)
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
    agreement = primary_agreement_in(session, provider.id, year)
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
        found = find_provider_in(session, provider)
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
