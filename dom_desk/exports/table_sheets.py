"""Any table of the window as an xlsx sheet: typed columns, raw values, an exact totals row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dom_desk.domain.tables import Column, Row
from dom_desk.domain.values import Kind
from dom_desk.exports.xlsx_tables import Sheet, write_sheets


def totals_row(columns: Sequence[Column], rows: Sequence[Row]) -> tuple:
    """ "Total" in the first column and the exact sum of every money column; else empty."""
    sums: list[object] = []
    for index, column in enumerate(columns):
        if index == 0:
            sums.append("Total")
        elif column.kind is Kind.MONEY:
            sums.append(sum(row.values[index] or 0 for row in rows))
        else:
            sums.append(None)
    return tuple(sums)


def table_sheet(
    title: str, columns: Sequence[Column], rows: Sequence[Row], totals: bool = True
) -> Sheet:
    """A sheet of ``rows`` as shown (values in ``columns`` order), with a totals row when
    any column holds money."""
    has_money = any(c.kind is Kind.MONEY for c in columns)
    return Sheet(
        title,
        [c.title for c in columns],
        [c.kind for c in columns],
        [r.values for r in rows],
        footer=[totals_row(columns, rows)] if totals and has_money else (),
    )


def export_table(path: Path, title: str, columns: Sequence[Column], rows: Sequence[Row]) -> Path:
    """Writes one table to an xlsx file (atomically), money as numbers in a £ format."""
    return write_sheets(path, [table_sheet(title, columns, rows)])
