"""The year's envelope from a budget table, pasted or imported as it is printed
(``readers.budget_tables``: headings become groups, "Total …" rows printed totals,
brackets negative) or in the template's columns (Group, Line, Funding source, Amount (£),
Notes, Parent group).

**The file is the year's table.** Groups are matched by their names from the top
("National Probation Service › Probation Boards"), lines by their group and name (the
n-th line of a name in a group, for a name printed twice): a matched line keeps its id
and is updated where the file differs; new ones are added; lines and groups of the year
the file does not have are removed (the preview warns of each). So importing the same
file twice changes nothing, and importing a revised table leaves exactly it. A table
pasted as text (``paste_table``) is read and written the same way.

A line with no funding source of its own (a printed table names none) is funded by the
year's main source: the one paying for most of the year's envelope, else the only
source held, else a new source "Budget allocation".
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.allocations.envelope import funding_source_in
from dom_desk.domain.lists.common import (
    FieldSpec,
    ImportSummary,
    ListKind,
    ListPreview,
    PreviewRow,
    RowStatus,
    record_import,
    refuse_errors,
)
from dom_desk.domain.money import format_pounds
from dom_desk.domain.region import current_year, year_by_label
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.models import EnvelopeGroup, EnvelopeLine, FinancialYear, FundingSource
from dom_desk.readers.budget_tables import (
    TEMPLATE_FIELDS,
    BudgetTable,
    read_budget_table,
    read_budget_text,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

FIELDS: tuple[FieldSpec, ...] = TEMPLATE_FIELDS
DEFAULT_SOURCE = "Budget allocation"
_ROW = re.compile(r"(?:cell [A-Z]+|row )(\d+)")

GroupPath = tuple[str, ...]
LineKey = tuple[GroupPath, str, int]


def _fold(path: GroupPath) -> GroupPath:
    return tuple(n.casefold() for n in path)


def _held_paths(groups: list[EnvelopeGroup]) -> dict[int, GroupPath]:
    by_id = {g.id: g for g in groups}
    paths: dict[int, GroupPath] = {}
    for group in groups:
        names: list[str] = []
        step: EnvelopeGroup | None = group
        seen: set[int] = set()
        while step is not None and step.id not in seen:
            seen.add(step.id)
            names.insert(0, step.name)
            step = by_id.get(step.parent_id) if step.parent_id is not None else None
        paths[group.id] = tuple(names)
    return paths


def main_source(session: Session, year: FinancialYear) -> str:
    """The source a line without one is funded by (see the module's docstring)."""
    biggest = session.execute(
        select(FundingSource.name, func.sum(EnvelopeLine.amount).label("total"))
        .join(EnvelopeLine, EnvelopeLine.funding_source_id == FundingSource.id)
        .where(EnvelopeLine.year_id == year.id)
        .group_by(FundingSource.id)
        .order_by(func.sum(EnvelopeLine.amount).desc(), FundingSource.name)
    ).first()
    if biggest is not None:
        return str(biggest[0])
    names = session.scalars(select(FundingSource.name)).all()
    return names[0] if len(names) == 1 else DEFAULT_SOURCE


class _Held:
    """The year's table as held, indexed the way a file's rows are matched."""

    def __init__(self, session: Session, year: FinancialYear) -> None:
        self.groups = list(
            session.scalars(select(EnvelopeGroup).where(EnvelopeGroup.year_id == year.id))
        )
        self.paths = _held_paths(self.groups)
        self.by_path = {_fold(p): g for g in self.groups for p in [self.paths[g.id]]}
        lines = session.scalars(
            select(EnvelopeLine)
            .options(selectinload(EnvelopeLine.funding_source))
            .where(EnvelopeLine.year_id == year.id)
            .order_by(EnvelopeLine.group_id, EnvelopeLine.position, EnvelopeLine.id)
        ).all()
        counts: Counter[tuple[GroupPath, str]] = Counter()
        self.lines: dict[LineKey, EnvelopeLine] = {}
        for line in lines:
            path = _fold(self.paths.get(line.group_id, ())) if line.group_id else ()
            name = (line.name or line.funding_source.name).casefold()
            self.lines[(path, name, counts[(path, name)])] = line
            counts[(path, name)] += 1


def _line_keys(table: BudgetTable) -> list[LineKey]:
    counts: Counter[tuple[GroupPath, str]] = Counter()
    keys = []
    for line in table.lines:
        path = _fold(table.path_of(line.group))
        name = line.name.casefold()
        keys.append((path, name, counts[(path, name)]))
        counts[(path, name)] += 1
    return keys


def _year_for(session: Session, table_year: str, year_label: str | None) -> FinancialYear:
    if year_label:
        return year_by_label(session, year_label)
    if table_year:
        try:
            return year_by_label(session, table_year)
        except DomDeskError:
            pass
    return current_year(session)


def read(
    session: Session, path: Path, sheet: str | None = None, year_label: str | None = None
) -> ListPreview:
    """The preview of a budget table read against the year's envelope; writes nothing."""
    path = Path(path)
    chosen = year_by_label(session, year_label) if year_label else current_year(session)
    table = read_budget_table(path, sheet, year_label or chosen.label)
    return preview_in(session, table, _year_for(session, table.year, year_label))


def preview_in(session: Session, table: BudgetTable, year: FinancialYear) -> ListPreview:
    """What importing ``table`` into the year would change, row by row; writes nothing."""
    path = table.path
    held = _Held(session, year)
    source = main_source(session, year)
    preview = ListPreview(ListKind.ENVELOPE, path, table.sheet, dict(table.columns), [])
    preview.year = year.label
    rows: dict[int, PreviewRow] = {}

    def where(row: int, key: str = "amount") -> str:
        letter = table.columns.get(key)
        head = f"{path.name}, sheet '{table.sheet}'" if table.sheet else path.name
        return f"{head}, cell {letter}{row}" if letter else f"{head}, row {row}"

    for index, group in enumerate(table.groups):
        found = held.by_path.get(_fold(table.path_of(index)))
        name = " › ".join(table.path_of(index))
        if group.row != group.total_row:
            rows[group.row] = PreviewRow(
                group.row,
                RowStatus.NEW if found is None else RowStatus.UNCHANGED,
                {"group": group.name},
                heading=group.name,
                what=f"Group {name}",
            )
        if group.total_row is not None:
            changed = tuple(
                title
                for title, key, value in (
                    ("Printed total", "printed_total", group.printed_total),
                    ("Total label", "total_label", group.total_label),
                    ("Tolerance", "tolerance", group.tolerance),
                )
                if found is not None and getattr(found, key) != value
            )
            status = (
                RowStatus.NEW
                if found is None
                else (RowStatus.UPDATE if changed else RowStatus.UNCHANGED)
            )
            rows[group.total_row] = PreviewRow(
                group.total_row,
                status,
                {"group": group.name, "printed_total": group.printed_total},
                what=f"printed total {format_pounds(group.printed_total)}, not counted: "
                f"{group.total_label}",
                changed=changed,
            )
    matched: set[int] = set()
    for line, key in zip(table.lines, _line_keys(table), strict=True):
        found_line = held.lines.get(key)
        values: dict[str, Any] = {
            "line": line.name,
            "amount": line.amount,
            "funding_source": line.funding_source or source,
            "notes": line.notes,
            "group": " › ".join(table.path_of(line.group)),
        }
        changed: tuple[str, ...] = ()
        if found_line is not None:
            matched.add(found_line.id)
            changed = tuple(
                title
                for title, now, then in (
                    ("Amount", line.amount, found_line.amount),
                    ("Funding source", values["funding_source"], found_line.funding_source.name),
                    ("Notes", line.notes, found_line.notes),
                    ("Position", line.position, found_line.position),
                )
                if now != then
            )
        status = (
            RowStatus.NEW
            if found_line is None
            else (RowStatus.UPDATE if changed else RowStatus.UNCHANGED)
        )
        rows[line.row] = PreviewRow(line.row, status, values, what=line.name, changed=changed)
    for problem in table.problems:
        match = _ROW.search(problem)
        number = int(match.group(1)) if match else 0
        row = rows.setdefault(number, PreviewRow(number, RowStatus.ERROR))
        row.status = RowStatus.ERROR
        row.errors.append(problem)
    preview.rows = [rows[n] for n in sorted(rows)]
    gone = [line for line in held.lines.values() if line.id not in matched]
    wanted = {_fold(table.path_of(i)) for i in range(len(table.groups))}
    gone_groups = [g for g in held.groups if _fold(held.paths[g.id]) not in wanted]
    notes = [
        f"{line.name or line.funding_source.name} ({format_pounds(line.amount)}) is not in "
        f"the file and will be removed from the {year.label} envelope"
        for line in gone
    ] + [
        f"group {' › '.join(held.paths[g.id])} is not in the file and will be removed"
        for g in gone_groups
    ]
    if table.year and table.year != year.label:
        notes.insert(
            0,
            f"the amount column is headed '{table.amount_header}'; it is read into {year.label}",
        )
    if notes and preview.rows:
        preview.rows[0].warnings.extend(f"{where(preview.rows[0].number)}: {n}" for n in notes)
    if gone and not preview.records and preview.rows:
        preview.rows[0].status = RowStatus.UPDATE  # the removal is a change to import
    preview.extra = table
    return preview


def apply(session: Session, preview: ListPreview) -> ImportSummary:
    """Makes the year's envelope the file's table, in the caller's transaction."""
    refuse_errors(preview)
    table: BudgetTable = preview.extra
    if not isinstance(table, BudgetTable):
        raise ValidationError("The preview holds no budget table; read the file again")
    year = year_by_label(session, preview.year)
    held = _Held(session, year)
    source_name = main_source(session, year)
    added = updated = 0
    made: dict[int, EnvelopeGroup] = {}
    order = sorted(range(len(table.groups)), key=lambda i: len(table.path_of(i)))
    for index in order:
        group = table.groups[index]
        path = _fold(table.path_of(index))
        record = held.by_path.get(path)
        parent = made[group.parent].id if group.parent is not None else None
        values = {
            "parent_id": parent,
            "position": group.position,
            "total_label": group.total_label,
            "printed_total": group.printed_total,
            "tolerance": group.tolerance,
        }
        if record is None:
            record = EnvelopeGroup(
                id=audit.fresh_id(session, EnvelopeGroup),
                year_id=year.id,
                name=group.name,
                notes="",
                **values,
            )
            session.add(record)
            session.flush()
            added += 1
        else:
            changed = [k for k, v in values.items() if getattr(record, k) != v]
            for key in changed:
                setattr(record, key, values[key])
            updated += bool(changed)
        made[index] = record
    session.flush()
    kept: set[int] = set()
    for line, key in zip(table.lines, _line_keys(table), strict=True):
        group_id = made[line.group].id if line.group is not None else None
        source = funding_source_in(session, line.funding_source or source_name)
        values: dict[str, Any] = {
            "group_id": group_id,
            "position": line.position,
            "amount": line.amount,
            "funding_source_id": source.id,
            "notes": line.notes,
        }
        record_line = held.lines.get(key)
        if record_line is None:
            record_line = EnvelopeLine(
                id=audit.fresh_id(session, EnvelopeLine),
                year_id=year.id,
                name=line.name,
                illustrative=False,
                **values,
            )
            session.add(record_line)
            session.flush()
            added += 1
        else:
            changed = [k for k, v in values.items() if getattr(record_line, k) != v]
            for k in changed:
                setattr(record_line, k, values[k])
            updated += bool(changed)
        kept.add(record_line.id)
    for line_id, record_line in ((ln.id, ln) for ln in held.lines.values()):
        if line_id not in kept:
            session.delete(record_line)
            updated += 1
    session.flush()
    used = {g.id for g in made.values()}
    gone = [g for g in held.groups if g.id not in used]
    for group in sorted(gone, key=lambda g: -len(held.paths[g.id])):
        session.delete(group)
        updated += 1
    session.flush()
    return record_import(session, preview, added, updated)


# -- pasting ---------------------------------------------------------------------------------


def paste_preview(wb: Workbook, text: str, year_label: str | None = None) -> ListPreview:
    """What pasting a budget table (tab-separated text) into the year would change."""
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        return preview_in(session, read_budget_text(text, year.label), year)


def paste_table(
    wb: Workbook, text: str, year_label: str | None = None
) -> tuple[ListPreview, ImportSummary]:
    """Makes the year's envelope the pasted table, in one transaction (refused by
    sentence, nothing written, when any cell is wrong)."""
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        preview = preview_in(session, read_budget_text(text, year.label), year)
        return preview, apply(session, preview)


__all__ = ["FIELDS", "apply", "main_source", "paste_preview", "paste_table", "preview_in", "read"]
