"""What the DOM decides about a return in the import preview: a refused cell corrected, or
a row left out. Decisions are made per file and applied as its rows are read again, so a
corrected value passes the same parsers and checks as a typed one (still bad, it stays
refused with its sentence) and a row left out counts as not in the file (the other row of
a measure given twice is then taken). What was decided is kept with the submission it is
imported as (``SubmissionAdjustment``), with what the cell held and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from dom_desk.domain.returns_context import OpenedReturn, cell_place
from dom_desk.domain.returns_outcome import FilePreview
from dom_desk.domain.returns_row_types import Adjustment, PreviewRow, RowStatus, decisions_words
from dom_desk.domain.values import format_decimal
from dom_desk.errors import ValidationError
from dom_desk.models import AdjustmentKind, SubmissionAdjustment
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import RawRow, text_of
from dom_desk.storage.workbook import Workbook

__all__ = [
    "Adjustment",
    "Decisions",
    "RowDecider",
    "adjustments_of",
    "decisions_words",
    "parse_correction",
    "parse_leave_out",
]

#: The columns a correction may change: a row's figures (a wrong code is left out).
CORRECTABLE = (fmt.ACTUAL, fmt.NUMERATOR, fmt.DENOMINATOR)
_FIELDS = {fmt.ACTUAL: "actual", fmt.NUMERATOR: "numerator", fmt.DENOMINATOR: "denominator"}
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
#: Longest correction taken (a figure, typed).
MAX_TEXT = 100


@dataclass(frozen=True)
class Decisions:
    """One file's decisions. ``corrections`` maps (sheet, cell) to the text typed in its
    place (``("Return", "E7"): "12%"``; "" empties the cell); ``left_out`` holds
    (sheet, row) of rows not to import."""

    corrections: Mapping[tuple[str, str], str] = field(default_factory=dict)
    left_out: frozenset[tuple[str, int]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.corrections or self.left_out)


def _split_place(text: str, option: str) -> tuple[str, str]:
    sheet, bang, place = text.rpartition("!")
    if not bang or not sheet.strip() or not place.strip():
        raise ValidationError(
            f"'{text}' should be SHEET!{'CELL=VALUE' if option == '--correct' else 'ROW'}, "
            f"such as {fmt.RETURN_SHEET}!{'E7=12%' if option == '--correct' else '7'}",
            option,
        )
    return sheet.strip().strip("'"), place.strip()


def parse_correction(text: str) -> tuple[tuple[str, str], str]:
    """``Return!E7=12%`` as ``(("Return", "E7"), "12%")``; ValidationError if it is not."""
    place, equals, value = text.partition("=")
    if not equals:
        raise ValidationError(
            f"'{text}' should be SHEET!CELL=VALUE, such as {fmt.RETURN_SHEET}!E7=12%",
            "--correct",
        )
    sheet, cell = _split_place(place, "--correct")
    match = _CELL.match(cell)
    if match is None:
        raise ValidationError(f"'{cell}' is not a cell such as E7", "--correct")
    return (sheet, match[1].upper() + match[2]), value.strip()


def parse_leave_out(text: str) -> tuple[str, int]:
    """``Return!7`` (or a cell of the row, ``Return!E7``) as ``("Return", 7)``."""
    sheet, place = _split_place(text, "--leave-out")
    if place.isdigit():
        return sheet, int(place)
    match = _CELL.match(place)
    if match is None:
        raise ValidationError(f"'{place}' is not a row number such as 7", "--leave-out")
    return sheet, int(match[2])


def _stored_text(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


class RowDecider:
    """Applies one file's decisions to its rows as they stream (see ``checked_rows``)."""

    def __init__(self, preview: FilePreview, opened: OpenedReturn, decisions: Decisions) -> None:
        self.preview = preview
        self.checker = opened.checker
        self.sheet = opened.sheet.title
        header = self.checker.header
        by_letter = {header.letter(c): c for c in CORRECTABLE if c in header.columns}
        #: row -> {column: typed text}
        self.corrections: dict[int, dict[str, str]] = {}
        self.left_out: set[int] = set()
        for (sheet, cell), typed in decisions.corrections.items():
            place = cell_place(preview, sheet, cell)
            match = _CELL.match(cell)
            if not self._our_sheet(sheet, place) or match is None:
                continue
            letter, row = match[1].upper(), int(match[2])
            column = by_letter.get(letter)
            if column is None:
                held = next((c for c in header.columns if header.letter(c) == letter), "")
                what = f" ({letter} is the {held} column)" if held else ""
                preview.refuse(
                    f"{place}: only a row's {', '.join(CORRECTABLE)} can be corrected{what}; "
                    "leave the row out instead."
                )
            elif row <= header.row:
                preview.refuse(
                    f"{place}: not a row of the return (its rows start below row {header.row})."
                )
            elif len(typed) > MAX_TEXT:
                preview.refuse(f"{place}: a correction is a figure, not {len(typed):,} characters.")
            else:
                self.corrections.setdefault(row, {})[column] = typed.strip()
        for sheet, row in decisions.left_out:
            if self._our_sheet(sheet, cell_place(preview, sheet, f"A{row}")):
                self.left_out.add(row)
        #: The rows a decision touches, looked up for every row read.
        self.rows = frozenset(self.corrections) | self.left_out
        self._met: set[int] = set()

    def _our_sheet(self, sheet: str, place: str) -> bool:
        if sheet.casefold() == self.sheet.casefold():
            return True
        self.preview.refuse(
            f"{place}: a return's figures are on its {self.sheet} sheet; nothing else "
            "can be corrected or left out."
        )
        return False

    def _forget(self, row: PreviewRow | None, number: int) -> None:
        """Undoes the check's note that the measure was seen on this row, so the row
        checked again (or left out) is not taken for a second one."""
        if (
            row is not None
            and row.measure_id is not None
            and self.checker.seen[row.measure_id] == number
        ):
            self.checker.seen[row.measure_id] = 0

    def check(self, raw: RawRow) -> PreviewRow | None:
        """The row with its decisions applied; records each on the preview."""
        self._met.add(raw.row)
        original = self.checker.check(raw)
        if original is None:
            return None  # an empty row: left unmet, so the decision is refused at the end
        first_cell = self.checker.cell(fmt.CODE, raw.row)
        if raw.row in self.left_out:
            self._forget(original, raw.row)
            errors = [i.message for i in original.issues if i.error]
            if errors:
                reason = "it was refused: " + "; ".join(errors)
            elif original.status.stored:
                reason = "its figure was ready to store"
            else:
                reason = "it had no figure to store"
            original.status = RowStatus.LEFT_OUT
            self.preview.adjustments.append(
                Adjustment(
                    AdjustmentKind.LEFT_OUT,
                    self.sheet,
                    first_cell,
                    raw.row,
                    "",
                    original.measure_code or original.code,
                    "",
                    "",
                    f"left out in the preview; {reason}",
                )
            )
            return original
        changes = self.corrections[raw.row]
        self._forget(original, raw.row)
        replaced = {_FIELDS[c]: text for c, text in changes.items()}
        if fmt.ACTUAL in changes:
            replaced["actual_percent"] = False  # typed text: a % sign says a percentage
        corrected = self.checker.check(raw._replace(**replaced))  # type: ignore[arg-type]
        assert corrected is not None
        for column, typed in changes.items():
            before = original.issue_in(column)
            was = f"was refused: {before.message}" if before and before.error else ""
            now = corrected.issue_in(column)
            self.preview.adjustments.append(
                Adjustment(
                    AdjustmentKind.CORRECTED,
                    self.sheet,
                    self.checker.cell(column, raw.row),
                    raw.row,
                    column,
                    text_of(getattr(raw, _FIELDS[column])),
                    typed,
                    _stored_text(getattr(corrected, _FIELDS[column])),
                    was,
                    still=now.message if now and now.error else "",
                )
            )
        return corrected

    def finish(self) -> None:
        """Refuses decisions about rows the return does not have."""
        for row in sorted(self.rows - self._met):
            self.preview.refuse(
                f"{cell_place(self.preview, self.sheet, f'A{row}')}: row {row} of the return "
                "is empty, so there is nothing there to correct or leave out."
            )


def adjustments_of(wb: Workbook, submission_id: int) -> list[Adjustment]:
    """The corrections and rows left out a submission was imported with, by row."""
    with wb.session() as session:
        found = session.scalars(
            select(SubmissionAdjustment)
            .where(SubmissionAdjustment.submission_id == submission_id)
            .order_by(SubmissionAdjustment.source_row, SubmissionAdjustment.id)
        )
        return [
            Adjustment(
                a.kind,
                a.sheet,
                a.cell,
                a.source_row,
                a.return_column,
                a.old_text,
                a.new_text,
                a.stored,
                a.reason,
            )
            for a in found
        ]
