"""The current results written out as CSV or xlsx (``dom-desk export-results``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from dom_desk.domain.result_table import FORMATS, HEADERS, KINDS, Row, result_rows
from dom_desk.errors import ValidationError
from dom_desk.exports.xlsx_tables import Sheet, write_sheets
from dom_desk.files import atomic_path
from dom_desk.storage.workbook import Workbook


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv_lines(rows: list[Row]) -> Iterator[list[str]]:
    yield list(HEADERS)
    for row in rows:
        yield [_csv_text(v) for v in row]


def export_results(
    wb: Workbook, path: Path, year: str | None = None, file_format: str | None = None
) -> int:
    """Writes the results to ``path`` as CSV or xlsx (from the suffix unless given);
    returns the number of rows written."""
    path = Path(path)
    chosen = (file_format or path.suffix.lstrip(".") or "csv").casefold()
    if chosen not in FORMATS:
        raise ValidationError(
            f"'{chosen}' is not a format for results (use csv or xlsx)", "--format"
        )
    rows = result_rows(wb, year)
    if chosen == "xlsx":
        title = f"Results {year}" if year else "Results"
        write_sheets(path, [Sheet(title, HEADERS, KINDS, rows)])
    else:
        with (
            atomic_path(path) as temporary,
            temporary.open("w", newline="", encoding="utf-8") as handle,
        ):
            csv.writer(handle, lineterminator="\n").writerows(_csv_lines(rows))
    return len(rows)
