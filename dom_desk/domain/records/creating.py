"""Adding records: each ``create_*`` checks the answers and inserts in one transaction.

A clash with a record already there (a provider's name, an SLA's title for the year) is
refused by sentence naming the form and field, and nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dom_desk.domain import risks
from dom_desk.domain.fuzzy_dates import parse_fuzzy
from dom_desk.domain.limits import check_length
from dom_desk.domain.records.forms import NOUNS
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Allocation,
    Base,
    FinancialYear,
    FundingSource,
    Level,
    Milestone,
    Priority,
    Provider,
    ProviderKind,
    Risk,
    Sector,
)
from dom_desk.models.base import Labelled
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook


def _where(area_key: str, title: str) -> str:
    return f"New {NOUNS[area_key]}, {title}"


def _text(value: Any, area_key: str, title: str, required: bool = False, column: Any = None) -> str:
    """The answer one-spaced; refused if required and empty, or longer than ``column``
    (the model's attribute, ``Milestone.due_text``) holds."""
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError(
            f"enter the {NOUNS[area_key]}'s {title.lower()}", _where(area_key, title)
        )
    if column is not None:
        check_length(column.class_, column.key, text, title, _where(area_key, title))
    return text


def _choice(value: Any, choices: type[Labelled], area_key: str, title: str) -> Any:
    if isinstance(value, choices):
        return value
    if value in (None, ""):
        raise ValidationError(f"choose the {title.lower()}", _where(area_key, title))
    try:
        return choices.from_label(str(value))
    except ValueError as exc:
        raise ValidationError(str(exc), _where(area_key, title)) from None


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def _inserted(session: Session, record: Base, where: str) -> int:
    """Flushes a new record; a clash with a unique field is told, not raised raw."""
    record.id = audit.fresh_id(session, type(record))  # type: ignore[attr-defined]
    session.add(record)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ValidationError("a record with the same name is already there", where) from None
    return record.id  # type: ignore[attr-defined]


def create_provider(
    wb: Workbook,
    name: str,
    kind: ProviderKind | str,
    sector: Sector | str,
    operator: str = "",
    capacity: int | None = None,
) -> int:
    """A new provider; its name must not be taken (whatever the case). Returns its id."""
    area = "providers"
    name = _text(name, area, "Name", required=True, column=Provider.name)
    kind = _choice(kind, ProviderKind, area, "Kind")
    sector = _choice(sector, Sector, area, "Sector")
    if capacity is not None and capacity < 0:
        raise ValidationError(
            "the number of places cannot be negative", _where(area, "Capacity (places)")
        )
    with wb.session() as session:
        taken = session.scalar(
            select(Provider.name).where(func.lower(Provider.name) == name.casefold())
        )
        if taken is not None:
            raise ValidationError(f"there is already a provider '{taken}'", _where(area, "Name"))
        return _inserted(
            session,
            Provider(
                name=name,
                kind=kind,
                sector=sector,
                operator=_text(operator, area, "Operator", column=Provider.operator),
                capacity=capacity,
            ),
            _where(area, "Name"),
        )


def create_agreement(
    wb: Workbook,
    provider_id: int | None,
    title: str,
    kind: AgreementKind | str = AgreementKind.SLA,
    year_label: str | None = None,
    reference: str = "",
    start: date | None = None,
    end: date | None = None,
) -> int:
    """A draft SLA (for the year) or contract, with its allocation row for the year.

    The allocation starts at a baseline of £0, so the agreement shows in the Allocations
    area straight away, ready for its figures. Returns the agreement's id.
    """
    kind = _choice(kind, AgreementKind, "agreements", "Type")
    area = "contracts" if kind is AgreementKind.CONTRACT else "agreements"
    title = _text(
        title,
        area,
        "Contract" if area == "contracts" else "Agreement",
        required=True,
        column=Agreement.title,
    )
    if start is not None and end is not None and end < start:
        raise ValidationError(
            "the contract cannot end before it starts", _where(area, "Original end")
        )
    with wb.session() as session:
        provider = session.get(Provider, provider_id) if provider_id is not None else None
        if provider is None:
            raise ValidationError(
                "choose the provider the agreement is with", _where(area, "Provider")
            )
        year = _year(session, year_label)
        _check_title(session, area, kind, title, year)
        agreement = Agreement(
            id=audit.fresh_id(session, Agreement),
            provider_id=provider.id,
            kind=kind,
            title=title,
            year_id=year.id if kind is AgreementKind.SLA else None,
            reference=_text(reference, area, "Reference", column=Agreement.reference),
            start=start,
            end=end,
        )
        session.add(agreement)
        session.flush()
        session.add(
            Allocation(
                id=audit.fresh_id(session, Allocation),
                year_id=year.id,
                agreement_id=agreement.id,
                baseline=0,
            )
        )
        session.flush()
        return agreement.id


def _check_title(
    session: Session, area: str, kind: AgreementKind, title: str, year: FinancialYear
) -> None:
    """Agreements are told apart by title in the Allocations area: no two alike."""
    query = select(Agreement.title).where(
        func.lower(Agreement.title) == title.casefold(), Agreement.kind == kind
    )
    if kind is AgreementKind.SLA:
        query = query.where(Agreement.year_id == year.id)
    taken = session.scalar(query)
    if taken is not None:
        what = (
            f"an SLA '{taken}' for {year.label}"
            if kind is AgreementKind.SLA
            else f"a contract '{taken}'"
        )
        raise ValidationError(
            f"there is already {what}",
            _where(area, "Contract" if area == "contracts" else "Agreement"),
        )


def create_contract(
    wb: Workbook,
    provider_id: int | None,
    title: str,
    year_label: str | None = None,
    reference: str = "",
    start: date | None = None,
    end: date | None = None,
) -> int:
    return create_agreement(
        wb, provider_id, title, AgreementKind.CONTRACT, year_label, reference, start, end
    )


def create_envelope_line(
    wb: Workbook,
    funding_source: str,
    amount: int | None,
    year_label: str | None = None,
    notes: str = "",
    illustrative: bool = False,
    name: str = "",
    group_id: int | None = None,
) -> int:
    """A line of the year's envelope (its funding source added if new). A source may pay
    for several lines and an amount may be negative, as budget tables print them."""
    from dom_desk.domain.allocations.envelope import create_line

    _text(funding_source, "envelope", "Funding source", required=True, column=FundingSource.name)
    return create_line(
        wb,
        funding_source,
        amount,
        year_label,
        name=name,
        group_id=group_id,
        illustrative=illustrative,
        notes=_text(notes, "envelope", "Notes"),
    )


def create_milestone(
    wb: Workbook,
    title: str,
    reference: str = "",
    owner: str = "",
    due_text: str = "",
    due: date | None = None,
) -> int:
    """A milestone; its best date is read from the wording when not given."""
    area = "milestones"
    title = _text(title, area, "Milestone", required=True)
    due_text = _text(due_text, area, "Delivery date as written", column=Milestone.due_text)
    if due is None and due_text:
        due = parse_fuzzy(due_text).best
    with wb.session() as session:
        record = Milestone(
            id=audit.fresh_id(session, Milestone),
            title=title,
            reference=_text(reference, area, "Ref", column=Milestone.reference),
            owner=_text(owner, area, "Owner", column=Milestone.owner),
            due_text=due_text,
            due=due,
        )
        session.add(record)
        session.flush()
        return record.id


def create_risk(
    wb: Workbook,
    reference: str,
    description: str,
    likelihood: Level | str,
    impact: Level | str,
    owner: str = "",
) -> int:
    """A risk in the register (the reference must be new)."""
    area = "risks"
    likelihood = _choice(likelihood, Level, area, "Likelihood")
    impact = _choice(impact, Level, area, "Impact")
    for key, title, text in (("reference", "Ref", reference), ("owner", "Owner", owner)):
        check_length(Risk, key, str(text or "").strip(), title, _where(area, title))
    with wb.session() as session:
        try:
            return risks.add_risk(
                session, reference, description or "", likelihood, impact, owner or ""
            ).id
        except ValidationError as exc:
            raise ValidationError(exc.reason, _where(area, exc.where or "Risk")) from None


def create_priority(
    wb: Workbook,
    title: str,
    number: int | None = None,
    year_label: str | None = None,
    rationale: str = "",
    provider_response: str = "",
) -> int:
    """A priority of the year (the shown year when not given), numbered next after the
    year's last unless a free number is given. Returns its id."""
    area = "priorities"
    title = _text(title, area, "Priority", required=True)
    if len(title) > 200:
        raise ValidationError("is longer than 200 characters", _where(area, "Priority"))
    if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        raise ValidationError("must be a whole number", _where(area, "No."))
    if number is not None and number < 1:
        raise ValidationError("a priority's number is 1 or more", _where(area, "No."))
    with wb.session() as session:
        year = _year(session, year_label)
        if number is None:
            last = session.scalar(
                select(func.max(Priority.number)).where(Priority.year_id == year.id)
            )
            number = (last or 0) + 1
        taken = session.scalar(
            select(Priority.title).where(Priority.year_id == year.id, Priority.number == number)
        )
        if taken is not None:
            raise ValidationError(
                f"priority {number} of {year.label} is already '{taken}'", _where(area, "No.")
            )
        return _inserted(
            session,
            Priority(
                year_id=year.id,
                number=number,
                title=title,
                rationale=str(rationale or "").strip(),
                provider_response=str(provider_response or "").strip(),
            ),
            _where(area, "No."),
        )
