"""Risks: the heat map beside the register. Choosing a cell selects its risks; a review
is recorded with its findings and the next review date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain import planning_steps as steps
from dom_desk.domain import risks
from dom_desk.domain.kinds import Level
from dom_desk.domain.periods import add_months, format_date, parse_date
from dom_desk.domain.planning_views import risk_heat_map
from dom_desk.domain.region import working_day
from dom_desk.domain.tables import AREAS
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.form_dialog import lay_out_form
from dom_desk.ui.messages import messages
from dom_desk.ui.risk_heatmap import RiskHeatMap
from dom_desk.ui.undo import push_action as push

#: The default gap to the next review.
REVIEW_MONTHS = 3


@dataclass(frozen=True)
class ReviewInput:
    reviewed_on: date
    next_review: date | None
    likelihood: Level
    impact: Level
    note: str


class ReviewDialog(QDialog):
    def __init__(
        self,
        reference: str,
        likelihood: Level,
        impact: Level,
        on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review risk {0}").format(reference))
        self.reviewed_on = QLineEdit(format_date(on))
        self.next_review = QLineEdit(format_date(add_months(on, REVIEW_MONTHS)))
        self.likelihood = QComboBox()
        self.impact = QComboBox()
        for combo, current in ((self.likelihood, likelihood), (self.impact, impact)):
            for level in risks.LEVELS:
                combo.addItem(f"{level.label}: {risks.LEVEL_NAMES[level]}", level.name)
            combo.setCurrentIndex(risks.LEVELS.index(current))
        self.note = QLineEdit()
        rows = (
            (self.tr("&Reviewed on:"), self.reviewed_on),
            (self.tr("&Likelihood now:"), self.likelihood),
            (self.tr("&Impact now:"), self.impact),
            (self.tr("&Next review:"), self.next_review),
            (self.tr("N&ote:"), self.note),
        )
        lay_out_form(self, rows, self._accept)
        self.result_input: ReviewInput | None = None

    def _accept(self) -> None:
        try:
            reviewed = parse_date(self.reviewed_on.text(), self.tr("Reviewed on"))
            if reviewed is None:
                raise ValidationError(
                    self.tr("enter the date of the review"), self.tr("Reviewed on")
                )
            self.result_input = ReviewInput(
                reviewed,
                parse_date(self.next_review.text(), self.tr("Next review")),
                Level[self.likelihood.currentData()],
                Level[self.impact.currentData()],
                self.note.text(),
            )
        except ValidationError as exc:
            messages.error(self, str(exc))
            return
        self.accept()


#: Shares of the page's width for the heat map, the register and the details.
SPLIT_SHARES = (0.34, 0.44, 0.22)


class RisksPage(AreaPage):
    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(AREAS["risks"], workspace, parent)
        self.heat_map = RiskHeatMap()
        self.heat_map.setObjectName("risk_heat_map")
        self.heat_map.cellChosen.connect(self.select_cell)
        self.cell_note = QLabel(
            self.tr(
                "Open risks. Choose a cell (arrow keys and Enter, or a click) to select its risks."
            )
        )
        self.cell_note.setWordWrap(True)
        self.review_button = QPushButton(self.tr("Record &review…"))
        self.review_button.clicked.connect(self.review)
        self.import_button = QPushButton(self.tr("&Import risks…"))
        self.import_button.setToolTip(
            self.tr("Read a risk register from a spreadsheet (header row, then a row per risk)")
        )
        self.import_button.clicked.connect(self.import_risks)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.heat_map, 1)
        side_layout.addWidget(self.cell_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        side_layout.addLayout(buttons)
        self.splitter.insertWidget(0, side)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        self.workspace.rowChanged.connect(
            lambda area, _row: area == "risks" and self.refresh_heat_map()
        )

    def reload(self) -> None:
        super().reload()
        self.refresh_heat_map()

    def _fit_when_laid_out(self) -> None:
        # First time shown (no saved splitter): heat map, register and details side by
        # side. The page's own first split knows only two panes and would starve the third.
        if (
            self._split_pending
            and self._auto_fit
            and self.isVisible()
            and self.splitter.width() > 0
            and self.width() >= self.window().width() // 2
        ):
            self._split_pending = False
            width = self.splitter.width()
            self.splitter.setSizes([round(width * share) for share in SPLIT_SHARES])
        super()._fit_when_laid_out()

    def refresh_heat_map(self) -> None:
        try:
            heat = risk_heat_map(self.workspace.wb)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.heat_map.set_heat_map(heat)
        writable = not self.workspace.read_only
        self.review_button.setEnabled(writable)
        self.import_button.setEnabled(writable)

    def select_cell(self, likelihood: str, impact: str) -> list[int]:
        """Selects the register rows of one cell; returns their ids."""
        keys = [c.key for c in self.model.columns]
        li, ii, si = keys.index("likelihood"), keys.index("impact"), keys.index("status")
        selection = QItemSelection()
        chosen: list[int] = []
        for row in range(self.proxy.rowCount()):
            lik = self.proxy.index(row, li).data(Qt.ItemDataRole.DisplayRole)
            imp = self.proxy.index(row, ii).data(Qt.ItemDataRole.DisplayRole)
            shown_open = self.proxy.index(row, si).data(Qt.ItemDataRole.DisplayRole) == "Open"
            if (lik, imp) == (likelihood, impact) and shown_open:  # as the heat map counts
                selection.select(
                    self.proxy.index(row, 0), self.proxy.index(row, self.proxy.columnCount() - 1)
                )
                chosen.append(self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 2))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        if chosen:
            first = selection.indexes()[0]
            self.table.selectionModel().setCurrentIndex(first, flags)
            self.table.selectionModel().select(selection, flags)
            self.table.scrollTo(first)
        names = {level.label: risks.LEVEL_NAMES[level] for level in risks.LEVELS}
        self.cell_note.setText(
            self.tr("Likelihood {0}, impact {1}: {2}").format(
                names[likelihood],
                names[impact],
                self.tr("{0} risk(s) selected in the register").format(len(chosen))
                if chosen
                else self.tr("no risks"),
            )
        )
        return chosen

    def review(self) -> None:
        risk_id = self.current_id()
        if risk_id is None:
            messages.info(self, self.tr("Choose a risk in the register first."))
            return
        row = self.model.row_by_id(risk_id)
        assert row is not None
        keys = [c.key for c in self.area.columns]
        values = dict(zip(keys, row.values, strict=True))
        on = working_day(self.workspace.wb)
        dialog = ReviewDialog(values["reference"], values["likelihood"], values["impact"], on, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_input is None:
            return
        self.record_review(risk_id, dialog.result_input)

    def record_review(self, risk_id: int, review: ReviewInput) -> bool:
        step = steps.record_review(
            risk_id,
            review.reviewed_on,
            review.next_review,
            review.likelihood,
            review.impact,
            review.note,
        )

        def changed() -> None:
            try:
                self.workspace.rowChanged.emit("risks", self.workspace.row("risks", risk_id))
            except DomDeskError:
                self.stale = True

        command = push(self.workspace, self.tr("review risk"), step.do, step.undo, changed)
        return not command.failed

    def import_risks(self) -> None:
        from dom_desk.domain.lists_import import ListKind
        from dom_desk.ui.lists_import_dialog import import_list_interactively

        if import_list_interactively(self, self.workspace, ListKind.RISKS):
            self.reload()
