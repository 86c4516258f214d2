"""The one service every message box and file prompt goes through.

Windows call ``messages.error(...)``, ``messages.confirm(...)``, ``messages.open_path(...)``
and so on rather than ``QMessageBox`` or ``QFileDialog`` directly. A test sets
``messages.hook`` to a function that receives each :class:`Prompt` and returns the answer,
so it can both capture what the user was told and answer the question without a modal
dialog blocking the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from dom_desk.errors import DomDeskError

log = logging.getLogger(__name__)

WORKBOOK_FILTER = "DOM Desk workbooks (*.domdesk);;All files (*)"
XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"


@dataclass
class Prompt:
    """One message or question put to the user."""

    #: error, warning, info, confirm, choose, open_path, open_paths, choose_folder,
    #: save_path, new_region, password, server_address, exception
    kind: str
    title: str
    text: str
    details: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


class Messages:
    """Shows messages and asks questions; ``hook`` replaces the dialogs in tests."""

    def __init__(self) -> None:
        self.hook: Callable[[Prompt], Any] | None = None

    def _ask(self, prompt: Prompt, show: Callable[[], Any]) -> Any:
        if prompt.kind in ("error", "warning", "exception"):
            log.info("%s: %s", prompt.kind, prompt.text)
        if self.hook is not None:
            return self.hook(prompt)
        return show()

    # -- messages -----------------------------------------------------------------------

    def error(self, parent: QWidget | None, text: str, title: str = "") -> None:
        title = title or _tr("DOM Desk")
        self._ask(Prompt("error", title, text), lambda: QMessageBox.warning(parent, title, text))

    def info(self, parent: QWidget | None, text: str, title: str = "") -> None:
        title = title or _tr("DOM Desk")
        self._ask(Prompt("info", title, text), lambda: QMessageBox.information(parent, title, text))

    def confirm(self, parent: QWidget | None, text: str, title: str = "") -> bool:
        """Yes or no; No is the default answer."""
        title = title or _tr("DOM Desk")

        def show() -> bool:
            answer = QMessageBox.question(
                parent,
                title,
                text,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            return answer == QMessageBox.StandardButton.Yes

        return bool(self._ask(Prompt("confirm", title, text), show))

    def choose(
        self, parent: QWidget | None, text: str, choices: list[str], title: str = ""
    ) -> int | None:
        """One of ``choices`` (button texts; the first is the default): its index, or None
        when the user closed the box."""
        title = title or _tr("DOM Desk")

        def show() -> int | None:
            box = QMessageBox(
                QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
            )
            buttons = [box.addButton(c, QMessageBox.ButtonRole.ActionRole) for c in choices]
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(buttons[0])
            box.exec()
            clicked = box.clickedButton()
            return buttons.index(clicked) if clicked in buttons else None

        return self._ask(Prompt("choose", title, text, extra={"choices": choices}), show)

    def failure(self, parent: QWidget | None, error: BaseException, details: str) -> None:
        """Work that failed on a worker thread: its sentence when it is an error the user
        can act on, otherwise the fault with its traceback."""
        if isinstance(error, DomDeskError):
            self.error(parent, str(error))
        else:
            self.exception(parent, f"{type(error).__name__}: {error}", details)

    def exception(self, parent: QWidget | None, text: str, details: str) -> None:
        """An unexpected fault: the traceback and versions, with a copy button."""

        def show() -> None:
            from dom_desk.ui.error_dialog import ErrorDialog

            ErrorDialog(text, details, parent).exec()

        self._ask(Prompt("exception", _tr("DOM Desk: something went wrong"), text, details), show)

    # -- questions that return a value --------------------------------------------------

    def open_path(
        self,
        parent: QWidget | None,
        title: str,
        folder: Path | None = None,
        file_filter: str = WORKBOOK_FILTER,
    ) -> Path | None:
        def show() -> Path | None:
            name, _ = QFileDialog.getOpenFileName(
                parent, title, str(folder or ""), _tr(file_filter)
            )
            return Path(name) if name else None

        return self._ask(Prompt("open_path", title, ""), show)

    def open_paths(
        self,
        parent: QWidget | None,
        title: str,
        file_filter: str = WORKBOOK_FILTER,
        folder: Path | None = None,
    ) -> list[Path]:
        """Several existing files (an empty list when the user cancels)."""

        def show() -> list[Path]:
            names, _ = QFileDialog.getOpenFileNames(
                parent, title, str(folder or ""), _tr(file_filter)
            )
            return [Path(n) for n in names]

        return list(self._ask(Prompt("open_paths", title, ""), show) or [])

    def choose_folder(
        self, parent: QWidget | None, title: str, folder: Path | None = None
    ) -> Path | None:
        """An existing folder, or None when the user cancels."""

        def show() -> Path | None:
            name = QFileDialog.getExistingDirectory(parent, title, str(folder or ""))
            return Path(name) if name else None

        return self._ask(Prompt("choose_folder", title, ""), show)

    def save_path(
        self,
        parent: QWidget | None,
        title: str,
        suggested: Path | None = None,
        file_filter: str = WORKBOOK_FILTER,
        ask_to_replace: bool = True,
    ) -> Path | None:
        """Where to write a file. ``ask_to_replace=False`` for files DOM Desk never
        overwrites (a new workbook): the caller refuses an existing name itself."""

        def show() -> Path | None:
            options = (
                QFileDialog.Option(0) if ask_to_replace else QFileDialog.Option.DontConfirmOverwrite
            )
            name, _ = QFileDialog.getSaveFileName(
                parent, title, str(suggested or ""), _tr(file_filter), options=options
            )
            return Path(name) if name else None

        return self._ask(Prompt("save_path", title, ""), show)

    def save_xlsx_path(self, parent: QWidget | None, title: str, suggested: Path) -> Path | None:
        """Where to export an Excel file; ``.xlsx`` is added when the name lacks it."""
        path = self.save_path(parent, title, Path(str(suggested).replace("/", "-")), XLSX_FILTER)
        if path is not None and path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        return path

    def password(self, parent: QWidget | None, text: str, title: str = "") -> str | None:
        """A password typed once (shown as dots), or None when the user cancels. The
        caller uses it for one login and keeps it nowhere."""
        title = title or _tr("DOM Desk")

        def show() -> str | None:
            from PySide6.QtWidgets import QInputDialog, QLineEdit

            typed, accepted = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
            return typed if accepted else None

        return self._ask(Prompt("password", title, text), show)

    def server_address(self, parent: QWidget | None, last: str = "") -> tuple[str, bool] | None:
        """File ▸ Open Server Workbook: a region's URL (no password) and whether to open
        it read-only, or None."""

        def show() -> tuple[str, bool] | None:
            from dom_desk.ui.server_open_dialog import ServerOpenDialog

            dialog = ServerOpenDialog(last, parent)
            try:
                if dialog.exec() != ServerOpenDialog.DialogCode.Accepted:
                    return None
                return dialog.answer()
            finally:
                dialog.deleteLater()

        return self._ask(
            Prompt("server_address", _tr("Open Server Workbook"), "", extra={"last": last}), show
        )

    def new_region(self, parent: QWidget | None, default_year: str) -> tuple[str, str] | None:
        """The region name and first financial year of a new workbook, or None."""

        def show() -> tuple[str, str] | None:
            from dom_desk.ui.new_region_dialog import NewRegionDialog

            dialog = NewRegionDialog(default_year, parent)
            if dialog.exec() != NewRegionDialog.DialogCode.Accepted:
                return None
            return dialog.answer()

        return self._ask(
            Prompt(
                "new_region", _tr("New region workbook"), "", extra={"default_year": default_year}
            ),
            show,
        )


#: The application's one message service.
messages = Messages()


def run_modal(dialog: QDialog) -> int:
    """Shows a dialog modally, then deletes it: a closed dialog left as the window's child
    keeps its workers and models alive until Qt tears everything down at exit."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()
