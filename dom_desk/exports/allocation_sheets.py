"""The allocations of a year as an xlsx workbook: the table, the envelope and every total.

Each sheet ends with a totals row whose figures are the domain's own exact totals, so the
spreadsheet agrees with the window to the penny.
"""

from __future__ import annotations

from pathlib import Path

from dom_desk.domain import allocations
from dom_desk.domain.allocations import GroupTotal, Position
from dom_desk.domain.values import Kind
from dom_desk.exports.table_sheets import table_sheet
from dom_desk.exports.xlsx_tables import Sheet, write_sheets
from dom_desk.storage.workbook import Workbook

MONEY = Kind.MONEY
GROUP_SHEETS = (
    ("provider", "By provider", "Provider"),
    ("kind", "By provider kind", "Provider kind"),
    ("sector", "By sector", "Sector"),
    ("pathway", "By pathway", "Pathway"),
)
GROUP_HEADERS = ("Allocations", "Baseline", "Provisional", "Agreed", "Committed")
GROUP_KINDS = (Kind.INTEGER, MONEY, MONEY, MONEY, MONEY)


def _figures(total: GroupTotal) -> tuple:
    return (total.count, total.baseline, total.provisional, total.agreed, total.committed)


def group_sheet(pos: Position, dimension: str, title: str, heading: str) -> Sheet:
    return Sheet(
        title,
        (heading, *GROUP_HEADERS),
        (Kind.TEXT, *GROUP_KINDS),
        [(g.name, *_figures(g)) for g in pos.totals(dimension)],
        footer=[("Total", *_figures(pos.total))],
    )


def envelope_sheet(pos: Position) -> Sheet:
    return Sheet(
        "Envelope",
        ("Funding source", "Amount", "Illustrative", "Notes"),
        (Kind.TEXT, MONEY, Kind.FLAG, Kind.TEXT),
        [(e.funding_source, e.amount, e.illustrative, e.notes) for e in pos.envelope_lines],
        footer=[
            ("Envelope", pos.envelope, None, None),
            ("Committed", pos.committed, None, "Agreed, else provisional, else baseline"),
            ("Headroom", pos.headroom, None, "Over the envelope" if pos.over_envelope else ""),
        ],
    )


def allocation_sheets(pos: Position) -> list[Sheet]:
    sheets = [
        table_sheet(f"Allocations {pos.year}", allocations.COLUMNS, allocations.table_rows(pos)),
        envelope_sheet(pos),
    ]
    sheets += [group_sheet(pos, *spec) for spec in GROUP_SHEETS]
    warnings = pos.warnings
    if warnings:
        sheets.append(Sheet("Warnings", ("Warning",), (Kind.TEXT,), [(w,) for w in warnings]))
    return sheets


def export_allocations(wb: Workbook, path: Path, year_label: str | None = None) -> Position:
    """Writes the year's allocations to ``path``; returns the position written."""
    pos = allocations.position(wb, year_label)
    write_sheets(path, allocation_sheets(pos))
    return pos
