"""Tools ▸ Backups and Restore: the dialog, restoring a backup over the open workbook,
and offering the newest backup when a workbook is damaged or cannot be written.

A mixin of ``MainWindow``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from dom_desk.errors import DamagedWorkbookError, DomDeskError, StorageError
from dom_desk.ui.messages import messages, run_modal

if TYPE_CHECKING:
    from dom_desk.storage.backups import Backup
    from dom_desk.ui.backups_dialog import BackupsDialog


class RestoreCommands:
    """Backups and Restore, and what the window does when its file fails."""

    def backups_dialog(self) -> BackupsDialog | None:
        """The Backups and Restore dialog for the open workbook, not yet shown."""
        from dom_desk.ui.backups_dialog import BackupsDialog

        workspace = self.workspace
        if workspace is None:
            return None
        dialog = BackupsDialog(workspace.path, not workspace.read_only, self)
        dialog.restoreRequested.connect(self.restore_backup)
        return dialog

    def show_backups(self) -> None:
        dialog = self.backups_dialog()
        if dialog is not None:
            run_modal(dialog)

    def restore_backup(self, backup: Backup) -> bool:
        """Replaces the open workbook's contents with ``backup`` after asking; the file as
        it was is backed up first. The workbook is closed for the restore and reopened."""
        from dom_desk.ui.backups_dialog import describe

        workspace = self.workspace
        if workspace is None or workspace.read_only:
            return False
        path = workspace.path
        if not messages.confirm(
            self,
            self.tr(
                "Restore '{0}' to the backup of {1}?\n\nEverything changed since then is "
                "replaced; the workbook as it is now is backed up first, so you can go back "
                "to it."
            ).format(path.name, describe(backup)),
            self.tr("Restore a backup"),
        ):
            return False
        year = workspace.year
        self._drop_workspace()
        if not self._restore(path, backup):
            self.open_file(path)  # as it was: nothing changed
            return False
        if not self._open_restored(path, backup):
            return False
        if year in self.workspace.years:  # type: ignore[union-attr]
            self._year_chosen(year)
        return True

    def _restore(self, path: Path, backup: Backup) -> bool:
        """Restores ``backup`` over the closed workbook; False, after saying why, if not."""
        from dom_desk.storage import backups

        try:
            backups.restore(path, backup.path)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        return True

    def _open_restored(self, path: Path, backup: Backup) -> bool:
        from dom_desk.ui.backups_dialog import describe

        if not self.open_file(path):
            return False
        self.statusBar().showMessage(
            self.tr("Restored the backup of {0}.").format(describe(backup)), 10000
        )
        return True

    def _offer_restore(self, path: Path, exc: DamagedWorkbookError) -> bool:
        """A damaged workbook: offer its newest backup (the damaged file is kept)."""
        from dom_desk.storage import backups
        from dom_desk.ui.backups_dialog import describe

        kept = backups.list_backups(path)
        if not kept:
            messages.error(
                self,
                self.tr("{0}\n\nDOM Desk has no backup of it on this computer.").format(exc.plain),
            )
            return False
        newest = kept[0]
        if not messages.confirm(
            self,
            self.tr(
                "{0}\n\nRestore its newest backup, of {1}? The damaged file is kept among "
                "the backups."
            ).format(exc.plain, describe(newest)),
            self.tr("Workbook damaged"),
        ):
            return False
        return self._restore(path, newest) and self._open_restored(path, newest)

    # -- when the file cannot be written -------------------------------------------------

    def _storage_failed(self, _error: StorageError) -> None:
        # Called inside the failing write: offer the copy once that write's own message
        # has been shown, and only once however many writes fail together.
        if not self._copy_offer_pending:
            self._copy_offer_pending = True
            QTimer.singleShot(0, self.offer_copy)

    def offer_copy(self) -> None:
        """After a storage failure: save a copy of the workbook elsewhere, if the user
        wants. Everything committed before is in the copy."""
        self._copy_offer_pending = False
        workspace = self.workspace
        if workspace is None:
            return
        if messages.confirm(
            self,
            self.tr(
                "DOM Desk could not write to '{0}'. Everything saved before the failure is "
                "safe, and the window stays open.\n\nSave a copy of the workbook somewhere "
                "else now (another drive or folder)?"
            ).format(workspace.path.name),
            self.tr("Save a copy elsewhere"),
        ):
            self.save_copy()
