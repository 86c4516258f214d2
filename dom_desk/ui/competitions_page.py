"""Competitions: the list, and the selected competition's timetable of stages and its
bids and evaluation (``ui.tenders_panel``), in two tabs.

Every stage date is editable: type ``31/03/2010`` for an exact date, or the wording a
plan uses ("June 2009", "Summer 2009", "Tbc"). Fuzzy dates show their wording with a
"≈" and in italics, with the best-estimate date beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import planning_steps as steps
from dom_desk.domain.kinds import CompetitionKind
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.domain.planning_views import StageView, competition_detail
from dom_desk.domain.tables import AREAS
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.form_dialog import lay_out_form
from dom_desk.ui.messages import messages
from dom_desk.ui.tenders_panel import TendersPanel
from dom_desk.ui.undo import push_action as push

Index = QModelIndex | QPersistentModelIndex
PLANNED, BEST, ACTUAL, STATUS = 1, 2, 3, 4


def stage_status(stage: StageView, on: date) -> str:
    if stage.actual is not None:
        return f"Done {format_date(stage.actual)}"
    if stage.best is None:
        return "Date to be confirmed"
    days = (stage.best - on).days
    prefix = "Best estimate: " if stage.fuzzy else ""
    if days < 0:
        return f"{prefix}overdue by {-days} days"
    return f"{prefix}due in {days} days" if days else f"{prefix}due today"


class StagesModel(QAbstractTableModel):
    """One competition's stages; the planned wording and actual date are editable."""

    HEADERS = ("Stage", "Planned (as written)", "Best date", "Actual", "Status")

    def __init__(self, page: CompetitionsPage) -> None:
        super().__init__(page)
        self.page = page
        self.stages: list[StageView] = []
        self.today = date.today()

    def set_stages(self, stages: list[StageView], on: date) -> None:
        self.beginResetModel()
        self.stages, self.today = stages, on
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.stages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in (PLANNED, ACTUAL) and not self.page.workspace.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.stages):
            return None
        stage = self.stages[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                stage.stage,
                f"≈ {stage.written}" if stage.fuzzy and stage.written else stage.written,
                format_date(stage.best),
                format_date(stage.actual),
                stage_status(stage, self.today),
            )[column]
        if role == Qt.ItemDataRole.EditRole:
            return {PLANNED: stage.written, ACTUAL: format_date(stage.actual)}.get(column, "")
        if role == Qt.ItemDataRole.FontRole and column == PLANNED and stage.fuzzy:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == PLANNED:
            return (
                "A fuzzy date: the wording is kept, the best date is an estimate"
                if stage.fuzzy
                else "Type a date (31/03/2010) or wording (Summer 2009, Tbc)"
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            fuzzy = " (fuzzy)" if stage.fuzzy and column == PLANNED else ""
            return str(self.data(index)) + fuzzy
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        stage = self.stages[index.row()]
        if index.column() == PLANNED:
            return self.page.set_planned(stage.id, str(value))
        if index.column() == ACTUAL:
            try:
                actual = parse_date(str(value), f"{stage.stage}, Actual")
            except ValidationError as exc:
                messages.error(self.page, str(exc))
                return False
            return self.page.set_actual(stage.id, actual)
        return False

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return None


@dataclass(frozen=True)
class CompetitionInput:
    subject: str
    kind: CompetitionKind
    expiry: str
    call: str


class NewCompetitionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New competition"))
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(self.tr("a prison, a service or a cluster"))
        self.kind = QComboBox()
        for kind in CompetitionKind:
            self.kind.addItem(kind.label, kind.name)
        self.expiry = QLineEdit()
        self.expiry.setPlaceholderText(self.tr("June 2010, 30/06/2010 or n/a"))
        self.call = QLineEdit()
        self.call.setPlaceholderText(self.tr("leave empty: 12 months before expiry"))
        note = QLabel(
            self.tr(
                "The timetable is worked back from the expiry (call for "
                "competition 12 months before); every date can be changed."
            )
        )
        note.setWordWrap(True)
        rows = (
            (self.tr("&Subject:"), self.subject),
            (self.tr("&Type:"), self.kind),
            (self.tr("Current agreement &expires:"), self.expiry),
            (self.tr("&Call for competition:"), self.call),
        )
        lay_out_form(self, rows, self.accept, note=note)

    def answer(self) -> CompetitionInput:
        expiry = self.expiry.text().strip()
        return CompetitionInput(
            self.subject.text(),
            CompetitionKind[self.kind.currentData()],
            "" if expiry.casefold() == "n/a" else expiry,
            self.call.text().strip(),
        )


class CompetitionsPage(AreaPage):
    #: Show a record of another area (the contract an award made): area key and id.
    openRecord = Signal(str, int)

    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(AREAS["competitions"], workspace, parent)
        self.stages_model = StagesModel(self)
        self.stages = QTableView()
        self.stages.setObjectName("competition_stages")
        self.stages.setModel(self.stages_model)
        self.stages.setAccessibleName(self.tr("Timetable of the selected competition"))
        self.stages.verticalHeader().setVisible(False)
        self.stages.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # Tab leaves the timetable for its buttons (arrow keys move between cells): no
        # keyboard trap, and Shift+Tab gets back to the competitions and their details.
        self.stages.setTabKeyNavigation(False)
        self.stages.setAlternatingRowColors(True)
        self.stages.setWordWrap(False)
        header = self.stages.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.timetable_note = QLabel()
        self.timetable_note.setWordWrap(True)
        self.new_button = QPushButton(self.tr("&New competition…"))
        self.new_button.clicked.connect(self.new_competition)
        self.replan_button = QPushButton(self.tr("&Work back from expiry"))
        self.replan_button.setToolTip(
            self.tr("Re-plan the stages not yet done from the expiry date (call 12 months before)")
        )
        self.replan_button.clicked.connect(self.replan)

        box = QGroupBox(
            self.tr("Timetable: type a date or wording (Summer 2009, Tbc); F2 or typing edits")
        )
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.timetable_note)
        box_layout.addWidget(self.stages, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.replan_button)
        row.addStretch(1)
        box_layout.addLayout(row)

        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.setObjectName("competitions_vertical_splitter")
        layout = self.layout()
        layout.removeWidget(self.splitter)
        self.vertical.addWidget(self.splitter)
        self.tenders = TendersPanel(workspace)
        self.tenders.awarded.connect(self._changed)
        self.tenders.openContract.connect(lambda id_: self.openRecord.emit("contracts", id_))
        self.lower = QTabWidget()
        self.lower.setObjectName("competition_tabs")
        self.lower.addTab(box, self.tr("Timetable"))
        self.lower.addTab(self.tenders, self.tr("&Bids and evaluation"))
        self.vertical.addWidget(self.lower)
        self.vertical.setStretchFactor(0, 2)
        self.vertical.setStretchFactor(1, 3)
        layout.addWidget(self.vertical)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self.show_stages())
        self.workspace.rowChanged.connect(
            lambda area, _row: area == "competitions" and self.show_stages()
        )

    def show_stages(self) -> None:
        competition_id = self.current_id()
        writable = not self.workspace.read_only
        self.new_button.setEnabled(writable)
        self.replan_button.setEnabled(writable and competition_id is not None)
        if self.tenders.competition_id != competition_id or competition_id is None:
            self.tenders.show_competition(competition_id)
        if competition_id is None:
            self.stages_model.set_stages([], date.today())
            self.timetable_note.setText(self.tr("Choose a competition to see its timetable."))
            return
        try:
            detail = competition_detail(self.workspace.wb, competition_id)
        except DomDeskError as exc:
            self.timetable_note.setText(str(exc))
            return
        stages, on, problems = list(detail.stages), detail.today, detail.problems
        subject, kind, expiry = detail.subject, detail.kind, detail.expiry
        self.stages_model.set_stages(stages, on)
        text = self.tr("{0}: {1}; current agreement expires {2}.").format(subject, kind, expiry)
        if problems:
            text += " " + self.tr("Check the order: {0}.").format("; ".join(problems))
        self.timetable_note.setText(text)

    def _changed(self, competition_id: int) -> None:
        try:
            self.workspace.rowChanged.emit(
                "competitions", self.workspace.row("competitions", competition_id)
            )
        except DomDeskError:
            self.stale = True
        self.show_stages()

    def set_planned(self, stage_id: int, text: str) -> bool:
        competition_id = self.current_id()
        step = steps.set_stage_planned(stage_id, text)
        command = push(
            self.workspace,
            self.tr("change stage date"),
            step.do,
            step.undo,
            lambda: competition_id is not None and self._changed(competition_id),
        )
        return not command.failed

    def set_actual(self, stage_id: int, actual: date | None) -> bool:
        competition_id = self.current_id()
        step = steps.set_stage_actual(stage_id, actual)
        command = push(
            self.workspace,
            self.tr("record stage reached"),
            step.do,
            step.undo,
            lambda: competition_id is not None and self._changed(competition_id),
        )
        return not command.failed

    def new_competition(self) -> None:
        dialog = NewCompetitionDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.create(dialog.answer())

    def create(self, spec: CompetitionInput) -> int | None:
        """Adds a competition with its default timetable, as one undoable step."""
        step = steps.create_competition(spec.subject, spec.kind, spec.expiry, spec.call)
        created = step.memo

        def changed() -> None:
            self.reload()
            if "id" in created and self.select_id(created["id"]):
                self._changed(created["id"])

        command = push(self.workspace, self.tr("new competition"), step.do, step.undo, changed)
        return None if command.failed else created.get("id")

    def replan(self) -> None:
        competition_id = self.current_id()
        if competition_id is None:
            return
        step = steps.replan(competition_id)
        push(
            self.workspace,
            self.tr("work timetable back from expiry"),
            step.do,
            step.undo,
            lambda: self._changed(competition_id),
        )
