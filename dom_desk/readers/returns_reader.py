"""Reading a provider return: the shared spreadsheet checks, then its sheets' rows.

The file is opened by ``spreadsheets.open_spreadsheet`` (the checks every reader shares:
size, zip bomb, entities, encryption, foreign files), its values read by python-calamine.
This module knows a return's layout: labelled pairs on the cover and identity sheets,
and the Return table's header and rows. Values are parsed by ``returns_values``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from dom_desk.readers import returns_format as fmt
from dom_desk.readers.containers import (
    DEFAULT_LIMITS,
    Limits,
    SpreadsheetFileError,
    check_container,
    sha256_of,
)
from dom_desk.readers.returns_values import MAX_DIGITS, ValueProblem, text_of, to_decimal
from dom_desk.readers.sheet_scan import MAX_ROWS, is_percent_format
from dom_desk.readers.spreadsheets import Sheet, Spreadsheet, open_spreadsheet, read_failure

__all__ = [
    "DEFAULT_LIMITS",
    "HEADER_SCAN_ROWS",
    "LABEL_SCAN_ROWS",
    "MAX_DIGITS",
    "MAX_ROWS",
    "Header",
    "Limits",
    "RawRow",
    "ReturnBook",
    "ReturnFileError",
    "ValueProblem",
    "check_container",
    "is_percent_format",
    "open_return",
    "read_failure",
    "sha256_of",
    "text_of",
    "to_decimal",
]

#: Rows searched for the header row, and for cover and identity labels.
HEADER_SCAN_ROWS = 30
LABEL_SCAN_ROWS = 60

#: The file as a whole is refused; the message names it and says why.
ReturnFileError = SpreadsheetFileError


@dataclass(frozen=True)
class Header:
    """Where the Return table's header is, and which column holds what (0-based)."""

    row: int
    columns: dict[str, int]
    #: Columns whose titles were not recognised (kept for the preview's notes).
    unknown: tuple[str, ...] = ()

    def letter(self, column: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.columns[column] + 1)


class RawRow(NamedTuple):
    """One row of the Return table as read, before any checking."""

    row: int
    code: Any
    measure: Any
    actual: Any
    numerator: Any
    denominator: Any
    commentary: Any
    #: The Actual cell is formatted as a percentage, so 0.9 shows as 90%.
    actual_percent: bool


_ROW_COLUMNS = (fmt.CODE, fmt.MEASURE, fmt.ACTUAL, fmt.NUMERATOR, fmt.DENOMINATOR, fmt.COMMENTARY)


class ReturnBook:
    """An open return workbook. Close it, or use ``open_return``."""

    def __init__(self, path: Path, book: Spreadsheet) -> None:
        self.path, self.book = path, book

    @property
    def name(self) -> str:
        return self.path.name

    def close(self) -> None:
        self.book.close()

    def sheet(self, title: str) -> Sheet | None:
        """A sheet by title, ignoring case and stray spaces; None if there is none."""
        wanted = fmt.normal_title(title)
        for actual in self.book.sheet_names:
            if fmt.normal_title(actual) == wanted:
                return self.book.sheet(actual)
        return None

    def pairs(self, title: str) -> dict[str, tuple[Any, str]] | None:
        """Label -> (value, cell) from a sheet of labels and values (cover, identity).

        The label is the first text in a row, its value the next non-empty cell.
        """
        from openpyxl.utils import get_column_letter

        sheet = self.sheet(title)
        if sheet is None:
            return None
        found: dict[str, tuple[Any, str]] = {}
        for number, row in enumerate(sheet.values(last=LABEL_SCAN_ROWS, width=12), start=1):
            cells = [(i, v) for i, v in enumerate(row) if v is not None and v != ""]
            if not cells or not isinstance(cells[0][1], str):
                continue
            label = fmt.normal_title(cells[0][1])
            if label in found:
                continue
            if len(cells) > 1:
                column, value = cells[1]
            else:
                column, value = cells[0][0] + 1, None
            found[label] = (value, f"{get_column_letter(column + 1)}{number}")
        return found

    def header(self, sheet: Sheet) -> Header | None:
        """The first row (of the first few) that has an Actual column and a Code or
        Measure column; None if there is none."""
        for number, row in enumerate(sheet.values(last=HEADER_SCAN_ROWS, width=60), start=1):
            columns: dict[str, int] = {}
            unknown: list[str] = []
            for index, value in enumerate(row):
                title = fmt.normal_title(value)
                column = fmt.TITLES.get(title)
                if column is None:
                    if title:
                        unknown.append(str(value))
                elif column in columns:
                    raise ReturnFileError(
                        f"'{self.name}', sheet {sheet.title}: two columns are titled "
                        f"'{column}' (row {number}); keep one and import again."
                    )
                else:
                    columns[column] = index
            if fmt.ACTUAL in columns and (fmt.CODE in columns or fmt.MEASURE in columns):
                return Header(number, columns, tuple(unknown))
        return None

    def rows(self, sheet: Sheet, header: Header) -> Iterator[RawRow]:
        """The table's rows below the header, streamed; blank rows included."""
        offset = sheet.offset
        actual_column = header.columns[fmt.ACTUAL]
        # One C call picks a row's cells; an absent column reads the blank put at its end.
        wanted = [header.columns.get(name) for name in _ROW_COLUMNS]
        pick = itemgetter(*(-1 if c is None else c - offset for c in wanted))
        need = max(c for c in wanted if c is not None) - offset + 1
        is_percent = sheet.is_percent if sheet.has_number_formats else None
        width = max(header.columns.values()) + 1
        for number, cells in sheet.raw_rows(header.row + 1, width=width):
            if len(cells) < need:  # openpyxl gives short rows; calamine's are all as wide
                cells = list(cells) + [None] * (need - len(cells))
            cells.append("")
            code, measure, actual, numerator, denominator, commentary = pick(cells)
            # Only a number can carry a percent format (0.9 shown as 90%).
            kind = type(actual)
            percent = (
                is_percent is not None
                and (kind is float or kind is int)
                and is_percent(number, actual_column)
            )
            yield RawRow(
                number,
                None if code == "" else code,
                None if measure == "" else measure,
                None if actual == "" else actual,
                None if numerator == "" else numerator,
                None if denominator == "" else denominator,
                None if commentary == "" else commentary,
                percent,
            )


def open_return(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReturnBook:
    """Checks the file and opens it; the caller closes the ReturnBook."""
    return ReturnBook(path, open_spreadsheet(path, limits, "a return"))
