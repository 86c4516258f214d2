"""The allocations and envelope tables as grid rows, and their edits (each call one
transaction): the adaptor between the position and the window's spreadsheet grid."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select

from dom_desk.domain.allocations.position import AllocationLine, Position, _year
from dom_desk.domain.tables import Change, Column, FieldEdit, Row
from dom_desk.domain.values import Kind
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    AgreementStatus,
    EnvelopeLine,
    FundingSource,
    ProviderKind,
    Sector,
)
from dom_desk.storage.workbook import Workbook

# -- the allocations table ----------------------------------------------------------------

MONEY = Kind.MONEY

#: The allocations table; editable keys are the "allocations" area's fields.
COLUMNS: tuple[Column, ...] = (
    Column("provider", "Provider"),
    Column("provider_kind", "Provider kind", Kind.CHOICE, choices=ProviderKind),
    Column("sector", "Sector", Kind.CHOICE, choices=Sector),
    Column("agreement", "Agreement"),
    Column("status", "Status", Kind.CHOICE, choices=AgreementStatus),
    Column("service", "Service line"),
    Column("pathway", "Pathway"),
    Column("funding_source", "Funding source"),
    Column("baseline", "Baseline", MONEY, editable=True, required=True, minimum=0),
    Column("provisional", "Provisional", MONEY, editable=True, minimum=0),
    Column("agreed", "Agreed", MONEY, editable=True, minimum=0),
    Column("committed", "Committed", MONEY),
    Column("variance", "Variance £", MONEY),
    Column("variance_percent", "Variance %", Kind.PERCENT),
    Column("flag", "Check"),
)


def _flag(line: AllocationLine, threshold: Decimal) -> str:
    # Locked in words (Status says signed or agreed, with the grid's lock icon): short,
    # so the column is not cut at 1366 pixels.
    words = ["Locked"] if line.locked else []
    if line.beyond(threshold):
        words.append("Beyond threshold" if not words else "beyond threshold")
    return "; ".join(words)


def table_rows(pos: Position) -> list[Row]:
    """The allocations as table rows, values in ``COLUMNS`` order."""
    rows = []
    for line in pos.lines:
        values = tuple(
            _flag(line, pos.threshold) if c.key == "flag" else getattr(line, c.key) for c in COLUMNS
        )
        rows.append(Row(line.id, line.version, values))
    return rows


def row_label(row: Row) -> str:
    """How a row of the allocations table is named in messages."""
    keys = [c.key for c in COLUMNS]
    parts = [row.values[keys.index(k)] for k in ("provider", "agreement", "service")]
    return ", ".join(p for p in parts if p)


def _status(row: Row) -> object:
    return row.values[[c.key for c in COLUMNS].index("status")]


def locked_reason(row: Row) -> str | None:
    """Why a row of the allocations table cannot be edited (its agreement is agreed or
    signed), or None while it is open."""
    status = _status(row)
    if isinstance(status, AgreementStatus) and status.locked:
        return f"{status.label}: unlock the SLA in the SLA workspace to change it"
    return None


def check_cell(row: Row, column: Column, _value: object, where: str) -> None:
    """Refuses a paste into a locked agreement's allocation before anything is written."""
    status = _status(row)
    if isinstance(status, AgreementStatus) and status.locked:
        raise LockedError(
            f"the agreement is {status.label.lower()} and locked against edits; unlock it first",
            where,
        )


def update_allocations(wb: Workbook, edits: Sequence[FieldEdit]) -> list[Change]:
    """A batch of allocation edits, all or nothing (see ``tables.update_fields``)."""
    from dom_desk.domain.tables import update_fields

    return update_fields(wb, "allocations", edits)


# -- the envelope -------------------------------------------------------------------------


def set_envelope_line(
    wb: Workbook,
    source: str,
    amount: int,
    year_label: str | None = None,
    notes: str = "",
    illustrative: bool = False,
) -> int:
    """Sets the envelope's line from one funding source (adding the source if new, and
    the line if the year has none from it); returns its id. An amount may be negative
    (a central adjustment). Lines in groups are made with ``envelope.create_line``."""
    name = source.strip()
    if not name:
        raise ValidationError("The funding source needs a name", "Envelope, Funding source")
    with wb.session() as session:
        year = _year(session, year_label)
        found = session.scalars(select(FundingSource).where(FundingSource.name == name)).first()
        if found is None:
            found = FundingSource(name=name)
            session.add(found)
            session.flush()
        line = session.scalars(
            select(EnvelopeLine).where(
                EnvelopeLine.year_id == year.id, EnvelopeLine.funding_source_id == found.id
            )
        ).first()
        if line is None:
            line = EnvelopeLine(
                year_id=year.id,
                funding_source_id=found.id,
                amount=amount,
                notes=notes,
                illustrative=illustrative,
            )
            session.add(line)
        else:
            line.amount = amount
            line.notes = notes or line.notes
        session.flush()
        return line.id


ENVELOPE_COLUMNS: tuple[Column, ...] = (
    Column("funding_source", "Funding source"),
    Column("amount", "Amount", MONEY, editable=True, required=True),
    Column("illustrative", "Illustrative", Kind.FLAG),
    Column("notes", "Notes"),
)


def envelope_rows(pos: Position) -> list[Row]:
    return [
        Row(e.id, e.version, tuple(getattr(e, c.key) for c in ENVELOPE_COLUMNS))
        for e in pos.envelope_lines
    ]


def update_envelope(wb: Workbook, edits: Sequence[FieldEdit]) -> list[Change]:
    """Sets envelope amounts, all or nothing; returns the changes (for undo)."""
    changes: list[Change] = []
    seen: set[int] = set()
    with wb.session() as session:
        for edit in edits:
            line = session.get(EnvelopeLine, edit.row_id)
            if line is None:
                raise ValidationError("That envelope line no longer exists")
            where = f"Envelope, {line.funding_source.name}, Amount"
            if edit.key != "amount":
                raise ValidationError("only the amount can be changed here", where)
            if (
                edit.row_id not in seen
                and edit.expected_version is not None
                and line.row_version != edit.expected_version
            ):
                raise ConflictError(f"{where} was changed elsewhere; reload before editing")
            seen.add(edit.row_id)
            if not isinstance(edit.value, int) or isinstance(edit.value, bool):
                raise ValidationError("An envelope amount must be an amount of money", where)
            changes.append(Change("envelope", line.id, "amount", line.amount, edit.value))
            line.amount = edit.value
    return changes
