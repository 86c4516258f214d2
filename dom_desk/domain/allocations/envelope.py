"""The envelope as budget tables print it: lines under groups (and groups under groups),
each group's subtotal worked out, and the totals the table prints checked against them.

A group's printed total ("Total Probation Boards 757.2") is kept as printed and compared
with the exact sum of what it totals; it is never counted again, so the envelope stays
the sum of the lines (``Position.envelope``). A difference within the rounding tolerance
is a note, never a refusal; beyond it, a warning naming both figures.

The tolerance: a group's own (an importer sets it from the precision the table prints:
£1m for whole £m figures, £0.1m for one decimal), else the workbook's default, the
setting ``envelope_tolerance_pence`` (``set_default_tolerance``), which is £0 unless
set: a total typed in by hand is expected to match to the penny.

Every write is one transaction; a refused value is one sentence naming the form or the
line and field, and nothing is written.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.limits import check_pence
from dom_desk.domain.money import format_millions, format_pounds, uprate
from dom_desk.domain.region import current_year, get_setting, set_setting, year_by_label
from dom_desk.errors import ConflictError, ValidationError
from dom_desk.models import EnvelopeGroup, EnvelopeLine, FinancialYear, FundingSource
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

TOLERANCE_KEY = "envelope_tolerance_pence"
DEFAULT_TOLERANCE = 0
NAME_LIMIT = 160

#: The fields of a line and of a group that ``edit_line`` and ``edit_group`` change.
LINE_FIELDS = ("name", "funding_source", "amount", "group_id", "position", "illustrative", "notes")
GROUP_FIELDS = (
    "name",
    "parent_id",
    "position",
    "total_label",
    "printed_total",
    "tolerance",
    "notes",
)


# -- the table as read ----------------------------------------------------------------------


class TotalStatus(enum.Enum):
    MATCHES = "matches"
    WITHIN = "within tolerance"
    BEYOND = "beyond tolerance"


@dataclass(frozen=True)
class PrintedTotal:
    """A total as the table prints it, against the sum of what it totals."""

    label: str
    printed: int
    worked: int
    tolerance: int

    @property
    def difference(self) -> int:
        return self.printed - self.worked

    @property
    def status(self) -> TotalStatus:
        if self.difference == 0:
            return TotalStatus.MATCHES
        if abs(self.difference) <= self.tolerance:
            return TotalStatus.WITHIN
        return TotalStatus.BEYOND

    @property
    def sentence(self) -> str:
        """The note (within tolerance) or warning (beyond it); empty when it matches."""
        if self.status is TotalStatus.MATCHES:
            return ""
        printed, worked, diff = (
            _figure(v, self) for v in (self.printed, self.worked, abs(self.difference))
        )
        text = f"{self.label}: printed {printed}; rows add to {worked}, a difference of {diff}"
        if self.status is TotalStatus.WITHIN:
            return f"{text} within the rounding tolerance."
        return f"Warning: {text}, beyond the rounding tolerance of {_figure(self.tolerance, self)}."


def _figure(pence: int, total: PrintedTotal) -> str:
    """Millions as budget tables print them when every figure is a whole £0.1m, else £."""
    values = (total.printed, total.worked, total.tolerance)
    if all(v % 10_000_000 == 0 for v in values) and abs(total.printed) >= 100_000_000:
        text = format_millions(pence)
        if all(v % 100_000_000 == 0 for v in values):
            text = text.replace(".0m", "m")
        return text
    return format_pounds(pence)


class RowKind(enum.Enum):
    GROUP = "group"
    LINE = "line"
    TOTAL = "total"


@dataclass(frozen=True)
class TableLine:
    id: int
    version: int
    name: str
    funding_source: str
    amount: int
    group_id: int | None
    position: int
    illustrative: bool
    notes: str

    @property
    def label(self) -> str:
        """The line as printed, or its funding source when it has no name of its own."""
        return self.name or self.funding_source


@dataclass(frozen=True)
class TableGroup:
    id: int
    version: int
    name: str
    parent_id: int | None
    position: int
    depth: int
    #: The exact sum of every line in the group and the groups under it.
    subtotal: int
    total_label: str
    printed_total: int | None
    #: The group's own tolerance (None: the workbook's default).
    tolerance: int | None
    notes: str
    printed: PrintedTotal | None

    @property
    def label(self) -> str:
        return self.total_label or f"Total {self.name}"


@dataclass(frozen=True)
class TableRow:
    """One row of the table as printed: a group's heading, a line, or a group's total."""

    kind: RowKind
    depth: int
    label: str
    #: A line's amount or a group's subtotal; None on a heading.
    amount: int | None
    #: The line's or the group's id.
    id: int
    group_id: int | None
    funding_source: str = ""
    illustrative: bool = False
    notes: str = ""
    printed: PrintedTotal | None = None


@dataclass(frozen=True)
class EnvelopeTable:
    year: str
    groups: tuple[TableGroup, ...]
    lines: tuple[TableLine, ...]
    #: Every row in print order (headings, lines, totals).
    rows: tuple[TableRow, ...]
    default_tolerance: int

    @property
    def total(self) -> int:
        """The envelope: every line once (printed totals never counted)."""
        return sum(line.amount for line in self.lines)

    @property
    def printed_totals(self) -> tuple[PrintedTotal, ...]:
        return tuple(g.printed for g in self.groups if g.printed is not None)

    @property
    def notes(self) -> tuple[str, ...]:
        """A sentence per printed total within tolerance (not matching exactly)."""
        return tuple(p.sentence for p in self.printed_totals if p.status is TotalStatus.WITHIN)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(p.sentence for p in self.printed_totals if p.status is TotalStatus.BEYOND)

    def group(self, group_id: int) -> TableGroup:
        return next(g for g in self.groups if g.id == group_id)

    def line(self, line_id: int) -> TableLine:
        return next(line for line in self.lines if line.id == line_id)


def default_tolerance_in(session: Session) -> int:
    text = get_setting(session, TOLERANCE_KEY)
    return int(text) if text.strip().lstrip("-").isdigit() and int(text) >= 0 else DEFAULT_TOLERANCE


def set_default_tolerance(wb: Workbook, pence: int) -> None:
    """The rounding tolerance of printed totals whose group has none of its own."""
    if not isinstance(pence, int) or pence < 0:
        raise ValidationError("The rounding tolerance must be £0 or more", "Envelope, Tolerance")
    check_pence(pence, "Envelope, Tolerance")
    with wb.session() as session:
        set_setting(session, TOLERANCE_KEY, str(pence))


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def _children(
    groups: list[EnvelopeGroup], lines: list[EnvelopeLine], parent: int | None
) -> list[EnvelopeGroup | EnvelopeLine]:
    """A group's lines and groups in print order (lines first where positions tie)."""
    found: list[Any] = [g for g in groups if g.parent_id == parent]
    found += [line for line in lines if line.group_id == parent]
    return sorted(found, key=lambda r: (r.position, isinstance(r, EnvelopeGroup), r.id))


def envelope_table_in(session: Session, year: FinancialYear) -> EnvelopeTable:
    """The year's table, read inside an open session."""
    groups = list(session.scalars(select(EnvelopeGroup).where(EnvelopeGroup.year_id == year.id)))
    lines = list(
        session.scalars(
            select(EnvelopeLine)
            .options(selectinload(EnvelopeLine.funding_source))
            .where(EnvelopeLine.year_id == year.id)
        )
    )
    known = {g.id for g in groups}
    default = default_tolerance_in(session)
    table_lines: list[TableLine] = []
    table_groups: list[TableGroup] = []
    rows: list[TableRow] = []

    def line_of(line: EnvelopeLine) -> TableLine:
        return TableLine(
            line.id,
            line.row_version,
            line.name,
            line.funding_source.name,
            line.amount,
            line.group_id if line.group_id in known else None,
            line.position,
            line.illustrative,
            line.notes,
        )

    # A line whose group is not this year's (never made here) is shown at the top.
    orphans = [line for line in lines if line.group_id is not None and line.group_id not in known]
    placed = [line for line in lines if line.group_id is None or line.group_id in known]

    def walk(parent: int | None, depth: int, seen: frozenset[int]) -> int:
        subtotal = 0
        members = _children(groups, placed, parent)
        if parent is None:
            members += orphans
        for item in members:
            if isinstance(item, EnvelopeLine):
                made = line_of(item)
                table_lines.append(made)
                rows.append(
                    TableRow(
                        RowKind.LINE,
                        depth,
                        made.label,
                        made.amount,
                        made.id,
                        made.group_id,
                        made.funding_source,
                        made.illustrative,
                        made.notes,
                    )
                )
                subtotal += item.amount
                continue
            if item.id in seen:  # never stored (moves refuse loops), but never hang
                continue
            heading = len(rows)
            rows.append(TableRow(RowKind.GROUP, depth, item.name, None, item.id, item.parent_id))
            at = len(table_groups)
            table_groups.append(None)  # type: ignore[arg-type]  # keeps print order
            inner = walk(item.id, depth + 1, seen | {item.id})
            label = item.total_label or f"Total {item.name}"
            tolerance = item.tolerance if item.tolerance is not None else default
            printed = (
                PrintedTotal(label, item.printed_total, inner, tolerance)
                if item.printed_total is not None
                else None
            )
            table_groups[at] = TableGroup(
                item.id,
                item.row_version,
                item.name,
                item.parent_id,
                item.position,
                depth,
                inner,
                item.total_label,
                item.printed_total,
                item.tolerance,
                item.notes,
                printed,
            )
            rows[heading] = TableRow(
                RowKind.GROUP, depth, item.name, None, item.id, item.parent_id, notes=item.notes
            )
            rows.append(
                TableRow(
                    RowKind.TOTAL, depth, label, inner, item.id, item.parent_id, printed=printed
                )
            )
            subtotal += inner
        return subtotal

    walk(None, 0, frozenset())
    return EnvelopeTable(year.label, tuple(table_groups), tuple(table_lines), tuple(rows), default)


def envelope_table(wb: Workbook, year_label: str | None = None) -> EnvelopeTable:
    """The year's envelope as a printed table (the current year when not given)."""
    with wb.session() as session:
        return envelope_table_in(session, _year(session, year_label))


# -- checking what is entered ------------------------------------------------------------------


def _name(value: Any, where: str, required: bool, what: str) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError(f"enter the {what}", where)
    if len(text) > NAME_LIMIT:
        raise ValidationError(f"the {what} is longer than {NAME_LIMIT} characters", where)
    return text


def _amount(value: Any, where: str, required: bool = True) -> int | None:
    if value is None:
        if required:
            raise ValidationError("enter the amount", where)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"'{value}' is not an amount in pence", where)
    return check_pence(value, where, format_pounds(value))


def _tolerance(value: Any, where: str) -> int | None:
    amount = _amount(value, where, required=False)
    if amount is not None and amount < 0:
        raise ValidationError("a rounding tolerance must be £0 or more", where)
    return amount


def funding_source_in(session: Session, name: str) -> FundingSource:
    found = session.scalars(
        select(FundingSource).where(func.lower(FundingSource.name) == name.casefold())
    ).first()
    if found is None:
        found = FundingSource(id=audit.fresh_id(session, FundingSource), name=name)
        session.add(found)
        session.flush()
    return found


def _group_in(
    session: Session, group_id: int | None, year: FinancialYear, where: str
) -> EnvelopeGroup | None:
    if group_id is None:
        return None
    group = session.get(EnvelopeGroup, group_id)
    if group is None or group.year_id != year.id:
        raise ValidationError(f"there is no such group in the {year.label} envelope", where)
    return group


def _next_position(session: Session, year: FinancialYear, parent: int | None) -> int:
    groups = session.scalar(
        select(func.max(EnvelopeGroup.position)).where(
            EnvelopeGroup.year_id == year.id,
            EnvelopeGroup.parent_id.is_(None)
            if parent is None
            else EnvelopeGroup.parent_id == parent,
        )
    )
    lines = session.scalar(
        select(func.max(EnvelopeLine.position)).where(
            EnvelopeLine.year_id == year.id,
            EnvelopeLine.group_id.is_(None) if parent is None else EnvelopeLine.group_id == parent,
        )
    )
    return max(groups if groups is not None else -1, lines if lines is not None else -1) + 1


def _check_version(record: Any, expected: int | None, where: str) -> None:
    if expected is not None and record.row_version != expected:
        raise ConflictError(f"{where} was changed elsewhere; reload before editing")


def _refuse_loop(
    session: Session, group: EnvelopeGroup, parent: EnvelopeGroup | None, where: str
) -> None:
    """A group cannot go under itself or under a group below it."""
    seen: set[int] = set()
    step = parent
    while step is not None and step.id not in seen:
        if step.id == group.id:
            raise ValidationError(
                f"'{group.name}' cannot go under "
                + (
                    "itself"
                    if parent is not None and parent.id == group.id
                    else f"'{parent.name}', which is under it"
                )  # type: ignore[union-attr]
                + ": groups cannot loop",
                where,
            )
        seen.add(step.id)
        step = session.get(EnvelopeGroup, step.parent_id) if step.parent_id is not None else None


# -- lines ---------------------------------------------------------------------------------------


def create_line_in(
    session: Session,
    year: FinancialYear,
    funding_source: str,
    amount: int | None,
    name: str = "",
    group_id: int | None = None,
    position: int | None = None,
    illustrative: bool = False,
    notes: str = "",
    form: str = "New envelope line",
) -> EnvelopeLine:
    """Adds a line inside an open transaction (negative amounts and a funding source used
    by other lines are allowed: budget tables have both)."""
    source = _name(funding_source, f"{form}, Funding source", True, "funding source")
    text = _name(name, f"{form}, Line", False, "line's name")
    pence = _amount(amount, f"{form}, Amount")
    group = _group_in(session, group_id, year, f"{form}, Group")
    line = EnvelopeLine(
        id=audit.fresh_id(session, EnvelopeLine),
        year_id=year.id,
        funding_source_id=funding_source_in(session, source).id,
        group_id=group.id if group else None,
        name=text,
        position=position if position is not None else _next_position(session, year, group_id),
        amount=pence,
        illustrative=bool(illustrative),
        notes=" ".join(str(notes or "").split()) if "\n" not in str(notes or "") else str(notes),
    )
    session.add(line)
    session.flush()
    return line


def create_line(
    wb: Workbook,
    funding_source: str,
    amount: int | None,
    year_label: str | None = None,
    name: str = "",
    group_id: int | None = None,
    position: int | None = None,
    illustrative: bool = False,
    notes: str = "",
) -> int:
    """A line of the year's envelope (its funding source added if new); returns its id."""
    with wb.session() as session:
        year = _year(session, year_label)
        return create_line_in(
            session, year, funding_source, amount, name, group_id, position, illustrative, notes
        ).id


def _line_where(line: EnvelopeLine, title: str) -> str:
    return f"Envelope, {line.name or line.funding_source.name}, {title}"


def edit_line(
    wb: Workbook, line_id: int, expected_version: int | None = None, **values: Any
) -> dict[str, Any]:
    """Changes a line's fields (``LINE_FIELDS``); returns their old values (for undo)."""
    unknown = set(values) - set(LINE_FIELDS)
    if unknown:
        raise ValidationError(f"an envelope line has no field {sorted(unknown)[0]}")
    with wb.session() as session:
        line = session.get(EnvelopeLine, line_id)
        if line is None:
            raise ValidationError("That envelope line no longer exists")
        _check_version(line, expected_version, _line_where(line, "line"))
        old = {
            "name": line.name,
            "funding_source": line.funding_source.name,
            "amount": line.amount,
            "group_id": line.group_id,
            "position": line.position,
            "illustrative": line.illustrative,
            "notes": line.notes,
        }
        if "name" in values:
            line.name = _name(values["name"], _line_where(line, "Line"), False, "line's name")
        if "funding_source" in values:
            source = _name(
                values["funding_source"],
                _line_where(line, "Funding source"),
                True,
                "funding source",
            )
            if source != line.funding_source.name:
                line.funding_source = funding_source_in(session, source)
        if "amount" in values:
            line.amount = _amount(values["amount"], _line_where(line, "Amount"))  # type: ignore[assignment]
        if "group_id" in values and values["group_id"] != line.group_id:
            group = _group_in(session, values["group_id"], line.year, _line_where(line, "Group"))
            line.group_id = group.id if group else None
            if "position" not in values:
                line.position = _next_position(session, line.year, line.group_id)
        if "position" in values and values["position"] is not None:
            line.position = int(values["position"])
        if "illustrative" in values:
            line.illustrative = bool(values["illustrative"])
        if "notes" in values:
            line.notes = str(values["notes"] or "")
        session.flush()
        return {k: old[k] for k in values}


def move_line(
    wb: Workbook, line_id: int, group_id: int | None, position: int | None = None
) -> dict[str, Any]:
    """Puts a line under another group (None: at the top), last unless ``position``."""
    return edit_line(wb, line_id, group_id=group_id, position=position)


def delete_line(wb: Workbook, line_id: int) -> dict[str, Any]:
    """Deletes a line; returns what ``restore_line`` needs to put it back (same id)."""
    with wb.session() as session:
        line = session.get(EnvelopeLine, line_id)
        if line is None:
            raise ValidationError("That envelope line no longer exists")
        kept = {
            "id": line.id,
            "year_id": line.year_id,
            "funding_source_id": line.funding_source_id,
            "group_id": line.group_id,
            "name": line.name,
            "position": line.position,
            "amount": line.amount,
            "illustrative": line.illustrative,
            "notes": line.notes,
        }
        session.delete(line)
        return kept


def restore_line(wb: Workbook, kept: dict[str, Any]) -> int:
    with wb.session() as session:
        values = dict(kept)
        if (
            values["group_id"] is not None
            and session.get(EnvelopeGroup, values["group_id"]) is None
        ):
            values["group_id"] = None
        session.add(EnvelopeLine(**values))
        session.flush()
        return int(kept["id"])


# -- groups ----------------------------------------------------------------------------------------


def create_group_in(
    session: Session,
    year: FinancialYear,
    name: str,
    parent_id: int | None = None,
    position: int | None = None,
    total_label: str = "",
    printed_total: int | None = None,
    tolerance: int | None = None,
    notes: str = "",
    form: str = "New envelope group",
) -> EnvelopeGroup:
    text = _name(name, f"{form}, Group", True, "group's name")
    parent = _group_in(session, parent_id, year, f"{form}, Under")
    group = EnvelopeGroup(
        id=audit.fresh_id(session, EnvelopeGroup),
        year_id=year.id,
        parent_id=parent.id if parent else None,
        name=text,
        position=position if position is not None else _next_position(session, year, parent_id),
        total_label=_name(total_label, f"{form}, Total label", False, "total's label"),
        printed_total=_amount(printed_total, f"{form}, Printed total", required=False),
        tolerance=_tolerance(tolerance, f"{form}, Tolerance"),
        notes=str(notes or ""),
    )
    session.add(group)
    session.flush()
    return group


def create_group(
    wb: Workbook,
    name: str,
    year_label: str | None = None,
    parent_id: int | None = None,
    position: int | None = None,
    total_label: str = "",
    printed_total: int | None = None,
    tolerance: int | None = None,
    notes: str = "",
) -> int:
    """A heading of the year's table (under ``parent_id`` if given); returns its id."""
    with wb.session() as session:
        year = _year(session, year_label)
        return create_group_in(
            session, year, name, parent_id, position, total_label, printed_total, tolerance, notes
        ).id


def _group_where(group: EnvelopeGroup, title: str) -> str:
    return f"Envelope, group {group.name}, {title}"


def edit_group(
    wb: Workbook, group_id: int, expected_version: int | None = None, **values: Any
) -> dict[str, Any]:
    """Changes a group's fields (``GROUP_FIELDS``); a parent that would make the groups
    loop is refused. Returns the old values (for undo)."""
    unknown = set(values) - set(GROUP_FIELDS)
    if unknown:
        raise ValidationError(f"an envelope group has no field {sorted(unknown)[0]}")
    with wb.session() as session:
        group = session.get(EnvelopeGroup, group_id)
        if group is None:
            raise ValidationError("That envelope group no longer exists")
        _check_version(group, expected_version, _group_where(group, "group"))
        old = {key: getattr(group, key) for key in GROUP_FIELDS}
        if "name" in values:
            group.name = _name(values["name"], _group_where(group, "Group"), True, "group's name")
        if "parent_id" in values and values["parent_id"] != group.parent_id:
            where = _group_where(group, "Under")
            parent = _group_in(session, values["parent_id"], group.year, where)
            _refuse_loop(session, group, parent, where)
            group.parent_id = parent.id if parent else None
            if "position" not in values:
                group.position = _next_position(session, group.year, group.parent_id)
        if "position" in values and values["position"] is not None:
            group.position = int(values["position"])
        if "total_label" in values:
            group.total_label = _name(
                values["total_label"], _group_where(group, "Total label"), False, "total's label"
            )
        if "printed_total" in values:
            group.printed_total = _amount(
                values["printed_total"], _group_where(group, "Printed total"), required=False
            )
        if "tolerance" in values:
            group.tolerance = _tolerance(values["tolerance"], _group_where(group, "Tolerance"))
        if "notes" in values:
            group.notes = str(values["notes"] or "")
        session.flush()
        return {k: old[k] for k in values}


def move_group(
    wb: Workbook, group_id: int, parent_id: int | None, position: int | None = None
) -> dict[str, Any]:
    """Puts a group under another (None: at the top); a loop is refused by sentence."""
    return edit_group(wb, group_id, parent_id=parent_id, position=position)


def delete_group(wb: Workbook, group_id: int) -> dict[str, Any]:
    """Deletes a group; its lines and groups move up to its parent, so no money is lost.
    Returns what ``restore_group`` needs to put it back as it was."""
    with wb.session() as session:
        group = session.get(EnvelopeGroup, group_id)
        if group is None:
            raise ValidationError("That envelope group no longer exists")
        kept = {key: getattr(group, key) for key in ("id", "year_id", *GROUP_FIELDS)}
        lines = list(session.scalars(select(EnvelopeLine).where(EnvelopeLine.group_id == group.id)))
        groups = list(
            session.scalars(select(EnvelopeGroup).where(EnvelopeGroup.parent_id == group.id))
        )
        kept["lines"] = [(line.id, line.position) for line in lines]
        kept["groups"] = [(g.id, g.position) for g in groups]
        for line in lines:
            line.group_id = group.parent_id
        for child_group in groups:
            child_group.parent_id = group.parent_id
        session.flush()
        session.delete(group)
        return kept


def restore_group(wb: Workbook, kept: dict[str, Any]) -> int:
    with wb.session() as session:
        values = {k: v for k, v in kept.items() if k not in ("lines", "groups")}
        session.add(EnvelopeGroup(**values))
        session.flush()
        for line_id, position in kept["lines"]:
            line = session.get(EnvelopeLine, line_id)
            if line is not None:
                line.group_id, line.position = kept["id"], position
        for child_id, position in kept["groups"]:
            child = session.get(EnvelopeGroup, child_id)
            if child is not None:
                child.parent_id, child.position = kept["id"], position
        session.flush()
        return int(kept["id"])


# -- copying and replacing a year's table ------------------------------------------------------


def copy_table_in(
    session: Session, source: FinancialYear, target: FinancialYear, percent: Decimal = Decimal(0)
) -> tuple[list[int], list[int]]:
    """Copies a year's groups and lines into an empty target year (roll forward), each
    amount uprated by ``percent`` and marked illustrative; printed totals stay with the
    year that printed them. Returns the ids made (groups, lines), parents first."""
    groups = list(session.scalars(select(EnvelopeGroup).where(EnvelopeGroup.year_id == source.id)))
    made: dict[int, EnvelopeGroup] = {}

    def make(group: EnvelopeGroup, seen: frozenset[int]) -> EnvelopeGroup | None:
        if group.id in made:
            return made[group.id]
        if group.id in seen:
            return None
        parent = None
        if group.parent_id is not None:
            above = session.get(EnvelopeGroup, group.parent_id)
            parent = make(above, seen | {group.id}) if above is not None else None
        copy = EnvelopeGroup(
            id=audit.fresh_id(session, EnvelopeGroup),
            year_id=target.id,
            parent_id=parent.id if parent else None,
            name=group.name,
            position=group.position,
            total_label=group.total_label,
            printed_total=None,  # a printed figure belongs to the year it was printed for
            tolerance=group.tolerance,
            notes=group.notes,
        )
        session.add(copy)
        session.flush()
        made[group.id] = copy
        return copy

    for group in groups:
        make(group, frozenset())
    line_ids: list[int] = []
    for line in session.scalars(
        select(EnvelopeLine).where(EnvelopeLine.year_id == source.id).order_by(EnvelopeLine.id)
    ):
        copy = EnvelopeLine(
            id=audit.fresh_id(session, EnvelopeLine),
            year_id=target.id,
            funding_source_id=line.funding_source_id,
            group_id=made[line.group_id].id if line.group_id in made else None,
            name=line.name,
            position=line.position,
            amount=uprate(line.amount, percent),
            illustrative=True,
            notes=f"Rolled forward from {source.label}." + (f" {line.notes}" if line.notes else ""),
        )
        session.add(copy)
        session.flush()
        line_ids.append(copy.id)
    return [g.id for g in made.values()], line_ids


_GROUP_COLUMNS = ("id", "year_id", *GROUP_FIELDS)
_LINE_COLUMNS = (
    "id",
    "year_id",
    "funding_source_id",
    "group_id",
    "name",
    "position",
    "amount",
    "illustrative",
    "notes",
)


def table_snapshot(wb: Workbook, year_label: str | None = None) -> dict[str, Any]:
    """The year's groups and lines as plain values, for ``restore_snapshot`` (the undo
    of replacing the whole table, as a paste does)."""
    with wb.session() as session:
        year = _year(session, year_label)
        groups = session.scalars(select(EnvelopeGroup).where(EnvelopeGroup.year_id == year.id))
        lines = session.scalars(select(EnvelopeLine).where(EnvelopeLine.year_id == year.id))
        return {
            "year": year.label,
            "groups": [{k: getattr(g, k) for k in _GROUP_COLUMNS} for g in groups],
            "lines": [{k: getattr(ln, k) for k in _LINE_COLUMNS} for ln in lines],
        }


def restore_snapshot(wb: Workbook, snapshot: dict[str, Any]) -> None:
    """Puts the year's table back exactly as ``table_snapshot`` read it (same ids)."""
    with wb.session() as session:
        year = year_by_label(session, snapshot["year"])
        for line in session.scalars(select(EnvelopeLine).where(EnvelopeLine.year_id == year.id)):
            session.delete(line)
        session.flush()
        for group in session.scalars(select(EnvelopeGroup).where(EnvelopeGroup.year_id == year.id)):
            session.delete(group)
        session.flush()
        waiting = list(snapshot["groups"])
        placed: set[int | None] = {None}
        while waiting:  # parents first
            ready = [g for g in waiting if g["parent_id"] in placed]
            if not ready:
                ready = waiting[:1]
            for values in ready:
                session.add(EnvelopeGroup(**values))
                session.flush()
                placed.add(values["id"])
                waiting.remove(values)
        for values in snapshot["lines"]:
            session.add(EnvelopeLine(**values))
        session.flush()


def walk_rows(
    table: EnvelopeTable, kinds: tuple[RowKind, ...] = tuple(RowKind)
) -> Iterator[TableRow]:
    """The table's rows of the given kinds, in print order."""
    return (row for row in table.rows if row.kind in kinds)
