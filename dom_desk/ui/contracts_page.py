"""Contracts: the register, with the selected contract's variation history and its
dated options and breaks beneath it.

Variations are added, never edited: the history shows the original terms and every
step, and the current value and end in the register follow from them.

The dialogs are in :mod:`dom_desk.ui.contract_dialogs`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import contract_views
from dom_desk.domain import planning_steps as steps
from dom_desk.domain.money import format_pounds
from dom_desk.domain.periods import format_date
from dom_desk.domain.region import working_day
from dom_desk.domain.tables import AREAS
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.contract_dialogs import OptionDialog, OptionInput, VariationDialog, VariationInput
from dom_desk.ui.elide import WordElideDelegate
from dom_desk.ui.grid import two_lines
from dom_desk.ui.messages import messages
from dom_desk.ui.undo import push_action as push

Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SimpleTableModel(QAbstractTableModel):
    """Read-only rows of display text; ``right`` names the right-aligned (money) columns."""

    def __init__(
        self, headers: tuple[str, ...], right: tuple[int, ...] = (), parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.headers = headers
        self.right = right
        self.rows: list[tuple[str, ...]] = []
        self.ids: list[int | None] = []

    def set_rows(self, rows: list[tuple[str, ...]], ids: list[int | None] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.ids = ids if ids is not None else [None] * len(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right:
            return int(_RIGHT)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return two_lines(self.headers[section])  # as the grid's: narrow columns, room left
        return None


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # The last column (a description) takes the room left and is cut at a word, the
    # whole in its tooltip, rather than running off to the right.
    last = model.columnCount() - 1
    table.horizontalHeader().setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)
    table.setItemDelegate(WordElideDelegate(table))
    return table


class ContractsPage(AreaPage):
    """The contracts register with history and options for the selected contract."""

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(AREAS["contracts"], workspace, parent)
        self.history_model = SimpleTableModel(
            (
                self.tr("Effective"),
                self.tr("Change"),
                self.tr("Value change"),
                self.tr("Annual value after"),
                self.tr("End after"),
                self.tr("Recorded by"),
                self.tr("Recorded on"),
                self.tr("Description"),
            ),
            right=(2, 3),
        )
        self.history = _table(self.history_model, self.tr("Variation history"))
        self.add_variation_button = QPushButton(self.tr("&Add variation…"))
        self.add_variation_button.clicked.connect(self.add_variation)
        self.history_note = QLabel()
        self.history_note.setWordWrap(True)

        self.options_model = SimpleTableModel(
            (
                self.tr("Option or break"),
                self.tr("Falls on"),
                self.tr("Decide by"),
                self.tr("Months"),
                self.tr("Decided"),
                self.tr("Description"),
            )
        )
        self.options = _table(self.options_model, self.tr("Extension options and breaks"))
        self.add_option_button = QPushButton(self.tr("Add &option…"))
        self.add_option_button.clicked.connect(self.add_option)
        self.exercise_button = QPushButton(self.tr("E&xercise"))
        self.exercise_button.setToolTip(
            self.tr("Take the selected option or break: the contract's end moves, as a variation")
        )
        self.exercise_button.clicked.connect(lambda: self.decide_option(exercise=True))
        self.waive_button = QPushButton(self.tr("&Waive"))
        self.waive_button.setToolTip(self.tr("Let the selected option or break pass"))
        self.waive_button.clicked.connect(lambda: self.decide_option(exercise=False))

        history_box = QGroupBox(self.tr("Variations: every step from the original terms"))
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_note)
        history_layout.addWidget(self.history, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_variation_button)
        row.addStretch(1)
        history_layout.addLayout(row)

        options_box = QGroupBox(self.tr("Extension options and break clauses"))
        options_layout = QVBoxLayout(options_box)
        options_layout.addWidget(self.options, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_option_button)
        row.addWidget(self.exercise_button)
        row.addWidget(self.waive_button)
        row.addStretch(1)
        options_layout.addLayout(row)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(history_box)
        lower.addWidget(options_box)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.setObjectName("contracts_vertical_splitter")
        layout = self.layout()
        layout.removeWidget(self.splitter)
        self.vertical.addWidget(self.splitter)
        self.vertical.addWidget(lower)
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 2)
        layout.addWidget(self.vertical)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.show_history())
        self.workspace.rowChanged.connect(
            lambda area, _row: area == "contracts" and self.show_history()
        )

    # -- the panels ---------------------------------------------------------------------

    def show_history(self) -> None:
        contract_id = self.current_id()
        if contract_id is None:
            self.history_model.set_rows([])
            self.options_model.set_rows([])
            self.history_note.setText(self.tr("Choose a contract to see its history."))
            self._enable(False)
            return
        try:
            detail = contract_views.contract_detail(self.workspace.wb, contract_id)
        except DomDeskError as exc:
            self.history_note.setText(str(exc))
            return
        self.history_model.set_rows(
            [
                (
                    format_date(s.effective),
                    s.kind,
                    _signed(s.value_change),
                    format_pounds(s.value_after),
                    format_date(s.end_after),
                    s.recorded_by,
                    format_date(s.recorded_at.date()) if s.recorded_at else "",
                    s.description,
                )
                for s in detail.steps
            ],
            [s.variation_id for s in detail.steps],
        )
        steps, options, title = detail.steps, detail.options, detail.title
        last = steps[-1]
        self.history_note.setText(
            self.tr("{0}: {1}. Current annual value {2}, current end {3}.").format(
                title,
                counted(len(steps) - 1, "variation"),
                format_pounds(last.value_after) or "–",
                format_date(last.end_after) or "–",
            )
        )
        self.options_model.set_rows(
            [
                (
                    o.kind.label,
                    format_date(o.falls_on),
                    format_date(o.decide_by),
                    str(o.months or ""),
                    format_date(o.decided) or self.tr("Open"),
                    o.description,
                )
                for o in options
            ],
            [o.id for o in options],
        )
        self._enable(True)

    def _enable(self, on: bool) -> None:
        writable = on and not self.workspace.read_only
        for button in (
            self.add_variation_button,
            self.add_option_button,
            self.exercise_button,
            self.waive_button,
        ):
            button.setEnabled(writable)

    # -- actions ------------------------------------------------------------------------

    def add_variation(self) -> None:
        contract_id = self.current_id()
        if contract_id is None:
            return
        try:
            detail = contract_views.contract_detail(self.workspace.wb, contract_id)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        dialog = VariationDialog(detail.title, detail.value, detail.end, detail.today, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_input is None:
            return
        self.record_variation(contract_id, dialog.result_input)

    def record_variation(self, contract_id: int, change: VariationInput) -> bool:
        """Adds the variation as one undoable step; False if it was refused."""
        step = steps.record_variation(
            contract_id,
            change.kind,
            change.effective,
            change.description,
            change.value_change,
            change.new_end,
        )
        command = push(
            self.workspace,
            self.tr("add variation ({0})").format(change.kind.label.lower()),
            step.do,
            step.undo,
            lambda: self._changed(contract_id),
        )
        return not command.failed

    def add_option(self) -> None:
        contract_id = self.current_id()
        if contract_id is None:
            return
        row = self.model.row_by_id(contract_id)
        dialog = OptionDialog(self.model.label_of(row) if row else "", self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_input is None:
            return
        self.record_option(contract_id, dialog.result_input)

    def record_option(self, contract_id: int, option: OptionInput) -> bool:
        step = steps.add_option(
            contract_id,
            option.kind,
            option.falls_on,
            option.decide_by,
            option.months,
            option.description,
        )
        command = push(
            self.workspace,
            self.tr("add {0}").format(option.kind.label.lower()),
            step.do,
            step.undo,
            lambda: self._changed(contract_id),
        )
        return not command.failed

    def decide_option(self, exercise: bool) -> None:
        contract_id = self.current_id()
        index = self.options.currentIndex()
        if contract_id is None or not index.isValid():
            messages.info(self, self.tr("Choose an option or break in the list first."))
            return
        option_id = self.options_model.ids[index.row()]
        assert option_id is not None
        on = working_day(self.workspace.wb)
        step = steps.decide_option(option_id, exercise, on)
        push(
            self.workspace,
            self.tr("exercise option") if exercise else self.tr("waive option"),
            step.do,
            step.undo,
            lambda: self._changed(contract_id),
        )

    def _changed(self, contract_id: int) -> None:
        try:
            self.workspace.rowChanged.emit(
                "contracts", self.workspace.row("contracts", contract_id)
            )
        except DomDeskError:
            self.stale = True
        self.show_history()


def _signed(pence: int | None) -> str:
    if pence is None:
        return ""
    text = format_pounds(abs(pence))
    return f"+{text}" if pence > 0 else f"−{text}"
