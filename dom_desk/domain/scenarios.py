"""Negotiation scenarios: "what if" sets of draft changes, compared, accepted or discarded.

A scenario holds changes to allocations (provisional, agreed), service lines (volume,
unit price) and targets (value, minimum) for one year. Each change remembers the figure it
was drafted against. Comparing a scenario applies its changes to the current figures in
memory and adds them up with the same code as the real position. Accepting writes every
change in one transaction, refusing if any figure has moved since it was drafted, and
returns a record from which the acceptance is undone (and redone) exactly.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.allocations import GroupTotal, Position, position_in
from dom_desk.domain.money import format_pounds
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.domain.sla import (
    agreements_for,
    find_provider,
    floor_problem,
    primary_agreement,
    set_line_in,
)
from dom_desk.domain.sla import set_target_in as _set_target_in
from dom_desk.domain.tables import Column, FieldEdit, Row, set_field_in
from dom_desk.domain.values import Kind, counted, format_value
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Allocation,
    FinancialYear,
    Measure,
    Provider,
    Scenario,
    ScenarioChange,
    ScenarioStatus,
    ServiceLine,
    Target,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

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
    agreement = primary_agreement(session, provider.id, year)
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


@dataclass(frozen=True)
class ScenarioInfo:
    id: int
    name: str
    year: str
    status: ScenarioStatus
    notes: str
    created_at: datetime
    created_by: str
    changes: int


def _info(scenario: Scenario) -> ScenarioInfo:
    return ScenarioInfo(
        scenario.id,
        scenario.name,
        scenario.year.label,
        scenario.status,
        scenario.notes,
        scenario.created_at,
        scenario.created_by,
        len(scenario.changes),
    )


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def _scenario(session: Session, scenario_id: int) -> Scenario:
    found = session.get(Scenario, scenario_id)
    if found is None:
        raise ValidationError("That scenario no longer exists")
    return found


def _draft_scenario(session: Session, scenario_id: int) -> Scenario:
    found = _scenario(session, scenario_id)
    if found.status is not ScenarioStatus.DRAFT:
        raise ValidationError(
            f"Scenario '{found.name}' is {found.status.label.lower()}; "
            "only a draft scenario can be changed"
        )
    return found


def create_scenario(wb: Workbook, name: str, year_label: str | None = None, notes: str = "") -> int:
    """A new, empty draft scenario; the name must be new for the year."""
    name = name.strip()
    if not name:
        raise ValidationError("The scenario needs a name", "Scenario name")
    with wb.session() as session:
        year = _year(session, year_label)
        if session.scalars(
            select(Scenario).where(Scenario.year_id == year.id, Scenario.name == name)
        ).first():
            raise ValidationError(
                f"There is already a scenario called '{name}' for {year.label}", "Scenario name"
            )
        scenario = Scenario(
            year_id=year.id,
            name=name,
            notes=notes,
            created_at=audit.now(),
            created_by=audit.current_user(),
        )
        session.add(scenario)
        session.flush()
        return scenario.id


def scenarios(
    wb: Workbook, year_label: str | None = None, include_closed: bool = True
) -> list[ScenarioInfo]:
    with wb.session() as session:
        year = _year(session, year_label)
        found = session.scalars(
            select(Scenario)
            .options(selectinload(Scenario.changes), selectinload(Scenario.year))
            .where(Scenario.year_id == year.id)
            .order_by(Scenario.created_at, Scenario.id)
        )
        return [_info(s) for s in found if include_closed or s.status is ScenarioStatus.DRAFT]


def _find_change(scenario: Scenario, subject: Subject, field: str) -> ScenarioChange | None:
    for change in scenario.changes:
        if _subject_of(change) == subject and change.field == field:
            return change
    return None


def _draft_in(session: Session, scenario: Scenario, draft: Draft) -> None:
    subject, field = draft.subject, draft.field
    if field not in FIELDS.get(subject.kind, {}):
        raise ValidationError(
            f"A scenario cannot change '{field}' of a {subject.kind.replace('_', ' ')}"
        )
    described = _describe(session, scenario.year, subject, field)
    where = _where(described, subject, field)
    _check_value(session, subject, field, draft.value, where)
    change = _find_change(scenario, subject, field)
    if change is None:
        if draft.value == described.current:
            return
        change = ScenarioChange(
            allocation_id=subject.id if subject.kind == ALLOCATION else None,
            service_line_id=subject.id if subject.kind == SERVICE_LINE else None,
            measure_id=subject.id if subject.kind == TARGET else None,
            provider_id=subject.provider_id if subject.kind == TARGET else None,
            field=field,
            base_value=_encode(described.current),
        )
        scenario.changes.append(change)
    elif draft.value == _decode(_kind(subject, field), change.base_value):
        scenario.changes.remove(change)  # drafted back to where it started: no change
        return
    change.new_value = _encode(draft.value)


def draft(wb: Workbook, scenario_id: int, drafts: Sequence[Draft]) -> None:
    """Drafts figures into a scenario, all or nothing; drafting a figure back removes it."""
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        for item in drafts:
            _draft_in(session, scenario, item)


def remove_change(wb: Workbook, scenario_id: int, subject: Subject, field: str) -> None:
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        change = _find_change(scenario, subject, field)
        if change is not None:
            scenario.changes.remove(change)


def move_money(
    wb: Workbook, scenario_id: int, from_allocation: int, to_allocation: int, amount: int
) -> None:
    """Drafts a move of ``amount`` pence from one allocation to another.

    The move is made on the figure each allocation commits (agreed where agreed, else
    provisional), so the total committed, and so the envelope, is unchanged.
    """
    if amount <= 0:
        raise ValidationError("The amount to move must be more than £0", "Move money")
    if from_allocation == to_allocation:
        raise ValidationError("Choose two different allocations", "Move money")
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        drafts = []
        for allocation_id, sign in ((from_allocation, -1), (to_allocation, 1)):
            a = session.get(Allocation, allocation_id)
            if a is None:
                raise ValidationError("That allocation no longer exists", "Move money")
            subject = Subject.allocation(a.id)
            figures = {"provisional": a.provisional, "agreed": a.agreed}
            for name in figures:
                change = _find_change(scenario, subject, name)
                if change is not None:
                    figures[name] = _decode(Kind.MONEY, change.new_value)
            field = "agreed" if figures["agreed"] is not None else "provisional"
            start = figures[field] if figures[field] is not None else a.baseline
            drafts.append(Draft(subject, field, start + sign * amount))
        for item in drafts:
            _draft_in(session, scenario, item)


def discard(wb: Workbook, scenario_id: int) -> ScenarioStatus:
    """Sets a draft scenario aside; returns its old status (``reopen`` undoes it)."""
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        old = scenario.status
        scenario.status = ScenarioStatus.DISCARDED
        audit.record(session, "discard scenario", "scenario", scenario.id, note=scenario.name)
        return old


def reopen(wb: Workbook, scenario_id: int) -> None:
    """Brings a discarded scenario back as a draft."""
    with wb.session() as session:
        scenario = _scenario(session, scenario_id)
        if scenario.status is not ScenarioStatus.DISCARDED:
            raise ValidationError(f"Scenario '{scenario.name}' is not discarded")
        scenario.status = ScenarioStatus.DRAFT


def delete_scenario(wb: Workbook, scenario_id: int) -> None:
    with wb.session() as session:
        session.delete(_scenario(session, scenario_id))


# -- comparing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangedCell:
    subject: Subject
    field: str
    kind: Kind
    title: str
    provider: str
    agreement: str
    item: str
    #: The figure when the change was drafted, now, and as the scenario proposes.
    base: Any
    current: Any
    proposed: Any
    locked: bool

    @property
    def stale(self) -> bool:
        return self.current != self.base

    @property
    def difference(self) -> Any:
        if self.proposed is None or self.current is None:
            return None
        return self.proposed - self.current

    @property
    def where(self) -> str:
        return ", ".join(p for p in (self.provider, self.agreement, self.item, self.title) if p)


@dataclass(frozen=True)
class TotalChange:
    name: str
    current: int
    proposed: int

    @property
    def change(self) -> int:
        return self.proposed - self.current


def _committed_by(totals: Sequence[GroupTotal]) -> dict[str, int]:
    return {t.name: t.committed for t in totals}


@dataclass(frozen=True)
class Comparison:
    """A scenario beside the current position: changed cells and the effect on money."""

    scenario: ScenarioInfo
    cells: tuple[ChangedCell, ...]
    current: Position
    proposed: Position
    #: Service-line value (volume x unit price) now and as proposed, in pence.
    lines_value_current: int
    lines_value_proposed: int

    def totals(self, dimension: str) -> list[TotalChange]:
        """Committed totals by provider, kind, sector or pathway: now and as proposed."""
        now = _committed_by(self.current.totals(dimension))
        then = _committed_by(self.proposed.totals(dimension))
        names = list(now) + [n for n in then if n not in now]
        return [TotalChange(n, now.get(n, 0), then.get(n, 0)) for n in names]

    @property
    def envelope_change(self) -> int:
        """How the committed total moves against the (unchanged) envelope."""
        return self.proposed.committed - self.current.committed

    @property
    def stale(self) -> list[ChangedCell]:
        return [c for c in self.cells if c.stale]

    @property
    def warnings(self) -> list[str]:
        found = [
            f"{c.where} has changed since the scenario was drafted (was "
            f"{format_value(c.kind, c.base) or 'empty'}, now "
            f"{format_value(c.kind, c.current) or 'empty'})."
            for c in self.stale
        ]
        locked = sorted({c.agreement for c in self.cells if c.locked})
        found += [f"'{name}' is locked: unlock it before accepting." for name in locked]
        return found + self.proposed.warnings


def _cells(session: Session, scenario: Scenario) -> list[ChangedCell]:
    cells = []
    for change in scenario.changes:
        subject = _subject_of(change)
        kind = _kind(subject, change.field)
        described = _describe(session, scenario.year, subject, change.field)
        cells.append(
            ChangedCell(
                subject,
                change.field,
                kind,
                _title(subject, change.field),
                described.provider,
                described.agreement,
                described.item,
                _decode(kind, change.base_value),
                described.current,
                _decode(kind, change.new_value),
                described.locked,
            )
        )
    return cells


def _proposed_position(current: Position, cells: Sequence[ChangedCell]) -> Position:
    figures: dict[int, dict[str, Any]] = {}
    for cell in cells:
        if cell.subject.kind == ALLOCATION:
            figures.setdefault(cell.subject.id, {})[cell.field] = cell.proposed
    return current.with_lines(
        line.with_figures(**figures[line.id]) if line.id in figures else line
        for line in current.lines
    )


def _lines_value(
    session: Session, year: FinancialYear, cells: Sequence[ChangedCell]
) -> tuple[int, int]:
    """Value of the service lines a scenario touches, now and as proposed."""
    touched: dict[int, dict[str, int]] = {}
    for cell in cells:
        if cell.subject.kind == SERVICE_LINE:
            touched.setdefault(cell.subject.id, {})[cell.field] = cell.proposed
    now = then = 0
    for line_id, proposed in touched.items():
        line = session.get(ServiceLine, line_id)
        if line is None or line.year_id != year.id:
            continue
        now += line.volume * line.unit_price
        then += proposed.get("volume", line.volume) * proposed.get("unit_price", line.unit_price)
    return now, then


def _compare_in(session: Session, scenario: Scenario) -> Comparison:
    current = position_in(session, scenario.year)
    cells = _cells(session, scenario)
    now, then = _lines_value(session, scenario.year, cells)
    return Comparison(
        _info(scenario), tuple(cells), current, _proposed_position(current, cells), now, then
    )


def compare(wb: Workbook, scenario_id: int) -> Comparison:
    """The scenario's changed cells and its effect on the envelope and totals, now."""
    with wb.session() as session:
        return _compare_in(session, _scenario(session, scenario_id))


@dataclass(frozen=True)
class PairCell:
    """A figure either scenario changes: now, under A and under B."""

    where: str
    kind: Kind
    current: Any
    first: Any
    second: Any

    @property
    def differs(self) -> bool:
        return self.first != self.second


@dataclass(frozen=True)
class PairComparison:
    first: Comparison
    second: Comparison
    cells: tuple[PairCell, ...]

    def totals(self, dimension: str) -> list[tuple[str, int, int, int]]:
        """(name, committed now, under the first, under the second)."""
        a = {t.name: t for t in self.first.totals(dimension)}
        b = {t.name: t for t in self.second.totals(dimension)}
        names = list(a) + [n for n in b if n not in a]
        return [
            (
                n,
                (a.get(n) or b[n]).current,
                a[n].proposed if n in a else b[n].current,
                b[n].proposed if n in b else a[n].current,
            )
            for n in names
        ]


def compare_pair(wb: Workbook, first_id: int, second_id: int) -> PairComparison:
    """Two scenarios of a year side by side, on every figure either changes."""
    with wb.session() as session:
        a = _compare_in(session, _scenario(session, first_id))
        b = _compare_in(session, _scenario(session, second_id))
    index: dict[tuple[Subject, str], list[Any]] = {}
    for column, comparison in enumerate((a, b)):
        for cell in comparison.cells:
            entry = index.setdefault((cell.subject, cell.field), [cell, cell.current, cell.current])
            entry[column + 1] = cell.proposed
    cells = tuple(
        PairCell(cell.where, cell.kind, cell.current, first, second)
        for cell, first, second in index.values()
    )
    return PairComparison(a, b, cells)


# -- accepting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    subject: Subject
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AcceptRecord:
    """What an acceptance wrote: enough to undo it exactly, and to redo it."""

    scenario_id: int
    name: str
    applied: tuple[Applied, ...]


def _write(session: Session, year: FinancialYear, subject: Subject, field: str, value: Any) -> None:
    if subject.kind == ALLOCATION:
        set_field_in(session, "allocations", subject.id, field, value, None)
    elif subject.kind == SERVICE_LINE:
        set_line_in(session, FieldEdit(subject.id, field, value))
    else:
        provider = find_provider(session, subject.provider_id)
        _set_target_in(session, provider, year, session.get(Measure, subject.id), field, value)


def _refuse(action: str, stale: Sequence[str], locked: Sequence[str]) -> None:
    """Refuses the whole action, naming every figure that stops it (at most five)."""
    problems = list(dict.fromkeys([*stale, *locked]))
    if not problems:
        return
    shown = " ".join(problems[:5])
    more = f" ({len(problems) - 5} more not shown.)" if len(problems) > 5 else ""
    error = ConflictError if stale else LockedError
    raise error(f"{action}: nothing was changed. {shown}{more}")


def accept(wb: Workbook, scenario_id: int) -> AcceptRecord:
    """Applies every change of a draft scenario in one transaction, with its audit trail.

    Refused, with nothing changed, if any figure has moved since it was drafted or belongs
    to a locked agreement; the message names each one.
    """
    with wb.session() as session:
        scenario = _draft_scenario(session, scenario_id)
        cells = _cells(session, scenario)
        if not cells:
            raise ValidationError(f"Scenario '{scenario.name}' has no changes to accept")
        stale = [
            f"{c.where} has changed since the scenario was drafted (was "
            f"{format_value(c.kind, c.base) or 'empty'}, now "
            f"{format_value(c.kind, c.current) or 'empty'})."
            for c in cells
            if c.stale
        ]
        locked = [
            f"{c.where} belongs to '{c.agreement}', which is locked; unlock it first."
            for c in cells
            if c.locked and not c.stale
        ]
        _refuse(f"Scenario '{scenario.name}' was not accepted", stale, locked)
        for cell in cells:
            _write(session, scenario.year, cell.subject, cell.field, cell.proposed)
        scenario.status = ScenarioStatus.ACCEPTED
        audit.record(
            session,
            "accept scenario",
            "scenario",
            scenario.id,
            note=f"{scenario.name}: {counted(len(cells), 'figure')} changed",
        )
        return AcceptRecord(
            scenario.id,
            scenario.name,
            tuple(Applied(c.subject, c.field, c.current, c.proposed) for c in cells),
        )


def undo_accept(wb: Workbook, record: AcceptRecord) -> None:
    """Puts back every figure an acceptance changed and returns the scenario to draft.

    Refused, with nothing changed, if any of those figures was edited after accepting.
    """
    with wb.session() as session:
        scenario = _scenario(session, record.scenario_id)
        if scenario.status is not ScenarioStatus.ACCEPTED:
            raise ConflictError(f"Scenario '{record.name}' is no longer accepted")
        stale, locked = [], []
        for item in record.applied:
            described = _describe(session, scenario.year, item.subject, item.field)
            if described.current != item.after:
                stale.append(
                    f"{_where(described, item.subject, item.field)} was changed "
                    "after the scenario was accepted."
                )
            elif described.locked:
                locked.append(f"'{described.agreement}' has been locked since; unlock it first.")
        _refuse(f"Accepting '{record.name}' cannot be undone", stale, locked)
        for item in reversed(record.applied):
            _write(session, scenario.year, item.subject, item.field, item.before)
        scenario.status = ScenarioStatus.DRAFT
        audit.record(session, "undo accept", "scenario", scenario.id, note=record.name)


def redo_accept(wb: Workbook, record: AcceptRecord) -> AcceptRecord:
    """Accepts the scenario again after an undo (its drafted figures are current again)."""
    return accept(wb, record.scenario_id)


def change_summary(comparison: Comparison) -> str:
    """One line for a status bar: how many figures, and the move in committed money."""
    moved = comparison.envelope_change
    sign = "+" if moved > 0 else ""
    return (
        f"{counted(len(comparison.cells), 'figure')} changed; committed "
        f"{format_pounds(comparison.current.committed)} -> "
        f"{format_pounds(comparison.proposed.committed)} ({sign}{format_pounds(moved)})"
    )


# -- the scenario as tables: each figure now and as drafted, side by side ----------------

MONEY = Kind.MONEY

ALLOCATION_COLUMNS: tuple[Column, ...] = (
    Column("provider", "Provider"),
    Column("agreement", "Agreement"),
    Column("service", "Service line"),
    Column("status", "Status"),
    Column("provisional", "Provisional now", MONEY),
    Column("provisional_new", "Provisional in scenario", MONEY, editable=True, minimum=0),
    Column("agreed", "Agreed now", MONEY),
    Column("agreed_new", "Agreed in scenario", MONEY, editable=True, minimum=0),
    Column("committed", "Committed now", MONEY),
    Column("committed_new", "Committed in scenario", MONEY),
    Column("change", "Change", MONEY),
    Column("changed", "Changed"),
)

LINE_COLUMNS: tuple[Column, ...] = (
    Column("provider", "Provider"),
    Column("agreement", "Agreement"),
    Column("service", "Service"),
    Column("volume", "Volume now", Kind.INTEGER),
    Column(
        "volume_new", "Volume in scenario", Kind.INTEGER, editable=True, required=True, minimum=0
    ),
    Column("unit_price", "Unit price now", MONEY),
    Column(
        "unit_price_new", "Unit price in scenario", MONEY, editable=True, required=True, minimum=0
    ),
    Column("value", "Value now", MONEY),
    Column("value_new", "Value in scenario", MONEY),
    Column("changed", "Changed"),
)

TARGET_COLUMNS: tuple[Column, ...] = (
    Column("provider", "Provider"),
    Column("code", "Code"),
    Column("measure", "Measure"),
    Column("guidance", "Guidance"),
    Column("floor", "Floor", Kind.DECIMAL),
    Column("value", "Target now", Kind.DECIMAL),
    Column("value_new", "Target in scenario", Kind.DECIMAL, editable=True),
    Column("minimum", "Minimum now", Kind.DECIMAL),
    Column("minimum_new", "Minimum in scenario", Kind.DECIMAL, editable=True),
    Column("changed", "Changed"),
)

#: Which table a subject kind is shown in, and its columns.
TABLE_COLUMNS = {ALLOCATION: ALLOCATION_COLUMNS, SERVICE_LINE: LINE_COLUMNS, TARGET: TARGET_COLUMNS}


@dataclass(frozen=True)
class ScenarioTables:
    """The figures a scenario can change, each now and as drafted, as table rows.

    ``subjects`` names what each row is (a target row's id is only a row number, as a
    target may not exist yet).
    """

    comparison: Comparison
    rows: dict[str, list[Row]]
    subjects: dict[str, dict[int, Subject]]
    #: Target rows whose value is set nationally (not editable).
    national: frozenset[int]

    def drafts(self, table: str, edits: Sequence[FieldEdit]) -> list[Draft]:
        """The drafts for edits made in one of the tables' "in scenario" columns."""
        found = []
        for edit in edits:
            field = edit.key.removesuffix("_new")
            found.append(Draft(self.subjects[table][edit.row_id], field, edit.value))
        return found


def _proposals(cells: Sequence[ChangedCell]) -> dict[tuple[Subject, str], Any]:
    return {(c.subject, c.field): c.proposed for c in cells}


def _allocation_rows(comparison: Comparison, proposed: dict) -> tuple[list[Row], dict]:
    rows, subjects = [], {}
    after = {line.id: line for line in comparison.proposed.lines}
    for line in comparison.current.lines:
        subject = Subject.allocation(line.id)
        new = after[line.id]
        changed = any((subject, f) in proposed for f in ("provisional", "agreed"))
        rows.append(
            Row(
                line.id,
                line.version,
                (
                    line.provider,
                    line.agreement,
                    line.service,
                    line.status.label,
                    line.provisional,
                    new.provisional,
                    line.agreed,
                    new.agreed,
                    line.committed,
                    new.committed,
                    new.committed - line.committed,
                    "Changed" if changed else "",
                ),
            )
        )
        subjects[line.id] = subject
    return rows, subjects


def _line_rows(session: Session, year: FinancialYear, proposed: dict) -> tuple[list[Row], dict]:
    rows, subjects = [], {}
    lines = session.scalars(
        select(ServiceLine)
        .options(selectinload(ServiceLine.service), selectinload(ServiceLine.agreement))
        .where(ServiceLine.year_id == year.id)
    ).all()
    for line in sorted(
        lines,
        key=lambda x: (x.agreement.provider.name.casefold(), x.agreement.title, x.service.name),
    ):
        subject = Subject.line(line.id)
        volume = proposed.get((subject, "volume"), line.volume)
        price = proposed.get((subject, "unit_price"), line.unit_price)
        changed = (subject, "volume") in proposed or (subject, "unit_price") in proposed
        rows.append(
            Row(
                line.id,
                line.row_version,
                (
                    line.agreement.provider.name,
                    line.agreement.title,
                    line.service.name,
                    line.volume,
                    volume,
                    line.unit_price,
                    price,
                    line.value,
                    volume * price,
                    "Changed" if changed else "",
                ),
            )
        )
        subjects[line.id] = subject
    return rows, subjects


def _target_rows(
    session: Session, year: FinancialYear, proposed: dict
) -> tuple[list[Row], dict, set[int]]:
    from dom_desk.domain.sla import measures_for, target_item

    rows: list[Row] = []
    subjects: dict[int, Subject] = {}
    national: set[int] = set()
    held = {
        (t.provider_id, t.measure_id): t
        for t in session.scalars(select(Target).where(Target.year_id == year.id))
    }
    providers = session.scalars(select(Provider).order_by(Provider.name)).all()
    for provider in providers:
        if not agreements_for(session, provider.id, year):
            continue
        for measure in measures_for(session, provider, year):
            item = target_item(measure, held.get((provider.id, measure.id)))
            subject = Subject.target(provider.id, measure.id)
            number = len(rows) + 1
            value = proposed.get((subject, "value"), item.value)
            minimum = proposed.get((subject, "minimum"), item.minimum)
            changed = (subject, "value") in proposed or (subject, "minimum") in proposed
            rows.append(
                Row(
                    number,
                    item.version,
                    (
                        provider.name,
                        item.code,
                        item.title,
                        item.guidance.label,
                        item.floor,
                        item.value,
                        value,
                        item.minimum,
                        minimum,
                        "Changed" if changed else "",
                    ),
                )
            )
            subjects[number] = subject
            if not item.editable:
                national.add(number)
    return rows, subjects, national


def tables_of(wb: Workbook, scenario_id: int) -> ScenarioTables:
    """Every figure a scenario can change, now and as it drafts them, ready to show."""
    with wb.session() as session:
        scenario = _scenario(session, scenario_id)
        comparison = _compare_in(session, scenario)
        proposed = _proposals(comparison.cells)
        allocation_rows, allocation_subjects = _allocation_rows(comparison, proposed)
        line_rows, line_subjects = _line_rows(session, scenario.year, proposed)
        target_rows, target_subjects, national = _target_rows(session, scenario.year, proposed)
    return ScenarioTables(
        comparison,
        {ALLOCATION: allocation_rows, SERVICE_LINE: line_rows, TARGET: target_rows},
        {ALLOCATION: allocation_subjects, SERVICE_LINE: line_subjects, TARGET: target_subjects},
        frozenset(national),
    )
