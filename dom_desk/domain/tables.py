"""The window's areas as plain data: which rows, which columns, which fields are editable.

The UI shows any area through one generic table model; tests and scripts read and edit
the same rows through ``load_rows`` and ``update_field`` without a window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts
from dom_desk.domain.competitions import stage_fuzzy
from dom_desk.domain.money import variance_percent
from dom_desk.domain.performance import period_status
from dom_desk.domain.region import current_year, risk_matrix, year_by_label
from dom_desk.domain.values import Kind
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Base,
    Competition,
    CompetitionKind,
    FinancialYear,
    Level,
    Milestone,
    PaymentMechanism,
    Provider,
    ProviderKind,
    Result,
    Risk,
    RiskStatus,
    Sector,
    Target,
)
from dom_desk.models.base import Labelled
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = Kind.TEXT
    editable: bool = False
    choices: type[Labelled] | None = None
    required: bool = False
    #: Smallest value allowed (volumes, capacities and money cannot go negative).
    minimum: int | Decimal | None = None
    #: For derived columns: how to read the value from the record (context is per load).
    get: Callable[[Any, LoadContext], Any] | None = None
    #: Shown in the detail pane only, not as a table column.
    detail_only: bool = False


@dataclass
class LoadContext:
    """Things looked up once per load and shared by derived columns."""

    session: Session
    year: FinancialYear
    cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    id: int
    version: int
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    entity: type[Base]
    columns: tuple[Column, ...]
    load: Callable[[LoadContext], Sequence[Any]]
    #: Which column names the record in messages ("Provider 'HMP Manchester'").
    label_key: str = "name"

    @property
    def table_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.detail_only)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass(frozen=True)
class Change:
    """What an edit did, so it can be undone by writing ``old`` back."""

    area: str
    row_id: int
    key: str
    old: Any
    new: Any


# -- derived values -----------------------------------------------------------------------


def _provider_name(obj: Any, _ctx: LoadContext) -> str:
    return obj.provider.name if obj.provider else ""


def _agreement_value(agreement: Agreement, ctx: LoadContext) -> int:
    return sum(line.value for line in agreement.lines if line.year_id == ctx.year.id)


def _alloc_variance(allocation: Allocation, _ctx: LoadContext) -> int | None:
    reference = allocation.provisional
    latest = allocation.agreed
    return None if latest is None or reference is None else latest - reference


def _alloc_variance_pct(allocation: Allocation, _ctx: LoadContext) -> Decimal | None:
    return variance_percent(allocation.agreed, allocation.provisional)


def _targets(ctx: LoadContext) -> dict[tuple[int, int], Decimal | None]:
    if "targets" not in ctx.cache:
        rows = ctx.session.execute(
            select(Target.measure_id, Target.provider_id, Target.value).where(
                Target.year_id == ctx.year.id
            )
        )
        ctx.cache["targets"] = {(m, p): v for m, p, v in rows}
    return ctx.cache["targets"]


def _result_target(result: Result, ctx: LoadContext) -> Decimal | None:
    return _targets(ctx).get((result.measure_id, result.provider_id))


def _result_status(result: Result, ctx: LoadContext) -> str:
    # A month's count is held to a twelfth of the year's target, a rate to the rate.
    return period_status(
        result.measure, result.actual, _result_target(result, ctx), result.period.kind
    ).label


def _risk_score(risk: Risk, ctx: LoadContext) -> int | None:
    if "matrix" not in ctx.cache:
        ctx.cache["matrix"] = risk_matrix(ctx.session)
    return ctx.cache["matrix"].get((risk.likelihood, risk.impact))


def _stage_summary(competition: Competition, _ctx: LoadContext) -> str:
    upcoming = [s for s in competition.stages if s.actual is None]
    if not upcoming:
        return "Complete"
    nxt = upcoming[0]
    # A fuzzy date ("Summer 2009") shows its wording, so the date beside it reads as the
    # best estimate it is.
    if nxt.planned_text and stage_fuzzy(nxt):
        return f"{nxt.stage.label} ({nxt.planned_text})"
    return nxt.stage.label


def _next_stage_date(competition: Competition, _ctx: LoadContext) -> Any:
    upcoming = [s for s in competition.stages if s.actual is None]
    return upcoming[0].planned if upcoming else None


# -- loaders ------------------------------------------------------------------------------


def _providers(ctx: LoadContext) -> Sequence[Provider]:
    return ctx.session.scalars(select(Provider).order_by(Provider.name)).all()


def _agreements(ctx: LoadContext) -> Sequence[Agreement]:
    """The year's SLAs and every contract whose term touches the year."""
    query = (
        select(Agreement)
        .options(
            selectinload(Agreement.provider),
            selectinload(Agreement.lines),
            selectinload(Agreement.variations),
        )
        .where(or_(Agreement.year_id == ctx.year.id, Agreement.kind == AgreementKind.CONTRACT))
        .order_by(Agreement.kind, Agreement.title)
    )
    return ctx.session.scalars(query).all()


def _contracts(ctx: LoadContext) -> Sequence[Agreement]:
    return [a for a in _agreements(ctx) if a.kind is AgreementKind.CONTRACT]


def _allocations(ctx: LoadContext) -> Sequence[Allocation]:
    query = (
        select(Allocation)
        .options(
            selectinload(Allocation.agreement).selectinload(Agreement.provider),
            selectinload(Allocation.service_line),
            selectinload(Allocation.funding_source),
        )
        .where(Allocation.year_id == ctx.year.id)
        .order_by(Allocation.id)
    )
    return ctx.session.scalars(query).all()


def _competitions(ctx: LoadContext) -> Sequence[Competition]:
    query = (
        select(Competition)
        .options(selectinload(Competition.stages))
        .order_by(Competition.expiry.is_(None), Competition.expiry, Competition.subject)
    )
    return ctx.session.scalars(query).all()


def _results(ctx: LoadContext) -> Sequence[Result]:
    from dom_desk.models import Period

    query = (
        select(Result)
        .join(Period, Result.period_id == Period.id)
        .options(
            selectinload(Result.provider), selectinload(Result.measure), selectinload(Result.period)
        )
        .where(Period.year_id == ctx.year.id, Result.superseded.is_(False))
        .order_by(Period.start, Result.provider_id, Result.measure_id)
    )
    return ctx.session.scalars(query).all()


def _risks(ctx: LoadContext) -> Sequence[Risk]:
    return ctx.session.scalars(select(Risk).order_by(Risk.reference)).all()


def _milestones(ctx: LoadContext) -> Sequence[Milestone]:
    return ctx.session.scalars(
        select(Milestone).order_by(
            Milestone.due.is_(None), Milestone.due, Milestone.reference, Milestone.id
        )
    ).all()


# -- the areas ----------------------------------------------------------------------------

MONEY = Kind.MONEY

AREAS: dict[str, Area] = {
    area.key: area
    for area in (
        Area(
            "providers",
            "Providers",
            Provider,
            (
                Column("name", "Name", editable=True, required=True),
                Column(
                    "kind", "Kind", Kind.CHOICE, editable=True, choices=ProviderKind, required=True
                ),
                Column(
                    "sector", "Sector", Kind.CHOICE, editable=True, choices=Sector, required=True
                ),
                Column("operator", "Operator", editable=True),
                Column("capacity", "Capacity (places)", Kind.INTEGER, editable=True, minimum=0),
                Column("contact", "Contact", editable=True),
                Column(
                    "aliases",
                    "Other names in returns",
                    Kind.LONG_TEXT,
                    editable=True,
                    detail_only=True,
                ),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            _providers,
        ),
        Area(
            "agreements",
            "Agreements",
            Agreement,
            (
                Column("title", "Agreement", editable=True, required=True),
                Column("provider", "Provider", get=_provider_name),
                Column("kind", "Type", Kind.CHOICE, choices=AgreementKind),
                Column(
                    "status",
                    "Status",
                    Kind.CHOICE,
                    editable=True,
                    choices=AgreementStatus,
                    required=True,
                ),
                Column("value", "Service lines value", MONEY, get=_agreement_value),
                Column("negotiation_deadline", "Negotiation deadline", Kind.DATE, editable=True),
                Column("reference", "Reference", editable=True, detail_only=True),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            _agreements,
            label_key="title",
        ),
        Area(
            "allocations",
            "Allocations",
            Allocation,
            (
                Column("provider", "Provider", get=lambda a, _c: a.agreement.provider.name),
                Column("agreement", "Agreement", get=lambda a, _c: a.agreement.title),
                Column(
                    "line",
                    "Service line",
                    get=lambda a, _c: a.service_line.service.name if a.service_line else "",
                ),
                Column("baseline", "Baseline", MONEY, editable=True, required=True, minimum=0),
                Column("provisional", "Provisional", MONEY, editable=True, minimum=0),
                Column("agreed", "Agreed", MONEY, editable=True, minimum=0),
                Column("variance", "Variance £", MONEY, get=_alloc_variance),
                Column("variance_pct", "Variance %", Kind.PERCENT, get=_alloc_variance_pct),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            _allocations,
            label_key="agreement",
        ),
        Area(
            "contracts",
            "Contracts",
            Agreement,
            (
                Column("reference", "Reference", editable=True),
                Column("provider", "Provider", get=_provider_name),
                Column("title", "Contract", editable=True, required=True),
                # The original dates and the manager are in the detail pane: on a laptop the
                # table keeps room for the names, the current terms and the money.
                Column("start", "Start", Kind.DATE, editable=True, detail_only=True),
                Column("end", "Original end", Kind.DATE, editable=True, detail_only=True),
                Column(
                    "current_end",
                    "Current end",
                    Kind.DATE,
                    get=lambda a, _c: contracts.current_end(a),
                ),
                Column("notice_months", "Notice (months)", Kind.INTEGER, editable=True, minimum=0),
                Column(
                    "notice_date",
                    "Notice by",
                    Kind.DATE,
                    get=lambda a, _c: contracts.notice_date(a),
                ),
                Column(
                    "current_value",
                    "Annual value",
                    MONEY,
                    get=lambda a, _c: contracts.current_value(a),
                ),
                Column(
                    "whole_life",
                    "Whole-life value",
                    MONEY,
                    get=lambda a, _c: contracts.whole_life_value(a),
                ),
                Column(
                    "payment_mechanism",
                    "Payment",
                    Kind.CHOICE,
                    editable=True,
                    choices=PaymentMechanism,
                    required=True,
                ),
                Column("contract_manager", "Contract manager", editable=True, detail_only=True),
                Column(
                    "status",
                    "Status",
                    Kind.CHOICE,
                    editable=True,
                    choices=AgreementStatus,
                    required=True,
                ),
                Column(
                    "annual_value",
                    "Original annual value",
                    MONEY,
                    editable=True,
                    minimum=0,
                    detail_only=True,
                ),
                Column(
                    "pbr_share",
                    "Payment-by-results share",
                    Kind.PERCENT,
                    editable=True,
                    minimum=Decimal(0),
                    detail_only=True,
                ),
                Column(
                    "extension_options",
                    "Extension options",
                    Kind.LONG_TEXT,
                    editable=True,
                    detail_only=True,
                ),
                Column(
                    "break_clauses",
                    "Break clauses",
                    Kind.LONG_TEXT,
                    editable=True,
                    detail_only=True,
                ),
            ),
            _contracts,
            label_key="title",
        ),
        Area(
            "competitions",
            "Competitions",
            Competition,
            (
                Column("subject", "Subject", editable=True, required=True),
                Column(
                    "kind",
                    "Type",
                    Kind.CHOICE,
                    editable=True,
                    choices=CompetitionKind,
                    required=True,
                ),
                Column("expiry", "Current agreement expires", Kind.DATE, editable=True),
                Column("expiry_text", "Expiry as written", editable=True),
                Column("next_stage", "Next stage", get=_stage_summary),
                Column("next_date", "Next stage due", Kind.DATE, get=_next_stage_date),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            _competitions,
            label_key="subject",
        ),
        Area(
            "performance",
            "Performance",
            Result,
            (
                Column("period", "Period", get=lambda r, _c: r.period.code),
                Column("provider", "Provider", get=_provider_name),
                Column("code", "Code", get=lambda r, _c: r.measure.code),
                Column("measure", "Measure", get=lambda r, _c: r.measure.title),
                Column("actual", "Actual", Kind.DECIMAL, editable=True),
                Column("target", "Target", Kind.DECIMAL, get=_result_target),
                Column("status", "Status", get=_result_status),
                Column("numerator", "Numerator", Kind.DECIMAL, editable=True, minimum=Decimal(0)),
                Column(
                    "denominator", "Denominator", Kind.DECIMAL, editable=True, minimum=Decimal(0)
                ),
                Column("source", "Source"),
                Column("commentary", "Commentary", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            _results,
            label_key="code",
        ),
        Area(
            "risks",
            "Risks",
            Risk,
            (
                Column("reference", "Ref", editable=True, required=True),
                Column("description", "Risk", Kind.LONG_TEXT, editable=True, required=True),
                Column(
                    "likelihood",
                    "Likelihood",
                    Kind.CHOICE,
                    editable=True,
                    choices=Level,
                    required=True,
                ),
                Column(
                    "impact", "Impact", Kind.CHOICE, editable=True, choices=Level, required=True
                ),
                Column("score", "Score", Kind.INTEGER, get=_risk_score),
                Column("owner", "Owner", editable=True),
                Column("review", "Review date", Kind.DATE, editable=True),
                Column(
                    "status",
                    "Status",
                    Kind.CHOICE,
                    editable=True,
                    choices=RiskStatus,
                    required=True,
                ),
                Column(
                    "mitigations", "Mitigations", Kind.LONG_TEXT, editable=True, detail_only=True
                ),
            ),
            _risks,
            label_key="reference",
        ),
        Area(
            "milestones",
            "Milestones",
            Milestone,
            (
                Column("reference", "Ref", editable=True),
                Column("title", "Milestone", Kind.LONG_TEXT, editable=True, required=True),
                Column("owner", "Owner", editable=True),
                Column("due_text", "Delivery date as written", editable=True),
                Column("due", "Best date", Kind.DATE, editable=True),
                Column("done", "Done", Kind.DATE, editable=True),
                Column("notes", "Notes", Kind.LONG_TEXT, editable=True, detail_only=True),
            ),
            _milestones,
            label_key="title",
        ),
    )
}


def area(key: str) -> Area:
    try:
        return AREAS[key]
    except KeyError:
        raise ValidationError(f"There is no area '{key}'") from None


def _value(column: Column, record: Any, ctx: LoadContext) -> Any:
    return column.get(record, ctx) if column.get else getattr(record, column.key)


def _year(session: Session, year_label: str | None) -> FinancialYear:
    return year_by_label(session, year_label) if year_label else current_year(session)


def load_rows(wb: Workbook, area_key: str, year_label: str | None = None) -> list[Row]:
    """Every row of an area for a year (the current year when not given)."""
    spec = area(area_key)
    with wb.session() as session:
        ctx = LoadContext(session, _year(session, year_label))
        return [
            Row(
                record.id,
                getattr(record, "row_version", 0),
                tuple(_value(c, record, ctx) for c in spec.columns),
            )
            for record in spec.load(ctx)
        ]


def load_row(wb: Workbook, area_key: str, row_id: int, year_label: str | None = None) -> Row:
    """One row, fresh from the file (after an edit or undo)."""
    spec = area(area_key)
    with wb.session() as session:
        ctx = LoadContext(session, _year(session, year_label))
        record = session.get(spec.entity, row_id)
        if record is None:
            raise ValidationError(f"That {spec.title.lower()} record no longer exists")
        return Row(
            record.id,
            getattr(record, "row_version", 0),
            tuple(_value(c, record, ctx) for c in spec.columns),
        )


def _owning_agreement(record: Any) -> Agreement | None:
    if isinstance(record, Agreement):
        return record
    return getattr(record, "agreement", None)


def _check(spec: Area, column: Column, record: Any, value: Any, where: str) -> None:
    if not column.editable:
        raise ValidationError(f"{column.title} is worked out, not typed in", where)
    if column.required and value in (None, ""):
        raise ValidationError(f"{column.title} cannot be empty", where)
    if column.minimum is not None and value is not None and value < column.minimum:
        raise ValidationError(f"{column.title} cannot be negative", where)
    agreement = _owning_agreement(record)
    if agreement is not None and agreement.status.locked and column.key != "status":
        raise LockedError(
            f"'{agreement.title}' is {agreement.status.label.lower()} and locked against "
            "edits; change its status (unlock) first",
            where,
        )


def update_field(
    wb: Workbook,
    area_key: str,
    row_id: int,
    key: str,
    value: Any,
    expected_version: int | None = None,
) -> Change:
    """Sets one field of one record, in one transaction, with its audit entry.

    ``expected_version`` is the row version the user saw: if the record has changed since
    (another window, another user), the write is refused rather than overwriting theirs.
    """
    with wb.session() as session:
        return set_field_in(session, area_key, row_id, key, value, expected_version)


def set_field_in(
    session: Session, area_key: str, row_id: int, key: str, value: Any, expected_version: int | None
) -> Change:
    """Sets one field inside an open transaction, with the lock and version checks."""
    spec = area(area_key)
    column = spec.column(key)
    record = session.get(spec.entity, row_id)
    if record is None:
        raise ValidationError(f"That {spec.title.lower()} record no longer exists")
    label = getattr(record, spec.label_key, "") if hasattr(record, spec.label_key) else ""
    if not isinstance(label, str):  # a related record (an allocation's agreement): its name
        label = getattr(label, "title", None) or getattr(label, "name", "")
    where = f"{spec.title}, '{label}', {column.title}" if label else column.title
    if expected_version is not None and record.row_version != expected_version:
        raise ConflictError(
            f"{where} was changed elsewhere since you opened it; reload to see the "
            "latest figures before editing"
        )
    _check(spec, column, record, value, where)
    old = getattr(record, key)
    if old != value:
        setattr(record, key, value)
    return Change(area_key, row_id, key, old, value)


class FieldEdit(NamedTuple):
    """One cell of a batch: the record, the field, the new value, the version seen."""

    row_id: int
    key: str
    value: Any
    expected_version: int | None = None


def update_fields(wb: Workbook, area_key: str, edits: Sequence[FieldEdit]) -> list[Change]:
    """Sets many fields (a paste, a fill down) all or nothing, in one transaction.

    Any refused value rolls the whole batch back. A record's version is checked at its
    first edit only, as the batch's own earlier edits move it on.
    """
    changes: list[Change] = []
    seen: set[int] = set()
    with wb.session() as session:
        for edit in edits:
            version = None if edit.row_id in seen else edit.expected_version
            seen.add(edit.row_id)
            changes.append(
                set_field_in(session, area_key, edit.row_id, edit.key, edit.value, version)
            )
    return changes
