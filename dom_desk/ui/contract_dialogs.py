"""The contracts screen's two dialogs: add a variation, add an option or break. Each
checks what was typed and returns a plain input for the page to record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from dom_desk.domain.kinds import OptionKind, VariationKind
from dom_desk.domain.money import format_pounds, parse_pounds
from dom_desk.domain.periods import format_date, parse_date
from dom_desk.errors import ValidationError
from dom_desk.ui.form_dialog import CheckedDialog, lay_out_form


@dataclass(frozen=True)
class VariationInput:
    kind: VariationKind
    effective: date
    description: str
    value_change: int | None = None
    new_end: date | None = None


class VariationDialog(CheckedDialog):
    """Add a variation: what kind, from when, and the change."""

    def __init__(
        self,
        title: str,
        value: int | None,
        end: date | None,
        on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a variation to {0}").format(title))
        self.kind = QComboBox()
        for kind in VariationKind:
            self.kind.addItem(kind.label, kind.name)
        self.effective = QLineEdit(format_date(on))
        self.effective.setPlaceholderText("31/03/2010")
        self.value_change = QLineEdit()
        self.value_change.setPlaceholderText(self.tr("e.g. 125,000 or -50,000"))
        self.new_end = QLineEdit()
        self.new_end.setPlaceholderText("31/03/2015")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        current = QLabel(
            self.tr("Now: {0} a year, ending {1}").format(
                format_pounds(value) or self.tr("no value"), format_date(end) or self.tr("no end")
            )
        )
        rows = (
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Effective from:"), self.effective),
            (self.tr("&Change in annual value (£):"), self.value_change),
            (self.tr("&New end date:"), self.new_end),
            (self.tr("&Description:"), self.description),
        )
        lay_out_form(self, rows, self._accept, heading=current)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.result_input: VariationInput | None = None

    def _kind_changed(self, *_args: Any) -> None:
        kind = VariationKind[self.kind.currentData()]
        self.value_change.setEnabled(kind is VariationKind.VALUE)
        self.new_end.setEnabled(kind is VariationKind.DURATION)

    def answer(self) -> VariationInput:
        """What was typed, parsed; raises ValidationError naming the field."""
        kind = VariationKind[self.kind.currentData()]
        effective = parse_date(self.effective.text(), self.tr("Effective from"))
        if effective is None:
            raise ValidationError(
                self.tr("enter the date the variation takes effect"), self.tr("Effective from")
            )
        value = (
            parse_pounds(self.value_change.text(), self.tr("Change in annual value"))
            if kind is VariationKind.VALUE and self.value_change.text().strip()
            else None
        )
        new_end = (
            parse_date(self.new_end.text(), self.tr("New end date"))
            if kind is VariationKind.DURATION
            else None
        )
        return VariationInput(kind, effective, self.description.toPlainText(), value, new_end)


@dataclass(frozen=True)
class OptionInput:
    kind: OptionKind
    falls_on: date
    decide_by: date | None
    months: int | None
    description: str


class OptionDialog(CheckedDialog):
    """Add an extension option or a break clause with its dates."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add an option or break to {0}").format(title))
        self.kind = QComboBox()
        for kind in OptionKind:
            self.kind.addItem(kind.label, kind.name)
        self.falls_on = QLineEdit()
        self.falls_on.setPlaceholderText("01/04/2013")
        self.decide_by = QLineEdit()
        self.decide_by.setPlaceholderText(self.tr("last day to give notice, if any"))
        self.months = QLineEdit()
        self.months.setPlaceholderText(self.tr("length of an extension, e.g. 24"))
        self.description = QLineEdit()
        rows = (
            (self.tr("&Kind:"), self.kind),
            (self.tr("&Falls on:"), self.falls_on),
            (self.tr("&Decide by:"), self.decide_by),
            (self.tr("&Months:"), self.months),
            (self.tr("D&escription:"), self.description),
        )
        lay_out_form(self, rows, self._accept)
        self.result_input: OptionInput | None = None

    def answer(self) -> OptionInput:
        falls_on = parse_date(self.falls_on.text(), self.tr("Falls on"))
        if falls_on is None:
            raise ValidationError(
                self.tr("enter the date the option or break falls"), self.tr("Falls on")
            )
        months_text = self.months.text().strip()
        if months_text and not months_text.isdigit():
            raise ValidationError(
                self.tr("'{0}' is not a number of months").format(months_text), self.tr("Months")
            )
        return OptionInput(
            OptionKind[self.kind.currentData()],
            falls_on,
            parse_date(self.decide_by.text(), self.tr("Decide by")),
            int(months_text) if months_text else None,
            self.description.text(),
        )
