"""The window on the team server: opening a region by URL (with a password prompt when
the server wants one), seeing others' changes, and what to do when the server is lost.

A mixin of ``MainWindow``, before ``RestoreCommands`` (its ``_storage_failed`` answers
for a server region and hands a file's to the file's). A region on the server has no
editing lock and no file: many people edit it at once, so the window watches for their
changes (``server_refresh``) and never offers to "save a copy" of a server it cannot
reach; Take Offline (``offline_window``) keeps the user working without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThread, QTimer

from dom_desk.errors import DomDeskError, StorageError
from dom_desk.ui import state
from dom_desk.ui.messages import messages

if TYPE_CHECKING:
    from dom_desk.storage.server_address import ServerAddress
    from dom_desk.ui.server_refresh import ChangeWatcher
    from dom_desk.ui.workspace import Workspace


def shown_name(wb: Any) -> str:
    """How the title names an open workbook: its file's name, or for a server region
    "North West — server HOST/DB", so it is plain that it is shared."""
    if not getattr(wb, "is_server", False):
        return wb.path.name
    address = wb.address
    return f"{wb.name} — server {address.host}/{address.database}"


class ServerCommands:
    """File ▸ Open Server Workbook, server regions in Open Recent, others' changes."""

    watcher: ChangeWatcher | None = None
    _offline_offer_pending = False

    # -- opening ------------------------------------------------------------------------

    def open_location(self, location: Path | str, read_only: bool = False) -> bool:
        """Opens a recent workbook: a file by its path or a server region by its URL."""
        if isinstance(location, str) and state.is_server_location(location):
            return self.open_server(location, read_only)
        return self.open_file(Path(location), read_only)

    def choose_and_open_server(self) -> None:
        """File ▸ Open Server Workbook…: the address dialog, then the region."""
        answer = messages.server_address(self, state.last_server_address())
        if answer is None:
            return
        url, read_only = answer
        state.remember_server_address(url)
        self.open_server(url, read_only)

    def open_server(self, url: str, read_only: bool = False) -> bool:
        """Opens a region on the server by its URL in place of the workbook open; asks
        for the password when the server wants one (or refused the one given), uses it
        for this connection only and keeps it nowhere. False, after saying why, if not."""
        from dom_desk.storage.server import ServerLoginError
        from dom_desk.storage.server_address import parse_address

        try:
            address = parse_address(url)
            address.schema  # noqa: B018 - refuses, in words, a URL naming no region
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        while True:
            try:
                workspace = self._load_server(address, read_only)
                break
            except ServerLoginError as exc:
                password = messages.password(
                    self,
                    self.tr("{0}\n\nPassword for {1}:").format(exc, address.display),
                    self.tr("Server password"),
                )
                if not password:
                    return False
                address = address.with_password(password)
            except DomDeskError as exc:
                messages.error(self, str(exc))
                return False
        self._show_workspace(workspace)
        state.add_recent(address.for_recent())
        return True

    @staticmethod
    def _load_server(address: ServerAddress, read_only: bool) -> Workspace:
        from dom_desk.storage.server_workbook import open_server
        from dom_desk.ui.workspace import Workspace

        wb = open_server(address, read_only=read_only)
        try:
            return Workspace(wb)
        except DomDeskError as exc:
            wb.close()
            raise DomDeskError(f"Could not open {address.display}: {exc}") from exc

    # -- others' changes ----------------------------------------------------------------

    def _watch_server(self, workspace: Workspace) -> None:
        """Called when a workbook is shown: a server region is watched for others'
        changes from the newest audit entry now."""
        self._stop_watching()
        if not workspace.wb.is_server:
            return
        from dom_desk.domain.others_changes import current_mark
        from dom_desk.ui.server_refresh import ChangeWatcher

        try:
            mark = current_mark(workspace.wb)
        except DomDeskError:
            mark = 0
        self.watcher = ChangeWatcher(self, workspace, mark)

    def _stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.runner.wait()
            self.watcher.deleteLater()
            self.watcher = None

    # -- when the server fails ----------------------------------------------------------

    def _storage_failed(self, error: StorageError) -> None:
        """A write or read failed for a storage reason. A file's failure offers to save
        a copy elsewhere (``RestoreCommands``); a server region's offers Take Offline if
        the server can still be read, else nothing more than the sentence already said.
        Failures met off the GUI thread (the change watcher's question) are its own."""
        if QThread.currentThread() is not self.thread():
            return
        workspace = self.workspace
        if workspace is None or not workspace.wb.is_server:
            super()._storage_failed(error)  # type: ignore[misc]
            return
        if not self._offline_offer_pending:
            self._offline_offer_pending = True
            QTimer.singleShot(0, self.offer_offline)

    def server_answers(self) -> bool:
        """Whether the open server region can still be read (a snapshot could be taken)."""
        from dom_desk.domain.others_changes import current_mark

        workspace = self.workspace
        if workspace is None or not workspace.wb.is_server:
            return False
        wb = workspace.wb
        listeners = list(wb.storage_failed)
        wb.storage_failed.clear()  # a failed question is not another failure to report
        try:
            current_mark(wb)
        except DomDeskError:
            return False
        finally:
            wb.storage_failed[:] = listeners
        return True

    def offer_offline(self) -> None:
        """After a server region failed to save: Take Offline, if it can still be read."""
        self._offline_offer_pending = False
        workspace = self.workspace
        if workspace is None or workspace.read_only or not workspace.wb.is_server:
            return
        if not self.server_answers():
            self.statusBar().showMessage(
                self.tr("The server is not answering: nothing can be saved to it until it is back.")
            )
            return
        if messages.confirm(
            self,
            self.tr(
                "Everything saved to {0} before the failure is safe on the server.\n\nTake "
                "the region offline now, to keep working on this computer and bring your "
                "changes back later?"
            ).format(workspace.wb.name),
            self.tr("Take offline"),
        ):
            self.take_offline()
