"""Seeing others' changes to a region on the team server.

While a server region is open, ``ChangeWatcher`` asks the server whether anyone else
has saved a change (``domain.others_changes.changes_since``: the audit trail past the
last entry seen) when the window is activated and every 30 seconds. The question runs
on the thread pool, so a slow or lost server never freezes the window. If someone has,
and the user is not in the middle of typing an edit, the page shown is read again (as
after View ▸ Reload) and the status bar says whose changes came in and when. A write
based on figures read before their change is still refused by the rows' versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from dom_desk.ui.background import Failure, Runner

if TYPE_CHECKING:
    from dom_desk.domain.others_changes import OthersChanges
    from dom_desk.ui.main_window import MainWindow
    from dom_desk.ui.workspace import Workspace

#: How often the server is asked, in milliseconds.
INTERVAL_MS = 30_000


def mid_edit(window: MainWindow) -> bool:
    """Whether reloading now would disturb the user: a dialog is open, a cell's editor is
    open, or a field of the detail pane holds typing not yet saved."""
    if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
        return True
    view = window.view
    if view is None:
        return False
    for table in view.findChildren(QAbstractItemView):
        if table.state() == QAbstractItemView.State.EditingState:
            return True
    focused = QApplication.focusWidget()
    if focused is None or not view.isAncestorOf(focused):
        return False
    if isinstance(focused, QLineEdit):
        return focused.isModified() and not focused.isReadOnly()
    if isinstance(focused, QPlainTextEdit):
        return focused.document().isModified() and not focused.isReadOnly()
    return False


class ChangeWatcher(QObject):
    """Watches one open server region for changes others save."""

    #: The page shown was read again for others' changes (the OthersChanges).
    refreshed = Signal(object)
    #: The server did not answer the question (the sentence why).
    unreachable = Signal(str)

    def __init__(self, window: MainWindow, workspace: Workspace, mark: int) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        #: The newest audit entry seen; changes past it are news.
        self.mark = mark
        self.lost = False
        self.runner = Runner(self)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        window.installEventFilter(self)

    def stop(self) -> None:
        self.timer.stop()
        self.window.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.WindowActivate:
            QTimer.singleShot(0, self.check)
        return False

    def check(self) -> bool:
        """Asks the server (off the GUI thread); False if a question is already out or
        the workspace is no longer shown."""
        from dom_desk.domain.others_changes import changes_since

        if self.runner.busy or self.window.workspace is not self.workspace:
            return False
        self.runner.start(
            changes_since, self.workspace.wb, self.mark, done=self._answered, failed=self._failed
        )
        return True

    def _answered(self, changes: OthersChanges) -> None:
        if self.window.workspace is not self.workspace:
            return
        if self.lost:
            self.lost = False
            self.window.statusBar().showMessage(self.tr("The server answers again."), 8000)
        if not changes.any:
            self.mark = changes.mark
            return
        if mid_edit(self.window):
            return  # the mark stays: the next question brings the same news
        self.mark = changes.mark
        view = self.window.view
        if view is not None:
            view.reload()
        self.window.statusBar().showMessage(describe(changes))
        self.refreshed.emit(changes)

    def _failed(self, failure: Failure) -> None:
        from dom_desk.errors import DomDeskError

        if self.window.workspace is not self.workspace:
            return
        error: Any = failure.error
        text = str(error) if isinstance(error, DomDeskError) else type(error).__name__
        if not self.lost:
            self.lost = True
            self.window.statusBar().showMessage(self.tr("Server not answering: {0}").format(text))
        self.unreachable.emit(text)


def describe(changes: OthersChanges) -> str:
    """ "Updated with changes saved by alice on LAPTOP-7 at 10:42." for the status bar."""
    who = changes.by
    named = who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]
    if len(who) > 3:
        named = f"{', '.join(who[:2])} and {len(who) - 2} others"
    at = f" at {changes.at:%H:%M}" if changes.at is not None else ""
    return QApplication.translate("ChangeWatcher", "Updated with changes saved by {0}{1}.").format(
        named, at
    )
