"""Make return templates: choose the period and the providers, then a folder; one xlsx per
provider is written there on the thread pool."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.periods import period_label
from dom_desk.domain.returns_templates import suggested_period, template_choices
from dom_desk.domain.values import counted
from dom_desk.exports.template_files import BatchResult, make_templates
from dom_desk.storage.workbook import Workbook
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.messages import messages


class ReturnsTemplateDialog(QDialog):
    def __init__(
        self, wb: Workbook, year: str, folder: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.wb = wb
        self.result: BatchResult | None = None
        self.runner = Runner(self)
        self.setWindowTitle(self.tr("Make return templates"))
        providers, periods = template_choices(wb, year)
        self._build(providers, periods, suggested_period(wb, year), folder or Path.home())

    def _build(
        self, providers: list[str], periods: list[str], suggested: str | None, folder: Path
    ) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "One workbook per provider, listing the measures that apply to it with its "
                "targets. Send each provider its file; import the returns when they come back."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.period_box = QComboBox(self)
        for code in periods:  # people read "Q1 2009-10"; the code goes to the batch
            self.period_box.addItem(period_label(code), code)
        if suggested in periods:
            self.period_box.setCurrentIndex(periods.index(suggested))
        self.period_box.setAccessibleName(self.tr("Period"))
        form.addRow(self.tr("&Period:"), self.period_box)

        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(str(folder), self)
        self.folder_edit.setAccessibleName(self.tr("Folder for the templates"))
        self.browse_button = QPushButton(self.tr("C&hoose..."), self)
        self.browse_button.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        # A row holding a layout gets no buddy of its own: give the label one, so its
        # mnemonic works and the "&" is not shown.
        folder_label = QLabel(self.tr("&Folder:"), self)
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        layout.addLayout(form)

        self.provider_model = QStandardItemModel(self)
        for name in providers:
            item = QStandardItem(name)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked)
            item.setEditable(False)
            self.provider_model.appendRow(item)
        self.provider_view = QListView(self)
        self.provider_view.setModel(self.provider_model)
        self.provider_view.setAccessibleName(self.tr("Providers to make templates for"))
        label = QLabel(self.tr("P&roviders:"), self)
        label.setBuddy(self.provider_view)
        layout.addWidget(label)
        layout.addWidget(self.provider_view, 1)
        ticks = QHBoxLayout()
        for text, state in (
            (self.tr("&All"), Qt.CheckState.Checked),
            (self.tr("&None"), Qt.CheckState.Unchecked),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _=False, s=state: self._tick_all(s))
            ticks.addWidget(button)
        ticks.addStretch(1)
        layout.addLayout(ticks)

        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.progress)
        buttons = QDialogButtonBox(self)
        self.make_button = buttons.addButton(
            self.tr("&Make templates"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.make_button.clicked.connect(self.make)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _tick_all(self, state: Qt.CheckState) -> None:
        for row in range(self.provider_model.rowCount()):
            self.provider_model.item(row).setCheckState(state)

    def _choose_folder(self) -> None:
        folder = messages.choose_folder(
            self, self.tr("Folder for the templates"), Path(self.folder_edit.text())
        )
        if folder is not None:
            self.folder_edit.setText(str(folder))

    def chosen_providers(self) -> list[str]:
        return [
            self.provider_model.item(row).text()
            for row in range(self.provider_model.rowCount())
            if self.provider_model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def make(self) -> None:
        names = self.chosen_providers()
        if not names:
            messages.error(self, self.tr("Tick at least one provider."))
            return
        if self.runner.busy:
            return
        self.make_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.runner.start(
            make_templates,
            self.wb,
            self.period_box.currentData(),
            Path(self.folder_edit.text()),
            names,
            done=self._made,
            failed=self._failed,
        )

    def _made(self, result: BatchResult) -> None:
        self.result = result
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        lines = [
            self.tr("Wrote {0} to {1}.").format(
                counted(len(result.written), "template"), self.folder_edit.text()
            ),
            *result.skipped,
        ]
        messages.info(self, "\n".join(lines), self.tr("Make return templates"))
        self.accept()

    def _failed(self, failure: Failure) -> None:
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        messages.failure(self, failure.error, failure.details)

    def reject(self) -> None:
        self.runner.wait()
        super().reject()
