"""What python-calamine does not tell about a sheet, found in its XML without parsing it.

calamine gives cell values fast, but not cell formats, and it shows error cells
(``#DIV/0!``) as empty; it also lays a sheet out as one dense grid, so a cell at row
900,000,000 would have it allocate gigabytes. A few regular-expression searches over the
sheet's XML (C speed, no object per cell) find the rare cells that matter: ones whose
style is a percentage or names a style the file lacks, error cells, and references far
enough out to make the grid too big. A sheet with such references, or with a special
cell that has no reference, is read by openpyxl instead (see ``spreadsheets``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

#: Excel's last row and column.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: The largest dense grid calamine is let build for one sheet (about 32 bytes a cell).
MAX_CELLS = 4_000_000

_Q = rb"""\s*=\s*["']"""
#: How every writer of xlsx spells an attribute: ``name="value"``. Patterns starting with
#: a literal are searched several times faster, so they are used wherever the XML holds
#: no looser spelling (spaces around ``=``, single quotes), which XML also allows.
_LOOSE = re.compile(rb"=(?:[\s']|(?<=\s=))")
#: A reference with a two- or three-letter column or a seven-digit row: rare in a return,
#: and only then is every reference looked at.
_FAR = rb"(?:[A-Za-z]{2,}\d|[A-Za-z]{0,3}\d{7,})"
_FAR_REF = {
    False: re.compile(rb'r="' + _FAR),
    True: re.compile(rb"\sr" + _Q + _FAR),
}
_ANY_REF = re.compile(rb"r" + _Q + rb"([A-Za-z]*)(\d+)")
_ERROR_TYPE = {False: re.compile(rb't="e"'), True: re.compile(rb"\st" + _Q + rb"e[\"']")}
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
_CELL_REF = re.compile(rb"\sr" + _Q + rb"([A-Za-z]{1,3})(\d{1,7})[\"']")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]{0,255})<")


@lru_cache(maxsize=256)
def is_percent_format(number_format: str) -> bool:
    """True for Excel formats that show a value times 100 with ``%`` (``0%``, ``0.0%``),
    not for a literal ``"%"`` suffix (``0.0"%"``)."""
    unquoted = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format)
    return "%" in unquoted


@dataclass(frozen=True)
class Styles:
    """Which cell styles (indexes into the styles part's ``cellXfs``) show percentages."""

    count: int
    percent: frozenset[int]

    @classmethod
    def parse(cls, xml: bytes | None) -> Styles:
        """From ``xl/styles.xml`` (None when the file has none). Raises ValueError (or a
        defusedxml/XML error) for a damaged part."""
        if xml is None:
            return cls(0, frozenset())
        from defusedxml import ElementTree
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        root = ElementTree.fromstring(xml)
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        xfs: list[int] = []
        for element in root:
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "numFmts":
                for item in element:
                    formats[int(item.get("numFmtId", "0"))] = item.get("formatCode", "")
            elif tag == "cellXfs":
                xfs = [int(xf.get("numFmtId", "0")) for xf in element]
        percent = frozenset(
            index for index, number in enumerate(xfs) if is_percent_format(formats.get(number, ""))
        )
        return cls(len(xfs), percent)

    def special(self, loose: bool) -> re.Pattern[bytes]:
        """Matches a cell style attribute that is a percentage or past the last style
        (``loose``: however the attribute is spelt)."""
        choices = [str(i).encode() for i in sorted(self.percent)] + [_at_least(self.count)]
        start = rb"\ss" + _Q if loose else rb's="'
        return re.compile(start + rb"0*(?:" + b"|".join(choices) + rb")[\"']")


def _at_least(number: int) -> bytes:
    """A pattern for the decimal integers >= ``number`` (no leading zeros)."""
    text = str(number)
    width = len(text)
    parts = [rb"[1-9]\d{%d,}" % width]  # more digits
    for i, digit in enumerate(text):
        if digit != "9":
            rest = width - i - 1
            parts.append(text[:i].encode() + b"[%d-9]" % (int(digit) + 1) + rb"\d" * rest)
    parts.append(text.encode())
    return b"(?:" + b"|".join(parts) + b")"


@dataclass
class SheetScan:
    """The special cells of one sheet, by (row, column), both 1-based and 0-based
    respectively as the readers use them: row numbers as Excel shows them, columns as
    list indexes."""

    #: False: calamine must not read this sheet (too big a grid, or cells it cannot place).
    safe: bool = True
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    unknown_style: set[tuple[int, int]] = field(default_factory=set)

    @property
    def error_rows(self) -> frozenset[int]:
        return frozenset(row for row, _ in self.errors)


def column_index(letters: bytes | str) -> int:
    """0-based index of a column's letters: A is 0, AA is 26."""
    index = 0
    for char in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        index = index * 26 + ord(char) - 64
    return index - 1


#: Bytes of XML scanned at a time; matches near a chunk's end are left to the next one,
#: which starts ``_OVERLAP`` bytes back (a cell's start tag and value are far shorter).
_CHUNK = 1024 * 1024
_OVERLAP = 4096


def _windows(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, int, int]]:
    """(buffer, first, stop): each match starting in ``first <= start < stop`` is looked
    at in exactly one buffer, with ``_OVERLAP`` bytes of context either side."""
    buffer, first = b"", 0
    pending: bytes | None = None
    for chunk in chunks:
        if pending is not None:
            buffer += pending
            stop = max(first, len(buffer) - _OVERLAP)
            yield buffer, first, stop
            cut = max(0, stop - _OVERLAP)
            buffer, first = buffer[cut:], stop - cut
        pending = chunk
    if pending is not None:
        buffer += pending
        yield buffer, first, len(buffer)


def scan_sheet(chunks: Callable[[], Iterable[bytes]], styles: Styles) -> SheetScan:
    """Finds the cells calamine cannot describe, and whether its grid would be too big.
    ``chunks`` gives the sheet's XML, a piece at a time (called again for a second pass)."""
    scan = SheetScan()
    special = {loose: styles.special(loose) for loose in (False, True)}
    far = False
    for buffer, first, stop in _windows(chunks()):
        loose = _LOOSE.search(buffer, first) is not None
        far = far or _FAR_REF[loose].search(buffer, first) is not None
        for match in _ERROR_TYPE[loose].finditer(buffer, first):
            if match.start() >= stop:
                break
            place, end = _cell_at(buffer, match.start())
            if place == (0, 0):
                scan.safe = False
            elif place is not None:
                value = _VALUE.search(buffer, end, end + 400)
                text = value.group(1).decode(errors="replace") if value else ""
                scan.errors[place] = text or "#VALUE!"
        for match in special[loose].finditer(buffer, first):
            if match.start() >= stop:
                break
            place, _ = _cell_at(buffer, match.start())
            if place == (0, 0):
                scan.safe = False
            elif place is not None:
                index = int(re.search(rb"\d+", match.group(0)).group(0))  # type: ignore[union-attr]
                (scan.unknown_style if index >= styles.count else scan.percent).add(place)
    if far and not _grid_is_small(chunks()):
        scan.safe = False
    return scan


def _grid_is_small(chunks: Iterable[bytes]) -> bool:
    rows = columns = 0
    for buffer, first, stop in _windows(chunks):
        for match in _ANY_REF.finditer(buffer, first):
            if match.start() >= stop:
                break
            letters, digits = match.groups()
            rows = max(rows, int(digits[:9]) if len(digits) < 9 else MAX_ROWS + 1)
            if letters:
                columns = max(columns, column_index(letters[:4]) + 1)
    return rows <= MAX_ROWS and columns <= MAX_COLUMNS and rows * max(columns, 1) <= MAX_CELLS


def _cell_at(xml: bytes, position: int) -> tuple[tuple[int, int] | None, int]:
    """The (row, column) of the cell whose start tag holds ``position``, and where the
    tag ends; None for another element's attribute, (0, 0) for a cell without a
    reference."""
    start = xml.rfind(b"<", max(0, position - _OVERLAP), position)
    end = xml.find(b">", position, position + _OVERLAP)
    if start < 0 or end < 0:
        return (0, 0), position  # a tag longer than any a spreadsheet writes
    tag = xml[start : end + 1]
    if not _CELL_TAG.match(tag):
        return None, end
    ref = _CELL_REF.search(tag)
    if ref is None:
        return (0, 0), end
    return (int(ref.group(2)), column_index(ref.group(1))), end
