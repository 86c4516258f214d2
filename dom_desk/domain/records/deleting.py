"""Deleting a record and putting it back.

A delete refuses, naming what depends on the record, when anything would be lost with it.
Otherwise it returns a :class:`Deleted` snapshot (every column of every row it removed)
that :func:`restore` puts back exactly, same ids and values, so the window can undo it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dom_desk.domain.records.forms import NOUNS
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    Allocation,
    Base,
    BidLine,
    Competition,
    ContractOption,
    DemandFigure,
    EnvelopeLine,
    FinancialYear,
    Measure,
    Milestone,
    PerformanceAction,
    Priority,
    Provider,
    Result,
    Risk,
    ScenarioChange,
    Service,
    ServiceLine,
    Submission,
    Target,
    Variation,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, column by column, parents first: enough to put it back."""

    area: str
    id: int
    label: str
    rows: tuple[tuple[type[Base], dict[str, Any]], ...]
    #: Links other records had to it, cleared by the delete and set again by a restore:
    #: (their model, their id, the field).
    unlinked: tuple[tuple[type[Base], int, str], ...] = ()


def _snapshot(record: Base) -> tuple[type[Base], dict[str, Any]]:
    mapper = inspect(record).mapper
    return type(record), {a.key: getattr(record, a.key) for a in mapper.column_attrs}


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _count(session: Session, column: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(column.table).where(*where)) or 0


def _refuse(what: str, dependents: list[tuple[int, str]], advice: str) -> None:
    found = [_plural(n, noun) for n, noun in dependents if n]
    if found:
        raise ValidationError(f"{what} cannot be deleted: it has {_listed(found)}. {advice}")


def _provider_rows(session: Session, provider: Provider) -> list[Base]:
    pid = provider.id
    _refuse(
        f"Provider '{provider.name}'",
        [
            (_count(session, Agreement.provider_id, Agreement.provider_id == pid), "agreement"),
            (_count(session, Target.provider_id, Target.provider_id == pid), "target"),
            (_count(session, Result.provider_id, Result.provider_id == pid), "result"),
            (_count(session, Submission.provider_id, Submission.provider_id == pid), "return"),
            (
                _count(session, Competition.provider_id, Competition.provider_id == pid),
                "competition",
            ),
            (
                _count(session, ScenarioChange.provider_id, ScenarioChange.provider_id == pid),
                "scenario change",
            ),
            (
                _count(
                    session, PerformanceAction.provider_id, PerformanceAction.provider_id == pid
                ),
                "performance action",
            ),
            (
                _count(session, DemandFigure.provider_id, DemandFigure.provider_id == pid),
                "demand figure",
            ),
        ],
        "Delete or move those first.",
    )
    return [provider]


def _has_figures() -> Any:
    return or_(
        Allocation.baseline != 0,
        Allocation.provisional.is_not(None),
        Allocation.agreed.is_not(None),
    )


def _agreement_rows(session: Session, agreement: Agreement) -> list[Base]:
    what = f"{agreement.kind.label} '{agreement.title}'"
    if agreement.status.locked:
        raise LockedError(
            f"{what} is {agreement.status.label.lower()}: an agreed or signed agreement "
            "cannot be deleted (if its status was set in error, change it first)"
        )
    aid = agreement.id
    empty = session.scalars(
        select(Allocation)
        .where(Allocation.agreement_id == aid, ~_has_figures())
        .order_by(Allocation.id)
    ).all()
    _refuse(
        what,
        [
            (
                _count(session, ServiceLine.agreement_id, ServiceLine.agreement_id == aid),
                "service line",
            ),
            (
                _count(
                    session, Allocation.agreement_id, Allocation.agreement_id == aid, _has_figures()
                ),
                "allocation with figures",
            ),
            (_count(session, Variation.agreement_id, Variation.agreement_id == aid), "variation"),
            (
                _count(session, ContractOption.agreement_id, ContractOption.agreement_id == aid),
                "option or break clause",
            ),
            (
                _count(session, Competition.agreement_id, Competition.agreement_id == aid),
                "competition",
            ),
            (
                _count(
                    session,
                    ScenarioChange.allocation_id,
                    ScenarioChange.allocation_id.in_([a.id for a in empty]),
                ),
                "change drafted in a scenario",
            ),
        ],
        "Delete those first.",
    )
    return [agreement, *empty]


def _measure_rows(session: Session, measure: Measure) -> list[Base]:
    """A measure goes with the years it applies to and its parts; never with targets or
    results, which are the region's record of what was agreed and delivered."""
    mid = measure.id
    _refuse(
        f"Measure '{measure.code}'",
        [
            (_count(session, Target.measure_id, Target.measure_id == mid), "target"),
            (_count(session, Result.measure_id, Result.measure_id == mid), "result"),
            (
                _count(session, ScenarioChange.measure_id, ScenarioChange.measure_id == mid),
                "change drafted in a scenario",
            ),
        ],
        "Retire it from a year on instead (it then leaves that year's measure set and "
        "keeps its history).",
    )
    return [measure, *measure.years, *measure.parts]


def _service_rows(session: Session, service: Service) -> list[Base]:
    sid = service.id
    lines = _count(session, ServiceLine.service_id, ServiceLine.service_id == sid)
    if lines:
        years = session.scalars(
            select(FinancialYear.label)
            .join(ServiceLine, ServiceLine.year_id == FinancialYear.id)
            .where(ServiceLine.service_id == sid)
            .group_by(FinancialYear.id, FinancialYear.label, FinancialYear.start)
            .order_by(FinancialYear.start)
        ).all()
        raise ValidationError(
            f"Service '{service.name}' cannot be deleted: {_plural(lines, 'service line')} "
            f"of {_listed(list(years))} {'buys' if lines == 1 else 'buy'} it. Delete those "
            "lines first, or keep the service."
        )
    _refuse(
        f"Service '{service.name}'",
        [
            (_count(session, BidLine.service_id, BidLine.service_id == sid), "bid line"),
            (
                _count(session, DemandFigure.service_id, DemandFigure.service_id == sid),
                "demand figure",
            ),
        ],
        "Delete those first, or keep the service.",
    )
    return [service]


def _priority_links(session: Session, priority: Priority) -> list[Base]:
    """The milestones and risks that name the priority: the delete unlinks them."""
    return [
        *session.scalars(select(Milestone).where(Milestone.priority_id == priority.id)),
        *session.scalars(select(Risk).where(Risk.priority_id == priority.id)),
    ]


def _envelope_rows(_session: Session, line: EnvelopeLine) -> list[Base]:
    # Only the line: its funding source stays in the list of sources, so undoing an
    # "add line" that reused a source nobody used leaves the workbook exactly as before.
    return [line]


_ENTITIES: dict[str, tuple[type[Base], Callable[[Session, Any], list[Base]], str]] = {
    "providers": (Provider, _provider_rows, "name"),
    "agreements": (Agreement, _agreement_rows, "title"),
    "contracts": (Agreement, _agreement_rows, "title"),
    "milestones": (Milestone, lambda _s, r: [r], "title"),
    "risks": (Risk, lambda _s, r: [r], "reference"),
    "envelope": (EnvelopeLine, _envelope_rows, ""),
    "measures": (Measure, _measure_rows, "code"),
    "services": (Service, _service_rows, "name"),
    "priorities": (Priority, lambda _s, r: [r], "title"),
}
#: The records that point at one of an area's and lose the link when it is deleted.
_LINKED: dict[str, tuple[Callable[[Session, Any], list[Base]], str]] = {
    "priorities": (_priority_links, "priority_id"),
}


def can_delete(area_key: str) -> bool:
    return area_key in _ENTITIES


def _label(area_key: str, record: Any) -> str:
    if isinstance(record, EnvelopeLine):
        return record.funding_source.name
    return str(getattr(record, _ENTITIES[area_key][2]))


def _rows_to_delete(session: Session, area_key: str, row_id: int) -> tuple[Any, list[Base]]:
    if area_key not in _ENTITIES:
        raise ValidationError(f"Records cannot be deleted from {area_key}")
    entity, rows_of, _key = _ENTITIES[area_key]
    record = session.get(entity, row_id)
    if record is None:
        raise ValidationError(f"That {NOUNS[area_key]} no longer exists")
    return record, rows_of(session, record)


def check_delete(wb: Workbook, area_key: str, row_id: int) -> str:
    """Raises the refusal a delete would meet; else the record's name (for a question)."""
    with wb.session() as session:
        record, _rows = _rows_to_delete(session, area_key, row_id)
        return _label(area_key, record)


def delete(wb: Workbook, area_key: str, row_id: int) -> Deleted:
    """Deletes a record (and the empty rows that belong only to it) in one transaction."""
    with wb.session() as session:
        record, rows = _rows_to_delete(session, area_key, row_id)
        label = _label(area_key, record)
        snapshot = tuple(_snapshot(r) for r in rows)
        unlinked: list[tuple[type[Base], int, str]] = []
        if area_key in _LINKED:
            linked, field = _LINKED[area_key]
            for other in linked(session, record):
                setattr(other, field, None)
                unlinked.append((type(other), other.id, field))  # type: ignore[attr-defined]
            session.flush()
        for row in reversed(rows):  # children first
            session.delete(row)
        session.flush()
        audit.record(
            session,
            "delete record",
            type(record).__tablename__,
            row_id,
            note=f"{NOUNS[area_key].capitalize()} '{label}'",
        )
        return Deleted(area_key, row_id, label, snapshot, tuple(unlinked))


def restore(wb: Workbook, deleted: Deleted) -> int:
    """Puts a deleted record back exactly as it was (same ids, values, row versions)."""
    what = f"{NOUNS[deleted.area].capitalize()} '{deleted.label}'"
    with wb.session() as session:
        for entity, values in deleted.rows:
            if session.get(entity, values["id"]) is not None:
                raise ConflictError(f"{what} cannot be put back: its place was taken")
            session.add(entity(**values))
            try:
                with session.begin_nested():
                    session.flush()
            except IntegrityError:
                raise ValidationError(
                    f"{what} cannot be put back: a record with the same name was added since"
                ) from None
        # An insert starts a row at version 1; the snapshot's own versions are put back.
        for entity, values in deleted.rows:
            if "row_version" in values:
                table = entity.__table__  # type: ignore[attr-defined]
                session.execute(
                    update(table)
                    .where(table.c.id == values["id"])
                    .values(row_version=values["row_version"])
                )
        for model, other_id, field in deleted.unlinked:
            other = session.get(model, other_id)
            if other is not None and getattr(other, field) is None:
                setattr(other, field, deleted.id)
        session.flush()
        session.expire_all()
        entity = _ENTITIES[deleted.area][0]
        audit.record(session, "restore record", entity.__tablename__, deleted.id, note=what)
        return deleted.id
