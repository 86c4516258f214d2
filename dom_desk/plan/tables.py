"""Data tables for the plan: light rules, a repeated header row, cells that never spill.

A table is described in ``table_spec`` terms; ``column_widths`` sizes its columns from
the content (smaller type rather than overflow); ``cell_text`` wraps long text. Text
that fits its cell on one line is drawn as a plain string (fast, and printed exactly as
given); anything longer is wrapped in the cell, also exactly as given.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from dom_desk.plan import style
from dom_desk.plan.cell_text import CellText, TitleCell, wrap_text
from dom_desk.plan.column_widths import FITTED, PAD_X, SIZES, column_widths
from dom_desk.plan.markup import clean, plain
from dom_desk.plan.table_spec import Cell, CellValue, Col, Markup, Row, TableSpec, text_of

__all__ = [
    "FITTED",
    "SIZES",
    "Cell",
    "CellText",
    "CellValue",
    "Col",
    "Markup",
    "PlanTable",
    "Row",
    "TableSpec",
    "TitleCell",
    "build",
    "column_widths",
    "text_of",
    "wrap_text",
]

PAD_Y = 2.6
#: A table title's type size (like the plan's minor headings).
TITLE_SIZE = 10.5
#: The narrowest glyph's width in ems: text longer than width / (size * this) must wrap.
NARROWEST = 0.25


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
            title = text_of(row.cells[0]) if row.cells else ""
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
