"""The "New…" dialog: asks for a new record's fields (``domain.records.FORMS``).

What is typed is parsed here, so a bad value is named before anything is written; the
write itself (``submit``) may still refuse (a name already taken), and then the dialog
stays open with what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.records import Field
from dom_desk.domain.values import Kind, parse_value
from dom_desk.errors import ValidationError
from dom_desk.ui.messages import messages

#: Writes the answers; False when the write was refused (and the user told why).
Submit = Callable[[dict[str, Any]], bool]


class NewRecordDialog(QDialog):
    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: Submit,
        options: Callable[[str], list[tuple[int, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("new_record_dialog")
        self.fields = tuple(fields)
        self._submit = submit
        self.widgets: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout()
        taken: set[str] = set()
        for field in self.fields:
            widget = self._widget(field, options)
            widget.setAccessibleName(field.title)
            widget.setObjectName(f"new_{field.key}")
            self.widgets[field.key] = widget
            label = QLabel(_mnemonic(field.title, taken) + (" *" if field.required else "") + ":")
            label.setBuddy(widget)
            form.addRow(label, widget)
        note = QLabel(
            self.tr(
                "Fields marked * are required. The rest can be filled in "
                "later in the table or the details."
            )
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def _widget(
        self, field: Field, options: Callable[[str], list[tuple[int, str]]]
    ) -> QLineEdit | QComboBox:
        if field.pick or (field.kind is Kind.CHOICE and field.choices is not None):
            combo = QComboBox()
            # Nothing chosen at first: the user picks, rather than accepting a guess.
            combo.addItem(self.tr("(choose)"), None)
            if field.pick:
                for record_id, name in options(field.pick):
                    combo.addItem(name, record_id)
            else:
                assert field.choices is not None
                for member in field.choices:
                    combo.addItem(member.label, member)
            return combo
        edit = QLineEdit()
        if field.hint:
            edit.setPlaceholderText(field.hint)
        return edit

    def set_text(self, key: str, text: str) -> None:
        """Types into a box, or chooses the entry with that text (tests, scripts)."""
        widget = self.widgets[key]
        if isinstance(widget, QComboBox):
            index = widget.findText(text)
            if index < 0:
                raise ValueError(f"{key} has no choice '{text}'")
            widget.setCurrentIndex(index)
        else:
            widget.setText(text)

    def answers(self) -> dict[str, Any]:
        """What was typed, parsed; raises ValidationError naming the field."""
        found: dict[str, Any] = {}
        for field in self.fields:
            widget = self.widgets[field.key]
            if isinstance(widget, QComboBox):
                value = widget.currentData()
                if value is None and field.required:
                    raise ValidationError(self.tr("choose one"), field.title)
            else:
                value = parse_value(field.kind, widget.text(), field.title, required=field.required)
                if field.kind.numeric and value is not None and value < 0:
                    raise ValidationError(self.tr("cannot be negative"), field.title)
            found[field.key] = value
        return found

    def submit(self) -> bool:
        """Writes the record; the dialog closes only when it was written."""
        try:
            values = self.answers()
        except ValidationError as exc:
            messages.error(self, str(exc))
            self._focus(exc.where)
            return False
        if not self._submit(values):
            return False
        self.accept()
        return True

    def _focus(self, title: str) -> None:
        for field in self.fields:
            if field.title == title:
                self.widgets[field.key].setFocus()


def _mnemonic(title: str, taken: set[str]) -> str:
    """The title with Alt+letter on its first letter no other field of the form uses."""
    for at, letter in enumerate(title):
        key = letter.casefold()
        if letter.isalpha() and key not in taken:
            taken.add(key)
            return f"{title[:at]}&{title[at:]}"
    return title
