"""Any table to xlsx with real number formats: money as numbers in a £ format, dates as
dates, so the figures stay figures in Excel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from dom_desk.domain.values import Kind
from dom_desk.files import atomic_path
from dom_desk.models.base import Labelled

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.######"
PERCENT_FORMAT = '0.0##"%"'

_FORMATS = {
    Kind.MONEY: MONEY_FORMAT,
    Kind.DATE: DATE_FORMAT,
    Kind.INTEGER: INTEGER_FORMAT,
    Kind.DECIMAL: DECIMAL_FORMAT,
    Kind.PERCENT: PERCENT_FORMAT,
}


@dataclass(frozen=True)
class Sheet:
    """One sheet: a title, typed columns and rows of raw values (pence for money)."""

    title: str
    headers: Sequence[str]
    kinds: Sequence[Kind]
    rows: Sequence[Sequence[Any]]
    #: Rows appended after a blank line, e.g. totals, laid out like ``rows``.
    footer: Sequence[Sequence[Any]] = ()


def cell_value(kind: Kind, value: Any) -> Any:
    """The value openpyxl writes: pounds as an exact Decimal, enums as their label."""
    if value is None:
        return None
    if kind is Kind.MONEY:
        return Decimal(value) / 100
    if isinstance(value, Labelled):
        return value.label
    if isinstance(value, Decimal | int | date | str | bool):
        return value
    return str(value)


def write_sheets(path: Path, sheets: Sequence[Sheet]) -> Path:
    """Writes the sheets to ``path`` (atomically) and returns it."""
    from openpyxl import Workbook as XlsxWorkbook  # heavy: imported only when exporting
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = XlsxWorkbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append(list(sheet.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        body = list(sheet.rows)
        if sheet.footer:
            body += [[None] * len(sheet.headers), *sheet.footer]
        for row in body:
            ws.append([cell_value(k, v) for k, v in zip(sheet.kinds, row, strict=True)])
        for index, kind in enumerate(sheet.kinds, start=1):
            letter = get_column_letter(index)
            fmt = _FORMATS.get(kind)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
            widest = max(
                [len(str(sheet.headers[index - 1]))]
                + [len(str(r[index - 1] or "")) for r in body[:500]]
            )
            ws.column_dimensions[letter].width = min(60, max(10, widest + 2))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    with atomic_path(path) as temporary:
        book.save(temporary)
    return Path(path)
