"""A plan table (``table_spec.TableSpec``, the very one the PDF lays out) as an HTML table.

Every table has a caption; column headings are ``<th scope="col">``; each row's first
cell is its ``<th scope="row">``; a group row (a heading across the table) starts a
``<tbody>`` headed by ``<th scope="rowgroup">``; figures ("num" columns: money, counts,
targets) are right-aligned. A status colour is never the only sign: the cell's text
says the status, as in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence

from dom_desk.plan.html_markup import from_markup, one_line, text
from dom_desk.plan.table_spec import Cell, CellValue, Col, Markup, Row, TableSpec


def _hex(colour: object) -> str | None:
    if colour is None:
        return None
    hexval = getattr(colour, "hexval", None)
    if hexval is None:
        return None
    return "#" + hexval()[2:].upper()


def cell_html(value: CellValue) -> tuple[str, bool, str | None]:
    """(HTML, bold, background colour) of one cell."""
    if value is None:
        return "", False, None
    if isinstance(value, Cell):
        return text(value.text), value.bold, _hex(value.fill)
    if isinstance(value, Markup):
        return from_markup(value.text), False, None
    return text(value), False, None


def _classes(col: Col, bold: bool) -> str:
    names = [col.kind] if col.kind in ("num", "fit") else []
    names += ["strong"] if bold else []
    return f' class="{" ".join(names)}"' if names else ""


def _row(row: Row, cols: Sequence[Col]) -> str:
    cells = list(row.cells) + [None] * (len(cols) - len(row.cells))
    parts = []
    for i, (value, col) in enumerate(zip(cells, cols, strict=False)):
        body, bold, fill = cell_html(value)
        attrs = _classes(col, bold)
        if fill:
            attrs += f' style="background-color:{fill}"'
        if i == 0 and body:
            parts.append(f'<th scope="row"{attrs}>{body}</th>')
        else:
            parts.append(f"<td{attrs}>{body}</td>")
    kind = ' class="total"' if row.kind == "total" else ""
    return f"<tr{kind}>" + "".join(parts) + "</tr>"


def table_html(
    spec: TableSpec, caption: str, hidden_caption: bool = False, css_class: str = ""
) -> str:
    """The table with ``caption`` (plain text; escaped here), hidden from the eye but not
    from a screen reader when ``hidden_caption`` (it repeats the heading above)."""
    cols = list(spec.cols)
    head = "".join(f'<th scope="col"{_classes(c, False)}>{one_line(c.title)}</th>' for c in cols)
    bodies: list[list[str]] = [[]]
    for row in spec.rows:
        if row.kind == "group":
            title, _bold, _fill = cell_html(row.cells[0] if row.cells else None)
            bodies.append(
                [f'<tr class="group"><th scope="rowgroup" colspan="{len(cols)}">{title}</th></tr>']
            )
        else:
            bodies[-1].append(_row(row, cols))
    tbodies = "".join("<tbody>" + "".join(rows) + "</tbody>" for rows in bodies if rows)
    table_class = f' class="{css_class}"' if css_class else ""
    hidden = ' class="vh"' if hidden_caption else ""
    return (
        f"<table{table_class}><caption{hidden}>{one_line(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead>{tbodies}</table>"
    )
