"""File ▸ Print and Print Preview: the table of the page shown, on A4 landscape paper.

Three steps, kept apart so a test can print to a PDF file without a dialog:

- ``table_of_view`` reads what a ``QTableView`` shows into a plain :class:`PrintTable`:
  its visible columns in their on-screen order and widths, its visible rows in their
  sorted and filtered order, each cell's display text, alignment, background and bold
  (a group or total row says so through the model's font role), and the provider names
  of a vertical header (the performance matrix) as a first column.
- ``paint`` lays that out on a ``QPrinter``: column widths scaled from the screen's to
  the page; a table too wide to read at that scale is split into bands of columns, each
  repeating the first column (the names), printed down and then across as a
  spreadsheet prints; text is wrapped within its cell and cut on a word boundary with
  "…" beyond a few lines; the title and the header row are repeated on every page, and
  the footer "North West · 2009-10 · printed 03/12/2026 · Page 2 of 5" closes each page
  (pages are laid out, and counted, before any is painted).
- ``print_page`` and ``preview_page`` are the window's commands: the page's table
  (``table_to_print``), a QPrintDialog or a QPrintPreviewDialog, then ``paint``.

A page says what it prints with a ``print_table()`` hook returning its ``QTableView``
(and may title it with ``print_title()``); without one the focused table, or the page's
``table``, or its largest visible table is printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QTableView, QTabWidget, QWidget
from shiboken6 import Shiboken

from dom_desk.domain.periods import format_date
from dom_desk.ui.messages import messages, run_modal

#: The table's text on paper, in points (the title and footer are sized from it).
BODY_POINTS = 8.0
TITLE_POINTS = 11.0
FOOTER_POINTS = 7.0
#: The page's margins, in millimetres.
MARGIN_MM = 12.0
#: How far a column's text may be squeezed (wrapped) to save a sheet, as a share of its
#: longest text (see ``_Layout._widths``); a table wider than a sheet is printed in bands
#: of columns, on sheets side by side.
MIN_SCALE = 0.75
#: A table that would leave this many columns or fewer to a sheet of their own is
#: squeezed harder (its text wrapped, down to its longest word) to save the sheet.
LAST_BAND_COLUMNS = 2
#: Widest a column may print, as a multiple of its natural width (a table of three
#: narrow columns is not stretched across the whole page).
MAX_SCALE = 1.8
#: Widest a column is made for its contents, in average characters of the print's font
#: (longer text wraps within its cell).
WIDEST_CHARS = 40
#: Lines of text a cell may take (a header cell: HEADER_LINES) before it is cut short.
BODY_LINES = 4
HEADER_LINES = 5
ELLIPSIS = "…"
#: The footer's separator, as in "North West · 2009-10 · printed 03/12/2026 · Page 1 of 3".
DOT = " · "

GRID_COLOUR = QColor("#9a9a9a")
HEADER_FILL = QColor("#e4e4e4")
STRIPE_FILL = QColor("#f3f3f3")

_LEFT = Qt.AlignmentFlag.AlignLeft
_HORIZONTAL = (
    Qt.AlignmentFlag.AlignLeft
    | Qt.AlignmentFlag.AlignRight
    | Qt.AlignmentFlag.AlignHCenter
    | Qt.AlignmentFlag.AlignJustify
)


@dataclass(frozen=True)
class PrintCell:
    """One cell as printed."""

    text: str
    bold: bool = False
    align: Qt.AlignmentFlag = _LEFT
    background: QColor | None = None
    colour: QColor | None = None


@dataclass(frozen=True)
class PrintTable:
    """A table to print, read from a view (``table_of_view``): no Qt model behind it."""

    title: str
    #: What every page's footer says before "Page x of y": region, year, date printed.
    footer: str
    headers: tuple[str, ...]
    #: Each column's width on screen, in screen pixels at ``screen_dpi``.
    widths: tuple[float, ...]
    rows: tuple[tuple[PrintCell, ...], ...]
    header_aligns: tuple[Qt.AlignmentFlag, ...] = ()
    #: Leading columns printed again on every band of columns (the names).
    repeated: int = 1
    screen_dpi: float = 96.0


@dataclass
class _Band:
    """Columns printed side by side on one sheet, with their widths on paper."""

    columns: list[int]
    widths: list[float]
    header_lines: list[list[str]] = field(default_factory=list)
    header_height: float = 0.0


@dataclass(frozen=True)
class _Sheet:
    band: int
    rows: list[tuple[int, float, list[list[str]]]]  # (row, height, lines of each cell)


# -- reading a view ---------------------------------------------------------------------


def _colour(value: Any) -> QColor | None:
    if isinstance(value, QBrush):
        return value.color() if value.style() != Qt.BrushStyle.NoBrush else None
    if isinstance(value, QColor):
        return value
    return None


def _align(value: Any, default: Qt.AlignmentFlag = _LEFT) -> Qt.AlignmentFlag:
    if value is None:
        return default
    flags = Qt.AlignmentFlag(int(value) if not isinstance(value, Qt.AlignmentFlag) else value)
    horizontal = flags & _HORIZONTAL
    return Qt.AlignmentFlag(horizontal) if horizontal else default


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _shown_width(view: QTableView, column: int, last: bool) -> float:
    """The column's width on screen; the last one's only as wide as its contents when it
    is stretched to fill the table (the spare width is the screen's, not the table's)."""
    width = view.columnWidth(column)
    header = view.horizontalHeader()
    if last and header.stretchLastSection():
        wanted = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
        width = min(width, max(wanted, 1))
    return float(max(width, 1))


def table_of_view(
    view: QTableView, title: str, footer: str, row_heading: str | None = None
) -> PrintTable:
    """What ``view`` shows, as it shows it: visible columns in on-screen order and width,
    visible rows in their sorted and filtered order. A visible vertical header (the
    performance matrix's provider names) becomes the first column, headed
    ``row_heading`` (default: the vertical header's accessible name)."""
    model = view.model()
    header = view.horizontalHeader()
    columns = [
        header.logicalIndex(visual)
        for visual in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(visual))
    ]
    rows = [r for r in range(model.rowCount()) if not view.isRowHidden(r)]
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    role = Qt.ItemDataRole
    with_names = not view.verticalHeader().isHidden()
    headers: list[str] = []
    aligns: list[Qt.AlignmentFlag] = []
    widths: list[float] = []
    if with_names:
        heading = row_heading if row_heading is not None else view.verticalHeader().accessibleName()
        headers.append(heading)
        aligns.append(_LEFT)
        widths.append(float(max(view.verticalHeader().width(), 1)))
    for at, column in enumerate(columns):
        headers.append(_text(model.headerData(column, horizontal, role.DisplayRole)))
        aligns.append(_align(model.headerData(column, horizontal, role.TextAlignmentRole)))
        widths.append(_shown_width(view, column, at == len(columns) - 1))

    printed: list[tuple[PrintCell, ...]] = []
    for r in rows:
        cells: list[PrintCell] = []
        if with_names:
            font = model.headerData(r, vertical, role.FontRole)
            cells.append(
                PrintCell(
                    _text(model.headerData(r, vertical, role.DisplayRole)),
                    bold=isinstance(font, QFont) and font.bold(),
                )
            )
        for column in columns:
            index = model.index(r, column)
            font = index.data(role.FontRole)
            cells.append(
                PrintCell(
                    _text(index.data(role.DisplayRole)),
                    bold=isinstance(font, QFont) and font.bold(),
                    align=_align(index.data(role.TextAlignmentRole)),
                    background=_colour(index.data(role.BackgroundRole)),
                    colour=_colour(index.data(role.ForegroundRole)),
                )
            )
        printed.append(tuple(cells))
    return PrintTable(
        title=title,
        footer=footer,
        headers=tuple(headers),
        widths=tuple(widths),
        rows=tuple(printed),
        header_aligns=tuple(aligns),
        repeated=_names_at_left(printed, len(headers)),
        screen_dpi=float(view.logicalDpiX() or 96),
    )


_FIGURE = re.compile(r"[\d\s.,=#%+-]*")


def _names_at_left(rows: list[tuple[PrintCell, ...]], count: int) -> int:
    """How many leading columns each band of columns repeats: the first, or the first
    two where the first holds only numbers (a rank beside the names)."""
    if count <= 1:
        return 0
    numbered = bool(rows) and all(_FIGURE.fullmatch(row[0].text) for row in rows)
    return 2 if numbered and count > 2 else 1


# -- text in a cell ---------------------------------------------------------------------


def _break_word(word: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """A word wider than its cell, in pieces that fit (nothing of it is lost)."""
    pieces, piece = [], ""
    for char in word:
        if piece and metrics.horizontalAdvance(piece + char) > width:
            pieces.append(piece)
            piece = char
        else:
            piece += char
    return [*pieces, piece] if piece else pieces


def _elide_words(text: str, metrics: QFontMetricsF, width: float) -> str:
    """``text`` with "…", cut at the last word boundary that lets it fit."""
    words = text.split(" ")
    while words:
        candidate = " ".join(words).rstrip(" ,;:-–") + ELLIPSIS
        if metrics.horizontalAdvance(candidate) <= width:
            return candidate
        words.pop()
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)


def cell_lines(text: str, metrics: QFontMetricsF, width: float, most: int) -> list[str]:
    """``text`` wrapped on word boundaries to ``width``, in at most ``most`` lines; what
    does not fit is cut at a word boundary with "…" on the last line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if metrics.horizontalAdvance(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            if metrics.horizontalAdvance(word) <= width:
                line = word
            else:
                *whole, line = _break_word(word, metrics, width)
                lines.extend(whole)
        lines.append(line)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    if len(lines) <= most:
        return lines
    kept = lines[: most - 1]
    rest = " ".join(lines[most - 1 :])
    return [*kept, _elide_words(rest, metrics, width)]


# -- laying out and painting ------------------------------------------------------------


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    # No "fi" or "ff" ligatures: the PDF's text searches and copies as typed.
    font.setFeature(QFont.Tag("liga"), 0)
    return font


class _Layout:
    """Where everything goes on the printer's pages (device pixels), worked out before
    the first page is painted, so "Page x of y" knows y."""

    def __init__(self, table: PrintTable, printer: QPrinter) -> None:
        self.table = table
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        self.width, self.height = area.width(), area.height()
        self.body = _font(BODY_POINTS)
        self.bold = _font(BODY_POINTS, bold=True)
        self.title_font = _font(TITLE_POINTS, bold=True)
        self.footer_font = _font(FOOTER_POINTS)
        self.metrics = QFontMetricsF(self.body, printer)
        self.bold_metrics = QFontMetricsF(self.bold, printer)
        self.title_metrics = QFontMetricsF(self.title_font, printer)
        self.footer_metrics = QFontMetricsF(self.footer_font, printer)
        self.line = self.bold_metrics.lineSpacing()
        self.pad_x = self.metrics.averageCharWidth() * 0.6
        self.pad_y = self.line * 0.2
        self.title_height = self.title_metrics.lineSpacing() * 1.4
        self.footer_height = self.footer_metrics.lineSpacing() * 1.8
        self.paper_per_screen = printer.resolution() / table.screen_dpi
        self.widths = self._widths()
        self.bands = self._bands()
        self.sheets = self._sheets()

    def _advance(self, text: str, bold: bool) -> float:
        return (self.bold_metrics if bold else self.metrics).horizontalAdvance(text)

    def _widths(self) -> list[list[float]]:
        """Each column's widths on paper, widest first, each a step narrower than the
        last: a sheet's columns are squeezed one step at a time until they fit.

        1. Natural: its width on screen, or, where the screen squeezed it (a name cut
           short to keep the figures in view), its longest text in the print's font, up
           to WIDEST_CHARS.
        2. Its cells' longest text (a heading wider than its figures wraps instead).
        3. MIN_SCALE of that (longer text wraps).
        4. At a pinch, its longest word, so a figure ("£10,400,000"), a date or a word
           is never broken.

        The names repeated on every sheet (``PrintTable.repeated``) are not squeezed.
        """
        table = self.table
        char = self.metrics.averageCharWidth()
        widest = char * WIDEST_CHARS
        pad = 2 * self.pad_x + 1  # a hair over: a word as wide as its cell still fits
        steps: list[list[float]] = [[], [], [], []]
        for column, screen in enumerate(table.widths):
            text, word = 0.0, 0.0
            for row in table.rows:
                cell = row[column]
                for paragraph in cell.text.split("\n"):
                    text = max(text, self._advance(paragraph, cell.bold))
                    for piece in paragraph.split():
                        word = max(word, self._advance(piece, cell.bold))
            for piece in table.headers[column].split():
                word = max(word, self._advance(piece, True))
            content = max(min(max(text, word) + pad, widest), char * 3)
            natural = max(screen * self.paper_per_screen, content)
            if column < table.repeated:
                widths = [natural] * 4
            else:
                least = min(word + pad, content)
                widths = [natural, content, max(content * MIN_SCALE, least), least]
            for step, width in zip(steps, widths, strict=True):
                step.append(width)
        return steps

    def _fit(self, columns: list[int], steps: int) -> list[float]:
        """The columns' widths on paper: natural widths scaled to the page's width
        (widened at most MAX_SCALE), or squeezed a step at a time (``_widths``, at most
        to step ``steps``), each column giving up width in proportion to what it can
        spare at that step."""
        natural = [self.widths[0][c] for c in columns]
        total = sum(natural)
        if total <= self.width:
            scale = min(self.width / total, MAX_SCALE)
            return [w * scale for w in natural]
        wider = natural
        for step in range(1, steps + 1):
            narrower = [self.widths[step][c] for c in columns]
            spare = sum(wider) - sum(narrower)
            if sum(narrower) <= self.width:
                share = (sum(wider) - self.width) / spare if spare > 0 else 0.0
                return [w - (w - n) * share for w, n in zip(wider, narrower, strict=True)]
            wider = narrower
        over = sum(wider) / self.width  # too wide even at a pinch: everything smaller
        return [w / over for w in wider]

    def _groups(self, keys: list[int], narrowest: list[float]) -> list[list[int]]:
        """The columns after ``keys`` in bands, each as many as fit a sheet at their
        ``narrowest`` beside the keys."""
        groups: list[list[int]] = []
        current: list[int] = []
        used = sum(narrowest[c] for c in keys)
        for column in range(len(keys), len(self.table.headers)):
            if current and used + narrowest[column] > self.width:
                groups.append(current)
                current, used = [], sum(narrowest[c] for c in keys)
            current.append(column)
            used += narrowest[column]
        if current or not groups:
            groups.append(current)
        return groups

    def _bands(self) -> list[_Band]:
        table = self.table
        count = len(table.headers)
        if count == 0:
            return []
        keys = list(range(min(table.repeated, count - 1)))
        # As many columns to a sheet as fit with their text whole (step 1); the text
        # wrapped (step 2) where that saves a sheet; down to its longest word (step 3)
        # only where that puts the whole width on one sheet or saves a last sheet of a
        # column or two.
        steps = 1
        groups = self._groups(keys, self.widths[1])
        if len(groups) > 1:
            wrapped = self._groups(keys, self.widths[2])
            if len(wrapped) < len(groups):
                groups, steps = wrapped, 2
        if len(groups) > 1:
            pinched = self._groups(keys, self.widths[3])
            if len(pinched) == 1 or (
                len(pinched) < len(groups) and len(groups[-1]) <= LAST_BAND_COLUMNS
            ):
                groups, steps = pinched, 3
        bands = []
        for group in groups:
            columns = keys + group
            widths = self._fit(columns, steps)
            band = _Band(columns, widths)
            for column, width in zip(columns, widths, strict=True):
                band.header_lines.append(
                    cell_lines(
                        table.headers[column], self.bold_metrics, self._inner(width), HEADER_LINES
                    )
                )
            band.header_height = max(len(lines) for lines in band.header_lines) * self.line
            band.header_height += 2 * self.pad_y
            bands.append(band)
        return bands

    def _inner(self, width: float) -> float:
        return max(width - 2 * self.pad_x, self.metrics.averageCharWidth())

    def _sheets(self) -> list[_Sheet]:
        sheets: list[_Sheet] = []
        table = self.table
        for number, band in enumerate(self.bands):
            room = self.height - self.title_height - self.footer_height - band.header_height
            rows: list[tuple[int, float, list[list[str]]]] = []
            used = 0.0
            for r, cells in enumerate(table.rows):
                lines = [
                    cell_lines(
                        cells[c].text,
                        self.bold_metrics if cells[c].bold else self.metrics,
                        self._inner(width),
                        BODY_LINES,
                    )
                    for c, width in zip(band.columns, band.widths, strict=True)
                ]
                height = max(len(cell) for cell in lines) * self.line + 2 * self.pad_y
                if rows and used + height > room:
                    sheets.append(_Sheet(number, rows))
                    rows, used = [], 0.0
                rows.append((r, height, lines))
                used += height
            sheets.append(_Sheet(number, rows))  # a table without rows prints its header
        return sheets

    # -- painting -----------------------------------------------------------------------

    def paint(self, painter: QPainter, printer: QPrinter) -> None:
        """Paints every sheet, or the range of pages chosen in the print dialog (each
        still numbered "Page x of y" of the whole)."""
        total = len(self.sheets)
        first = max(printer.fromPage(), 1)
        last = min(printer.toPage() or total, total)
        for page in range(first, last + 1):
            if page > first:
                printer.newPage()
            self._paint_sheet(painter, self.sheets[page - 1], page, total)

    def _title_of(self, band: int) -> str:
        if len(self.bands) <= 1:
            return self.table.title
        columns = self.bands[band].columns
        keys = min(self.table.repeated, len(self.table.headers) - 1)
        first = min(c for c in columns if c >= keys) + 1 - keys
        last = max(columns) + 1 - keys
        of = len(self.table.headers) - keys
        return f"{self.table.title} (columns {first}–{last} of {of})"

    def _paint_sheet(self, painter: QPainter, sheet: _Sheet, page: int, total: int) -> None:
        band = self.bands[sheet.band]
        painter.setPen(QPen(Qt.GlobalColor.black))
        painter.setFont(self.title_font)
        painter.drawText(
            QRectF(0, 0, self.width, self.title_height),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            self.title_metrics.elidedText(
                self._title_of(sheet.band), Qt.TextElideMode.ElideRight, self.width
            ),
        )
        top = self.title_height
        self._paint_row(
            painter,
            band,
            top,
            band.header_height,
            band.header_lines,
            [
                PrintCell(
                    "",
                    bold=True,
                    align=self.table.header_aligns[c] if self.table.header_aligns else _LEFT,
                    background=HEADER_FILL,
                )
                for c in band.columns
            ],
        )
        top += band.header_height
        for r, height, lines in sheet.rows:
            cells = [self.table.rows[r][c] for c in band.columns]
            stripe = STRIPE_FILL if r % 2 else None
            self._paint_row(painter, band, top, height, lines, cells, stripe)
            top += height
        painter.setFont(self.footer_font)
        painter.setPen(QPen(Qt.GlobalColor.black))
        footer = f"{self.table.footer}{DOT}Page {page} of {total}"
        painter.drawText(
            QRectF(0, self.height - self.footer_height, self.width, self.footer_height),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
            footer,
        )

    def _paint_row(
        self,
        painter: QPainter,
        band: _Band,
        top: float,
        height: float,
        lines: list[list[str]],
        cells: list[PrintCell],
        stripe: QColor | None = None,
    ) -> None:
        left = 0.0
        grid = QPen(GRID_COLOUR)
        grid.setWidthF(max(self.line / 40, 1.0))
        for width, cell_text, cell in zip(band.widths, lines, cells, strict=True):
            rect = QRectF(left, top, width, height)
            fill = cell.background or stripe
            if fill is not None:
                painter.fillRect(rect, fill)
            painter.setPen(grid)
            painter.drawRect(rect)
            painter.setFont(self.bold if cell.bold else self.body)
            painter.setPen(QPen(cell.colour or QColor(Qt.GlobalColor.black)))
            y = top + self.pad_y
            for text in cell_text:
                painter.drawText(
                    QRectF(left + self.pad_x, y, self._inner(width), self.line),
                    int(cell.align | Qt.AlignmentFlag.AlignVCenter),
                    text,
                )
                y += self.line
            left += width


def new_printer(title: str = "") -> QPrinter:
    """A printer set to A4 landscape with the module's margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    apply_page_layout(printer)
    if title:
        printer.setDocName(title)
    return printer


def apply_page_layout(printer: QPrinter) -> None:
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )


def paint(table: PrintTable, printer: QPrinter) -> int:
    """Prints ``table`` on ``printer`` (its page size and orientation as set); returns the
    number of pages."""
    layout = _Layout(table, printer)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        layout.paint(painter, printer)
    finally:
        painter.end()
    return len(layout.sheets)


def print_to_pdf(table: PrintTable, path: Path) -> int:
    """Prints ``table`` to a PDF file (A4 landscape); returns the number of pages."""
    printer = new_printer(table.title)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return paint(table, printer)


# -- the window's commands --------------------------------------------------------------


def footer_of(region: str, year: str, today: date | None = None) -> str:
    """The footer before the page number: "North West · 2009-10 · printed 03/12/2026"."""
    printed = format_date(today or date.today())
    return DOT.join(p for p in (region, year, f"printed {printed}") if p)


def _largest_visible_table(page: QWidget) -> QTableView | None:
    tables = [
        t
        for t in page.findChildren(QTableView)
        if t.isVisible() and t.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    if not tables:
        return None
    return max(tables, key=lambda t: t.width() * t.height())


def table_to_print(page: Any) -> QTableView | None:
    """The table a page prints: its ``print_table()``, else the table with the keyboard
    focus on it, else its ``table`` if shown, else its largest table shown."""
    hook = getattr(page, "print_table", None)
    if callable(hook):
        return hook()
    # The table last given the keyboard on this page (the window may be inactive while
    # a menu is open), if it is still shown.
    focused = page.focusWidget() if isinstance(page, QWidget) else None
    if isinstance(focused, QTableView) and focused.isVisible() and page.isAncestorOf(focused):
        return focused
    table = getattr(page, "table", None)
    if isinstance(table, QTableView) and table.isVisible():
        return table
    return _largest_visible_table(page) if isinstance(page, QWidget) else None


def _plain(label: str) -> str:
    """A tab's or button's text without its "&" mnemonic."""
    return re.sub(r"&(.)", r"\1", label)


def title_of(page: Any, area: str, view: QTableView | None = None) -> str:
    """The area's name, its tab, the table printed where it is not the page's own, and
    the page's filter where it applies: 'Allocations, filtered by "HMP"', 'Allocations —
    By provider', 'Overview — Next key dates'."""
    hook = getattr(page, "print_title", None)
    if callable(hook):
        return hook()
    parts = [area]
    tabs = getattr(page, "tabs", None)
    if isinstance(tabs, QTabWidget):
        tab = _plain(tabs.tabText(tabs.currentIndex()))
        if tab and tab.lower() != area.lower():
            parts.append(tab)
    main = getattr(page, "table", None)
    own = view is None or main is None or view is main
    name = view.accessibleName() if view is not None else ""
    if name and not any(name.lower() in p.lower() or p.lower() in name.lower() for p in parts):
        parts.append(name)
    text = " — ".join(parts)
    box = getattr(page, "filter", None)
    shown = own and box is not None and hasattr(box, "text") and box.isVisible()
    wording = box.text().strip() if shown else ""
    if wording:
        text += f', filtered by "{wording}"'
    return text


def current_table(window: Any) -> PrintTable | None:
    """The window's current page's table, ready to print; None (the user told why) when
    there is none."""
    from dom_desk.ui.workspace_view import area_title

    view = window.view
    if view is None:
        return None
    key = view.current_key()
    page = view.current_page()
    table = table_to_print(page)
    area = area_title(key)
    if table is None:
        messages.info(
            window,
            window.tr("{0} shows no table to print. Choose a page with a table.").format(area),
        )
        return None
    workspace = view.workspace
    return table_of_view(
        table, title_of(page, area, table), footer_of(workspace.region_name, workspace.year)
    )


#: How dialogs are shown (a test replaces it to answer them).
show_dialog: Callable[[QDialog], int] = run_modal


def _dropped(dialog: QDialog) -> None:
    """Deletes a print dialog at once: it points at its printer, which is deleted when
    the command returns, so the dialog must not outlive it (not even until
    ``deleteLater`` comes round)."""
    if Shiboken.isValid(dialog):
        Shiboken.delete(dialog)


def print_page(window: Any) -> bool:
    """File ▸ Print…: the printer dialog, then the current table on the printer chosen.
    True once printed."""
    table = current_table(window)
    if table is None:
        return False
    printer = new_printer(table.title)
    dialog = QPrintDialog(printer, window)
    try:
        dialog.setWindowTitle(window.tr("Print {0}").format(table.title))
        dialog.setMinMax(1, len(_Layout(table, printer).sheets))  # pages 1 to the last
        if show_dialog(dialog) != QDialog.DialogCode.Accepted:
            return False
    finally:
        _dropped(dialog)
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        paint(table, printer)
    except OSError as exc:
        messages.error(window, window.tr("Nothing was printed: {0}").format(exc))
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()
    return True


def preview_page(window: Any) -> bool:
    """File ▸ Print Preview…: the current table's pages as they will print, with the
    preview's own Print button. True when there was a table to show."""
    table = current_table(window)
    if table is None:
        return False
    printer = new_printer(table.title)
    dialog = QPrintPreviewDialog(printer, window)
    try:
        dialog.setWindowTitle(window.tr("Print Preview — {0}").format(table.title))
        dialog.paintRequested.connect(lambda chosen: paint(table, chosen))
        screen = window.screen().availableGeometry() if window.screen() else None
        if screen is not None:
            dialog.resize(int(screen.width() * 0.8), int(screen.height() * 0.85))
        show_dialog(dialog)
    finally:
        _dropped(dialog)
    return True
