"""The audit trail read back in words: who changed what, when, from what to what.

``domain/audit.py`` writes one entry per changed field (values as text, money as pence);
this module reads entries newest first and shows each the way the window shows the
figure itself: "Provider", "HMP Manchester", "Capacity (places)", "£1,234,567".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Select, select
from sqlalchemy.orm import Session

from dom_desk.domain.periods import period_label
from dom_desk.domain.tables import AREAS
from dom_desk.domain.values import Kind, format_value
from dom_desk.models import (
    Agreement,
    Allocation,
    AuditEntry,
    Base,
    Bidder,
    Competition,
    CompetitionAward,
    CompetitionStage,
    DemandFigure,
    EnvelopeLine,
    EvaluationCriterion,
    FinancialYear,
    FundingSource,
    Measure,
    Milestone,
    PaymentRule,
    PerformanceAction,
    Period,
    PlanSection,
    Priority,
    Provider,
    Region,
    ResourceDecision,
    Result,
    Risk,
    Scenario,
    Service,
    ServiceLine,
    Submission,
    SubmissionAdjustment,
    Target,
    Variation,
)
from dom_desk.storage.workbook import Workbook

#: Entries read per query while a text filter looks for matches.
_BATCH = 500
_ACTIONS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}
#: Named actions whose values are of one kind whatever the field (a key date marked done).
_ACTION_KINDS = {"done": Kind.DATE}
#: Fields named actions write that no table shows: their kind.
_EXTRA_KINDS = {("financial_year", "baseline"): Kind.MONEY}
_LONGEST_NAME = 60


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as a person reads it."""

    id: int
    #: Local time (the file stores UTC).
    at: datetime
    user: str
    action: str
    #: The kind of record in words ("Provider") and its id in the file.
    entity: str
    entity_id: int | None
    #: The record's current name ("HMP Manchester"), else "#12"; empty for no record.
    record: str
    field: str
    old: str
    new: str
    note: str

    @property
    def when(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M:%S}"

    def texts(self) -> tuple[str, ...]:
        """Everything shown, in the order the table and the CSV show it."""
        return (
            self.when,
            self.user,
            self.action,
            self.entity,
            self.record,
            self.field,
            self.old,
            self.new,
            self.note,
        )


#: Column headings for ``AuditLine.texts``.
HEADINGS = (
    "When",
    "User",
    "Action",
    "Record type",
    "Record",
    "Field",
    "Old value",
    "New value",
    "Note",
)


def table_of(entity: str | type[Base]) -> str:
    """The table an entry's entity names: a model class, a table name or an area key
    ("contracts", written by key dates and list imports) all lead to the table."""
    if isinstance(entity, type):
        return str(entity.__tablename__)  # type: ignore[attr-defined]
    area = AREAS.get(entity)
    return str(area.entity.__tablename__) if area else entity


def entity_words(entity: str | type[Base]) -> str:
    """ "Provider", "Service line": the kind of record in words."""
    return table_of(entity).replace("_", " ").capitalize()


# -- naming records -----------------------------------------------------------------------


def _joined(*parts: Any) -> str:
    words = [getattr(p, "label", p) for p in parts if p not in (None, "")]
    text = ", ".join(str(w) for w in words)
    if len(text) <= _LONGEST_NAME:
        return text
    # At the last whole word that fits (a single long word is cut where it must be).
    cut = text[: _LONGEST_NAME - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _line_names(model: Any) -> Select:
    return (
        select(model.id, Agreement.title, Service.name)
        .join(Agreement, model.agreement_id == Agreement.id)
        .outerjoin(ServiceLine, model.service_line_id == ServiceLine.id)
        .outerjoin(Service, ServiceLine.service_id == Service.id)
    )


#: Per table: a query of (id, name parts...), cheap enough to run per batch of entries.
_NAMES: dict[str, Callable[[], Select]] = {
    "provider": lambda: select(Provider.id, Provider.name),
    "agreement": lambda: select(Agreement.id, Agreement.title),
    "allocation": lambda: _line_names(Allocation),
    "service_line": lambda: (
        select(ServiceLine.id, Agreement.title, Service.name)
        .join(Agreement, ServiceLine.agreement_id == Agreement.id)
        .join(Service, ServiceLine.service_id == Service.id)
    ),
    "variation": lambda: select(Variation.id, Agreement.title).join(
        Agreement, Variation.agreement_id == Agreement.id
    ),
    "competition": lambda: select(Competition.id, Competition.subject),
    "competition_stage": lambda: select(
        CompetitionStage.id, Competition.subject, CompetitionStage.stage
    ).join(Competition, CompetitionStage.competition_id == Competition.id),
    "milestone": lambda: select(Milestone.id, Milestone.reference, Milestone.title),
    "risk": lambda: select(Risk.id, Risk.reference),
    "measure": lambda: select(Measure.id, Measure.code),
    "service": lambda: select(Service.id, Service.name),
    "result": lambda: (
        select(Result.id, Provider.name, Measure.code, Period.code)
        .join(Provider, Result.provider_id == Provider.id)
        .join(Measure, Result.measure_id == Measure.id)
        .join(Period, Result.period_id == Period.id)
    ),
    "target": lambda: (
        select(Target.id, Provider.name, Measure.code, FinancialYear.label)
        .join(Provider, Target.provider_id == Provider.id)
        .join(Measure, Target.measure_id == Measure.id)
        .join(FinancialYear, Target.year_id == FinancialYear.id)
    ),
    "submission": lambda: (
        select(Submission.id, Provider.name, Period.code)
        .join(Provider, Submission.provider_id == Provider.id)
        .join(Period, Submission.period_id == Period.id)
    ),
    "funding_source": lambda: select(FundingSource.id, FundingSource.name),
    "envelope_line": lambda: (
        select(EnvelopeLine.id, FundingSource.name, FinancialYear.label)
        .join(FundingSource, EnvelopeLine.funding_source_id == FundingSource.id)
        .join(FinancialYear, EnvelopeLine.year_id == FinancialYear.id)
    ),
    "financial_year": lambda: select(FinancialYear.id, FinancialYear.label),
    "period": lambda: select(Period.id, Period.code),
    "region": lambda: select(Region.id, Region.name),
    "priority": lambda: select(Priority.id, Priority.title),
    "plan_section": lambda: select(PlanSection.id, PlanSection.title),
    "scenario": lambda: select(Scenario.id, Scenario.name),
    # The commissioning cycle (issue 15) and returns finished in the preview.
    "bidder": lambda: select(Bidder.id, Bidder.name, Competition.subject).join(
        Competition, Bidder.competition_id == Competition.id
    ),
    "evaluation_criterion": lambda: select(
        EvaluationCriterion.id, EvaluationCriterion.name, Competition.subject
    ).join(Competition, EvaluationCriterion.competition_id == Competition.id),
    "competition_award": lambda: select(CompetitionAward.id, Competition.subject).join(
        Competition, CompetitionAward.competition_id == Competition.id
    ),
    "performance_action": lambda: select(
        PerformanceAction.id, Provider.name, PerformanceAction.title
    ).join(Provider, PerformanceAction.provider_id == Provider.id),
    "resource_decision": lambda: select(ResourceDecision.id, ResourceDecision.summary),
    "demand_figure": lambda: select(
        DemandFigure.id, Provider.name, DemandFigure.kind, DemandFigure.year
    ).join(Provider, DemandFigure.provider_id == Provider.id),
    "payment_rule": lambda: select(PaymentRule.id, Agreement.title).join(
        Agreement, PaymentRule.agreement_id == Agreement.id
    ),
    "submission_adjustment": lambda: (
        select(SubmissionAdjustment.id, Provider.name, Period.code)
        .join(Submission, SubmissionAdjustment.submission_id == Submission.id)
        .join(Provider, Submission.provider_id == Provider.id)
        .join(Period, Submission.period_id == Period.id)
    ),
}


def _names(session: Session, table: str, ids: Iterable[int]) -> dict[int, str]:
    query = _NAMES.get(table)
    wanted = sorted(set(ids))
    if query is None or not wanted:
        return {}
    statement = query()
    id_column = statement.selected_columns[0]
    # A period is named as people read it ("Oct 2009"), not by its code ("2009-10-M").
    periods = [
        getattr(c, "table", None) is Period.__table__ and c.key == "code"
        for c in statement.selected_columns
    ][1:]
    return {
        row[0]: _joined(
            *(period_label(p) if at and p else p for p, at in zip(row[1:], periods, strict=True))
        )
        for row in session.execute(statement.where(id_column.in_(wanted)))
    }


def record_name(wb: Workbook, entity: str | type[Base], entity_id: int) -> str:
    """A record's current name ("HMP Manchester"), or "#12" when it has none or is gone."""
    with wb.session() as session:
        return _names(session, table_of(entity), [entity_id]).get(entity_id) or f"#{entity_id}"


# -- fields and values --------------------------------------------------------------------


@functools.cache
def _titles_and_kinds() -> dict[tuple[str, str], tuple[str, Kind]]:
    """(table or area key, field) -> (title, kind): the tables' columns first, then the
    models' money and date columns that no table shows."""
    found: dict[tuple[str, str], tuple[str, Kind]] = {}
    for area in AREAS.values():
        for column in area.columns:
            found.setdefault((area.key, column.key), (column.title, column.kind))
            found.setdefault(
                (area.entity.__tablename__, column.key),  # type: ignore[attr-defined]
                (column.title, column.kind),
            )
    for mapper in Base.registry.mappers:
        for column in mapper.columns:
            kind = (
                Kind.MONEY
                if isinstance(column.type, BigInteger)
                else Kind.DATE
                if isinstance(column.type, Date | DateTime)
                else None
            )
            if kind is not None:
                found.setdefault((mapper.local_table.name, column.key), (column.key, kind))
    for key, kind in _EXTRA_KINDS.items():
        found.setdefault(key, (key[1], kind))
    return found


def shown_value(kind: Kind | None, text: str | None) -> str:
    """A value as the audit stored it (``audit.audit_text``), shown the UK way when its
    kind is known: pence as "£1,234,567", ISO dates as "31/03/2010"."""
    if text is None:
        return ""
    try:
        match kind:
            case Kind.MONEY:
                return format_value(kind, int(text))
            case Kind.DATE:
                return format_value(kind, datetime.fromisoformat(text).date())
            case Kind.INTEGER:
                return format_value(kind, int(text))
            case Kind.DECIMAL | Kind.PERCENT:
                return format_value(kind, Decimal(text))
    except (ValueError, InvalidOperation):
        pass  # not what the column holds now (an older kind of value): show it as stored
    return text


def _describe(entry: AuditEntry, names: dict[tuple[str, int], str]) -> AuditLine:
    table = table_of(entry.entity)
    title, kind = (
        _titles_and_kinds().get((entry.entity, entry.field))
        or _titles_and_kinds().get((table, entry.field))
        or (entry.field, None)
    )
    kind = _ACTION_KINDS.get(entry.action, kind)
    record = (
        ""
        if entry.entity_id is None
        else names.get((table, entry.entity_id)) or f"#{entry.entity_id}"
    )
    local = entry.at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    return AuditLine(
        entry.id,
        local,
        entry.user,
        _ACTIONS.get(entry.action, entry.action.capitalize()),
        entity_words(table),
        entry.entity_id,
        record,
        title,
        shown_value(kind, entry.old),
        shown_value(kind, entry.new),
        entry.note or "",
    )


def _describe_all(session: Session, entries: Sequence[AuditEntry]) -> list[AuditLine]:
    by_table: dict[str, set[int]] = {}
    for entry in entries:
        if entry.entity_id is not None:
            by_table.setdefault(table_of(entry.entity), set()).add(entry.entity_id)
    names = {
        (table, row_id): name
        for table, ids in by_table.items()
        for row_id, name in _names(session, table, ids).items()
    }
    return [_describe(entry, names) for entry in entries]


# -- reading ------------------------------------------------------------------------------


def _spellings(table: str) -> list[str]:
    """Every entity an entry about this table may carry: the table and its areas' keys."""
    return [table, *(key for key, area in AREAS.items() if area.entity.__tablename__ == table)]  # type: ignore[attr-defined]


def _matches(line: AuditLine, words: str) -> bool:
    return any(words in text.casefold() for text in line.texts())


def read_entries(
    wb: Workbook,
    entity: str | type[Base] | None = None,
    entity_id: int | None = None,
    text: str = "",
    limit: int | None = None,
) -> list[AuditLine]:
    """Audit entries newest first, as a person reads them.

    ``entity`` (a model class, table name or area key) and ``entity_id`` keep one record's
    history (or, without an id, one kind of record's); ``text`` keeps entries whose shown
    text contains it, any case, so "£1,250" and "Capacity" find what the table shows.
    ``limit`` caps how many are returned.
    """
    words = text.strip().casefold()
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity is not None:
        query = query.where(AuditEntry.entity.in_(_spellings(table_of(entity))))
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    found: list[AuditLine] = []
    with wb.session() as session:
        if not words:
            return _describe_all(session, session.scalars(query.limit(limit)).all())
        # The shown text (names, £ figures) is not in the file: match it batch by batch.
        before: int | None = None
        while limit is None or len(found) < limit:
            batch_query = query if before is None else query.where(AuditEntry.id < before)
            batch = session.scalars(batch_query.limit(_BATCH)).all()
            if not batch:
                break
            before = batch[-1].id
            found += [line for line in _describe_all(session, batch) if _matches(line, words)]
    return found[:limit]
