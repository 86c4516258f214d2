"""What a scenario may change: the figure a change names (:class:`Subject`), a draft of it,
and how a figure is described, checked and stored as text."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.sla import (
    floor_problem,
    primary_agreement_in,
)
from dom_desk.domain.values import Kind
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Allocation,
    FinancialYear,
    Measure,
    Provider,
    ScenarioChange,
    ServiceLine,
    Target,
)

ALLOCATION = "allocation"
SERVICE_LINE = "service_line"
TARGET = "target"

#: What a scenario may change, and each field's kind and title.
FIELDS: dict[str, dict[str, tuple[Kind, str]]] = {
    ALLOCATION: {"provisional": (Kind.MONEY, "Provisional"), "agreed": (Kind.MONEY, "Agreed")},
    SERVICE_LINE: {"volume": (Kind.INTEGER, "Volume"), "unit_price": (Kind.MONEY, "Unit price")},
    TARGET: {"value": (Kind.DECIMAL, "Target"), "minimum": (Kind.DECIMAL, "Minimum level")},
}


@dataclass(frozen=True)
class Subject:
    """What a change is to: an allocation, a service line, or a provider's target."""

    kind: str
    #: Allocation id, service line id, or measure id for a target.
    id: int
    #: The provider, for a target.
    provider_id: int | None = None

    @classmethod
    def allocation(cls, allocation_id: int) -> Subject:
        return cls(ALLOCATION, allocation_id)

    @classmethod
    def line(cls, line_id: int) -> Subject:
        return cls(SERVICE_LINE, line_id)

    @classmethod
    def target(cls, provider_id: int, measure_id: int) -> Subject:
        return cls(TARGET, measure_id, provider_id)


@dataclass(frozen=True)
class Draft:
    """One figure to draft: the subject, its field and the proposed value (None empties)."""

    subject: Subject
    field: str
    value: Any


# -- exact text for stored values ---------------------------------------------------------


def _encode(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(int(value))


def _decode(kind: Kind, text: str | None) -> Any:
    if text is None:
        return None
    return Decimal(text) if kind is Kind.DECIMAL else int(text)


def _kind(subject: Subject, field: str) -> Kind:
    return FIELDS[subject.kind][field][0]


def _title(subject: Subject, field: str) -> str:
    return FIELDS[subject.kind][field][1]


def _subject_of(change: ScenarioChange) -> Subject:
    if change.allocation_id is not None:
        return Subject.allocation(change.allocation_id)
    if change.service_line_id is not None:
        return Subject.line(change.service_line_id)
    assert change.measure_id is not None and change.provider_id is not None
    return Subject.target(change.provider_id, change.measure_id)


# -- reading the real figure a change is about --------------------------------------------


@dataclass(frozen=True)
class Described:
    """A subject's current figure and how to name it."""

    provider: str
    provider_id: int
    agreement: str
    item: str
    current: Any
    locked: bool


def _describe(session: Session, year: FinancialYear, subject: Subject, field: str) -> Described:
    if subject.kind == ALLOCATION:
        a = session.get(Allocation, subject.id)
        if a is None:
            raise ValidationError("That allocation no longer exists")
        item = a.service_line.service.name if a.service_line else "whole agreement"
        return Described(
            a.agreement.provider.name,
            a.agreement.provider_id,
            a.agreement.title,
            item,
            getattr(a, field),
            a.agreement.status.locked,
        )
    if subject.kind == SERVICE_LINE:
        line = session.get(ServiceLine, subject.id)
        if line is None:
            raise ValidationError("That service line no longer exists")
        return Described(
            line.agreement.provider.name,
            line.agreement.provider_id,
            line.agreement.title,
            line.service.name,
            getattr(line, field),
            line.agreement.status.locked,
        )
    measure = session.get(Measure, subject.id)
    provider = session.get(Provider, subject.provider_id)
    if measure is None or provider is None:
        raise ValidationError("That target's measure or provider no longer exists")
    target = session.scalars(
        select(Target).where(
            Target.measure_id == measure.id,
            Target.provider_id == provider.id,
            Target.year_id == year.id,
        )
    ).first()
    agreement = primary_agreement_in(session, provider.id, year)
    return Described(
        provider.name,
        provider.id,
        agreement.title if agreement else "",
        f"{measure.code} {_short(measure.title)}",
        getattr(target, field) if target else None,
        bool(agreement and agreement.status.locked),
    )


def _short(title: str) -> str:
    """A measure's wording, which can run to a paragraph, cut at a word for messages."""
    return textwrap.shorten(title, 50, placeholder="…")


def _where(described: Described, subject: Subject, field: str) -> str:
    parts = [described.provider, described.agreement, described.item, _title(subject, field)]
    return ", ".join(p for p in parts if p)


def _check_value(session: Session, subject: Subject, field: str, value: Any, where: str) -> None:
    """The rules a direct edit would meet: numbers of the right kind, no negatives, floors."""
    kind = _kind(subject, field)
    if value is None:
        if subject.kind == SERVICE_LINE:
            raise ValidationError("cannot be empty", where)
        return
    if kind is Kind.DECIMAL:
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValidationError(f"'{value}' is not a number", where)
        problem = floor_problem(session.get(Measure, subject.id), field, value)
        if problem:
            raise ValidationError(problem, where)
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(
            f"'{value}' is not a whole number of {'pence' if kind is Kind.MONEY else 'units'}",
            where,
        )
    if value < 0:
        raise ValidationError("cannot be negative", where)


# -- scenarios ----------------------------------------------------------------------------
