"""A budget table read from an xlsx as it is printed, into plain values (no database).

Two layouts are understood:

- **As printed** (seed 001's and 004's Annex A): a name column at left (its header may be
  blank) and one or more amount columns whose header names a year ("Proposed Budget
  2005-06 £m") or a unit ("£m", "£k", "£"). With several amount columns, the one for the
  requested year is read. A row with a name and no amount is a heading: a group, under
  the group above it when that group has no lines yet. A "Total …" row is the printed
  total of the group it closes (the open group named so, else the innermost), or, when
  no group is open, of everything above it: the rows it totals become a group named by
  it ("Total National Probation Service" groups the two groups above). Amounts in
  brackets are negative, "-" is nothing; "£m" and "£k" are scaled to pence exactly. A
  footnote marker ("HMPPS Wales*") is stripped from the name and the footnote ("*In
  addition ... Welsh Government") kept as the line's note.
- **The template**: columns Group, Line, Funding source, Amount (£), Notes and an
  optional Parent group; each row is a line (a Line "Total …" is its group's printed
  total).

Printed totals get the tolerance of the precision printed: one unit of the last decimal
place the amount column uses (£1m for whole £m, £0.1m for one decimal).

Problems with a cell are collected as sentences naming file, sheet and cell
(``BudgetTable.problems``); a file that is not a spreadsheet, or has no amount column or
no column for the year, is refused by ``ValidationError`` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.readers.containers import DEFAULT_LIMITS, Limits
from dom_desk.readers.list_sheets import (
    FieldSpec,
    cell_text,
    column_letter,
    find_header,
    header_units,
    normal,
)
from dom_desk.readers.spreadsheets import open_spreadsheet

#: The template's columns (the list kind's FIELDS).
TEMPLATE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "group",
        "Group",
        ("group", "heading", "budget group"),
        help="The heading the line is printed under (Probation Boards); empty: at the top.",
    ),
    FieldSpec(
        "line",
        "Line",
        ("line", "budget line", "name", "line name"),
        True,
        "The line as the budget table prints it (Main Resource Allocation); a line "
        "'Total …' is the group's printed total, checked against its lines, never counted.",
    ),
    FieldSpec(
        "funding_source",
        "Funding source",
        ("funding source", "source", "funded by", "funder"),
        help="Who pays for the line (NOMS allocation, Welsh Government); added if new; "
        "empty: the year's main source.",
    ),
    FieldSpec(
        "amount",
        "Amount (£)",
        ("amount", "budget", "allocation", "value"),
        True,
        "The line's amount in pounds; (45) or -45 is negative (a central adjustment); "
        "write the unit in the header to give £m or £k (Amount (£m)).",
        "money",
    ),
    FieldSpec("notes", "Notes", ("notes", "note", "comments"), help="Anything to remember."),
    FieldSpec(
        "parent",
        "Parent group",
        ("parent group", "parent", "under", "within"),
        help="The group this line's group is printed under, for groups under groups.",
    ),
)

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–/]\s*(\d\d)(?!\d)")
_UNIT_WORD = re.compile(r"£\s*(m|k|000s?|million|thousand)?(?![a-z])", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_MARKERS = "*†‡"
_SCALE = {"£m": 1_000_000, "£k": 1_000, "£": 1}
_NOTHING = {"-", "–", "—", "nil"}
_FLOAT_NOISE = Decimal("0.000001")


@dataclass(frozen=True)
class ReadGroup:
    name: str
    #: Index of the parent in ``BudgetTable.groups`` (None: at the top).
    parent: int | None
    position: int
    row: int
    total_label: str = ""
    printed_total: int | None = None
    total_row: int | None = None
    tolerance: int | None = None


@dataclass(frozen=True)
class ReadLine:
    row: int
    name: str
    #: Index of the group in ``BudgetTable.groups`` (None: at the top).
    group: int | None
    position: int
    amount: int
    funding_source: str = ""
    notes: str = ""


@dataclass(frozen=True)
class BudgetTable:
    path: Path
    sheet: str
    #: "printed" or "template".
    layout: str
    amount_header: str
    #: The year the amount column's header names ("" when it names none).
    year: str
    unit: str
    tolerance: int
    groups: tuple[ReadGroup, ...]
    lines: tuple[ReadLine, ...]
    #: Field key -> column letter.
    columns: dict[str, str]
    #: Each problem with a cell, naming file, sheet and cell.
    problems: tuple[str, ...] = ()
    #: Row number -> what the row is ("heading", "line", "total", "footnote").
    row_kinds: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    def path_of(self, group: int | None) -> tuple[str, ...]:
        """A group's names from the top ("National Probation Service", "Probation Boards")."""
        names: list[str] = []
        seen: set[int] = set()
        while group is not None and group not in seen:
            seen.add(group)
            names.insert(0, self.groups[group].name)
            group = self.groups[group].parent
        return tuple(names)


class _Group:
    def __init__(self, name: str, parent: _Group | None, position: int, row: int) -> None:
        self.name, self.parent, self.position, self.row = name, parent, position, row
        self.total_label = ""
        self.printed: int | None = None
        self.total_row: int | None = None
        self.has_lines = False


class _Line:
    def __init__(self, row: int, name: str, group: _Group | None, position: int, amount: int):
        self.row, self.name, self.group, self.position, self.amount = (
            row,
            name,
            group,
            position,
            amount,
        )
        self.funding_source = ""
        self.notes = ""
        self.marker = ""


def _where(path: Path, sheet: str, column: int | None, row: int) -> str:
    head = f"{path.name}, sheet '{sheet}'" if sheet else path.name
    return (
        f"{head}, cell {column_letter(column)}{row}" if column is not None else f"{head}, row {row}"
    )


def _place(path: Path, sheet: str) -> str:
    return f"'{path.name}', sheet '{sheet}'" if sheet else path.name


def _decimals(value: Any) -> int:
    """How many decimal places a printed figure shows (1635 -> 0, 757.2 -> 1)."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int | float):
        exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    else:
        text = str(value).strip().strip("()").replace(",", "").replace("£", "")
        try:
            exponent = Decimal(text.rstrip("mMkK")).as_tuple().exponent
        except InvalidOperation:
            return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_amount(value: Any, unit: str, where: str) -> int | None:
    """Integer pence from a printed figure, exactly: "(45)" is negative, "-" nothing
    (None for an empty cell); ``unit`` is "£m", "£k" or "£"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(f"'{cell_text(value)}' is not an amount of money", where)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        raw = " ".join(_TAGS.sub("", value).split())
        if raw.casefold() in _NOTHING:
            return 0
        text = raw.replace("£", "").replace(",", "").replace(" ", "")
        minus = text.startswith("(") and text.endswith(")")
        text = text.strip("()")
        if text.startswith(("-", "−")):
            minus, text = not minus, text[1:]
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"'{raw}' is not an amount of money", where) from None
        if minus:
            amount = -amount
    if not amount.is_finite() or (amount and amount.adjusted() > 15):
        raise ValidationError(f"'{cell_text(value)}' is not an amount of money", where)
    pence = amount * _SCALE[unit] * 100
    if isinstance(value, float) and abs(pence - pence.to_integral_value()) < _FLOAT_NOISE:
        pence = pence.to_integral_value()
    if pence != pence.to_integral_value():
        raise ValidationError(f"'{cell_text(value)}' has a fraction of a penny", where)
    if abs(pence) > 100_000_000_000 * 100:
        raise ValidationError(
            f"'{cell_text(value)}' is more than £100,000,000,000, which no region could hold",
            where,
        )
    return int(pence)


def _unit_of(header: str) -> str:
    match = _UNIT_WORD.search(header)
    if match is None:
        return "£"
    scale = (match.group(1) or "").casefold()
    if scale in ("m", "million"):
        return "£m"
    if scale in ("k", "000", "000s", "thousand"):
        return "£k"
    return "£"


def _year_of(header: str) -> str:
    match = _YEAR.search(header)
    return f"{match.group(1)}-{match.group(2)}" if match else ""


def _is_amount_header(text: str) -> bool:
    return bool(_YEAR.search(text) or _UNIT_WORD.search(text))


def _clean(value: Any) -> str:
    """A cell's text without markup a copy from a web page or a document brings along
    ("<b>Total …</b>", a Markdown-escaped footnote mark "\\*")."""
    return " ".join(_TAGS.sub("", cell_text(value)).replace("\\*", "*").split())


def _rows_of(path: Path, sheet: str | None, limits: Limits) -> list[tuple[str, list[tuple]]]:
    if not path.exists():
        raise DomDeskError(f"There is no file '{path}'.")
    with open_spreadsheet(path, limits, "a budget table") as book:
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise ValidationError(
                f"'{path.name}' has no sheet '{sheet}' (it has: {', '.join(names)})."
            )
        chosen = [sheet] if sheet else names
        return [(name, list(book.sheet(name).values(width=60))) for name in chosen]


def read_budget_table(
    path: Path,
    sheet: str | None = None,
    year_label: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> BudgetTable:
    """The budget table in the first sheet (or ``sheet``) that holds one."""
    path = Path(path)
    sheets = _rows_of(path, sheet, limits)
    for name, rows in sheets:
        header = find_header(rows, TEMPLATE_FIELDS)
        if header is not None:
            return _template(path, name, rows, header)
    for name, rows in sheets:
        found = _printed_header(rows)
        if found is not None:
            return _printed(path, name, rows, found, year_label)
    where = f"sheet '{sheet}'" if sheet else "any sheet"
    raise ValidationError(
        f"'{path.name}' has no budget table in {where}: the table needs a header row with "
        "an amount column named by a year (2005-06) or a unit (£m, £k, £) and the lines' "
        "names at its left, or the template's columns Line and Amount (£); nothing was "
        "imported from it."
    )


def read_budget_text(
    text: str, year_label: str | None = None, name: str = "The pasted table"
) -> BudgetTable:
    """A budget table pasted as text (cells separated by tabs, as a spreadsheet, a PDF
    reader or a word processor copies a table); problems name "The pasted table, cell
    B4" as the rows and columns were pasted."""
    rows: list[tuple] = [
        tuple(cell.strip() or None for cell in line.split("\t"))
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    width = max((len(r) for r in rows), default=0)
    rows = [r + (None,) * (width - len(r)) for r in rows]
    path = Path(name)
    header = find_header(rows, TEMPLATE_FIELDS)
    if header is not None:
        return _template(path, "", rows, header)
    found = _printed_header(rows)
    if found is None:
        raise ValidationError(
            "The pasted text is not a budget table: it needs a header row with an amount "
            "column named by a year (2005-06) or a unit (£m, £k, £), the lines' names at its "
            "left, and cells separated by tabs; nothing was pasted."
        )
    return _printed(path, "", rows, found, year_label)


def _printed_header(rows: list[tuple]) -> tuple[int, list[int]] | None:
    """(header row index, amount columns) of the first row naming amount columns."""
    for index, row in enumerate(rows[:40]):
        amounts = [
            i
            for i, value in enumerate(row)
            if isinstance(value, str) and _is_amount_header(_clean(value)) and i > 0
        ]
        texts = [v for v in row if v is not None and str(v).strip()]
        if amounts and len(texts) <= len(amounts) + 1:
            return index, amounts
    return None


def _freeze(
    groups: list[_Group], lines: list[_Line], tolerance: int | None
) -> tuple[tuple[ReadGroup, ...], tuple[ReadLine, ...]]:
    index = {id(g): i for i, g in enumerate(groups)}

    def key(group: _Group | None) -> int | None:
        return index[id(group)] if group is not None else None

    frozen = tuple(
        ReadGroup(
            g.name,
            key(g.parent),
            g.position,
            g.row,
            g.total_label,
            g.printed,
            g.total_row,
            tolerance if g.printed is not None else None,
        )
        for g in groups
    )
    made = tuple(
        ReadLine(
            ln.row, ln.name, key(ln.group), ln.position, ln.amount, ln.funding_source, ln.notes
        )
        for ln in lines
    )
    return frozen, made


def _printed(
    path: Path,
    sheet: str,
    rows: list[tuple],
    found: tuple[int, list[int]],
    year_label: str | None,
) -> BudgetTable:
    head, amount_columns = found
    header = rows[head]
    headers = {i: _clean(header[i]) for i in amount_columns}
    if len(amount_columns) == 1:
        column = amount_columns[0]
    else:
        matching = [i for i in amount_columns if year_label and _year_of(headers[i]) == year_label]
        if len(matching) != 1:
            listed = "; ".join(f"{column_letter(i)} '{headers[i]}'" for i in amount_columns)
            asked = f"none is for {year_label}" if year_label else "choose the year to read"
            raise ValidationError(
                f"{_place(path, sheet)} has {len(amount_columns)} amount columns "
                f"({listed}): {asked}; nothing was imported from it."
            )
        column = matching[0]
    unit = _unit_of(headers[column])
    body = [(head + 2 + offset, row) for offset, row in enumerate(rows[head + 1 :])]
    text_columns = [
        i
        for i in range(column)
        if any(isinstance(r[i], str) and r[i].strip() for _, r in body if i < len(r))
    ]
    if not text_columns:
        raise ValidationError(
            f"{_place(path, sheet)}: no column left of {column_letter(column)} "
            "names the lines; nothing was imported from it."
        )
    name_column = text_columns[0]
    named = {normal(header[i]): i for i in range(len(header)) if header[i] is not None}
    source_column = next(
        (named[n] for n in ("funding source", "source", "funded by") if n in named), None
    )
    notes_column = next((named[n] for n in ("notes", "note") if n in named), None)

    problems: list[str] = []
    kinds: dict[int, str] = {}
    groups: list[_Group] = []
    lines: list[_Line] = []
    open_groups: list[_Group] = []
    top: list[_Group | _Line] = []  # the top level, in order
    counters: dict[int, int] = {}
    decimals = 0
    footnotes: list[tuple[str, str]] = []

    def next_position(parent: _Group | None) -> int:
        k = id(parent)
        counters[k] = counters.get(k, -1) + 1
        return counters[k]

    def cell(row: tuple, i: int | None) -> Any:
        return row[i] if i is not None and i < len(row) else None

    for number, row in body:
        name = _clean(cell(row, name_column))
        raw = cell(row, column)
        others = [cell(row, i) for i in amount_columns if i != column]
        if not name and (raw is None or not str(raw).strip()):
            continue
        where = _where(path, sheet, column, number)
        if name[:1] in _MARKERS and (raw is None or not str(raw).strip()):
            marker = name[: len(name) - len(name.lstrip(_MARKERS))]
            footnotes.append((marker, name[len(marker) :].strip()))
            kinds[number] = "footnote"
            continue
        try:
            amount = parse_amount(raw, unit, where)
        except ValidationError as exc:
            problems.append(str(exc))
            kinds[number] = "line"
            continue
        if amount is not None:
            decimals = max(decimals, _decimals(raw))
        if not name:
            problems.append(
                f"{_where(path, sheet, name_column, number)}: the amount has no line name"
            )
            continue
        if amount is None and any(v is not None and str(v).strip() for v in others):
            amount = 0  # the line has a figure in another year only
        if amount is None:  # a heading
            kinds[number] = "heading"
            parent = open_groups[-1] if open_groups else None
            while parent is not None and parent.has_lines:
                open_groups.pop()
                parent = open_groups[-1] if open_groups else None
            group = _Group(name, parent, next_position(parent), number)
            groups.append(group)
            open_groups.append(group)
            if parent is None:
                top.append(group)
            continue
        if re.match(r"total\b", name, re.IGNORECASE):
            kinds[number] = "total"
            decimals = max(decimals, _decimals(raw))
            stem = name[5:].strip(" :-–").casefold()
            target = next((g for g in reversed(open_groups) if g.name.casefold() == stem), None)
            if target is None and open_groups:
                target = open_groups[-1]
            if target is not None:
                while open_groups and open_groups[-1] is not target:
                    open_groups.pop()
                open_groups.pop()
            else:  # everything above: the rows it totals become a group named by it
                target = _Group(name[5:].strip(" :-–") or "Total", None, 0, number)
                for item in top:
                    if isinstance(item, _Group):
                        item.parent = target
                    else:
                        item.group = target
                target.position = 0
                groups.insert(0, target)
                counters[id(target)] = len(top) - 1
                top[:] = [target]
                counters[id(None)] = 0
            target.total_label = name
            target.printed = amount
            target.total_row = number
            continue
        kinds[number] = "line"
        owner = open_groups[-1] if open_groups else None
        for g in open_groups:
            g.has_lines = True
        bare = name.rstrip(_MARKERS).strip()
        line = _Line(number, bare, owner, next_position(owner), amount)
        line.marker = name[len(bare) :].strip()
        line.funding_source = _clean(cell(row, source_column))
        line.notes = cell_text(cell(row, notes_column))
        lines.append(line)
        if owner is None:
            top.append(line)
    for marker, text in footnotes:
        for line in lines:
            if line.marker == marker:
                line.notes = "\n".join(n for n in (line.notes, text) if n)
    tolerance = (10 ** (2 - decimals) if decimals <= 2 else 1) * _SCALE[unit]
    frozen_groups, frozen_lines = _freeze(groups, lines, tolerance)
    columns = {"line": column_letter(name_column), "amount": column_letter(column)}
    if source_column is not None:
        columns["funding_source"] = column_letter(source_column)
    return BudgetTable(
        path,
        sheet,
        "printed",
        headers[column],
        _year_of(headers[column]),
        unit,
        tolerance,
        frozen_groups,
        frozen_lines,
        columns,
        tuple(problems),
        kinds,
    )


def _template(
    path: Path, sheet: str, rows: list[tuple], header: tuple[int, int, dict[str, int]]
) -> BudgetTable:
    first, last, columns = header
    units = header_units(rows[first : last + 1], columns)
    unit = units.get("amount", "£")
    amount_header = _clean(rows[last][columns["amount"]])
    problems: list[str] = []
    kinds: dict[int, str] = {}
    groups: dict[str, _Group] = {}
    parents: dict[str, tuple[str, int]] = {}
    order: list[_Group] = []
    lines: list[_Line] = []
    counters: dict[int, int] = {}
    decimals = 0

    def value(row: tuple, key: str) -> Any:
        i = columns.get(key)
        return row[i] if i is not None and i < len(row) else None

    def where(key: str, number: int) -> str:
        return _where(path, sheet, columns.get(key), number)

    def group_named(name: str, number: int) -> _Group:
        found = groups.get(name.casefold())
        if found is None:
            found = _Group(name, None, 0, number)
            groups[name.casefold()] = found
            order.append(found)
        return found

    body = [(last + 2 + offset, row) for offset, row in enumerate(rows[last + 1 :])]
    for number, row in body:
        if not any(cell_text(v) for v in row):
            continue
        name = _clean(value(row, "line"))
        group_name = _clean(value(row, "group"))
        parent_name = _clean(value(row, "parent"))
        try:
            amount = parse_amount(value(row, "amount"), unit, where("amount", number))
        except ValidationError as exc:
            problems.append(str(exc))
            continue
        if not name:
            problems.append(f"{where('line', number)}: Line is empty")
            continue
        if amount is None:
            problems.append(f"{where('amount', number)}: Amount is empty")
            continue
        decimals = max(decimals, _decimals(value(row, "amount")))
        group = group_named(group_name, number) if group_name else None
        if group is not None and parent_name:
            held = parents.get(group_name.casefold())
            if held is not None and held[0].casefold() != parent_name.casefold():
                problems.append(
                    f"{where('parent', number)}: '{group_name}' is under '{held[0]}' in row "
                    f"{held[1]}; a group has one parent group"
                )
            else:
                parents[group_name.casefold()] = (parent_name, number)
        if re.match(r"total\b", name, re.IGNORECASE):
            kinds[number] = "total"
            if group is None:
                problems.append(f"{where('group', number)}: a total row needs the group it totals")
                continue
            group.total_label, group.printed, group.total_row = name, amount, number
            continue
        kinds[number] = "line"
        line = _Line(number, name, group, 0, amount)
        line.funding_source = _clean(value(row, "funding_source"))
        line.notes = cell_text(value(row, "notes"))
        lines.append(line)
    for child, (parent_name, number) in parents.items():
        groups[child].parent = group_named(parent_name, number)
    for group in order:  # a group cannot go under itself, however far up
        seen: list[str] = []
        step: _Group | None = group
        while step is not None:
            if step.name in seen:
                chain = " under ".join([*seen, step.name])
                problems.append(
                    f"{where('parent', parents.get(group.name.casefold(), ('', group.row))[1])}: "
                    f"the groups loop ({chain}); a group cannot be under itself"
                )
                group.parent = None
                break
            seen.append(step.name)
            step = step.parent
    for item in [*order, *lines]:
        owner = item.parent if isinstance(item, _Group) else item.group
        k = id(owner)
        counters[k] = counters.get(k, -1) + 1
        item.position = counters[k]
    tolerance = (10 ** (2 - decimals) if decimals <= 2 else 1) * _SCALE[unit]
    frozen_groups, frozen_lines = _freeze(order, lines, tolerance)
    return BudgetTable(
        path,
        sheet,
        "template",
        amount_header,
        _year_of(amount_header),
        unit,
        tolerance,
        frozen_groups,
        frozen_lines,
        {k: column_letter(i) for k, i in columns.items()},
        tuple(dict.fromkeys(problems)),
        kinds,
    )
