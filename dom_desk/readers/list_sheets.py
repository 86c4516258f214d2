"""Reading milestone and risk lists: which sheet, which header row, which column is what.

A sheet has a header row (it may run over two rows, as the NPS register's "Residual Risk
Assessment / Likelihood, Impact Rating, Risk" does), then one row per milestone or risk.
This module only reads: the file goes through the same checks as every spreadsheet
(``spreadsheets.open_spreadsheet``), the header is matched against each field's aliases,
and rows come out as plain values. What they mean is the domain's
(``domain.lists_import``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dom_desk.errors import DomDeskError
from dom_desk.readers.containers import DEFAULT_LIMITS, Limits
from dom_desk.readers.spreadsheets import open_spreadsheet

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 40
#: Columns read from a list sheet (the widest plan register has about fifteen).
MAX_COLUMNS = 256


class ListKind(enum.Enum):
    """What a list file holds; the value is the command line's word for it."""

    PROVIDERS = "providers"
    SERVICES = "services"
    MEASURES = "measures"
    PRIORITIES = "priorities"
    TARGETS = "targets"
    ENVELOPE = "envelope"
    AGREEMENTS = "agreements"
    DEMAND = "demand"
    MILESTONES = "milestones"
    RISKS = "risks"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    title: str
    #: Header texts that name this field, compared case- and space-insensitively.
    aliases: tuple[str, ...]
    required: bool = False
    #: One sentence for the template's notes: what to write in the column.
    help: str = ""
    #: What the column holds, for the template (its width, its validation list) and for
    #: the reader's unit: "text", "money", "number", "decimal", "date", "choice", "yes/no".
    value_type: str = "text"
    #: The words a choice column accepts (the models' labels), offered as a drop-down.
    choices: tuple[str, ...] = ()


FIELDS: dict[ListKind, tuple[FieldSpec, ...]] = {
    ListKind.MILESTONES: (
        FieldSpec("reference", "Ref", ("ref", "reference", "ref no", "id", "no", "no.")),
        FieldSpec(
            "title",
            "Milestone",
            ("milestone", "milestones", "title", "deliverable", "description"),
            True,
        ),
        FieldSpec(
            "due",
            "Delivery date",
            ("delivery date", "date", "due", "due date", "deadline", "target date", "when"),
            True,
        ),
        FieldSpec("owner", "Owner", ("owner", "lead", "responsible", "directorate")),
        FieldSpec("done", "Done", ("done", "completed", "date completed", "done on")),
        FieldSpec("notes", "Notes", ("notes", "comments", "comment")),
    ),
    ListKind.RISKS: (
        FieldSpec("priority", "Priority", ("priority", "priority no", "objective")),
        FieldSpec(
            "reference",
            "Risk Ref No",
            ("risk ref no", "risk ref", "ref", "ref no", "reference", "risk no", "risk reference"),
            True,
        ),
        FieldSpec(
            "description",
            "Risk Descriptions",
            ("risk descriptions", "risk description", "description", "descriptions"),
            True,
        ),
        FieldSpec("likelihood", "Likelihood", ("likelihood", "probability"), True),
        FieldSpec("impact", "Impact Rating", ("impact rating", "impact"), True),
        FieldSpec("score", "Risk", ("risk", "score", "risk score")),
        FieldSpec("owner", "Owner", ("owner", "risk owner", "lead")),
        FieldSpec(
            "mitigations",
            "Mitigations",
            ("mitigations", "mitigation", "actions", "controls", "mitigating actions"),
        ),
        FieldSpec("review", "Review date", ("review date", "review", "next review")),
    ),
}


#: A money unit stated in a header: "Amount (£m)", "Cost £k", "Amount (£000s)", "(£)".
_UNIT = re.compile(
    r"^(?P<base>.*?)\s*[(\[]?\s*(?:in\s+)?£\s*(?P<scale>m|million|k|000s?|thousand)?\s*[)\]]?$"
)
#: What the template adds to a required column's title, ignored when matching.
REQUIRED_MARK = " *"
UNIT_WORDS = {"m": "£m", "million": "£m", "k": "£k", "000": "£k", "000s": "£k", "thousand": "£k"}


def split_unit(text: str) -> tuple[str, str]:
    """A normalised header without its money unit, and the unit ("£m", "£k", "£" or "")."""
    text = text.removesuffix("*").removesuffix("(required)").strip()
    match = _UNIT.match(text)
    if match is None or not match["base"]:
        return text, ""
    scale = match["scale"]
    return match["base"].strip(), UNIT_WORDS[scale] if scale else "£"


@dataclass(frozen=True)
class ListSheet:
    """A sheet with a recognised header: where it is and what is below it."""

    name: str
    #: Field key -> 0-based column index.
    columns: dict[str, int]
    #: The header's rows (one or two) and the rows above and below it, as read.
    header_rows: list[tuple[Any, ...]]
    above: list[tuple[Any, ...]]
    #: (row number as Excel shows it, values) for every row below the header.
    rows: list[tuple[int, tuple[Any, ...]]]
    #: Field key -> the money unit its header states ("£m", "£k", "£"), where it states one.
    units: dict[str, str] = field(default_factory=dict)


def normal(value: Any) -> str:
    """A cell as compared with header aliases and titles: one-spaced, case-folded."""
    return " ".join(str(value).replace("\n", " ").split()).casefold() if value is not None else ""


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ".0", dates the UK way (31/03/2010)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _names(spec: FieldSpec) -> set[str]:
    return {normal(a) for a in spec.aliases} | {split_unit(normal(spec.title))[0]}


def _match_header(
    row: Sequence[Any], specs: Iterable[FieldSpec], taken: dict[str, int]
) -> dict[str, int]:
    found: dict[str, int] = {}
    used = set(taken.values())
    for index, value in enumerate(row):
        text = normal(value)
        if not text or index in used:
            continue
        bare = split_unit(text)[0]
        for spec in specs:
            if spec.key in taken or spec.key in found:
                continue
            names = _names(spec)
            if text in names or bare in names:
                found[spec.key] = index
                break
    return found


def header_units(header_rows: list[tuple[Any, ...]], columns: dict[str, int]) -> dict[str, str]:
    """The money unit each matched column's header states (the lowest header row wins)."""
    units: dict[str, str] = {}
    for row in header_rows:
        for key, index in columns.items():
            if index < len(row) and row[index] is not None:
                unit = split_unit(normal(row[index]))[1]
                if unit:
                    units[key] = unit
    return units


def find_header(
    rows: list[tuple[Any, ...]], specs: tuple[FieldSpec, ...]
) -> tuple[int, int, dict[str, int]] | None:
    """(first header row, last header row, field -> column index) or None; rows 0-based."""
    required = {s.key for s in specs if s.required}
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _match_header(row, specs, {})
        if len(columns) < 2:
            continue
        last = number
        if not required <= columns.keys() and number + 1 < len(rows):
            more = _match_header(rows[number + 1], specs, columns)
            if more:
                columns.update(more)
                last = number + 1
        if required <= columns.keys():
            return number, last, columns
    return None


def _sheet_rows(path: Path, sheet: str | None, limits: Limits) -> list[tuple[str, list[tuple]]]:
    if not path.exists():
        raise DomDeskError(f"There is no file '{path}'.")
    with open_spreadsheet(path, limits, "a list") as book:
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise DomDeskError(
                f"'{path.name}' has no sheet '{sheet}' (it has: {', '.join(names)})."
            )
        chosen = [sheet] if sheet else names
        return [(name, list(book.sheet(name).values(width=MAX_COLUMNS))) for name in chosen]


def read_list_sheet(
    path: Path,
    kind: ListKind | tuple[FieldSpec, ...],
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ListSheet | None:
    """The first sheet (or ``sheet``) with a header naming the required fields of a kind
    (milestones, risks) or of the given field specs (the kinds whose fields the domain
    defines); None when there is none. Raises DomDeskError, naming the file, for a file
    that is not a sound xlsx (the checks every spreadsheet reader shares) or has no such
    sheet."""
    specs = FIELDS[kind] if isinstance(kind, ListKind) else kind
    for name, rows in _sheet_rows(Path(path), sheet, limits):
        header = find_header(rows, specs)
        if header is None:
            continue
        first, last, columns = header
        below = [(last + 2 + offset, row) for offset, row in enumerate(rows[last + 1 :])]
        header_rows = rows[first : last + 1]
        units = header_units(header_rows, columns)
        return ListSheet(name, columns, header_rows, rows[:first], below, units)
    return None
