"""The main window: menus, the year chooser, the status bar, and one workbook at a time.

A workbook is used like a document (New, Open, Open Recent, Save a Copy, Close); every
edit is written to the file at once, so there is no Save and nothing to lose on Quit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from dom_desk import __version__, paths
from dom_desk.domain import region as region_api
from dom_desk.domain.periods import year_of
from dom_desk.domain.values import counted
from dom_desk.errors import DamagedWorkbookError, DomDeskError, StorageError
from dom_desk.storage import locking
from dom_desk.storage.locking import WorkbookInUse
from dom_desk.storage.workbook import open_document
from dom_desk.ui import state
from dom_desk.ui.area_page import AreaPage
from dom_desk.ui.background import Failure, Runner
from dom_desk.ui.drops import dropped_paths
from dom_desk.ui.messages import messages
from dom_desk.ui.start_page import StartPage
from dom_desk.ui.workspace import Workspace
from dom_desk.ui.workspace_view import AREA_ORDER, WorkspaceView, area_title

if TYPE_CHECKING:
    from dom_desk.storage.backups import Backup
    from dom_desk.ui.backups_dialog import BackupsDialog


#: How long closing a workbook waits for background jobs still reading it.
JOB_WAIT_MS = 60_000

#: The keys every table understands (shown by Help ▸ Keyboard Shortcuts).
TABLE_KEYS = (
    ("F2 or typing", "edit the cell; Enter saves, Escape cancels"),
    ("Ctrl+C / Ctrl+V", "copy and paste cells, to and from Excel"),
    ("Ctrl+D", "fill down from the top selected cell"),
    ("Insert / Delete", "add a record / delete the selected one (after asking)"),
    ("Tab", "to the detail pane (in the allocation grids: the next cell)"),
    ("Escape", "in a filter box: clear it"),
)


def run_modal(dialog: QDialog) -> int:
    """Shows a dialog modally, then deletes it: a closed dialog left as the window's child
    keeps its workers and models alive until Qt tears everything down at exit."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


class MainWindow(QMainWindow):
    #: A workbook was opened and its first page shown (or closed: None).
    workbookChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self._copy_offer_pending = False
        #: Work the window itself starts off the GUI thread (Check Workbook).
        self.runner = Runner(self)
        self.view: WorkspaceView | None = None
        self.undo_group = QUndoGroup(self)

        self.start = StartPage()
        self.start.newRequested.connect(self.new_file)
        self.start.openRequested.connect(self.choose_and_open)
        self.start.demoRequested.connect(self.open_demo)
        self.start.recentRequested.connect(self.open_file)
        self.central = QStackedWidget()
        self.central.addWidget(self.start)
        self.setCentralWidget(self.central)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()
        self._update_for_workbook()
        saved = state.restore_window(self)
        if saved is not None:
            self.restoreState(saved)

    # -- building -----------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: object = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action(self.tr("&New…"), self.new_file, key.New, "new")
        self.open_action = self._action(self.tr("&Open…"), self.choose_and_open, key.Open, "open")
        self.open_read_only_action = self._action(
            self.tr("Open Read-&Only…"), lambda: self.choose_and_open(True)
        )
        self.open_demo_action = self._action(self.tr("Open the &Demo Region"), self.open_demo)
        self.save_copy_action = self._action(
            self.tr("Save a &Copy…"), self.save_copy, key.SaveAs, "save_copy"
        )
        self.plan_action = self._action(
            self.tr("Commissioning &Plan…"), self.open_plan, "Ctrl+Shift+P", "plan"
        )
        self.import_returns_action = self._action(
            self.tr("&Import Provider Returns…"),
            lambda: self.import_returns(),
            "Ctrl+I",
            "import_returns",
        )
        self.templates_action = self._action(
            self.tr("Make Return &Templates…"), self.make_templates, "Ctrl+Shift+T", "templates"
        )
        self.check_action = self._action(
            self.tr("&Check Workbook"), self.check_workbook, None, "check"
        )
        self.backups_action = self._action(
            self.tr("&Backups and Restore…"), self.show_backups, None, "backups"
        )
        self.audit_action = self._action(
            self.tr("&Audit Trail…"), self.show_audit_trail, None, "audit_trail"
        )
        self.history_action = self._action(
            self.tr("&History of This Record…"), self.show_history, "Ctrl+H", "history"
        )
        self.close_action = self._action(self.tr("&Close"), self.close_file, key.Close, "close")
        self.quit_action = self._action(self.tr("&Quit"), self.close, key.Quit, "quit")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(key.Undo)
        self.undo_action.setObjectName("undo")
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        redo_keys = QKeySequence.keyBindings(key.Redo)
        if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
            redo_keys.insert(0, QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setObjectName("redo")
        self.undo_action.triggered.connect(lambda: self._after_undo_redo(undone=True))
        self.redo_action.triggered.connect(lambda: self._after_undo_redo(undone=False))
        self.copy_action = self._action(self.tr("&Copy"), self.copy, key.Copy, "copy")
        # Insert and Delete in a table do the same; these reach them from the menu.
        self.new_record_action = self._action(
            self.tr("&New Record…"), self.new_record, None, "new_record"
        )
        self.delete_record_action = self._action(
            self.tr("&Delete Record…"), self.delete_record, None, "delete_record"
        )
        self.filter_action = self._action(
            self.tr("&Filter…"), self.focus_filter, key.Find, "filter"
        )

        self.area_actions: dict[str, QAction] = {}
        self.area_group = QActionGroup(self)
        for number, area_key in enumerate(AREA_ORDER, start=1):
            action = self._action(
                area_title(area_key),
                lambda _=False, k=area_key: self.show_area(k),
                f"Ctrl+{number % 10}" if number <= 10 else None,
                f"show_{area_key}",
            )
            action.setCheckable(True)
            self.area_group.addAction(action)
            self.area_actions[area_key] = action
        self.reload_action = self._action(
            self.tr("Re&load from File"), self.reload, key.Refresh, "reload"
        )
        self.shortcuts_action = self._action(
            self.tr("&Keyboard Shortcuts"), self.show_shortcuts, key.HelpContents, "shortcuts"
        )
        self.about_action = self._action(self.tr("&About DOM Desk"), self.about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        for action in self.findChildren(QAction):
            self.addAction(action)  # shortcuts work even with the menu bar hidden

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.open_read_only_action)
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self.open_demo_action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_copy_action)
        file_menu.addAction(self.plan_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_returns_action)
        file_menu.addAction(self.templates_action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.filter_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.new_record_action)
        edit_menu.addAction(self.delete_record_action)
        edit_menu.aboutToShow.connect(self._enable_record_actions)

        view_menu = bar.addMenu(self.tr("&View"))
        for action in self.area_actions.values():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.reload_action)

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.check_action)
        tools_menu.addAction(self.backups_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.audit_action)
        tools_menu.addAction(self.history_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Financial year"))
        toolbar.setObjectName("year_toolbar")
        toolbar.setMovable(False)
        label = QLabel(self.tr("Financial &year:"))
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName(self.tr("Financial year"))
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.year_combo)
        self.year_combo.currentTextChanged.connect(self._year_chosen)
        toolbar.addWidget(label)
        toolbar.addWidget(self.year_combo)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.year_toolbar = toolbar

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.file_label = QLabel()
        self.file_label.setAccessibleName(self.tr("Workbook file"))
        self.year_label = QLabel()
        self.year_label.setAccessibleName(self.tr("Financial year shown"))
        self.mode_label = QLabel()
        self.mode_label.setAccessibleName(self.tr("Editing mode"))
        for label in (self.file_label, self.year_label, self.mode_label):
            label.setFrameShape(QFrame.Shape.StyledPanel)
            label.setFrameShadow(QFrame.Shadow.Sunken)
            bar.addPermanentWidget(label)

    # -- the open workbook --------------------------------------------------------------

    @property
    def workspace(self) -> Workspace | None:
        return self.view.workspace if self.view else None

    def _update_for_workbook(self) -> None:
        workspace = self.workspace
        has = workspace is not None
        for action in (
            self.save_copy_action,
            self.plan_action,
            self.close_action,
            self.copy_action,
            self.templates_action,
            self.check_action,
            self.backups_action,
            self.audit_action,
            self.history_action,
            self.filter_action,
            self.reload_action,
            *self.area_actions.values(),
        ):
            action.setEnabled(has)
        self.import_returns_action.setEnabled(has and not workspace.read_only)
        self._enable_record_actions()
        self.year_toolbar.setEnabled(has)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        if workspace is not None:
            self.year_combo.addItems(workspace.years)
            self.year_combo.setCurrentText(workspace.year)
        self.year_combo.blockSignals(False)
        if workspace is None:
            self.setWindowTitle(self.tr("DOM Desk"))
            self.file_label.setText(self.tr("No workbook open"))
            self.year_label.setText("")
            self.mode_label.setText("")
            self.year_label.hide()
            self.mode_label.hide()
            return
        name = workspace.path.name
        self.setWindowTitle(
            self.tr("DOM Desk — {0} (read-only)").format(name)
            if workspace.read_only
            else self.tr("DOM Desk — {0}").format(name)
        )
        self.file_label.setText(self.tr("File: {0}").format(name))
        self.file_label.setToolTip(str(workspace.path))
        self.year_label.setText(self.tr("Financial year {0}").format(workspace.year))
        self.year_label.show()
        self.mode_label.setText(self.tr("Read-only") if workspace.read_only else "")
        self.mode_label.setVisible(workspace.read_only)

    @staticmethod
    def _load(path: Path, read_only: bool = False) -> Workspace:
        """The workbook at ``path`` ready to show; DomDeskError, in words, if it cannot be."""
        wb = open_document(path, read_only=read_only)
        try:
            return Workspace(wb)
        except DomDeskError as exc:
            wb.close()
            raise DomDeskError(f"Could not open '{path.name}': {exc}") from exc

    def status_line(self) -> str:
        """What the status bar and the current page say, as one line of text."""
        parts = [self.file_label.text(), self.year_label.text(), self.mode_label.text()]
        if self.view is not None:
            page = self.view.current_page()
            parts.append(page.summary())
        return " | ".join(p for p in parts if p)

    def open_file(self, path: Path, read_only: bool = False) -> bool:
        """Opens a workbook in place of the one open; False (after saying why) if it fails."""
        path = Path(path)
        try:
            workspace = self._load(path, read_only)
        except WorkbookInUse as exc:
            return self._open_in_use(path, exc)
        except DamagedWorkbookError as exc:
            return self._offer_restore(path, exc)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return False
        self._show_workspace(workspace)
        state.add_recent(path)
        return True

    def _offer_restore(self, path: Path, exc: DamagedWorkbookError) -> bool:
        """A damaged workbook: offer its newest backup (the damaged file is kept)."""
        from dom_desk.storage import backups
        from dom_desk.ui.backups_dialog import describe

        kept = backups.list_backups(path)
        if not kept:
            messages.error(
                self, self.tr("{0}\n\nDOM Desk has no backup of it on this computer.").format(exc)
            )
            return False
        newest = kept[0]
        if not messages.confirm(
            self,
            self.tr(
                "{0}\n\nRestore its newest backup, of {1}? The damaged file is kept among "
                "the backups."
            ).format(exc, describe(newest)),
            self.tr("Workbook damaged"),
        ):
            return False
        return self._restore(path, newest) and self._open_restored(path, newest)

    def _open_in_use(self, path: Path, exc: WorkbookInUse) -> bool:
        """Someone else has the workbook: a read-only view, or, when the lock is another
        computer's that may have crashed, taking over editing after a warning."""
        choices = [self.tr("Open Read-Only")]
        if locking.held_elsewhere(exc.owner):
            choices.append(self.tr("Take Over Editing…"))
        choice = messages.choose(self, str(exc), choices, self.tr("Workbook in use"))
        if choice == 0:
            return self.open_file(path, read_only=True)
        if choice != 1 or not messages.confirm(
            self,
            self.tr(
                "Take over editing only if {0} no longer has '{1}' open, for example "
                "because that computer crashed or was switched off.\n\nIf they are still "
                "working, nothing is lost, but changes made on both computers to the same "
                "records will be refused. Take over?"
            ).format(exc.owner.describe(), path.name),
            self.tr("Take over editing"),
        ):
            return False
        try:
            locking.take_over(path)
        except DomDeskError as error:
            messages.error(self, str(error))
            return False
        return self.open_file(path)

    def reopen_last(self) -> bool:
        """Reopens the workbook open when DOM Desk last closed; a quiet notice if it fails."""
        last = state.last_file()
        if last is None:
            return False
        if not last.is_file():
            state.forget_last_file()
            self.start.show_notice(
                self.tr("The workbook you had open last time, '{0}', is no longer there.").format(
                    last
                )
            )
            return False
        try:
            workspace = self._load(last)
        except DomDeskError as exc:
            self.start.show_notice(str(exc))
            return False
        self._show_workspace(workspace)
        state.add_recent(last)
        return True

    def _show_workspace(self, workspace: Workspace) -> None:
        self._drop_workspace()
        self.view = WorkspaceView(workspace)
        self.view.areaChanged.connect(self._area_changed)
        self.central.addWidget(self.view)
        self.central.setCurrentWidget(self.view)
        self.undo_group.addStack(workspace.undo_stack)
        self.undo_group.setActiveStack(workspace.undo_stack)
        workspace.wb.storage_failed.append(self._storage_failed)
        workspace.yearChanged.connect(lambda _y: self._update_for_workbook())
        self._update_for_workbook()
        self.view.show_area("overview")
        self.view.nav.setFocus()
        self.workbookChanged.emit(workspace.path)

    def _drop_workspace(self) -> None:
        if self.view is None:
            return
        self.view.save_views()
        self.undo_group.removeStack(self.view.workspace.undo_stack)
        # Jobs still reading the file (a matrix, an export) finish first: none may hold
        # a connection to it once it is closed, restored over or replaced.
        QThreadPool.globalInstance().waitForDone(JOB_WAIT_MS)
        self.view.workspace.close()
        self.central.removeWidget(self.view)
        self.view.deleteLater()
        self.view = None

    def close_file(self) -> None:
        if self.view is None:
            return
        self._drop_workspace()
        state.forget_last_file()
        self.start.refresh()
        self.central.setCurrentWidget(self.start)
        self._update_for_workbook()
        self.workbookChanged.emit(None)

    # -- file commands ------------------------------------------------------------------

    def _folder(self) -> Path:
        current = self.workspace
        if current is not None:
            return current.path.parent
        recent = state.recent_files()
        return recent[0].parent if recent else Path.home()

    def choose_and_open(self, read_only: bool = False) -> None:
        title = self.tr("Open a workbook read-only") if read_only else self.tr("Open a workbook")
        path = messages.open_path(self, title, self._folder())
        if path is not None:
            self.open_file(path, read_only=read_only)

    def open_demo(self) -> None:
        path = paths.demo_workbook_path()
        if not path.exists():
            from dom_desk.demo import write_demo  # only when the demo is wanted

            try:
                write_demo(path)
            except DomDeskError as exc:
                messages.error(self, str(exc))
                return
        self.open_file(path)

    def new_file(self) -> None:
        path = messages.save_path(
            self,
            self.tr("New workbook"),
            self._folder() / f"Region{paths.WORKBOOK_SUFFIX}",
            ask_to_replace=False,
        )
        if path is None:
            return
        if path.suffix != paths.WORKBOOK_SUFFIX:
            path = path.with_name(path.name + paths.WORKBOOK_SUFFIX)
        if path.exists():  # before asking anything more: a workbook is never replaced
            messages.error(
                self,
                self.tr(
                    "'{0}' already exists, and DOM Desk never replaces a file with a new "
                    "workbook. Choose another name."
                ).format(path.name),
            )
            return
        answer = messages.new_region(self, year_of(date.today()))
        if answer is None:
            return
        name, first_year = answer
        try:
            workspace = Workspace(region_api.create_region_workbook(path, name, first_year))
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self._show_workspace(workspace)
        state.add_recent(path)

    def save_copy(self) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        suggested = workspace.path.with_name(f"{workspace.path.stem} copy{paths.WORKBOOK_SUFFIX}")
        target = messages.save_path(self, self.tr("Save a copy of the workbook"), suggested)
        if target is None:
            return
        if target.suffix != paths.WORKBOOK_SUFFIX:
            target = target.with_name(target.name + paths.WORKBOOK_SUFFIX)
        try:
            workspace.wb.save_copy(target)
        except DomDeskError as exc:
            messages.error(self, str(exc))
            return
        self.statusBar().showMessage(self.tr("Saved a copy to {0}").format(target), 8000)

    def open_plan(self) -> None:
        """The commissioning plan: its sections and text, and the PDF export."""
        from dom_desk.ui.plan_dialog import PlanDialog

        workspace = self.workspace
        if workspace is not None:
            run_modal(PlanDialog(workspace.wb, workspace.undo_stack, self, year=workspace.year))

    # -- returns, checks and backups ----------------------------------------------------

    def import_returns(self, files: Sequence[Path] = ()) -> None:
        """The import dialog, with ``files`` (dropped or given) already read in."""
        from dom_desk.ui.returns_import_dialog import ReturnsImportDialog

        workspace = self.workspace
        if workspace is None:
            messages.error(
                self, self.tr("Open a region workbook first, then import the returns into it.")
            )
            return
        if workspace.read_only:
            messages.error(
                self,
                self.tr("'{0}' is open read-only: returns cannot be imported into it.").format(
                    workspace.path.name
                ),
            )
            return
        dialog = ReturnsImportDialog(workspace.wb, list(files), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _summary: self.reload())
        # Window-modal but not blocking, so reading the files can show its progress.
        dialog.open()

    def make_templates(self) -> None:
        from dom_desk.ui.returns_template_dialog import ReturnsTemplateDialog

        workspace = self.workspace
        if workspace is not None:
            run_modal(
                ReturnsTemplateDialog(workspace.wb, workspace.year, workspace.path.parent, self)
            )

    def check_workbook(self) -> None:
        """Tools ▸ Check Workbook: the file's soundness and the figures that must agree,
        worked out on a worker thread (a national workbook takes seconds)."""
        from dom_desk.domain.check import check_file

        workspace = self.workspace
        if workspace is None or self.runner.busy:
            return
        self.check_action.setEnabled(False)
        self.statusBar().showMessage(self.tr("Checking {0}…").format(workspace.path.name))
        self.runner.start(
            check_file,
            workspace.path,
            done=lambda problems: self._checked(workspace.path.name, problems),
            failed=self._check_failed,
        )

    def _checked(self, name: str, problems: list[str]) -> None:
        self.check_action.setEnabled(self.workspace is not None)
        self.statusBar().clearMessage()
        if not problems:
            messages.info(
                self,
                self.tr("'{0}' is sound: the file is undamaged and its figures agree.").format(
                    name
                ),
                self.tr("Check workbook"),
            )
            return
        listed = "\n".join(f"• {p}" for p in problems[:30])
        more = len(problems) - 30
        if more > 0:
            listed += "\n" + self.tr("… and {0} more (run 'dom-desk check').").format(more)
        messages.error(
            self,
            self.tr("{0} found in '{1}':\n\n{2}").format(
                counted(len(problems), "problem"), name, listed
            ),
            self.tr("Check workbook"),
        )

    def _check_failed(self, failure: Failure) -> None:
        self.check_action.setEnabled(self.workspace is not None)
        self.statusBar().clearMessage()
        messages.failure(self, failure.error, failure.details)

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

    # -- dropping files on the window ---------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_paths(event)
        if not files:
            return
        event.acceptProposedAction()
        self.open_dropped(files)

    def open_dropped(self, files: Sequence[Path]) -> None:
        """A dropped workbook is opened; dropped spreadsheets or folders are imported as
        provider returns."""
        workbooks = [f for f in files if f.suffix.lower() == paths.WORKBOOK_SUFFIX]
        others = [f for f in files if f not in workbooks]
        if workbooks:
            self.open_file(workbooks[0])
        if others:
            self.import_returns(others)

    def show_audit_trail(self) -> None:
        """Tools ▸ Audit Trail: every change to the workbook, who made it and when."""
        from dom_desk.ui.audit_dialog import AuditDialog

        if self.workspace is not None:
            run_modal(AuditDialog(self.workspace.wb, self))

    def _history_target(self) -> tuple[type, int] | None:
        """The current area page's selected record, when it has one."""
        page = self.view.current_page() if self.view is not None else None
        if isinstance(page, AreaPage) and page.current_id() is not None:
            return page.area.entity, page.current_id()  # type: ignore[return-value]
        return None

    def show_history(self) -> None:
        """Tools ▸ History of This Record: the audit trail of the selected record."""
        from dom_desk.ui.audit_dialog import AuditDialog

        target = self._history_target()
        if self.workspace is None:
            return
        if target is None:
            self.statusBar().showMessage(
                self.tr("Select a record in one of the tables to see its history."), 6000
            )
            return
        entity, entity_id = target
        run_modal(AuditDialog(self.workspace.wb, self, entity=entity, entity_id=entity_id))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = state.recent_files()
        for number, path in enumerate(files, start=1):
            # The folder too: two regions' files are often both called "workbook".
            action = self.recent_menu.addAction(f"&{number % 10} {path.name}  —  {path.parent}")
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        if not files:
            empty = self.recent_menu.addAction(self.tr("No recent workbooks"))
            empty.setEnabled(False)
            return
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction(self.tr("Clear Menu"))
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        state.clear_recent()
        self.start.refresh()

    # -- edit and view commands ---------------------------------------------------------

    def _current_area_page(self) -> AreaPage | None:
        if self.view is None:
            return None
        page = self.view.current_page()
        # Pages with their own tables (Allocations) offer the same copy and filter.
        return page if hasattr(page, "copy") and hasattr(page, "focus_filter") else None

    def copy(self) -> None:
        page = self._current_area_page()
        if page is not None:
            page.copy()

    def focus_filter(self) -> None:
        page = self._current_area_page()
        if page is not None:
            page.focus_filter()

    def _record_page(self) -> Any:
        """The current page if it can add and delete records, else None."""
        page = self.view.current_page() if self.view is not None else None
        return page if getattr(page, "new_button", None) is not None else None

    def _enable_record_actions(self) -> None:
        page = self._record_page()
        writable = page is not None and not page.workspace.read_only
        self.new_record_action.setEnabled(writable)
        self.delete_record_action.setEnabled(writable and page.current_id() is not None)

    def new_record(self) -> None:
        page = self._record_page()
        if page is not None:
            page.new_record()

    def delete_record(self) -> None:
        page = self._record_page()
        if page is not None:
            page.delete_record()

    def show_area(self, key: str) -> None:
        if self.view is not None:
            self.view.show_area(key)
            self.view.focus_current()

    def reload(self) -> None:
        if self.view is not None:
            self.view.reload()

    def _year_chosen(self, label: str) -> None:
        workspace = self.workspace
        if workspace is None or not label or label == workspace.year:
            return
        try:
            workspace.set_year(label)
        except DomDeskError as exc:
            messages.error(self, str(exc))

    def _area_changed(self, key: str) -> None:
        self.area_actions[key].setChecked(True)
        self._enable_record_actions()

    def _after_undo_redo(self, undone: bool) -> None:
        stack = self.undo_group.activeStack()
        if stack is None:
            return
        if undone and stack.redoText():
            self.statusBar().showMessage(self.tr("Undone: {0}").format(stack.redoText()), 5000)
        elif not undone and stack.undoText():
            self.statusBar().showMessage(self.tr("Redone: {0}").format(stack.undoText()), 5000)

    def shortcuts_text(self) -> str:
        """Every menu command with a key, then the keys of the tables."""
        lines = [self.tr("Commands")]
        for action in self.findChildren(QAction):
            keys = " or ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
            )
            if keys and action.text():
                lines.append(f"  {keys:<24} {action.text().replace('&', '').rstrip('…')}")
        lines += ["", self.tr("In a table"), *(f"  {k:<24} {w}" for k, w in TABLE_KEYS)]
        return "\n".join(lines)

    def show_shortcuts(self) -> None:
        messages.info(self, self.shortcuts_text(), self.tr("Keyboard shortcuts"))

    def about(self) -> None:
        messages.info(
            self,
            self.tr(
                "DOM Desk {0}\n\nThe commissioning workbook of a regional Director of Offender "
                "Management: allocations, agreements, contracts, competitions, performance and "
                "risks for one region, kept in one file."
            ).format(__version__),
            self.tr("About DOM Desk"),
        )

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        focused = QApplication.focusWidget()
        if focused is not None:
            focused.clearFocus()  # commits a field being edited in the detail pane
        state.save_window(self, self.saveState())
        self._drop_workspace()
        event.accept()
