"""Plain text wrapped to a table cell: words to lines, over-long words cut where they
break best (after a slash or hyphen), glyph widths measured once and cached.
"""

from __future__ import annotations

import functools
import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from dom_desk.plan import style


class CellText(Flowable):
    """Plain text wrapped to its cell: words to lines, over-long words cut to fit.

    Much lighter than a Paragraph (no markup to parse) for the thousands of cells a
    national plan has, and it prints user text exactly as typed.
    """

    def __init__(self, text: str, font: str, size: float, right: bool = False) -> None:
        super().__init__()
        self.text, self.font, self.size, self.right = text, font, size, right
        self.leading = size * 1.25
        self._lines: list[str] = []
        self._wrapped_at: float | None = None

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        # A table asks again on every page it is split across: the answer is the same.
        if avail_width != self._wrapped_at:
            self._lines = wrap_text(self.text, self.font, self.size, avail_width)
            self._wrapped_at = avail_width
        self.width = avail_width
        self.height = self.leading * max(1, len(self._lines))
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, self.size)
        c.setFillColor(style.INK)
        y = self.height - self.size
        for line in self._lines:
            if self.right:
                c.drawRightString(self.width, y, line)
            else:
                c.drawString(0, y, line)
            y -= self.leading


class TitleCell(CellText):
    """A table's title in its repeated header rows: "(continued)" after the first page.

    The split parts of a table share their header cells, so the second and later draws
    of this cell are the pages the table runs on to. It is as tall as the longer text.
    """

    def __init__(self, text: str, font: str, size: float) -> None:
        super().__init__(text, font, size)
        self._draws = 0
        self._more: list[str] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        super().wrap(avail_width, avail_height)
        self._more = wrap_text(f"{self.text} (continued)", self.font, self.size, avail_width)
        self.height = self.leading * max(len(self._lines), len(self._more))
        return self.width, self.height

    def draw(self) -> None:
        first = self._lines
        if self._draws:
            self._lines = self._more
        self._draws += 1
        try:
            super().draw()
        finally:
            self._lines = first


@functools.lru_cache(maxsize=1 << 17)
def _word_width(word: str, font: str, size: float) -> float:
    return stringWidth(word, font, size)


#: Where a word too wide for its line is best broken: after these characters.
_BREAK_AFTER = re.compile(r"(?<=[/\\\-_.,;:)])")


def _cut(word: str, font: str, size: float, width: float) -> list[str]:
    """A word too wide for any line, cut into pieces that fit: after a slash or hyphen
    where it can be (references, web addresses), otherwise between characters."""
    pieces, piece = [], ""
    for part in _BREAK_AFTER.split(word):
        if piece and _word_width(piece + part, font, size) > width:
            pieces.append(piece)
            piece = ""
        if _word_width(piece + part, font, size) <= width:
            piece += part
            continue
        for ch in part:
            if piece and _word_width(piece + ch, font, size) > width:
                pieces.append(piece)
                piece = ""
            piece += ch
    return pieces + [piece]


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width``; line breaks in the text are kept.

    Glyph widths add up (reportlab applies no kerning), so a line's width is the sum of
    its words' cached widths and the spaces between them.
    """
    space = _word_width(" ", font, size)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = _word_width(word, font, size)
            if w > width:
                pieces = _cut(word, font, size, width)
                if line:
                    lines.append(" ".join(line))
                lines.extend(pieces[:-1])
                line, used = [pieces[-1]], _word_width(pieces[-1], font, size)
                continue
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [word], w
            else:
                used += (space if line else 0.0) + w
                line.append(word)
        lines.append(" ".join(line))
    return lines
