"""What the window shows with no workbook open: New, Open, the demo and recent files."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dom_desk.ui import state


class StartPage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    demoRequested = Signal()
    #: A recent workbook chosen: a file's Path, or a server region's URL (str).
    recentRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("DOM Desk"))
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            self.tr(
                "The commissioning workbook of a Director of Offender Management. Each region "
                "is kept in one workbook file: start a new one, open one you have, or look "
                "round the North West demo (illustrative figures)."
            )
        )
        intro.setWordWrap(True)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Notice"))
        self.notice.hide()

        new = QPushButton(self.tr("&New workbook…"))
        new.setAccessibleName(self.tr("New workbook"))
        new.clicked.connect(self.newRequested)
        open_ = QPushButton(self.tr("&Open workbook…"))
        open_.setAccessibleName(self.tr("Open workbook"))
        open_.clicked.connect(self.openRequested)
        demo = QPushButton(self.tr("Open the &demo region"))
        demo.setAccessibleName(self.tr("Open the demo region"))
        demo.clicked.connect(self.demoRequested)
        buttons = QHBoxLayout()
        for button in (new, open_, demo):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.recent_title = QLabel(self.tr("&Recent workbooks"))
        self.recent = QListWidget()
        self.recent.setAccessibleName(self.tr("Recent workbooks"))
        self.recent_title.setBuddy(self.recent)
        self.recent.itemActivated.connect(self._recent_activated)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(intro)
        column.addWidget(self.notice)
        column.addLayout(buttons)
        column.addSpacing(self.fontMetrics().height())
        column.addWidget(self.recent_title)
        column.addWidget(self.recent)
        column.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 4)
        outer.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.recent.clear()
        # The paths by row (not in an item role: Qt's namespace costs start-up time).
        self._recent_paths = state.recent_locations()
        for path in self._recent_paths:
            shown = path if isinstance(path, str) else f"{path.name}  —  {path.parent}"
            item = QListWidgetItem(shown)
            item.setToolTip(str(path))
            self.recent.addItem(item)
        has_recent = self.recent.count() > 0
        self.recent.setVisible(has_recent)
        self.recent_title.setVisible(has_recent)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _recent_activated(self, item: QListWidgetItem) -> None:
        self.recentRequested.emit(self._recent_paths[self.recent.row(item)])
