"""The detail pane: every field of the selected row, editable ones as editors.

An edit is committed when the user leaves the field (or presses Enter, or picks a
choice); it goes through the table model's ``submit_text`` so the table and the pane
share one path to the file, one set of messages and one undo stack. Escape cancels the
typing in a field; Ctrl+Z and Ctrl+Shift+Z are the window's Undo and Redo, not the
field's own (a field being typed in is first put back, as Escape does).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.tables import Column, Row
from dom_desk.domain.values import Kind, edit_text, format_value
from dom_desk.ui.grid import AreaTableModel

#: Kinds whose detail fields show the formatted value rather than the plain editing text.
FORMATTED_IN_FIELDS = (Kind.MONEY, Kind.INTEGER)


class LongTextEdit(QPlainTextEdit):
    """A multi-line field that, like a line edit, reports when editing is finished."""

    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def sizeHint(self) -> QSize:
        """Room for about four lines of the current font."""
        hint = super().sizeHint()
        margins = self.contentsMargins()
        height = (
            self.fontMetrics().lineSpacing() * 4
            + int(self.document().documentMargin() * 2)
            + margins.top()
            + margins.bottom()
        )
        return QSize(hint.width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class DetailPane(QScrollArea):
    """A form of all the columns of one area, showing one row at a time."""

    def __init__(self, model: AreaTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The typed-in fields (line and long text edits) and their columns; first, as
        #: QScrollArea filters events of its own from the start.
        self._typed: dict[QWidget, Column] = {}
        self.model = model
        self.area = model.area
        self.row_id: int | None = None
        self._committing = False
        self.setWidgetResizable(True)
        # Tab goes straight to the first field: the scroll area itself is no stop (it
        # scrolls a focused field into view by itself).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(self.tr("{0}: details of the selected row").format(self.area.title))
        body = QWidget()
        outer = QVBoxLayout(body)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.heading.setFont(font)
        outer.addWidget(self.heading)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        outer.addWidget(self.hint)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.setWidget(body)
        self.fields: dict[str, QWidget] = {}
        for column in self.area.shown_columns:
            widget = self._make_field(column)
            if isinstance(widget, QLineEdit | LongTextEdit):
                self._typed[widget] = column
                widget.installEventFilter(self)
            widget.setAccessibleName(column.title)
            label = QLabel(column.title + ":")
            label.setBuddy(widget)
            label.setWordWrap(True)
            self.fields[column.key] = widget
            self.form.addRow(label, widget)
        self.show_row(None)

    # -- building -----------------------------------------------------------------------

    def _editable(self, column: Column) -> bool:
        return column.editable and self.model.editable

    def _make_field(self, column: Column) -> QWidget:
        if not self._editable(column):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return label
        if column.kind is Kind.FLAG or (column.kind is Kind.CHOICE and column.choices is not None):
            combo = QComboBox()
            # As wide as the form allows, not as wide as the longest choice.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
            if not column.required:
                combo.addItem("")
            if column.kind is Kind.FLAG:
                # The words the values read as and are parsed from.
                combo.addItems([format_value(Kind.FLAG, True), format_value(Kind.FLAG, False)])
            else:
                assert column.choices is not None
                combo.addItems([member.label for member in column.choices])
            combo.activated.connect(lambda _i, c=column, w=combo: self._commit(c, w.currentText()))
            return combo
        if column.kind is Kind.LONG_TEXT:
            edit = LongTextEdit()
            edit.editingFinished.connect(lambda c=column, w=edit: self._commit(c, w.toPlainText()))
            return edit
        line = QLineEdit()
        if column.kind.numeric:
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        if column.kind is Kind.DATE:
            line.setPlaceholderText(self.tr("dd/mm/yyyy"))
        line.editingFinished.connect(lambda c=column, w=line: self._commit(c, w.text()))
        return line

    # -- showing ------------------------------------------------------------------------

    def show_row(self, row: Row | None) -> None:
        self.row_id = None if row is None else row.id
        if row is None:
            self.heading.setText(self.tr("Nothing selected"))
            self.hint.setText(self.tr("Select a row in the table to see all its fields."))
        else:
            self.heading.setText(self.model.label_of(row) or self.area.title)
            self.hint.setText(self._hint(row))
        for position, column in enumerate(self.area.columns):
            if column.hidden:
                continue
            value = None if row is None else row.values[position]
            self._set_field(column, self.fields[column.key], value)
            self.fields[column.key].setEnabled(row is not None)

    def _hint(self, row: Row) -> str:
        if not self.model.editable:
            return self.tr("Read-only: this workbook was opened read-only.")
        locked = next((v for v in row.values if getattr(v, "locked", False)), None)
        if locked is not None:
            return self.tr(
                "{0}: locked against edits. Change its Status to unlock it first."
            ).format(locked.label)
        return self.tr(
            "Changes are saved when you leave a field (Escape cancels one). Ctrl+Z undoes them."
        )

    def _set_field(self, column: Column, widget: QWidget, value: Any) -> None:
        if isinstance(widget, QLabel):
            widget.setText(format_value(column.kind, value))
        elif isinstance(widget, QComboBox):
            text = format_value(column.kind, value)
            index = widget.findText(text)
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, LongTextEdit):
            if widget.toPlainText() != edit_text(column.kind, value):
                widget.setPlainText(edit_text(column.kind, value))
        elif isinstance(widget, QLineEdit):
            # Money and counts read the UK way (£2,160,000; 1,269), which is also how they
            # may be typed back; other kinds show their plain editing text.
            shown = (
                format_value(column.kind, value)
                if column.kind in FORMATTED_IN_FIELDS
                else edit_text(column.kind, value)
            )
            widget.setText(shown)
            widget.setCursorPosition(0)

    def refresh(self) -> None:
        """Shows the current values of the row on show (after an edit or undo)."""
        row = None if self.row_id is None else self.model.row_by_id(self.row_id)
        self.show_row(row)

    # -- keys: cancel, undo and redo -----------------------------------------------------

    def _history_keys(self) -> list[QKeySequence]:
        """The keys of the window's Undo and Redo (the standard ones without a window)."""
        keys: list[QKeySequence] = []
        for name in ("undo_action", "redo_action"):
            action = getattr(self.window(), name, None)
            if isinstance(action, QAction):
                keys.extend(action.shortcuts())
        if not keys:
            keys = [
                *QKeySequence.keyBindings(QKeySequence.StandardKey.Undo),
                *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
            ]
        return keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        column = self._typed.get(watched)  # type: ignore[call-overload]
        if column is None or event.type() not in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        typing = not self._unchanged(column, self._text_of(watched))
        if QKeySequence(event.keyCombination()) in self._history_keys():
            # Never the field's own undo. While typing, the key only puts the field back
            # (claimed, so the window's Undo waits); otherwise it is left unclaimed and
            # the window's Undo or Redo shortcut takes it.
            if typing:
                self.cancel_typing(watched)
                event.accept()
            else:
                event.ignore()
            return True
        if (
            event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and typing
        ):
            if event.type() == QEvent.Type.KeyPress:
                self.cancel_typing(watched)
            event.accept()  # claimed before any window-wide Escape shortcut
            return True
        return super().eventFilter(watched, event)

    def cancel_typing(self, widget: QWidget) -> None:
        """Puts the stored value back in a field, so leaving it writes nothing."""
        column = self._typed[widget]
        row = None if self.row_id is None else self.model.row_by_id(self.row_id)
        value = None if row is None else row.values[self.area.columns.index(column)]
        self._set_field(column, widget, value)

    @staticmethod
    def _text_of(widget: QObject) -> str:
        if isinstance(widget, LongTextEdit):
            return widget.toPlainText()
        return widget.text() if isinstance(widget, QLineEdit) else ""

    # -- committing ---------------------------------------------------------------------

    def _unchanged(self, column: Column, text: str) -> bool:
        """Whether ``text`` is what the field shows for the stored value (or no row)."""
        row = None if self.row_id is None else self.model.row_by_id(self.row_id)
        if row is None:
            return True
        value = row.values[self.area.columns.index(column)]
        return text in (edit_text(column.kind, value), format_value(column.kind, value))

    def _commit(self, column: Column, text: str) -> None:
        if self._committing or self.row_id is None:
            return
        if self._unchanged(column, text):
            return  # left as it was: nothing to write
        self._committing = True
        try:
            if not self.model.submit_text(self.row_id, column, text, parent=self):
                # Refused: put back what the file holds.
                self.refresh()
        finally:
            self._committing = False
