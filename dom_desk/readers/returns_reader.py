"""Reading a provider return: checks on the file, then a streaming read of its sheets.

Before openpyxl sees a file it is checked for what a return must not be: too big, not a
zip (an old ``.xls``, a password-protected file, something else), or a zip that would
expand to far more than it holds (a zip bomb; the declared sizes bound what Python's
zipfile will ever inflate). openpyxl then reads it in read-only mode, row by row, with
defusedxml guarding the XML parser against entity attacks. Values are parsed forgivingly
("1,234", " 90 % ", 0.9 in a percent-formatted cell) by ``to_decimal``.
"""

from __future__ import annotations

import hashlib
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from dom_desk.errors import ValidationError
from dom_desk.readers import returns_format as fmt

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook as XlsxWorkbook

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: How an encrypted (password-protected) Office file names its payload inside the OLE file.
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
#: Rows searched for the header row, and for cover and identity labels.
HEADER_SCAN_ROWS = 30
LABEL_SCAN_ROWS = 60
#: Excel's last row. openpyxl pads the gaps between the rows a sheet lists with empty
#: rows, so a hostile ``<row r="900000000">`` would otherwise keep an import busy for hours.
MAX_ROWS = 1_048_576
_BLANK_WORDS = frozenset({"n/a", "na", "-", "--", "\u2013", "\u2014", "not applicable"})
#: Digits before the decimal point a figure may have: Excel keeps 15 significant digits.
MAX_DIGITS = 15
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class Limits:
    """What a return may be: generous for a national return, small against attacks."""

    max_file_bytes: int = 25 * 1024 * 1024
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    #: Inflation allowed for any member over ``ratio_floor`` bytes (XML compresses ~10-30x).
    max_ratio: int = 150
    ratio_floor: int = 1024 * 1024
    max_members: int = 2000
    #: Parts other than sheets (shared strings, styles) are read whole into memory, not
    #: streamed: a national return's are a few MB.
    max_part_bytes: int = 64 * 1024 * 1024


DEFAULT_LIMITS = Limits()


class ReturnFileError(ValidationError):
    """The file as a whole is refused; the message names it and says why."""


def _refuse(path: Path, reason: str) -> ReturnFileError:
    return ReturnFileError(f"'{path.name}' {reason}; nothing was imported from it.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def check_container(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuses, with one sentence naming the file, anything that is not a sound xlsx."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _refuse(path, f"could not be read ({exc.strerror})") from exc
    if size > limits.max_file_bytes:
        raise _refuse(
            path,
            f"is {_megabytes(size)}, over the "
            f"{_megabytes(limits.max_file_bytes)} limit for a return",
        )
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise _refuse(
                path,
                "is protected with a password: ask the provider to remove "
                "the password (File, Info, Protect Workbook) and send it again",
            )
        raise _refuse(
            path,
            "is an old Excel 97-2003 (.xls) file: open it in Excel and save "
            "it as an Excel Workbook (.xlsx)",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise _refuse(path, "is not an Excel workbook (.xlsx)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                raise _refuse(
                    path, "is an OpenDocument spreadsheet: save it as an Excel Workbook (.xlsx)"
                )
    except zipfile.BadZipFile as exc:
        raise _refuse(path, "is damaged or is not an Excel workbook") from exc
    _check_members(path, members, limits)
    if "xl/workbook.xml" not in names:
        kind = "a Word document" if "word/document.xml" in names else "not an Excel workbook"
        raise _refuse(path, f"is {kind}")


def _check_members(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Bounds what openpyxl could be made to inflate (the declared sizes cap zipfile)."""
    if len(members) > limits.max_members:
        raise _refuse(path, f"holds {len(members):,} parts, far more than a workbook has")
    if any(m.flag_bits & 0x1 for m in members):
        raise _refuse(path, "is protected with a password")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise _refuse(
            path,
            f"would expand to {_megabytes(total)}, over the "
            f"{_megabytes(limits.max_uncompressed_bytes)} limit (it may be a zip "
            "bomb)",
        )
    for member in members:
        if member.file_size > limits.max_part_bytes and not member.filename.startswith(
            "xl/worksheets/"
        ):
            raise _refuse(
                path,
                f"has a part ({member.filename}) of "
                f"{_megabytes(member.file_size)}, over the "
                f"{_megabytes(limits.max_part_bytes)} limit for one part",
            )
        if member.file_size > limits.ratio_floor and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise _refuse(
                path,
                f"has a part ({member.filename}) that expands "
                f"{member.file_size // max(member.compress_size, 1):,} times: it "
                "may be a zip bomb",
            )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


# -- forgiving values ---------------------------------------------------------------------


class ValueProblem(ValueError):
    """A cell's value is of the wrong kind; the message says what was found."""


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def to_decimal(value: Any) -> tuple[Decimal | None, bool]:
    """A number from a cell, and whether it was written with a ``%`` sign.

    Accepts numbers, and text with thousands separators, stray spaces or a trailing
    ``%``; blank, "n/a" and "-" mean no figure. Raises ValueProblem for anything else.
    """
    if value is None:
        return None, False
    if isinstance(value, bool):
        raise ValueProblem(f"'{value}' is not a number")
    if isinstance(value, int):
        return _bounded(Decimal(value), value), False
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem("the cell holds an error, not a number")
        return _bounded(Decimal(repr(value)), value), False
    if isinstance(value, Decimal):
        return _bounded(value, value), False
    if isinstance(value, datetime | date | time):
        raise ValueProblem(f"'{_shown(value)}' is a date, not a number")
    text = str(value).translate(fmt.SPACES)
    if not text or text.casefold() in _BLANK_WORDS:
        return None, False
    if text.startswith("#"):
        raise ValueProblem(f"the cell shows the error {_shown(text)}, not a number")
    percent = text.endswith("%")
    digits = text.rstrip("%")
    if "," in digits:
        if not _GROUPED.match(digits):
            raise ValueProblem(f"'{_shown(value)}' is not a number (use a full stop for decimals)")
        digits = digits.replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise ValueProblem(f"'{_shown(value)}' is not a number") from None
    if not number.is_finite():
        raise ValueProblem(f"'{_shown(value)}' is not a number")
    return _bounded(number, value), percent


def _bounded(number: Decimal, value: Any) -> Decimal:
    """Refuses what no return could mean, before anything prints it in full: "1e999999999"
    written out would take a gigabyte."""
    if not number:
        return number
    if number.adjusted() >= MAX_DIGITS:
        raise ValueProblem(f"'{_shown(value)}' is too large to be a figure")
    if number.adjusted() < -MAX_DIGITS:
        return Decimal(0)  # stored to six places it is 0 anyway ("1e-999999999")
    return number


@lru_cache(maxsize=256)
def is_percent_format(number_format: str) -> bool:
    """True for Excel formats that show a value times 100 with ``%`` (``0%``, ``0.0%``),
    not for a literal ``"%"`` suffix (``0.0"%"``)."""
    unquoted = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)
    return "%" in unquoted


def text_of(value: Any) -> str:
    """A cell as text, for codes, names and commentary."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


# -- the workbook ---------------------------------------------------------------------------


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


@dataclass
class ReturnBook:
    """An open return workbook (read-only, streaming). Close it, or use ``open_return``."""

    path: Path
    book: XlsxWorkbook
    _sheets: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def close(self) -> None:
        self.book.close()

    def sheet(self, title: str) -> Any | None:
        """A sheet by title, ignoring case and stray spaces; None if there is none."""
        wanted = fmt.normal_title(title)
        for actual in self.book.sheetnames:
            if fmt.normal_title(actual) == wanted:
                sheet = self.book[actual]
                sheet.reset_dimensions()  # never trust a file's declared size
                return sheet
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
        for number, row in enumerate(
            sheet.iter_rows(max_row=LABEL_SCAN_ROWS, max_col=12, values_only=True), start=1
        ):
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

    def header(self, sheet: Any) -> Header | None:
        """The first row (of the first few) that has an Actual column and a Code or
        Measure column; None if there is none."""
        for number, row in enumerate(
            sheet.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=60, values_only=True), start=1
        ):
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

    def rows(self, sheet: Any, header: Header) -> Iterator[RawRow]:
        """The table's rows below the header, streamed; blank rows included."""
        width = max(header.columns.values()) + 1
        # Absent columns read from an always-empty cell past the end of the row.
        code, measure, actual, numerator, denominator, commentary = (
            header.columns.get(name, width) for name in _ROW_COLUMNS
        )
        blank = (EMPTY,)
        number = header.row
        for cells in sheet.iter_rows(min_row=header.row + 1, max_row=MAX_ROWS, max_col=width):
            number += 1
            if len(cells) < width:
                continue
            cells = cells + blank
            value = cells[actual].value
            # Only a number can carry a percent format (0.9 shown as 90%).
            percent = (type(value) is float or type(value) is int) and self._percent_format(
                sheet, header, number, cells[actual]
            )
            yield RawRow(
                number,
                cells[code].value,
                cells[measure].value,
                value,
                cells[numerator].value,
                cells[denominator].value,
                cells[commentary].value,
                percent,
            )

    def _percent_format(self, sheet: Any, header: Header, number: int, cell: Any) -> bool:
        try:
            number_format = cell.number_format
        except IndexError:  # the cell names a style the file's styles part does not have
            raise ReturnFileError(
                f"'{self.name}', {sheet.title}!{header.letter(fmt.ACTUAL)}{number}: the cell "
                "refers to a format the file does not have, so the file is damaged; open "
                "it in Excel, save it and send it again."
            ) from None
        return is_percent_format(number_format)


class _Empty:
    """Stands in for a column the return does not have."""

    value = None


EMPTY = _Empty()


def open_return(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReturnBook:
    """Checks the file and opens it read-only; the caller closes the ReturnBook."""
    from openpyxl import load_workbook  # heavy: only when a return is read

    check_container(path, limits)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it does not read (slicers, data validation
            # lists from other sheets): harmless for reading figures.
            warnings.simplefilter("ignore")
            book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # any failure to parse is a refusal, in words
        raise _refuse(path, read_failure(exc)) from exc
    return ReturnBook(path, book)


def read_failure(exc: BaseException) -> str:
    """Why a file could not be read, for "'name.xlsx' ..." (after the file's name)."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps what the XML parser raised
        if isinstance(cause, DefusedXmlException):
            return (
                "contains XML entity definitions, which a spreadsheet does not need and "
                "an attack would use"
            )
        cause = cause.__cause__ or cause.__context__
    return "is damaged or is not an Excel workbook (openpyxl could not read it)"
