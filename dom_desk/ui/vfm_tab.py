"""Allocations ▸ Value for Money: each service line's unit price against its service's
target unit cost and against the other providers of the same service, the lines furthest
above target first, and the same by pathway. Read-only: prices are edited in the SLA
workspace; every figure comes from ``domain.vfm``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.money import format_pounds
from dom_desk.domain.sla.unit_costs import against_target
from dom_desk.domain.vfm import PathwayValue, ValueForMoney, VfmLine, value_for_money
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: A pale red behind prices above target: the words say it too, colour only helps.
_ABOVE = QBrush(QColor("#fbe3e1"))


def _money(pence: int | None) -> str:
    return format_pounds(pence)


def _shade(row: VfmLine) -> QBrush | None:
    return _ABOVE if (row.above_target or 0) > 0 else None


def _against(line: VfmLine) -> str:
    if line.note:
        return line.note
    return against_target(line.unit_price, line.target_unit_cost)


def _range(line: VfmLine) -> str:
    bench = line.benchmark
    if bench is None:
        return ""
    return f"{_money(bench.lowest)} to {_money(bench.highest)}"


LINE_COLUMNS: tuple[tuple[str, Callable[[VfmLine], str], bool], ...] = (
    ("Provider", lambda line: line.provider, False),
    ("Service", lambda line: line.service, False),
    ("Unit", lambda line: line.unit, False),
    ("Volume", lambda line: f"{line.volume:,}", True),
    ("Unit price", lambda line: _money(line.unit_price), True),
    ("Target unit cost", lambda line: _money(line.target_unit_cost), True),
    ("Against target", _against, False),
    ("Cost beyond target", lambda line: _money(line.excess), True),
    ("Median paid", lambda line: _money(line.benchmark and line.benchmark.median_pence), True),
    ("Range paid", _range, True),
    ("Rank (1 = lowest)", lambda line: line.rank_text, True),
)

PATHWAY_COLUMNS: tuple[tuple[str, Callable[[PathwayValue], str], bool], ...] = (
    ("Pathway", lambda p: p.pathway, False),
    ("Service lines", lambda p: f"{p.lines:,}", True),
    ("Value", lambda p: _money(p.value), True),
    ("Lines with a target cost", lambda p: f"{p.costed_lines:,}", True),
    ("At target prices", lambda p: _money(p.value_at_target), True),
    ("Paid beyond target", lambda p: _money(p.excess), True),
)


class VfmTab(QWidget):
    """The Value for Money tab of the Allocations area."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vfm_tab")
        self.workspace = workspace
        self.stale = True
        self.vfm: ValueForMoney | None = None
        self.lines = RowsModel(LINE_COLUMNS, _shade)
        self.pathways = RowsModel(PATHWAY_COLUMNS)
        self.line_table = rows_table(self.lines, "vfm_lines")
        self.pathway_table = rows_table(self.pathways, "vfm_pathways")
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        export = QPushButton(self.tr("Export to Excel…"))
        export.setObjectName("vfm_export")
        export.clicked.connect(lambda: self.export_xlsx())
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(export)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.line_table)
        split.addWidget(self.pathway_table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def ensure_loaded(self) -> None:
        if self.stale:
            self.reload()

    def reload(self) -> None:
        try:
            vfm = value_for_money(self.workspace.wb, self.workspace.year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.stale = False
        self.vfm = vfm
        self.lines.set_rows(vfm.lines)
        self.pathways.set_rows(vfm.pathways)
        self.summary_label.setText(summary(vfm))
        for view in (self.line_table, self.pathway_table):
            fit_columns(view)

    def export_xlsx(self, path: Path | None = None) -> Path | None:
        """Writes the two tables to Excel; asks where when not told."""
        from dom_desk.exports.vfm_export import export_vfm

        self.ensure_loaded()
        if self.vfm is None:
            return None
        if path is None:
            path = messages.save_xlsx_path(
                self,
                self.tr("Export value for money"),
                Path(f"Value for money {self.vfm.year}.xlsx"),
            )
            if path is None:
                return None
        try:
            return export_vfm(self.vfm, path)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None


def summary(vfm: ValueForMoney) -> str:
    """One sentence over the table: how many lines cost more than their target, and what
    the year pays beyond target prices."""
    above = [line for line in vfm.lines if (line.above_target or 0) > 0]
    empty = sum(1 for line in vfm.lines if not line.has_volume)
    excess = vfm.total_excess
    paid = (
        f"{format_pounds(excess)} beyond target prices"
        if excess >= 0
        else f"{format_pounds(-excess)} less than target prices"
    )
    text = (
        f"{vfm.year}: {len(above)} of {len(vfm.lines)} service lines cost more than their "
        f"service's target unit cost; at the year's volumes the costed lines pay {paid}"
    )
    if empty:
        text += f"; {empty} {'line has' if empty == 1 else 'lines have'} no volume this year"
    return text + "."
