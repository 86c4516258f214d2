"""The dialog for an unexpected fault: what happened, the traceback, a copy button."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dom_desk import __version__


def versions() -> str:
    return (
        f"DOM Desk {__version__}, Python {platform.python_version()}, "
        f"Qt {qVersion()}, PySide6 {pyside_version}, {platform.platform()}"
    )


class ErrorDialog(QDialog):
    def __init__(self, text: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("DOM Desk: something went wrong"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "DOM Desk met a fault it did not expect. Your workbook is saved after every "
                "edit, so no entered data should be lost. Please copy the report below and "
                "send it to whoever supports DOM Desk for you."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        summary = QLabel(text)
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(summary)
        self.report = QPlainTextEdit(f"{versions()}\n\n{details}")
        self.report.setReadOnly(True)
        self.report.setAccessibleName(self.tr("Error report"))
        layout.addWidget(self.report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("&Copy report"))
        copy.setAccessibleName(self.tr("Copy report to the clipboard"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.horizontalAdvance("M") * 60, metrics.height() * 25)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())
