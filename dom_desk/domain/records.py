"""Adding and deleting records: providers, agreements, envelope lines, milestones, risks.

Each call is one transaction, audited by the session's hooks (``domain/audit.py``). A
delete refuses, naming what depends on the record, when anything would be lost with it.
Otherwise it returns a :class:`Deleted` snapshot (every column of every row it removed)
that :func:`restore` puts back exactly, same ids and values, so the window can undo it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dom_desk.domain import risks
from dom_desk.domain.fuzzy_dates import parse_fuzzy
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.values import Kind
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Allocation,
    Base,
    Competition,
    ContractOption,
    EnvelopeLine,
    FinancialYear,
    FundingSource,
    Level,
    Milestone,
    Provider,
    ProviderKind,
    Result,
    Risk,
    ScenarioChange,
    Sector,
    ServiceLine,
    Submission,
    Target,
    Variation,
)
from dom_desk.models.base import Labelled
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

# -- what a new record asks for -----------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One question of a "New…" form."""

    key: str
    title: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: type[Labelled] | None = None
    #: Chosen from the workbook's records of this area (``options`` lists them).
    pick: str = ""
    #: Shown in an empty box: an example of what to type.
    hint: str = ""


#: What each area's "New…" asks, required fields first. Keys are ``create``'s arguments.
FORMS: dict[str, tuple[Field, ...]] = {
    "providers": (
        Field("name", "Name", required=True, hint="HMP Manchester"),
        Field("kind", "Kind", Kind.CHOICE, required=True, choices=ProviderKind),
        Field("sector", "Sector", Kind.CHOICE, required=True, choices=Sector),
        Field("operator", "Operator", hint="e.g. G4S, Serco"),
        Field("capacity", "Capacity (places)", Kind.INTEGER),
    ),
    "agreements": (
        Field("provider_id", "Provider", required=True, pick="providers"),
        Field("title", "Agreement", required=True, hint="HMP Manchester SLA 2009-10"),
        Field("kind", "Type", Kind.CHOICE, required=True, choices=AgreementKind),
        Field("reference", "Reference"),
    ),
    "contracts": (
        Field("provider_id", "Provider", required=True, pick="providers"),
        Field("title", "Contract", required=True),
        Field("reference", "Reference"),
        Field("start", "Start", Kind.DATE, hint="01/04/2009"),
        Field("end", "Original end", Kind.DATE, hint="31/03/2014"),
    ),
    "milestones": (
        Field("title", "Milestone", required=True),
        Field("reference", "Ref"),
        Field("owner", "Owner"),
        Field("due_text", "Delivery date as written", hint="March 2010, Summer 2009"),
    ),
    "risks": (
        Field("reference", "Ref", required=True, hint="R1"),
        Field("description", "Risk", required=True),
        Field("likelihood", "Likelihood", Kind.CHOICE, required=True, choices=Level),
        Field("impact", "Impact", Kind.CHOICE, required=True, choices=Level),
        Field("owner", "Owner"),
    ),
    "envelope": (
        Field("funding_source", "Funding source", required=True, hint="NOMS allocation"),
        Field("amount", "Amount", Kind.MONEY, required=True, hint="£4,123,000"),
        Field("notes", "Notes"),
    ),
}

#: How one record of an area is called in messages and on buttons.
NOUNS = {
    "providers": "provider",
    "agreements": "agreement",
    "contracts": "contract",
    "milestones": "milestone",
    "risks": "risk",
    "envelope": "envelope line",
}


def can_create(area_key: str) -> bool:
    return area_key in FORMS


def options(wb: Workbook, pick: str) -> list[tuple[int, str]]:
    """The records a ``pick`` field chooses from, as (id, name), by name."""
    if pick != "providers":
        raise ValueError(pick)
    with wb.session() as session:
        return [
            (i, n)
            for i, n in session.execute(
                select(Provider.id, Provider.name).order_by(func.lower(Provider.name))
            )
        ]


def _where(area_key: str, title: str) -> str:
    return f"New {NOUNS[area_key]}, {title}"


def _text(value: Any, area_key: str, title: str, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError(
            f"enter the {NOUNS[area_key]}'s {title.lower()}", _where(area_key, title)
        )
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


# -- creating -----------------------------------------------------------------------------


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
    name = _text(name, area, "Name", required=True)
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
                operator=_text(operator, area, "Operator"),
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
    title = _text(title, area, "Contract" if area == "contracts" else "Agreement", required=True)
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
            reference=_text(reference, area, "Reference"),
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
) -> int:
    """A line of the year's envelope from one funding source (added if new)."""
    area = "envelope"
    name = _text(funding_source, area, "Funding source", required=True)
    if amount is None:
        raise ValidationError("enter the amount", _where(area, "Amount"))
    if not isinstance(amount, int) or amount < 0:
        raise ValidationError("an envelope amount must be £0 or more", _where(area, "Amount"))
    with wb.session() as session:
        year = _year(session, year_label)
        source = session.scalars(
            select(FundingSource).where(func.lower(FundingSource.name) == name.casefold())
        ).first()
        if source is None:
            source = FundingSource(name=name)
            session.add(source)
            session.flush()
        elif session.scalar(
            select(EnvelopeLine.id).where(
                EnvelopeLine.year_id == year.id, EnvelopeLine.funding_source_id == source.id
            )
        ):
            raise ValidationError(
                f"the {year.label} envelope already has a line from {source.name}: change "
                "its amount instead",
                _where(area, "Funding source"),
            )
        line = EnvelopeLine(
            id=audit.fresh_id(session, EnvelopeLine),
            year_id=year.id,
            funding_source_id=source.id,
            amount=amount,
            notes=_text(notes, area, "Notes"),
            illustrative=illustrative,
        )
        session.add(line)
        session.flush()
        return line.id


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
    due_text = _text(due_text, area, "Delivery date as written")
    if due is None and due_text:
        due = parse_fuzzy(due_text).best
    with wb.session() as session:
        record = Milestone(
            id=audit.fresh_id(session, Milestone),
            title=title,
            reference=_text(reference, area, "Ref"),
            owner=_text(owner, area, "Owner"),
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
    with wb.session() as session:
        try:
            return risks.add_risk(
                session, reference, description or "", likelihood, impact, owner or ""
            ).id
        except ValidationError as exc:
            raise ValidationError(exc.reason, _where(area, exc.where or "Risk")) from None


def create(
    wb: Workbook, area_key: str, values: Mapping[str, Any], year_label: str | None = None
) -> int:
    """A new record of an area from a form's answers (``FORMS``); returns its id."""
    makers: dict[str, Callable[..., int]] = {
        "providers": create_provider,
        "milestones": create_milestone,
        "risks": create_risk,
        "agreements": lambda wb, **v: create_agreement(wb, year_label=year_label, **v),
        "contracts": lambda wb, **v: create_contract(wb, year_label=year_label, **v),
        "envelope": lambda wb, **v: create_envelope_line(wb, year_label=year_label, **v),
    }
    if area_key not in makers:
        raise ValidationError(f"New records cannot be added to {area_key}")
    known = {f.key for f in FORMS[area_key]}
    return makers[area_key](wb, **{k: v for k, v in values.items() if k in known})


# -- deleting and putting back ------------------------------------------------------------


@dataclass(frozen=True)
class Deleted:
    """What a delete removed, column by column, parents first: enough to put it back."""

    area: str
    id: int
    label: str
    rows: tuple[tuple[type[Base], dict[str, Any]], ...]


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
        return Deleted(area_key, row_id, label, snapshot)


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
        session.expire_all()
        entity = _ENTITIES[deleted.area][0]
        audit.record(session, "restore record", entity.__tablename__, deleted.id, note=what)
        return deleted.id
