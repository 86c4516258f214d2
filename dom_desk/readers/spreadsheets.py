"""The one way every reader opens a spreadsheet: the container checks, then calamine.

``open_spreadsheet`` refuses what ``containers.check_container`` refuses, then reads cell
values with python-calamine (Rust: several times faster than openpyxl's read-only mode).
What calamine does not say (percentage formats, error cells) comes from
``sheet_scan``; a sheet whose grid would be too big for calamine's dense layout (a cell
at row 900,000,000) is streamed by openpyxl instead, never past Excel's last row.

Rows come out as Excel numbers them (1-based) and cells as 0-based column indexes,
with None for an empty cell, as openpyxl gives them.
"""

from __future__ import annotations

import posixpath
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dom_desk.readers.containers import (
    DEFAULT_LIMITS,
    ENTITY_REASON,
    Limits,
    SpreadsheetFileError,
    check_container,
    refusal,
)
from dom_desk.readers.sheet_scan import MAX_ROWS, SheetScan, Styles, scan_sheet

DAMAGED = "is damaged or is not an Excel workbook"
#: The attribute of a workbook's <sheet> naming its part (r:id, by relation).
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_failure(exc: BaseException) -> str:
    """Why a file could not be read, for "'name.xlsx' ..." (after the file's name)."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:  # parsers wrap what the XML parser raised
        if isinstance(cause, DefusedXmlException):
            return ENTITY_REASON
        cause = cause.__cause__ or cause.__context__
    return DAMAGED


def _unreadable(exc: BaseException) -> bool:
    """Whether ``exc`` is a parser's failure (calamine's errors, and the panics of its
    Rust code, which Python sees as BaseException), not an interrupt."""
    return not isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError)


def cell_value(value: Any) -> Any:
    """A calamine value as openpyxl gives it: None for empty, a date as a datetime."""
    if value == "":
        return None
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


class Sheet:
    """One sheet's cells. ``raw_rows`` is the fast path (calamine's lists, unconverted,
    their first item in column ``offset``); ``values`` gives converted tuples from
    column 0."""

    def __init__(self, book: Spreadsheet, name: str, scan: SheetScan, grid: Any) -> None:
        self.book, self.title, self.scan = book, name, scan
        self._grid = grid  # a CalamineSheet, or an openpyxl read-only worksheet
        self._current: dict[int, Any] = {}
        start = grid.start if grid is not None else None
        self.offset = start[1] if start else 0

    def raw_rows(
        self, first: int = 1, last: int = MAX_ROWS, width: int | None = None
    ) -> Iterator[tuple[int, list[Any]]]:
        """(row number, cells) from row ``first``; cells start at column ``offset``.
        ``width`` bounds the columns read where openpyxl streams the sheet."""
        last = min(last, MAX_ROWS)
        if not self.scan.safe:
            yield from self._openpyxl_rows(first, last, width)
            return
        if self._grid is None:
            return
        errors, error_rows = self.scan.errors, self.scan.error_rows
        number = 0
        for number, cells in enumerate(self._grid.iter_rows(), start=1):
            if number < first:
                continue
            if number > last:
                break
            if number in error_rows:
                cells = list(cells)
                for (row, column), text in errors.items():
                    index = column - self.offset
                    if row == number and 0 <= index < len(cells):
                        cells[index] = text
            yield number, cells

    def values(self, first: int = 1, last: int = MAX_ROWS, width: int = 60) -> Iterator[tuple]:
        """Converted rows from ``first``, each from column 0 and at most ``width`` wide."""
        pad = (None,) * self.offset
        for _, cells in self.raw_rows(first, last, width):
            yield (pad + tuple(cell_value(v) for v in cells))[:width]

    @property
    def has_number_formats(self) -> bool:
        """Whether ``is_percent`` can be True (or raise) for any cell: False for a sheet
        calamine reads with no percentage or unknown style in it, most returns' case."""
        return not self.scan.safe or bool(self.scan.percent or self.scan.unknown_style)

    def is_percent(self, row: int, column: int) -> bool:
        """Whether the cell is formatted as a percentage (0.9 shown as 90%). Raises
        SpreadsheetFileError for a cell naming a style the file does not have."""
        if not self.scan.safe:
            cell = self._current.get(column)
            try:
                number_format = "General" if cell is None else cell.number_format
            except IndexError:
                raise self._unknown_style(row, column) from None
            from dom_desk.readers.sheet_scan import is_percent_format

            return is_percent_format(number_format)
        if (row, column) in self.scan.unknown_style:
            raise self._unknown_style(row, column)
        return (row, column) in self.scan.percent

    def _unknown_style(self, row: int, column: int) -> SpreadsheetFileError:
        from openpyxl.utils import get_column_letter

        return SpreadsheetFileError(
            f"'{self.book.name}', {self.title}!{get_column_letter(column + 1)}{row}: the cell "
            "refers to a format the file does not have, so the file is damaged; open "
            "it in Excel, save it and send it again."
        )

    def _openpyxl_rows(
        self, first: int, last: int, width: int | None
    ) -> Iterator[tuple[int, list[Any]]]:
        """openpyxl's streaming read, for sheets calamine must not lay out in memory."""
        sheet = self.book.openpyxl_sheet(self.title)
        sheet.reset_dimensions()  # never trust a file's declared size
        number = first - 1
        rows = sheet.iter_rows(min_row=first, max_row=last, max_col=width)
        while True:
            try:
                cells = next(rows, None)
            except Exception as exc:  # a part that breaks while it is streamed
                raise refusal(self.book.path, read_failure(exc)) from exc
            if cells is None:
                return
            number += 1
            self._current = dict(enumerate(cells))
            yield number, [c.value for c in cells]


class Spreadsheet:
    """An open, checked xlsx. Close it, or use it as a context manager."""

    def __init__(self, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        from python_calamine import CalamineWorkbook

        self.path, self.limits = path, limits
        self._archive = zipfile.ZipFile(path)
        try:
            self._members = frozenset(self._archive.namelist())
            self._parts = self._sheet_parts()
            self._styles = Styles.parse(self._read("xl/styles.xml"))
            self._book = CalamineWorkbook.from_path(str(path))
            self.sheet_names: list[str] = list(self._book.sheet_names)
        except BaseException as exc:
            self._archive.close()
            if not _unreadable(exc):
                raise
            raise refusal(path, read_failure(exc)) from exc
        self._openpyxl: Any = None

    @property
    def name(self) -> str:
        return self.path.name

    def __enter__(self) -> Spreadsheet:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._archive.close()
        self._book.close()
        if self._openpyxl is not None:
            self._openpyxl.close()

    def sheet(self, name: str) -> Sheet:
        """The sheet called exactly ``name`` (one of ``sheet_names``)."""
        try:
            part = self._parts.get(name, "")
            if part in self._members:
                scan = scan_sheet(lambda: self._chunks(part), self._styles)
            else:  # a part calamine finds some other way was never scanned: stream it
                scan = SheetScan(safe=False)
            grid = self._book.get_sheet_by_name(name) if scan.safe else None
        except SpreadsheetFileError:
            raise
        except BaseException as exc:
            if not _unreadable(exc):
                raise
            raise refusal(self.path, read_failure(exc)) from exc
        return Sheet(self, name, scan, grid)

    def openpyxl_sheet(self, name: str) -> Any:
        """The sheet in openpyxl's read-only (streaming) mode; refused in words if
        openpyxl cannot read it."""
        from openpyxl import load_workbook

        try:
            if self._openpyxl is None:
                with warnings.catch_warnings():
                    # Extensions openpyxl does not read (slicers, validation lists from
                    # other sheets) are harmless for reading values.
                    warnings.simplefilter("ignore")
                    self._openpyxl = load_workbook(
                        self.path, read_only=True, data_only=True, keep_links=False
                    )
            return self._openpyxl[name]
        except Exception as exc:
            raise refusal(self.path, read_failure(exc)) from exc

    def _read(self, part: str) -> bytes | None:
        """A part's bytes (its size already checked against the limits), or None."""
        try:
            return self._archive.read(part) if part else None
        except KeyError:
            return None

    def _chunks(self, part: str) -> Iterator[bytes]:
        """A sheet's XML a piece at a time: it is never held whole in memory."""
        try:
            handle = self._archive.open(part)
        except KeyError:
            return
        with handle:
            yield from iter(lambda: handle.read(1024 * 1024), b"")

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> the zip member holding it, from the workbook and its relations."""
        from defusedxml import ElementTree

        rels = self._read("xl/_rels/workbook.xml.rels")
        workbook = self._read("xl/workbook.xml")
        if rels is None or workbook is None:
            return {}
        targets = {item.get("Id"): item.get("Target", "") for item in ElementTree.fromstring(rels)}
        parts: dict[str, str] = {}
        for element in ElementTree.fromstring(workbook).iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                target = targets.get(element.get(_RELATION_ID), "")
                if target.startswith("/"):
                    parts[element.get("name", "")] = target.lstrip("/")
                elif target:
                    parts[element.get("name", "")] = posixpath.normpath(f"xl/{target}")
        return parts


def open_spreadsheet(
    path: Path, limits: Limits = DEFAULT_LIMITS, what: str = "a return"
) -> Spreadsheet:
    """Checks the file (size, zip bomb, entities, encryption, foreign containers) and
    opens it; the caller closes it. Raises SpreadsheetFileError naming the file."""
    check_container(path, limits, what)
    return Spreadsheet(path, limits)
