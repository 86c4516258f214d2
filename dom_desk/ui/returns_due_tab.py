"""Performance ▸ Returns schedule: every owing provider's monthly return for the year, due
when, received when, its state in words (with a symbol and a shade, never colour alone)
and how many working days late; "Chase only" narrows it to the chase list (overdue,
most late first, then due within 14 days), which exports to Excel. The due rule (working
days after the month ends) is set here, as one undoable step. Every figure comes from
``domain.returns_schedule``; the command line is ``dom-desk returns``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import returns_schedule as rs
from dom_desk.domain.periods import format_date
from dom_desk.domain.returns_schedule import ReturnDue, ReturnState, Schedule
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError
from dom_desk.ui.messages import messages
from dom_desk.ui.rows_table import RowsModel, fit_columns, rows_table
from dom_desk.ui.undo import push

#: A glyph beside each state's words, so the column reads without colour.
SYMBOLS = {
    ReturnState.RECEIVED: "✓",
    ReturnState.LATE: "✓",
    ReturnState.OVERDUE: "!",
    ReturnState.DUE: "●",
    ReturnState.NOT_DUE: "…",
}
#: Shades behind the rows that need a look (the performance matrix's colours).
_SHADES = {
    ReturnState.OVERDUE: QBrush(QColor("#f6b9b3")),
    ReturnState.LATE: QBrush(QColor("#fde4a5")),
}
#: How far ahead the chase list looks, in calendar days (as the Overview's list does).
CHASE_DAYS = 14


def state_text(row: ReturnDue) -> str:
    return f"{SYMBOLS[row.state]} {row.state}"


def _shade(row: ReturnDue) -> QBrush | None:
    return _SHADES.get(row.state)


COLUMNS: tuple[tuple[str, Callable[[ReturnDue], str], bool], ...] = (
    ("Provider", lambda r: r.provider_name, False),
    ("Month", lambda r: r.period_label, False),
    ("Due", lambda r: format_date(r.due), False),
    ("Received", lambda r: format_date(r.received_on), False),
    ("Working days late", lambda r: f"{r.days_late:,}" if r.days_late else "", True),
    ("State", state_text, False),
)


class ReturnsDueTab(QWidget):
    """The Returns schedule tab of the Performance area (``attach`` adds it to a page)."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returns_due_tab")
        self.workspace = workspace
        self.schedule: Schedule | None = None
        self.model = RowsModel(COLUMNS, _shade)
        self.table = rows_table(self.model, "returns_schedule")
        self.table.setAccessibleName(self.tr("Returns schedule"))
        self.table.setToolTip(self.tr("Enter or double-click opens the provider"))
        self.table.activated.connect(self.open_provider)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("returns_summary")
        self.summary_label.setWordWrap(True)

        self.chase_only = QCheckBox(self.tr("&Chase only"))
        self.chase_only.setToolTip(
            self.tr(
                "Only the returns to chase: overdue ones, most working days late first, "
                "then those due within {0} days"
            ).format(CHASE_DAYS)
        )
        self.chase_only.toggled.connect(lambda _on: self.show_rows())
        self.rule = QSpinBox()
        self.rule.setRange(rs.MIN_DUE_DAYS, rs.MAX_DUE_DAYS)
        self.rule.setSuffix(self.tr(" working days"))
        self.rule.setAccessibleName(self.tr("Returns due, working days after the month ends"))
        self.rule.setToolTip(
            self.tr(
                "Returns are due this many working days after the month ends; weekends "
                "and England and Wales bank holidays are not counted"
            )
        )
        self.rule.valueChanged.connect(self._rule_edited)
        rule_label = QLabel(self.tr("Due ru&le:"))
        rule_label.setBuddy(self.rule)
        self.apply_rule = QPushButton(self.tr("Appl&y rule"))
        self.apply_rule.setObjectName("returns_apply_rule")
        self.apply_rule.setToolTip(self.tr("Work every due date out again with this rule"))
        self.apply_rule.clicked.connect(lambda: self.set_rule(self.rule.value()))
        self.export_button = QPushButton(self.tr("E&xport chase list…"))
        self.export_button.setObjectName("returns_export_chase")
        self.export_button.setToolTip(self.tr("The returns to chase, as an Excel workbook"))
        self.export_button.clicked.connect(lambda: self.export_chase())

        controls = QHBoxLayout()
        controls.addWidget(self.chase_only)
        controls.addStretch(1)
        controls.addWidget(rule_label)
        controls.addWidget(self.rule)
        controls.addWidget(QLabel(self.tr("after the month ends")))
        controls.addWidget(self.apply_rule)
        controls.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        self._page: Any = None

    @classmethod
    def attach(cls, page: Any) -> ReturnsDueTab:
        """Adds the tab to the Performance page: read each time it is shown, and again
        when the page reads the workbook again (a reload, an import, a change of year)
        while it is on screen; the matrix's filters are hidden while it is."""
        tab = cls(page.workspace, page)
        tab._page = page
        page.tabs.addTab(tab, tab.tr("Ret&urns schedule"))
        page.tabs.currentChanged.connect(tab._tab_changed)
        page.loaded.connect(tab._page_loaded)
        return tab

    # -- reading ------------------------------------------------------------------------

    def _tab_changed(self, _index: int) -> None:
        if self._page is not None and self._page.tabs.currentWidget() is self:
            self._page.matrix_controls.setVisible(False)

    def _page_loaded(self) -> None:
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()

    def ensure_loaded(self) -> None:
        if self.schedule is None:
            self.reload()

    def reload(self) -> None:
        try:
            found = rs.schedule(self.workspace.wb, self.workspace.year)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.schedule = found
        self.rule.blockSignals(True)
        self.rule.setValue(found.due_days)
        self.rule.blockSignals(False)
        self._rule_edited()
        self.show_rows()

    def rows(self) -> list[ReturnDue]:
        """The rows shown: the whole schedule, or the chase list."""
        if self.schedule is None:
            return []
        if self.chase_only.isChecked():
            return self.schedule.chase(CHASE_DAYS)
        return list(self.schedule.rows)

    def show_rows(self) -> None:
        rows = self.rows()
        self.model.set_rows(rows)
        fit_columns(self.table, widest=self.fontMetrics().averageCharWidth() * 40)
        if self.schedule is not None:
            self.summary_label.setText(summary(self.schedule, self.chase_only.isChecked()))
        # The schedule opens at the month of the earliest return still outstanding, not
        # at April's, long in.
        first = first_outstanding(rows)
        if first is not None:
            self.table.scrollTo(
                self.model.index(first, 0), QAbstractItemView.ScrollHint.PositionAtTop
            )

    def open_provider(self, index: QModelIndex) -> bool:
        """Shows the row's provider in the Providers area (its contacts, to chase)."""
        if not index.isValid():
            return False
        view = self.workspace.parent()  # the WorkspaceView that owns the workspace
        if not hasattr(view, "open_record"):
            return False
        view.open_record("providers", self.model.rows[index.row()].provider_id)
        return True

    # -- the due rule -------------------------------------------------------------------

    def _rule_edited(self, *_args: object) -> None:
        saved = self.schedule.due_days if self.schedule is not None else self.rule.value()
        writable = not self.workspace.read_only
        self.rule.setEnabled(writable)
        self.apply_rule.setEnabled(writable and self.rule.value() != saved)

    def set_rule(self, days: int) -> bool:
        """Sets the due rule, as one step on the undo stack; False when refused."""
        if self.schedule is None:
            self.reload()
        old = self.schedule.due_days if self.schedule is not None else rs.DEFAULT_DUE_DAYS
        if days == old:
            return True
        wb = self.workspace.wb
        command = push(
            self.workspace.undo_stack,
            self.tr("set returns due {0} after the month ends").format(
                counted(days, "working day")
            ),
            lambda _first: rs.set_due_rule(wb, days),
            lambda _result: rs.set_due_rule(wb, old),
            self._rule_changed,
            self,
        )
        if command.failed:
            self.reload()  # the spin box shows the rule kept
        return not command.failed

    def _rule_changed(self) -> None:
        self.reload()
        if self._page is not None:
            self._page.changed.emit()  # the Overview's key dates and list move too

    # -- export -------------------------------------------------------------------------

    def export_chase(self, path: Path | None = None) -> Path | None:
        """Writes the chase list to Excel; asks where when not told."""
        from dom_desk.exports.chase_export import export_chase

        self.ensure_loaded()
        if self.schedule is None:
            return None
        on = self.schedule.on
        if path is None:
            path = messages.save_xlsx_path(
                self,
                self.tr("Export the returns chase list"),
                Path(f"Returns to chase {on:%d-%m-%Y}.xlsx"),
            )
            if path is None:
                return None
        try:
            return export_chase(self.schedule.chase(CHASE_DAYS), on, path)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return None


def first_outstanding(rows: list[ReturnDue]) -> int | None:
    """The first row of the month holding the earliest return overdue or due."""
    waiting = [r for r in rows if r.state in (ReturnState.OVERDUE, ReturnState.DUE)]
    if not waiting:
        return None
    month = min(waiting, key=lambda r: r.due).period_code
    return next(i for i, r in enumerate(rows) if r.period_code == month)


def summary(found: Schedule, chase_only: bool = False) -> str:
    """One paragraph over the table: the date it is judged on, how many providers owe
    returns, what is overdue, due soon and late, and the rule."""
    states = [r.state for r in found.rows]
    providers = len({r.provider_id for r in found.rows})
    on = format_date(found.on)
    if not found.rows:
        return (
            f"{found.year}, as at {on}: no provider owes returns yet (a provider owes them "
            "once it has an agreement for the year and reports a measure itself)."
        )
    chase = found.chase(CHASE_DAYS)
    overdue = states.count(ReturnState.OVERDUE)
    parts = [
        f"{found.year}, as at {on}: {counted(providers, 'provider')} "
        f"{'owes' if providers == 1 else 'owe'} monthly returns, "
        f"due {counted(found.due_days, 'working day')} after the month ends "
        "(weekends and England and Wales bank holidays not counted).",
        f"{counted(overdue, 'return')} overdue, "
        f"{len(chase) - overdue:,} due within {CHASE_DAYS} days; "
        f"{states.count(ReturnState.RECEIVED):,} received on time, "
        f"{states.count(ReturnState.LATE):,} late.",
    ]
    if chase_only:
        parts.append(f"Showing the {counted(len(chase), 'return')} to chase.")
    return " ".join(parts)
