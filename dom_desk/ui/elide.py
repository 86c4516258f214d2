"""Text cut short at a word, never mid-word, with the whole of it in the tooltip.

Qt elides a cell that does not fit at any character ("Through-the-gate mentori…"). The
delegate here paints the longest run of whole words that fits, then "…"; the whole text
shows as the cell's tooltip, but only when it was cut (a tooltip that repeats what is on
screen is noise). Tooltips the model gives for other reasons (a locked row, a marked
cell) show as before. A single word wider than the cell is cut where it must be.

Qt only, no domain: tables painted before a workbook opens (the Overview's) use it as
the grid (``ui/grid``) and the summary tables (``ui/rows_table``) do.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QHelpEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

Index = QModelIndex | QPersistentModelIndex

ELLIPSIS = "…"
#: Where a line may be cut: before a space, or at a slash ("Drugs/alcohol"); never at a
#: hyphen ("Inadequate co-…" reads as a word cut short).
_BREAKS = re.compile(r"(?=\s)|(?=/)")
#: Left off the end of a cut run of words before the ellipsis ("Cumbria, …" reads badly).
_TRAILING = " \t,;:-/–—(&"


def word_elided(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` as it fits in ``width`` pixels: whole, or its longest run of whole words
    that fits with "…" after it; a first word wider than the cell is cut at a character
    (there is no better place)."""
    line = text.split("\n", 1)[0]
    if line == text and metrics.horizontalAdvance(text) <= width:
        return text
    if line != text and metrics.horizontalAdvance(line.rstrip() + ELLIPSIS) <= width:
        return line.rstrip() + ELLIPSIS  # the first of several lines, whole
    best = ""
    for match in _BREAKS.finditer(line):
        head = line[: match.start()].rstrip(_TRAILING)
        if not head or len(head) <= len(best):
            continue
        if metrics.horizontalAdvance(head + ELLIPSIS) > width:
            break  # the runs only get longer
        best = head
    if best:
        return best + ELLIPSIS
    return metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(width, 0))


#: A first word this short is an abbreviation ("HMP", "DRR"): it says little alone.
_SHORT_WORD = 4


def first_word(text: str) -> str:
    """The shortest run of words a cut should leave: the first word ("Regional" of
    "Regional contracts manager"), with the next when the first is an abbreviation
    ("HMP Altcourse", not "HMP")."""
    line = text.split("\n", 1)[0]
    for match in _BREAKS.finditer(line):
        head = line[: match.start()].rstrip(_TRAILING)
        if len(head) > _SHORT_WORD:
            return head
    return line


def text_width(option: QStyleOptionViewItem) -> int:
    """The width the style leaves for a cell's text (its rect less icon and margins)."""
    widget = option.widget  # type: ignore[attr-defined]
    style = widget.style() if widget is not None else QApplication.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
    return rect.width() - 2 * margin


class WordElideDelegate(QStyledItemDelegate):
    """Paints cells cut at a word boundary and gives the whole text as the tooltip only
    when a cell is cut. The base of every grid's delegate, so editing works as before."""

    def shown_text(self, option: QStyleOptionViewItem, index: Index) -> tuple[str, str]:
        """(the text as painted in ``option.rect``, the whole text)."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        whole = opt.text  # type: ignore[attr-defined]
        if not whole:
            return "", ""
        return word_elided(whole, opt.fontMetrics, text_width(opt)), whole  # type: ignore[attr-defined]

    def is_cut(self, option: QStyleOptionViewItem, index: Index) -> bool:
        shown, whole = self.shown_text(option, index)
        return shown != whole

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        whole = opt.text  # type: ignore[attr-defined]
        if whole:
            opt.text = word_elided(whole, opt.fontMetrics, text_width(opt))  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

    def tooltip(self, option: QStyleOptionViewItem, index: Index) -> str:
        """What the cell's tooltip says: the model's own tip unless it only repeats the
        text on screen; the whole text when the cell is cut."""
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        tip = "" if tip is None else str(tip)
        shown, whole = self.shown_text(option, index)
        cut = shown != whole
        if not cut and tip.strip() == whole.strip():
            return ""  # the model's tip only repeats what the cell shows in full
        if cut and whole.strip() not in tip:
            return f"{whole}\n{tip}" if tip else whole
        return tip

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if event is None or view is None or event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        tip = self.tooltip(option, index) if index.isValid() else ""
        if tip:
            QToolTip.showText(event.globalPos(), tip, view.viewport(), option.rect)  # type: ignore[attr-defined]
            event.accept()
            return True
        QToolTip.hideText()
        event.ignore()
        return False
