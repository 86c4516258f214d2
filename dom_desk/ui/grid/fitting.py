"""The one rule for column widths: fitted to the contents until the user sizes one.

Columns get their contents' width, none wider than MAX_COLUMN_CHARS. Room to spare goes
first to the columns the cap cut short, then to the last column on screen. When the
columns are wider than the table, the columns of words (names, choices) give up width
(figures and dates never do) down to MIN_COLUMN_CHARS, so the figures stay in view.
New figures only ever widen a column; a change of the table's width fits again. Once
the user drags a column edge (or double-clicks one, or a saved layout is restored) the
widths are theirs.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from dom_desk.domain.values import Kind

#: Widest a column is made when fitted to its contents, in average character widths.
MAX_COLUMN_CHARS = 30
#: Narrowest a text column is squeezed to make room for the figures.
MIN_COLUMN_CHARS = 10


def _squeezable(kind: Kind | None) -> bool:
    """Words can be cut short (the whole shows as a tip); figures and dates cannot."""
    return kind is not None and not kind.numeric and kind is not Kind.DATE


class ColumnFitter(QObject):
    """Keeps one table's columns fitted (see the module's rule)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        #: False once the user (or a restored layout) owns the widths.
        self.active = True
        self._wanted: list[int] | None = None  # contents' widths, measured once per reset
        self._pending = False
        self._fitted = False
        self._fitting = False
        header = table.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.sectionHandleDoubleClicked.connect(lambda _s: self.stop())

    def stop(self) -> None:
        """Keeps the columns as they are now."""
        self.active = False

    def _section_resized(self) -> None:
        # A drag on a column edge (a mouse button held), not a fit or a stretched column.
        if not self._fitting and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self.stop()

    # -- when -----------------------------------------------------------------------------

    def rows_replaced(self) -> None:
        """New rows: measured again and fitted when on screen."""
        self._wanted = None
        self._fitted = False
        self._when_shown()

    def figures_changed(self) -> None:
        """New figures in place: columns they no longer fit are widened when on screen."""
        self._when_shown()

    def shown(self) -> None:
        if self._pending:
            self._when_shown()

    def width_changed(self) -> None:
        if self._fitted and self.active:
            self.fit()

    def _when_shown(self) -> None:
        # Fitting measures every shown cell: done when the table is on screen, not before.
        self._pending = True
        model = self.table.model()
        if not self.active or not self.table.isVisible() or model is None or not model.rowCount():
            return
        self._pending = False
        if self._fitted:
            self._widen()
        else:
            self.fit()

    # -- how ------------------------------------------------------------------------------

    def fit(self) -> None:
        """Fits the columns to their contents and the table's width, now."""
        self._fitting = True
        try:
            self._fit()
            self._fitted = True
        finally:
            self._fitting = False

    def _kinds(self) -> list[Kind | None]:
        source = self.table.model()
        while hasattr(source, "sourceModel"):
            source = source.sourceModel()
        columns = getattr(source, "columns", ())
        return [c.kind for c in columns] or [None] * self.table.horizontalHeader().count()

    def _fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        if self._wanted is None or len(self._wanted) != header.count():
            table.resizeColumnsToContents()
            self._wanted = [header.sectionSize(s) for s in range(header.count())]
        shown = [not header.isSectionHidden(s) for s in range(header.count())]
        wanted = [w if on else 0 for w, on in zip(self._wanted, shown, strict=True)]
        char = table.fontMetrics().averageCharWidth()
        widths = [min(w, char * MAX_COLUMN_CHARS) for w in wanted]
        # Leave room for a vertical scroll bar that may appear once rows are shown.
        bar = table.verticalScrollBar()
        available = table.viewport().width() - (0 if bar.isVisible() else bar.sizeHint().width())
        spare_room = available - sum(widths)
        short = sum(w - c for w, c in zip(wanted, widths, strict=True))
        if spare_room > 0 and short > 0:
            share = min(1.0, spare_room / short)
            widths = [c + int((w - c) * share) for w, c in zip(wanted, widths, strict=True)]
        floor = char * MIN_COLUMN_CHARS
        text = [
            s
            for s, kind in enumerate(self._kinds())
            if _squeezable(kind) and shown[s] and widths[s] > floor
        ]
        excess = sum(widths) - available
        spare = sum(widths[s] - floor for s in text)
        if excess > 0 and spare > 0:
            cut = min(1.0, excess / spare)
            for s in text:
                widths[s] -= math.ceil((widths[s] - floor) * cut)  # round to fit, not over
        last = next(
            (
                header.logicalIndex(v)
                for v in reversed(range(header.count()))
                if shown[header.logicalIndex(v)]
            ),
            None,
        )
        room = available - sum(widths)
        if room > 0 and last is not None:  # whatever is left goes to the last column shown
            widths[last] += room
        for section, width in enumerate(widths):
            if shown[section]:
                header.resizeSection(section, width)

    def _widen(self) -> None:
        """After new figures: widen any column they no longer fit (never narrow one)."""
        table, header = self.table, self.table.horizontalHeader()
        widest = table.fontMetrics().averageCharWidth() * MAX_COLUMN_CHARS
        self._fitting = True
        try:
            for section in range(header.count()):
                if header.isSectionHidden(section):
                    continue
                wanted = min(
                    max(table.sizeHintForColumn(section), header.sectionSizeHint(section)), widest
                )
                if header.sectionSize(section) < wanted:
                    header.resizeSection(section, wanted)
        finally:
            self._fitting = False
