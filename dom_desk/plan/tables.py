"""Data tables for the plan: light rules, a repeated header row, cells that never spill.

Column widths are worked out from the content: figures get the width of their widest
value, text columns share the rest and wrap. When the figures alone would not fit, the
table's type is made smaller rather than letting anything overflow the page or a cell.
Text that fits its cell on one line is drawn as a plain string (fast, and printed
exactly as given); anything longer becomes an escaped Paragraph that wraps.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from dom_desk.plan import style
from dom_desk.plan.markup import clean, plain

PAD_X = 4.0
PAD_Y = 2.6
SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
#: A table title's type size (like the plan's minor headings).
TITLE_SIZE = 10.5
FITTED = ("num", "fit")
#: The narrowest glyph's width in ems: text longer than width / (size * this) must wrap.
NARROWEST = 0.25
#: Words wider than this may be split across lines rather than widen their column (a
#: reference such as "(NOMS/DCMF/AC/1997)" is about 95 points at 8 point).
MAX_WORD = 100.0


@dataclass(frozen=True)
class Col:
    title: str
    #: "text" wraps; "num" is right-aligned and sized to its widest value; "fit" is sized
    #: like a figure but left-aligned (short codes, dates).
    kind: str = "text"
    #: Share of the width left over for text columns.
    weight: float = 1.0


@dataclass(frozen=True)
class Markup:
    """Cell text that is already safe Paragraph markup (built by the plan, not a user)."""

    text: str


@dataclass(frozen=True)
class Cell:
    """A cell with a fill (status colours); the text always says what the colour means."""

    text: str
    fill: colors.Color | None = None
    bold: bool = False


CellValue = str | Markup | Cell | None


@dataclass
class Row:
    cells: Sequence[CellValue]
    #: "data", "group" (a heading across the table) or "total".
    kind: str = "data"


@dataclass
class TableSpec:
    cols: Sequence[Col]
    rows: list[Row] = field(default_factory=list)
    #: A title printed above the column headings, and repeated with them, followed by
    #: "(continued)", on every page the table runs on to (whose targets they are).
    title: str | None = None

    def add(self, *cells: CellValue, kind: str = "data") -> None:
        self.rows.append(Row(cells, kind))

    def group(self, title: str) -> None:
        self.rows.append(Row([title], "group"))


def _text_of(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, Cell):
        return value.text
    if isinstance(value, Markup):
        return value.text
    return value


def _num_widths(spec: TableSpec, size: float) -> dict[int, float]:
    widths: dict[int, float] = {}
    for i, col in enumerate(spec.cols):
        if col.kind not in FITTED:
            continue
        widest = max((style.text_width(w, size, bold=True) for w in col.title.split()), default=0.0)
        for row in spec.rows:
            if row.kind != "group" and i < len(row.cells):
                for line in _text_of(row.cells[i]).splitlines():
                    widest = max(
                        widest, style.text_width(line.strip(), size, bold=row.kind == "total")
                    )
        widths[i] = widest + 2 * PAD_X + 0.5
    return widths


def _word_minimums(spec: TableSpec, size: float) -> dict[int, float]:
    """The width each text column needs so that its longest word is not broken (capped:
    a pathological word may still be split rather than squeeze the other columns)."""
    found: dict[int, float] = {}
    for i, col in enumerate(spec.cols):
        if col.kind in FITTED:
            continue
        bold = set(col.title.split())  # headings and totals are bold
        regular: set[str] = set()
        for row in spec.rows:
            if row.kind != "group" and i < len(row.cells):
                (bold if row.kind == "total" else regular).update(_text_of(row.cells[i]).split())
        # Measure only the longest few by length: the widest word is among them.
        widest = max(
            [style.text_width(w, size, bold=True) for w in _longest(bold)]
            + [style.text_width(w, size) for w in _longest(regular)],
            default=0.0,
        )
        found[i] = min(widest, MAX_WORD) + 2 * PAD_X + 0.5
    return found


def _longest(words: set[str], count: int = 12) -> list[str]:
    return sorted(words, key=len, reverse=True)[:count]


def _share(room: float, weights: dict[int, float], floors: dict[int, float]) -> dict[int, float]:
    """Splits ``room`` by weight, but never below a column's floor (water-filling)."""
    fixed: dict[int, float] = {}
    while True:
        free = {i: w for i, w in weights.items() if i not in fixed}
        left = room - sum(fixed.values())
        total = sum(free.values()) or 1.0
        short = {i: floors[i] for i, w in free.items() if left * w / total < floors[i]}
        if not short:
            return fixed | {i: left * w / total for i, w in free.items()}
        fixed |= short


def column_widths(spec: TableSpec, width: float) -> tuple[list[float], float]:
    """Widths of the columns and the type size that lets every figure and word fit."""
    text_cols = [i for i, c in enumerate(spec.cols) if c.kind not in FITTED]
    for size in SIZES:
        nums = _num_widths(spec, size)
        floors = _word_minimums(spec, size)
        left = width - sum(nums.values())
        if left >= sum(floors.values()) or size == SIZES[-1]:
            break
    texts = (
        _share(max(left, sum(floors.values())), {i: spec.cols[i].weight for i in text_cols}, floors)
        if text_cols
        else {}
    )
    widths = [nums[i] if i in nums else texts[i] for i in range(len(spec.cols))]
    if not text_cols:  # figures only: spread the slack so the table spans the page
        extra = (width - sum(widths)) / len(widths)
        widths = [w + max(extra, 0) for w in widths]
    scale = min(1.0, width / sum(widths))
    return [w * scale for w in widths], size


def _cell(value: CellValue, col: Col, width: float, size: float, bold: bool) -> object:
    """A plain string when it fits on one line; otherwise text that wraps in the cell.

    Both print the text exactly as given (no markup is read from it), so nothing a user
    typed can be taken for a tag. Only the plan's own ``Markup`` becomes a Paragraph.
    """
    right = col.kind == "num"
    if isinstance(value, Cell):
        bold = bold or value.bold
        value = value.text
    if isinstance(value, Markup):
        return Paragraph(value.text, style.cell_style(size, bold, right))
    raw = clean(value).strip()
    room = width - 2 * PAD_X
    if "\n" not in raw:
        text = " ".join(raw.split())
        # A cheap lower bound first: most long texts need no measuring to know they wrap.
        if len(text) * size * NARROWEST <= room and style.text_width(text, size, bold) <= room:
            return text
    f = style.fonts()
    return CellText(raw, f.bold if bold else f.regular, size, right)


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


class PlanTable(Table):
    """A Table that can stand for a heading (outline entry and bookmark) on its first page."""

    toc_key: str | None = None
    toc_level = 2
    toc_title = ""
    outline = True

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = super().split(avail_width, avail_height)
        if parts and self.toc_key is not None:  # the heading is where the table starts
            head = parts[0]
            head.toc_key, head.toc_level = self.toc_key, self.toc_level  # type: ignore[attr-defined]
            head.toc_title, head.outline = self.toc_title, self.outline  # type: ignore[attr-defined]
        return parts


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


def build(
    spec: TableSpec, width: float = style.FRAME_WIDTH, widths: Sequence[float] | None = None
) -> Table:
    """The reportlab Table for ``spec``; its header row repeats on every page it spans."""
    col_widths, size = column_widths(spec, width)
    if widths is not None:
        col_widths = list(widths)
    f = style.fonts()
    header = [
        Paragraph(
            plain(c.title),
            style.cell_style(size, head=True)
            if c.kind != "num"
            else style.cell_style(size, right=True, head=True),
        )
        for c in spec.cols
    ]
    last = len(spec.cols) - 1
    data: list[list[object]] = [header]
    top = 0  # the row of the column headings
    if spec.title is not None:
        data.insert(0, [TitleCell(clean(spec.title), f.bold, TITLE_SIZE)] + [""] * last)
        top = 1
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), f.regular, size, size * 1.25),
        ("TEXTCOLOR", (0, 0), (-1, -1), style.INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y + 0.6),
        ("BACKGROUND", (0, top), (-1, top), style.HEAD_FILL),
        ("LINEBELOW", (0, top), (-1, top), 0.8, style.NAVY),
        ("LINEBELOW", (0, top + 1), (-1, -1), 0.25, style.RULE),
        ("VALIGN", (0, top), (-1, top), "BOTTOM"),
    ]
    if top:  # the title reads as a heading over the table
        commands += [
            ("SPAN", (0, 0), (-1, 0)),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ]
    for i, col in enumerate(spec.cols):
        if col.kind == "num":
            commands.append(("ALIGN", (i, top + 1), (i, -1), "RIGHT"))
    for r, row in enumerate(spec.rows, start=top + 1):
        if row.kind == "group":
            title = _text_of(row.cells[0]) if row.cells else ""
            data.append([CellText(clean(title).upper(), f.bold, size)] + [""] * last)
            commands += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), style.BAND_FILL),
            ]
            if r < len(spec.rows) + top:  # never left alone at the foot of a page
                commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
            continue
        bold = row.kind == "total"
        cells = list(row.cells) + [None] * (len(spec.cols) - len(row.cells))
        data.append(
            [
                _cell(v, c, w, size, bold)
                for v, c, w in zip(cells, spec.cols, col_widths, strict=False)
            ]
        )
        for i, value in enumerate(cells):
            if isinstance(value, Cell) and value.fill is not None:
                commands.append(("BACKGROUND", (i, r), (i, r), value.fill))
        if bold:
            if r > top + 1:  # a total is never alone at the top of a page
                commands.append(("NOSPLIT", (0, r - 1), (-1, r)))
            commands += [
                ("FONT", (0, r), (-1, r), f.bold, size, size * 1.25),
                ("LINEABOVE", (0, r), (-1, r), 0.8, style.NAVY),
                ("LINEBELOW", (0, r), (-1, r), 0.8, style.NAVY),
            ]
    if len(spec.rows) >= 4:  # a page never carries on with a single row
        commands.append(("NOSPLIT", (0, -2), (-1, -1)))
    table = PlanTable(
        data, colWidths=col_widths, repeatRows=top + 1, hAlign="LEFT", style=TableStyle(commands)
    )
    table.plan_spec = spec  # kept so the benchmark can lay out the very same tables
    return table
