"""Cell editors of every grid: a list of the choices for a choice column, else text; cells
painted cut at a word (``elide.WordElideDelegate``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from dom_desk.domain.tables import Column
from dom_desk.domain.values import Kind
from dom_desk.ui.elide import WordElideDelegate
from dom_desk.ui.grid.model import GridModel
from dom_desk.ui.grid.roles import MARK


class ChoiceDelegate(WordElideDelegate):
    """Edits choice columns with a list of their values; everything else as text."""

    def __init__(self, model: GridModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model

    def _column(self, index: QModelIndex) -> Column:
        return self.model.columns[index.column()]

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        column = self._column(index)
        if column.kind is Kind.CHOICE and column.choices is not None:
            combo = QComboBox(parent)
            if not column.required:
                combo.addItem("")
            combo.addItems([member.label for member in column.choices])
            combo.setAccessibleName(column.title)
            combo.activated.connect(lambda _i, c=combo: self._commit_and_close(c))
            return combo
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(column.title)
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        """A choice picked from the list is the whole edit: write it straight away."""
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = (index.data(Qt.ItemDataRole.DisplayRole) or "").removeprefix(MARK)
            editor.setCurrentIndex(max(editor.findText(text), 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
