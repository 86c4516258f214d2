"""Edit ▸ Find in Workbook (Ctrl+K): type part of a name, code or reference, see the
records that match as you type, Enter opens the chosen one in its area.

The matching is the domain's (``domain.search``): case, spacing and small misspellings
do not count. The list is read again 150 ms after the last key, so fast typing runs one
search, not one per letter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dom_desk.domain.search import Hit, named_kinds, search
from dom_desk.errors import DomDeskError
from dom_desk.ui.workspace_view import area_title

#: How long typing may pause before the list is read again (ms).
DEBOUNCE_MS = 150
#: Where a hit's area and record id are kept on its list item.
HitRole = Qt.ItemDataRole.UserRole + 1

_MOVE_KEYS = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
)


class SearchDialog(QDialog):
    """The search box and its results; ``open_record(area_key, record_id)`` shows one."""

    def __init__(
        self,
        workspace: object,
        open_record: Callable[[str, int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._open_record = open_record
        self.setWindowTitle(self.tr("Find in Workbook"))
        self.setAccessibleName(self.tr("Find in Workbook"))
        self.setObjectName("find_in_workbook")

        self.query = QLineEdit()
        self.query.setObjectName("find_query")
        self.query.setClearButtonEnabled(True)
        self.query.setPlaceholderText(
            self.tr("Name, code or reference: a provider, contract, measure, risk…")
        )
        self.query.setAccessibleName(self.tr("Find in workbook"))
        self.query.setAccessibleDescription(
            self.tr("Type part of a name, code or reference; Up and Down choose, Enter opens")
        )
        self.query.installEventFilter(self)
        self.results = QListWidget()
        self.results.setObjectName("find_results")
        self.results.setAccessibleName(self.tr("Records found"))
        self.results.setUniformItemSizes(True)
        self.results.setAlternatingRowColors(True)  # two lines a record: which is which
        self.results.setWordWrap(False)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.itemActivated.connect(self._open_item)
        self.status = QLabel()
        self.status.setObjectName("find_status")
        self.status.setAccessibleName(self.tr("Search result"))
        hint = QLabel(self.tr("Up and Down choose · Enter opens · Esc closes"))
        hint.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(hint)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.query.textChanged.connect(self._timer.start)
        self.query.returnPressed.connect(self.open_current)
        self.hits: tuple[Hit, ...] = ()

        # A laptop screen holds it with room to spare (1366x768).
        width = self.fontMetrics().averageCharWidth() * 90
        self.resize(min(width, 720), self.fontMetrics().lineSpacing() * 26)
        self._show_status("")

    # -- searching ------------------------------------------------------------------------

    def search_now(self) -> None:
        """Reads the matches of the box's text (the timer calls this after typing)."""
        self._timer.stop()
        text = self.query.text()
        try:
            self.hits = search(self.workspace.wb, text, self.workspace.year) if text.strip() else ()
        except DomDeskError as exc:
            self.hits = ()
            self.results.clear()
            self.status.setText(str(exc))
            return
        self.results.clear()
        for hit in self.hits:
            item = QListWidgetItem(f"{hit.title}\n    {hit.what}")
            item.setData(HitRole, (hit.area, hit.record_id))
            item.setToolTip(self.tr("Found by {0}").format(hit.matched))
            self.results.addItem(item)
        if self.hits:
            self.results.setCurrentRow(0)
        self._show_status(text)

    def _show_status(self, text: str) -> None:
        if not text.strip():
            self.status.setText(self.tr("Type to search every area of the workbook."))
        elif not self.hits:
            self.status.setText(self.tr("Nothing found for “{0}”.").format(text.strip()))
        elif len(self.hits) == 1:
            self.status.setText(self.tr("1 record found."))
        else:
            self.status.setText(self.tr("{0} records found.").format(len(self.hits)))
        if self.hits:
            self.status.setText(f"{self.status.text()} {self._none_of_kind(text)}".strip())

    def _none_of_kind(self, text: str) -> str:
        """A sentence when the words name a kind of record and none of that kind matched
        ("Buckley Hall contract": Buckley Hall, a public prison, has an SLA)."""
        areas = {hit.area for hit in self.hits}
        missing = [kind for kind in named_kinds(text) if kind not in areas]
        if "contracts" in missing and "agreements" in areas:
            return self.tr("No contract matches: a public provider's agreement is its SLA.")
        if missing:
            return self.tr("None of them is in {0}.").format(
                ", ".join(area_title(kind) for kind in missing)
            )
        return ""

    # -- keys and opening ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up, Down, Page Up and Page Down in the box move through the results.
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _MOVE_KEYS
        ):
            if self._timer.isActive():
                self.search_now()
            self.results.setFocus()
            self.results.keyPressEvent(event)
            self.query.setFocus()
            return True
        return super().eventFilter(watched, event)

    def open_current(self) -> None:
        """Enter: opens the chosen record (the list is read first if typing was pending)."""
        if self._timer.isActive():
            self.search_now()
        item = self.results.currentItem()
        if item is not None:
            self._open_item(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        area, record_id = item.data(HitRole)
        self.accept()
        self._open_record(area, record_id)
