"""What a plan table is made of: its columns, rows and cells, before any layout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors


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


def text_of(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, Cell):
        return value.text
    if isinstance(value, Markup):
        return value.text
    return value
