"""Comparing a scenario with the current figures (and two scenarios with each other):
its changes applied in memory and added up with the same code as the real position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain.allocations import GroupTotal, Position, position_in
from dom_desk.domain.money import format_pounds
from dom_desk.domain.scenarios.drafts import ScenarioInfo, _info, _scenario
from dom_desk.domain.scenarios.subjects import (
    ALLOCATION,
    SERVICE_LINE,
    Subject,
    _decode,
    _describe,
    _kind,
    _subject_of,
    _title,
)
from dom_desk.domain.values import Kind, counted, format_value
from dom_desk.models import (
    FinancialYear,
    Scenario,
    ServiceLine,
)
from dom_desk.storage.workbook import Workbook


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


def change_summary(comparison: Comparison) -> str:
    """One line for a status bar: how many figures, and the move in committed money."""
    moved = comparison.envelope_change
    sign = "+" if moved > 0 else ""
    return (
        f"{counted(len(comparison.cells), 'figure')} changed; committed "
        f"{format_pounds(comparison.current.committed)} -> "
        f"{format_pounds(comparison.proposed.committed)} ({sign}{format_pounds(moved)})"
    )
