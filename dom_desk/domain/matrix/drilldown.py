"""The drill-down of one matrix cell: the results behind it (current and superseded,
with their source files), the edits made to them, the missing returns, and the figure
worked out again by the reference rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.matrix.cells import (
    Cell,
    MeasureInfo,
    ProviderInfo,
    figure_text,
    rated,
    without_figures,
)
from dom_desk.domain.matrix.totals import in_window, load_measures, reporting_years
from dom_desk.domain.matrix.view import Matrix
from dom_desk.domain.performance import (
    CADENCE_ORDER,
    CURRENT,
    Figure,
    Window,
    combine,
)
from dom_desk.domain.status import is_overdue
from dom_desk.models import (
    AuditEntry,
    MeasureUnit,
    Period,
    PeriodKind,
    Provider,
    Result,
    Submission,
    Target,
)
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class ResultLine:
    """One figure behind a cell: current or superseded, with where it came from."""

    result_id: int
    period: str
    kind: PeriodKind
    period_start: date
    due: date
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    actual_text: str
    superseded: bool
    source: str
    source_row: int | None
    file_name: str
    received_at: datetime | None
    entered_at: datetime
    entered_by: str
    commentary: str

    @property
    def received_late(self) -> bool:
        received = (self.received_at or self.entered_at).date()
        return received > self.due

    @property
    def source_text(self) -> str:
        name = self.file_name or self.source
        return f"{name}, row {self.source_row}" if name and self.source_row else name


@dataclass(frozen=True)
class Edit:
    """A change made to a figure after it was stored (from the audit trail)."""

    result_id: int
    period: str
    field: str
    old: str | None
    new: str | None
    user: str
    at: datetime


@dataclass(frozen=True)
class CellDetail:
    provider: ProviderInfo
    measure: MeasureInfo
    window: Window
    cell: Cell | None
    lines: list[ResultLine]
    #: Periods whose returns are past due and never came: (code, due date).
    missing: list[tuple[str, date]]
    edits: list[Edit]
    working: str

    @property
    def current(self) -> list[ResultLine]:
        return [line for line in self.lines if not line.superseded]

    @property
    def history(self) -> list[ResultLine]:
        return [line for line in self.lines if line.superseded]


def _result_lines(
    session: Session, window: Window, provider_id: int, measure_id: int, unit: MeasureUnit
) -> list[ResultLine]:
    r = Result
    rows = session.execute(
        select(
            r.id,
            Period.code,
            Period.kind,
            Period.start,
            Period.due,
            r.actual,
            r.numerator,
            r.denominator,
            r.superseded,
            r.source,
            r.source_row,
            Submission.file_name,
            Submission.received_at,
            r.entered_at,
            r.entered_by,
            r.commentary,
        )
        .join(Period, Period.id == r.period_id)
        .outerjoin(Submission, Submission.id == r.submission_id)
        .where(r.provider_id == provider_id, r.measure_id == measure_id, in_window(window))
        .order_by(Period.start, r.superseded, r.entered_at.desc(), r.id.desc())
    )
    lines = []
    for row in rows:
        (
            rid,
            code,
            kind,
            start,
            due,
            actual,
            num,
            den,
            superseded,
            source,
            source_row,
            file_name,
            received_at,
            entered_at,
            entered_by,
            commentary,
        ) = row
        lines.append(
            ResultLine(
                rid,
                code,
                kind,
                start,
                due,
                actual,
                num,
                den,
                figure_text(unit, actual),
                superseded,
                source or "",
                source_row,
                file_name or "",
                received_at,
                entered_at,
                entered_by,
                commentary or "",
            )
        )
    return lines


def _edits(session: Session, lines: Iterable[ResultLine]) -> list[Edit]:
    period_of = {line.result_id: line.period for line in lines}
    if not period_of:
        return []
    rows = session.execute(
        select(
            AuditEntry.entity_id,
            AuditEntry.field,
            AuditEntry.old,
            AuditEntry.new,
            AuditEntry.user,
            AuditEntry.at,
        )
        .where(
            AuditEntry.entity == Result.__tablename__,
            AuditEntry.action == "update",
            AuditEntry.entity_id.in_(period_of),
            AuditEntry.field != "superseded",
        )
        .order_by(AuditEntry.at)
    )
    return [
        Edit(rid, period_of[rid], fld, old, new, user, at) for rid, fld, old, new, user, at in rows
    ]


def _expected_periods(session: Session, window: Window, kind: PeriodKind) -> list[tuple[str, date]]:
    """(code, due date) of the periods of ``kind`` a provider returns in the window."""
    return [
        (code, due)
        for code, due in session.execute(
            select(Period.code, Period.due)
            .where(in_window(window), Period.kind == kind)
            .order_by(Period.start)
        )
    ]


def cell_detail(
    wb: Workbook,
    window: Window,
    provider_id: int,
    measure_id: int,
    cadence: PeriodKind = PeriodKind.MONTH,
) -> CellDetail:
    """The results behind one cell, with their source files and superseded history.

    The figure is worked out again here, from the individual results, by the reference
    rule (:func:`dom_desk.domain.performance.combine`); it agrees with the matrix's.
    """
    with wb.session() as session:
        provider = ProviderInfo(
            *session.execute(
                select(Provider.id, Provider.name, Provider.kind, Provider.sector).where(
                    Provider.id == provider_id
                )
            ).one()
        )
        measure = next(m for m in load_measures(session) if m.id == measure_id)
        target_row = session.execute(
            select(Target.value).where(
                Target.provider_id == provider_id,
                Target.measure_id == measure_id,
                Target.year_id == window.year_id,
            )
        ).first()
        annual = target_row[0] if target_row else None
        lines = _result_lines(session, window, provider_id, measure_id, measure.unit)
        kinds = {ln.kind for ln in lines if not ln.superseded}
        kind = next((k for k in CADENCE_ORDER if k in kinds), cadence)
        current = [ln for ln in lines if not ln.superseded and ln.kind is kind]
        expected = _expected_periods(session, window, kind)
        edits = _edits(session, lines)
        reported = (
            bool(current)
            or session.scalar(
                select(Result.id)
                .where(
                    CURRENT,
                    Result.provider_id == provider_id,
                    Result.measure_id == measure_id,
                    Result.period_id.in_(
                        select(Period.id).where(
                            Period.year_id.in_(reporting_years(session, window))
                        )
                    ),
                )
                .limit(1)
            )
            is not None
        )
    returned = {ln.period for ln in current}
    missing = [
        (code, due)
        for code, due in expected
        if reported and code not in returned and is_overdue(due, window.today)
    ]
    figures = [Figure(ln.period_start, ln.actual, ln.numerator, ln.denominator) for ln in current]
    working = ""
    cell: Cell | None = None
    if current:
        combined = combine(measure.aggregation, measure.unit, figures)
        cell = rated(measure, annual, combined, len(current), kind, len(missing))
        working = combined.working
    elif expected and (target_row is not None or reported):
        cell = without_figures(measure, annual, kind, len(expected), len(missing), reported)
    return CellDetail(provider, measure, window, cell, lines, missing, edits, working)


def open_cell(wb: Workbook, matrix: Matrix, provider_id: int, measure_id: int) -> CellDetail:
    """The drill-down of a matrix cell (same window and cadence as the matrix used)."""
    return cell_detail(
        wb,
        matrix.window,
        provider_id,
        measure_id,
        matrix.cadences.get(measure_id, PeriodKind.MONTH),
    )
