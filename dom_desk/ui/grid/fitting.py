"""The one rule for column widths: fitted to the contents until the user sizes one.

Columns get their contents' width (a title counts without room for a sort arrow, which
only the sorted column shows), none wider than MAX_COLUMN_CHARS. Room to spare goes
first to the columns the cap cut short, then to the last column on screen. When the
columns are wider than the table, the columns of words (names, descriptions, choices)
give up width, the longest first (a row's name and descriptions keep twice the width of
other words), down to MIN_COLUMN_CHARS or their widest first word, whichever is wider
(two words where the first is an abbreviation: "HMP Altcourse"), so a cell is cut at a
word (``elide.py``) and the figures stay in view; figures, dates and columns of codes
and references (no spaces: "NW/VCS/2009/014") never give up width.
New figures only ever widen a column; a change of the table's width fits again. Once
the user drags a column edge (or double-clicks one, or a saved layout is restored) the
widths are theirs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStyle, QTableView

from dom_desk.domain.values import Kind
from dom_desk.ui.elide import ELLIPSIS, first_word

#: Widest a column is made when fitted to its contents, in average character widths.
MAX_COLUMN_CHARS = 30
#: Narrowest a text column is squeezed to make room for the figures.
MIN_COLUMN_CHARS = 10


def _squeezable(kind: Kind | None) -> bool:
    """Words can be cut short (the whole shows as a tip); figures and dates cannot."""
    return kind is not None and not kind.numeric and kind is not Kind.DATE


#: How much wider than the other words a row's name or description (a contract's
#: title, a risk) is kept when columns are cut: it is what the row is about.
DESCRIPTION_WEIGHT = 2


def cut_widths(widths: list[int], weights: list[int], excess: int, floors: list[int]) -> list[int]:
    """``widths`` cut so that together they give up ``excess`` pixels (or as much as
    their ``floors`` allow): the longest texts are cut first, down to one level (twice it
    for a weight of 2), and the short ones ("HMP Altcourse") kept whole while they can be."""
    floors = [min(w, f) for w, f in zip(widths, floors, strict=True)]

    def cut_to(level: int) -> list[int]:
        return [min(w, max(f, level * k)) for w, k, f in zip(widths, weights, floors, strict=True)]

    low, high = 0, max(widths, default=0)  # cut_to(low) gives up the most
    while low < high:  # the highest level that still gives up enough
        middle = (low + high + 1) // 2
        if sum(widths) - sum(cut_to(middle)) >= excess:
            low = middle
        else:
            high = middle - 1
    return cut_to(low)


def holds_words(table: QTableView, section: int, sample: int = 400) -> bool:
    """Whether a column holds words (a name, a description), which read well cut at a
    word, rather than codes and references ("NW/VCS/2009/014"), which a cut makes
    ambiguous: a column of codes keeps its width."""
    model = table.model()
    for row in range(min(model.rowCount(), sample)):
        text = model.index(row, section).data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and " " in text.strip():
            return True
    return False


def first_word_width(table: QTableView, section: int, sample: int = 400) -> int:
    """The width of a column's widest first word and "…": a column of words is not cut
    narrower, so no cell of it is cut mid-word ("Region…")."""
    model, metrics = table.model(), table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    widest = 0
    for row in range(min(model.rowCount(), sample)):
        text = model.index(row, section).data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and text:
            widest = max(widest, metrics.horizontalAdvance(first_word(text) + ELLIPSIS))
    return widest + margin + 2 if widest else 0


class ColumnFitter(QObject):
    """Keeps one table's columns fitted (see the module's rule)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        #: False once the user (or a restored layout) owns the widths.
        self.active = True
        self._wanted: list[int] | None = None  # contents' widths, measured once per reset
        self._words: list[bool] | None = None  # whether a column holds words, ditto
        self._first_word_widths: list[int] = []  # the widest first word of each, ditto
        self._pending = False
        self._fitted = False
        self._fitting = False
        header = table.horizontalHeader()
        header.sectionResized.connect(self._section_resized)
        header.sectionHandleDoubleClicked.connect(lambda _s: self.stop())
        header.sortIndicatorChanged.connect(lambda _s, _o: self._sorted())

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
        self._words = None
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

    def _heading_widths(self) -> list[int]:
        """Each column's title width. Qt's own measure keeps room for a sort arrow beside
        every title (as wide as the header is high: a third of a narrow column); only the
        column sorted on shows one, so only it gets the room."""
        header = self.table.horizontalHeader()
        sorted_on = header.sortIndicatorSection() if header.isSortIndicatorShown() else -1
        with_arrow = {sorted_on: header.sectionSizeHint(sorted_on)} if sorted_on >= 0 else {}
        shown = header.isSortIndicatorShown()
        header.blockSignals(True)
        header.setSortIndicatorShown(False)
        try:
            return [with_arrow.get(s, header.sectionSizeHint(s)) for s in range(header.count())]
        finally:
            header.setSortIndicatorShown(shown)
            header.blockSignals(False)

    def _sorted(self) -> None:
        """A click on a title sorts on it: its column widened to keep the arrow clear of
        the title, if it must be (never narrowed)."""
        if self.active and self._fitted:
            self._widen()

    def _source(self) -> object:
        source = self.table.model()
        while hasattr(source, "sourceModel"):
            source = source.sourceModel()
        return source

    def _kinds(self) -> list[Kind | None]:
        columns = getattr(self._source(), "columns", ())
        return [c.kind for c in columns] or [None] * self.table.horizontalHeader().count()

    def _weights(self) -> list[int]:
        """How much of a cut each column is spared: the record's name (an area's label
        column) and descriptions keep twice the width of other words."""
        source = self._source()
        area = getattr(source, "area", None)
        label = getattr(area, "label_key", None)
        columns = getattr(source, "columns", ())
        weights = [
            DESCRIPTION_WEIGHT
            if getattr(c, "kind", None) is Kind.LONG_TEXT or getattr(c, "key", None) == label
            else 1
            for c in columns
        ]
        return weights or [1] * self.table.horizontalHeader().count()

    def _fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        if self._wanted is None or len(self._wanted) != header.count():
            self._wanted = [table.sizeHintForColumn(s) for s in range(header.count())]
        shown = [not header.isSectionHidden(s) for s in range(header.count())]
        headings = self._heading_widths()
        wanted = [
            max(w, h) if on else 0 for w, h, on in zip(self._wanted, headings, shown, strict=True)
        ]
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
        if self._words is None or len(self._words) != header.count():
            self._words = [holds_words(table, s) for s in range(header.count())]
            self._first_word_widths = [first_word_width(table, s) for s in range(header.count())]
        text = [
            s
            for s, kind in enumerate(self._kinds())
            if _squeezable(kind) and self._words[s] and shown[s] and widths[s] > floor
        ]
        excess = sum(widths) - available
        if excess > 0 and text:
            weights = self._weights()
            cut = cut_widths(
                [widths[s] for s in text],
                [weights[s] for s in text],
                excess,
                [max(floor, self._first_word_widths[s]) for s in text],
            )
            for s, width in zip(text, cut, strict=True):
                widths[s] = width
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
        headings = self._heading_widths()
        self._fitting = True
        try:
            for section in range(header.count()):
                if header.isSectionHidden(section):
                    continue
                wanted = min(max(table.sizeHintForColumn(section), headings[section]), widest)
                if header.sectionSize(section) < wanted:
                    header.resizeSection(section, wanted)
        finally:
            self._fitting = False
