"""Bring Back Online: the fields changed both here and on the server, side by side.

One row per conflict (the same field changed on both sides to different values, or a
record deleted on one side and edited on the other): the record, the field, what it was
when taken offline, yours, theirs with who saved it and when, and a choice of Yours or
Theirs. Nothing is chosen for the user: Check In is enabled once every row has a choice
(the buttons Keep All Mine and Keep All Theirs choose for every row, still the user's
choice), and ``choices()`` gives them by the conflict's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.offline import THEIRS, YOURS

if TYPE_CHECKING:
    from dom_desk.domain.offline import Conflict

#: The columns: what each shows.
HEADINGS = (
    "Record",
    "Field",
    "What happened",
    "When taken offline",
    "Yours",
    "Theirs",
    "Theirs saved by",
    "Keep",
)
_KEEP = len(HEADINGS) - 1


def shown(value: Any) -> str:
    """A conflict's value as the table shows it: text as given, a deleted record or an
    empty field in words."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    return str(value)


def _saved_by(conflict: Conflict) -> str:
    by = conflict.theirs_by or ""
    when = shown(conflict.theirs_at) if conflict.theirs_at is not None else ""
    return f"{by}, {when}" if by and when else by or when


class ConflictsDialog(QDialog):
    """Asks Yours or Theirs for each conflict; ``choices()`` once accepted."""

    def __init__(
        self, conflicts: Sequence[Conflict], summary: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.conflicts = list(conflicts)
        self.setWindowTitle(self.tr("Bring Back Online: choose what to keep"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "{0} changed both on this computer and on the server since the region was "
                "taken offline (or deleted on one side and changed on the other). DOM Desk "
                "does not guess: choose, for each, whether yours or theirs is kept. "
                "Everything else is merged as it is."
            ).format(
                self.tr("One thing was")
                if len(self.conflicts) == 1
                else self.tr("{0} things were").format(len(self.conflicts))
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if summary:
            note = QLabel(summary)
            note.setWordWrap(True)
            layout.addWidget(note)

        self.table = QTableWidget(len(self.conflicts), len(HEADINGS))
        self.table.setAccessibleName(self.tr("Conflicts"))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADINGS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.keep: list[QComboBox] = []
        for row, conflict in enumerate(self.conflicts):
            texts = (
                shown(conflict.record),
                shown(conflict.field),
                shown(conflict.kind),
                shown(conflict.base),
                shown(conflict.yours),
                shown(conflict.theirs),
                _saved_by(conflict),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            combo = QComboBox()
            combo.setAccessibleName(self.tr("Keep for {0}, {1}").format(texts[0], texts[1]))
            combo.addItems([self.tr("Choose…"), self.tr("Yours"), self.tr("Theirs")])
            combo.currentIndexChanged.connect(self._update_ok)
            self.table.setCellWidget(row, _KEEP, combo)
            self.keep.append(combo)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        # Long texts wrap within a column (the whole in the tooltip), so that every
        # column, the choice last, fits the dialog without scrolling sideways.
        widest = self.fontMetrics().averageCharWidth() * 22
        for column in range(_KEEP):
            if self.table.columnWidth(column) > widest:
                self.table.setColumnWidth(column, widest)
        header.setStretchLastSection(False)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)

        self.all_mine = QPushButton(self.tr("Keep All &Mine"))
        self.all_mine.clicked.connect(lambda: self.choose_all(YOURS))
        self.all_theirs = QPushButton(self.tr("Keep All &Theirs"))
        self.all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Check &In"))
        self.buttons.addButton(self.all_mine, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.all_theirs, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.problem = QLabel()
        self.problem.setAccessibleName(self.tr("What is left to choose"))
        layout.addWidget(self.problem)
        self._update_ok()
        if self.keep:
            self.table.setColumnWidth(_KEEP, max(c.sizeHint().width() for c in self.keep) + 8)
        width = sum(self.table.columnWidth(c) for c in range(len(HEADINGS))) + 60
        self.resize(width, self.sizeHint().height() + 120)

    def choose(self, row: int, side: str) -> None:
        self.keep[row].setCurrentIndex(1 if side == YOURS else 2)

    def choose_all(self, side: str) -> None:
        for row in range(len(self.keep)):
            self.choose(row, side)

    def _undecided(self) -> int:
        return sum(1 for combo in self.keep if combo.currentIndex() == 0)

    def _update_ok(self) -> None:
        left = self._undecided()
        self.ok.setEnabled(left == 0)
        self.problem.setText(
            self.tr("Choose Yours or Theirs for {0} more.").format(left) if left else ""
        )

    def choices(self) -> dict[str, str]:
        """Each conflict's key and the side chosen (``yours`` or ``theirs``)."""
        chosen: dict[str, str] = {}
        for conflict, combo in zip(self.conflicts, self.keep, strict=True):
            if combo.currentIndex() == 1:
                chosen[conflict.key] = YOURS
            elif combo.currentIndex() == 2:
                chosen[conflict.key] = THEIRS
        return chosen

    def accept(self) -> None:
        if self._undecided():
            self._update_ok()
            return
        super().accept()
