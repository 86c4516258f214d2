"""The Measures area's two small dialogs: the years a measure applies to, and the parts
of a multi-part target. Each hands what was chosen to ``submit`` (which writes it as one
undo step, and returns False when the write was refused: the dialog then stays open)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.kinds import Direction, MeasureUnit
from dom_desk.domain.measures import PartView
from dom_desk.domain.values import Kind, edit_text
from dom_desk.errors import ValidationError
from dom_desk.ui.form_dialog import lay_out_form
from dom_desk.ui.messages import messages


class YearsDialog(QDialog):
    """Every year of the workbook, ticked where the measure applies; "Every year" for a
    measure that belongs to every year's set (one linked to no year)."""

    def __init__(
        self,
        code: str,
        years: Sequence[str],
        chosen: Sequence[str],
        submit: Callable[[list[str]], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("measure_years_dialog")
        self.setWindowTitle(self.tr("Years of {0}").format(code))
        self._submit = submit
        self.every_year = QCheckBox(self.tr("&Every year (in each year's measure set)"))
        self.every_year.setChecked(not chosen)
        self.boxes: dict[str, QCheckBox] = {}
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        for label in years:
            box = QCheckBox(label)
            box.setChecked(label in chosen)
            box.setAccessibleName(self.tr("Applies in {0}").format(label))
            self.boxes[label] = box
            column.addWidget(box)
        holder = QWidget()
        holder.setLayout(column)
        self.every_year.toggled.connect(self._every_year_toggled)
        self._every_year_toggled(self.every_year.isChecked())
        note = QLabel(
            self.tr(
                "A measure set is per year: the measure is in the sets of the years ticked "
                "(their SLAs, returns and scorecards), and in no other."
            )
        )
        note.setWordWrap(True)
        lay_out_form(
            self,
            [(self.tr("Applies:"), self.every_year), (self.tr("&In:"), holder)],
            self.submit,
            note=note,
        )

    def _every_year_toggled(self, on: bool) -> None:
        for box in self.boxes.values():
            box.setEnabled(not on)

    def chosen(self) -> list[str]:
        """The years ticked, in order (empty: every year)."""
        if self.every_year.isChecked():
            return []
        return [label for label, box in self.boxes.items() if box.isChecked()]

    def submit(self) -> bool:
        if not self.every_year.isChecked() and not self.chosen():
            messages.error(
                self,
                self.tr(
                    "Years: tick at least one year, or Every year (to take a measure out "
                    "of later years' sets, use Retire)."
                ),
            )
            return False
        if not self._submit(self.chosen()):
            return False
        self.accept()
        return True


#: The parts table's columns: (title, PartView field).
PART_COLUMNS = (
    ("Label", "label"),
    ("Wording", "wording"),
    ("Unit", "unit"),
    ("Direction", "direction"),
    ("National value", "national_value"),
    ("Weight", "weighting"),
    ("Notes", "notes"),
)


#: The columns chosen from a list (empty: the measure's own).
PART_CHOICES = {"unit": MeasureUnit, "direction": Direction}


def _cell_text(part: PartView, field: str) -> str:
    value = getattr(part, field)
    if value is None:
        return ""
    if field == "national_value":
        return edit_text(Kind.DECIMAL, value)
    return value.label if hasattr(value, "label") else str(value)


class PartsDialog(QDialog):
    """The parts of a multi-part target, one a row: label and wording, and a unit,
    direction, national value or weight where the part has its own (empty: the
    measure's). No rows: a single measure."""

    def __init__(
        self,
        code: str,
        parts: Sequence[PartView],
        submit: Callable[[list[PartView]], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("measure_parts_dialog")
        self.setWindowTitle(self.tr("Parts of {0}").format(code))
        self._submit = submit
        self.table = QTableWidget(0, len(PART_COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(title) for title, _ in PART_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        # The wording takes the room; the other columns are as wide as their titles or
        # what they hold, so no column is scrolled out of sight.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().averageCharWidth()
        for field, chars in (("unit", 18), ("direction", 21), ("notes", 24)):
            column = [f for _t, f in PART_COLUMNS].index(field)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, char * chars)
        # One line a part, as tall as the lists chosen from (the whole wording is in
        # its cell's editor and tip).
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 2)
        for part in parts:
            self.add_part(part)
        self.add_button = QPushButton(self.tr("&Add part"))
        self.add_button.clicked.connect(lambda: self.add_part(None))
        self.remove_button = QPushButton(self.tr("&Remove part"))
        self.remove_button.clicked.connect(self.remove_part)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        note = QLabel(
            self.tr(
                "One row a part, as printed: (a), (b)… Leave unit, direction, national value "
                "and weight empty where the part takes the measure's. Remove every row to "
                "make it a single measure again."
            )
        )
        note.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.table, 1)
        side_layout.addLayout(buttons)
        lay_out_form(self, [(self.tr("&Parts:"), side)], self.submit, note=note)
        width = self.fontMetrics().averageCharWidth()
        self.resize(width * 150, self.fontMetrics().lineSpacing() * 24)

    def add_part(self, part: PartView | None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        if part is None:
            part = PartView(f"({chr(ord('a') + row)})" if row < 26 else "", "")
        for column, (_title, field) in enumerate(PART_COLUMNS):
            text = _cell_text(part, field)
            if field in PART_CHOICES:
                combo = QComboBox()
                combo.addItem("")  # the measure's own
                combo.addItems([member.label for member in PART_CHOICES[field]])
                combo.setCurrentIndex(max(combo.findText(text), 0))
                combo.setAccessibleName(self.tr("Part {0} {1}").format(row + 1, field))
                self.table.setCellWidget(row, column, combo)
            else:
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setCurrentCell(row, 1)

    def remove_part(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def set_cell(self, row: int, field: str, text: str) -> None:
        """Types into a cell (tests, scripts)."""
        column = [f for _t, f in PART_COLUMNS].index(field)
        combo = self.table.cellWidget(row, column)
        if isinstance(combo, QComboBox):
            index = combo.findText(text)
            if index < 0:
                raise ValueError(f"{field} has no choice '{text}'")
            combo.setCurrentIndex(index)
        else:
            self.table.setItem(row, column, QTableWidgetItem(text))

    def parts(self) -> list[PartView]:
        """The rows as parts; a weight is a whole number (the rest is checked on write)."""
        found: list[PartView] = []
        for row in range(self.table.rowCount()):
            texts: dict[str, Any] = {}
            for column, (_title, field) in enumerate(PART_COLUMNS):
                combo = self.table.cellWidget(row, column)
                item = self.table.item(row, column)
                text = combo.currentText() if isinstance(combo, QComboBox) else None
                if text is None:
                    text = item.text() if item is not None else ""
                texts[field] = text.strip()
            weight = texts["weighting"]
            if weight and not weight.isdigit():
                raise ValidationError(
                    self.tr("Part {0}: the weight '{1}' is not a whole number").format(
                        row + 1, weight
                    )
                )
            found.append(
                PartView(
                    label=texts["label"],
                    wording=texts["wording"],
                    unit=texts["unit"] or None,
                    direction=texts["direction"] or None,
                    national_value=texts["national_value"] or None,
                    weighting=int(weight) if weight else None,
                    notes=texts["notes"],
                )
            )
        return found

    def submit(self) -> bool:
        try:
            parts = self.parts()
        except ValidationError as exc:
            messages.error(self, str(exc))
            return False
        if not self._submit(parts):
            return False
        self.accept()
        return True
