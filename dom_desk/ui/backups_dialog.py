"""Backups and Restore: the workbook's rolling backups, newest first, with a restore.

The dialog only lists and chooses; the main window does the restore, because the
workbook must be closed while its contents are replaced.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dom_desk import paths
from dom_desk.domain.values import counted
from dom_desk.errors import DomDeskError
from dom_desk.storage import backups
from dom_desk.ui.messages import messages

#: What each backup's reason tag means, in words.
REASONS = {
    "daily": "Daily, on opening",
    "before-import": "Before an import",
    "before-upgrade": "Before an upgrade",
    "before-restore": "Before a restore",
    "manual": "Made by hand",
}

BackupRole = Qt.ItemDataRole.UserRole + 1


def describe(backup: backups.Backup) -> str:
    """A backup in words: "02/11/2009 14:05, before an import"."""
    reason = REASONS.get(backup.reason, backup.reason.replace("-", " ").capitalize())
    return f"{backup.made:%d/%m/%Y %H:%M}, {reason[0].lower()}{reason[1:]}"


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024**2:,.1f} MB"


class BackupsDialog(QDialog):
    """Lists the backups of the workbook at ``workbook``; Restore emits the chosen one."""

    #: The backup the user chose to restore (the dialog has closed by then).
    restoreRequested = Signal(object)

    def __init__(
        self, workbook: Path, can_restore: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workbook = Path(workbook)
        self.setWindowTitle(self.tr("Backups of {0}").format(self.workbook.name))
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("Made"), self.tr("Why"), self.tr("Size")])

        intro = QLabel(
            self.tr(
                "DOM Desk backs the workbook up once a day, before each import and before an "
                "upgrade, and keeps the newest. Restoring a backup replaces the workbook's "
                "contents; the file as it is now is backed up first, so a restore can itself "
                "be undone."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Backups, newest first"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.restore_chosen())
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.backup_button = buttons.addButton(
            self.tr("&Back Up Now"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = buttons.addButton(
            self.tr("&Restore…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.clicked.connect(self.restore_chosen)
        self.restore_button.setEnabled(can_restore)
        if not can_restore:
            self.restore_button.setToolTip(
                self.tr("The workbook is open read-only: only the person editing it can restore.")
            )

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.folder)
        layout.addWidget(buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 80, self.fontMetrics().height() * 24)
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for backup in backups.list_backups(self.workbook):
            reason = REASONS.get(backup.reason, backup.reason)
            made = QStandardItem(f"{backup.made:%d/%m/%Y %H:%M:%S}")
            made.setData(backup, BackupRole)
            size = QStandardItem(_size(backup.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow([made, QStandardItem(reason), size])
        count = self.model.rowCount()
        self.folder.setText(
            self.tr("{0} in {1}").format(counted(count, "backup"), paths.backup_dir(self.workbook))
            if count
            else self.tr("There are no backups of this workbook yet.")
        )
        if count:
            self.table.selectRow(0)

    def chosen(self) -> backups.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()).data(BackupRole) if rows else None

    def back_up_now(self) -> None:
        try:
            backups.make_backup(self.workbook, "manual")
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.refresh()

    def restore_chosen(self) -> None:
        backup = self.chosen()
        if backup is None or not self.restore_button.isEnabled():
            return
        self.accept()
        self.restoreRequested.emit(backup)
