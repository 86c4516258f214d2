"""A scenario as tables for the screen: each figure now and as drafted, side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.scenarios.comparison import ChangedCell, Comparison, _compare_in
from dom_desk.domain.scenarios.drafts import _scenario
from dom_desk.domain.scenarios.subjects import ALLOCATION, SERVICE_LINE, TARGET, Draft, Subject
from dom_desk.domain.sla import (
    agreements_for_in,
)
from dom_desk.domain.tables import Column, FieldEdit, Row
from dom_desk.domain.values import Kind
from dom_desk.models import (
    FinancialYear,
    Provider,
    ServiceLine,
    Target,
)
from dom_desk.storage.workbook import Workbook

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
    from dom_desk.domain.sla import measures_for_in, target_item

    rows: list[Row] = []
    subjects: dict[int, Subject] = {}
    national: set[int] = set()
    held = {
        (t.provider_id, t.measure_id): t
        for t in session.scalars(select(Target).where(Target.year_id == year.id))
    }
    providers = session.scalars(select(Provider).order_by(Provider.name)).all()
    for provider in providers:
        if not agreements_for_in(session, provider.id, year):
            continue
        for measure in measures_for_in(session, provider, year):
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
