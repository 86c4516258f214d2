"""Copy and paste with Excel, and fill down, for any table: no Qt here.

A paste is read and checked as a whole before anything is written: the tab-separated
text is parsed, laid onto the cells from the top-left of the selection, every cell's text
is parsed for its column's kind and checked, and only a paste with no problem at all
becomes a list of edits, which the caller writes in one transaction (one undo step).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dom_desk.domain.tables import Column, FieldEdit, Row
from dom_desk.domain.values import edit_text, parse_value
from dom_desk.errors import ValidationError

#: A domain rule for one cell (a lock, a floor): raises ValidationError naming ``where``.
CellCheck = Callable[[Row, Column, Any, str], None]
#: How a row is named in messages ("HMP Manchester, Custody places").
RowLabel = Callable[[Row], str]

#: Problems listed in full in one message before the rest are counted.
SHOWN_PROBLEMS = 5


class PasteError(ValidationError):
    """A paste or fill refused as a whole; ``problems`` names every cell and why."""

    def __init__(self, problems: Sequence[ValidationError | str]) -> None:
        self.problems = [str(p) for p in problems]
        shown = self.problems[:SHOWN_PROBLEMS]
        more = len(self.problems) - len(shown)
        text = "Nothing was pasted. " + " ".join(p if p.endswith(".") else p + "." for p in shown)
        if more:
            text += f" ({more} more problem{'s' if more > 1 else ''} not shown.)"
        super().__init__(text)


@dataclass(frozen=True)
class Selection:
    """A rectangle of cells in view order, inclusive: rows top..bottom, columns left..right."""

    top: int
    left: int
    bottom: int
    right: int

    @classmethod
    def around(cls, cells: Iterable[tuple[int, int]]) -> Selection:
        found = list(cells)
        if not found:
            raise ValidationError("Select the cells first")
        rows = [r for r, _ in found]
        columns = [c for _, c in found]
        return cls(min(rows), min(columns), max(rows), max(columns))

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def width(self) -> int:
        return self.right - self.left + 1


# -- text <-> cells -----------------------------------------------------------------------


def parse_tsv(text: str) -> list[list[str]]:
    """Cells from clipboard text as Excel writes it: tabs, CRLF, quoted multi-line cells."""
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if text == "":
        return []
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    width = max(len(r) for r in rows) if rows else 0
    return [r + [""] * (width - len(r)) for r in rows]


def to_tsv(block: Sequence[Sequence[str]]) -> str:
    """Clipboard text Excel reads back cell for cell (quotes only where a cell needs them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(block)
    return buffer.getvalue()


def copy_text(columns: Sequence[Column], rows: Sequence[Row], selection: Selection) -> str:
    """The selected cells as tab-separated text, figures plain (``250000.50``, not ``£``)."""
    block = [
        [
            edit_text(columns[c].kind, rows[r].values[c])
            for c in range(selection.left, selection.right + 1)
        ]
        for r in range(selection.top, selection.bottom + 1)
    ]
    return to_tsv(block)


# -- planning a paste ---------------------------------------------------------------------


def _where(row_number: int, row: Row, column: Column, label: RowLabel) -> str:
    name = label(row)
    return (
        f"Row {row_number} ({name}), {column.title}"
        if name
        else f"Row {row_number}, {column.title}"
    )


def _read_cell(
    column: Column, row: Row, index: int, text: str, where: str, check: CellCheck | None
) -> tuple[bool, Any]:
    """(changed, value) for one cell, or ValidationError saying why it is refused."""
    current = row.values[index]
    if not column.editable:
        if text.strip() in ("", edit_text(column.kind, current)):
            return False, current  # pasting back what is shown: harmless
        raise ValidationError(f"{column.title} is worked out, not typed in", where)
    value = parse_value(column.kind, text, where, column.choices, column.required)
    if column.minimum is not None and value is not None and value < column.minimum:
        raise ValidationError(
            f"{column.title} cannot be negative"
            if column.minimum == 0
            else f"{column.title} cannot be less than {column.minimum}",
            where,
        )
    if value == current:
        return False, value
    if check is not None:
        check(row, column, value, where)
    return True, value


def plan_cells(
    columns: Sequence[Column],
    rows: Sequence[Row],
    cells: dict[tuple[int, int], str],
    *,
    label: RowLabel,
    check: CellCheck | None = None,
) -> list[FieldEdit]:
    """Edits for text put into cells (row, column in view order); all checked, or none."""
    edits: list[FieldEdit] = []
    problems: list[ValidationError] = []
    for (r, c), text in sorted(cells.items()):
        row, column = rows[r], columns[c]
        where = _where(r + 1, row, column, label)
        try:
            changed, value = _read_cell(column, row, c, text, where, check)
        except ValidationError as exc:
            problems.append(exc)
            continue
        if changed:
            edits.append(FieldEdit(row.id, column.key, value, row.version))
    if problems:
        raise PasteError(problems)
    return edits


def plan_paste(
    columns: Sequence[Column],
    rows: Sequence[Row],
    selection: Selection,
    text: str,
    *,
    label: RowLabel,
    check: CellCheck | None = None,
) -> list[FieldEdit]:
    """Edits for pasting clipboard ``text`` at ``selection``; PasteError if any cell is bad.

    One copied value fills every selected cell; a block repeats to fill a selection that
    is a whole multiple of it (as Excel does); otherwise the block is laid from the
    selection's top-left cell and must fit inside the table.
    """
    block = parse_tsv(text)
    if not block:
        raise PasteError(["The clipboard holds nothing to paste"])
    height, width = len(block), len(block[0])
    if selection.height % height == 0 and selection.width % width == 0:
        fill_rows, fill_columns = selection.height, selection.width
    else:
        fill_rows, fill_columns = height, width
    room_rows = len(rows) - selection.top
    room_columns = len(columns) - selection.left
    if fill_rows > room_rows or fill_columns > room_columns:
        start = _where(selection.top + 1, rows[selection.top], columns[selection.left], label)
        raise PasteError(
            [
                f"The clipboard holds {height} row{'s' if height > 1 else ''} by {width} "
                f"column{'s' if width > 1 else ''}, larger than the table: from {start} there is "
                f"room for only {room_rows} row{'s' if room_rows != 1 else ''} by {room_columns} "
                f"column{'s' if room_columns != 1 else ''}"
            ]
        )
    cells = {
        (selection.top + r, selection.left + c): block[r % height][c % width]
        for r in range(fill_rows)
        for c in range(fill_columns)
    }
    return plan_cells(columns, rows, cells, label=label, check=check)


def plan_fill_down(
    columns: Sequence[Column],
    rows: Sequence[Row],
    selection: Selection,
    *,
    label: RowLabel,
    check: CellCheck | None = None,
) -> list[FieldEdit]:
    """Edits copying the selection's top row into the rows below it (Ctrl+D)."""
    if selection.height < 2:
        raise PasteError(["Select the cell to copy and the cells below it to fill"])
    top = rows[selection.top]
    cells = {
        (r, c): edit_text(columns[c].kind, top.values[c])
        for r in range(selection.top + 1, selection.bottom + 1)
        for c in range(selection.left, selection.right + 1)
    }
    return plan_cells(columns, rows, cells, label=label, check=check)


def undo_edits(changes: Iterable[Any]) -> list[FieldEdit]:
    """The edits that put back what ``changes`` (tables.Change) replaced, newest first."""
    return [FieldEdit(c.row_id, c.key, c.old) for c in reversed(list(changes))]
