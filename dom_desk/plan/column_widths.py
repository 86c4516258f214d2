"""Column widths worked out from the content, and the type size that makes them fit.

Figures get the width of their widest value, text columns share the rest (never so
narrow that a word must break) and wrap. When the figures alone would not fit, the
table's type is made smaller rather than letting anything overflow the page or a cell.
"""

from __future__ import annotations

from dom_desk.plan import style
from dom_desk.plan.table_spec import TableSpec, text_of

PAD_X = 4.0
SIZES = (8.0, 7.5, 7.0, 6.5, 6.0)
FITTED = ("num", "fit")
#: Words wider than this may be split across lines rather than widen their column (a
#: reference such as "(NOMS/DCMF/AC/1997)" is about 95 points at 8 point).
MAX_WORD = 100.0


def _num_widths(spec: TableSpec, size: float) -> dict[int, float]:
    widths: dict[int, float] = {}
    for i, col in enumerate(spec.cols):
        if col.kind not in FITTED:
            continue
        widest = max((style.text_width(w, size, bold=True) for w in col.title.split()), default=0.0)
        for row in spec.rows:
            if row.kind != "group" and i < len(row.cells):
                for line in text_of(row.cells[i]).splitlines():
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
                (bold if row.kind == "total" else regular).update(text_of(row.cells[i]).split())
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
