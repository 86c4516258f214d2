"""Empty templates for the list importers: one per kind of list a region starts from.

A template's first sheet has the header row naming the kind's columns (a required one
marked " *", which the importer ignores when matching), frozen, with widths to suit and
a drop-down of the accepted words on each choice column; "Notes" says what each column
takes. Filled in and imported (``dom-desk import-list KIND FILE.xlsx``), it imports as
it stands: the importer reads its own template.
"""

from __future__ import annotations

from pathlib import Path

from dom_desk.domain.lists_import import ListKind, fields_of
from dom_desk.files import atomic_path
from dom_desk.readers.list_sheets import REQUIRED_MARK, FieldSpec

#: Rows of the sheet the drop-downs cover.
VALIDATED_ROWS = 2000
_VALUES_NOTE = {
    "money": "An amount in pounds (write the unit in the header for £k or £m).",
    "number": "A whole number.",
    "decimal": "A number.",
    "date": "A date, 31/03/2010.",
    "yes/no": "Yes or No.",
}


def header_of(spec: FieldSpec) -> str:
    """The column's header in a template: its title, marked when it is required."""
    return spec.title + (REQUIRED_MARK if spec.required else "")


def _width(spec: FieldSpec) -> int:
    widest = max([len(header_of(spec)), *(len(c) for c in spec.choices)], default=10)
    if spec.value_type == "text" and not spec.choices:
        widest = max(widest, 24)
    return min(50, max(12, widest + 3))


def write_list_template(kind: ListKind, path: Path) -> Path:
    """Writes the empty template for ``kind`` to ``path`` (atomically); returns the path."""
    from openpyxl import Workbook as XlsxWorkbook  # heavy: imported only when writing
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    specs = fields_of(kind)
    book = XlsxWorkbook()
    sheet = book.active
    sheet.title = kind.value.capitalize()
    sheet.append([header_of(s) for s in specs])
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell, spec in zip(sheet[1], specs, strict=True):
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if spec.help:
            # The help in reach without leaving the sheet.
            from openpyxl.comments import Comment

            cell.comment = Comment(spec.help, "DOM Desk")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Notes")
    notes.append(["Column", "Required", "What to write"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    lists = None
    listed = 0
    for index, spec in enumerate(specs, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _width(spec)
        words = spec.help or _VALUES_NOTE.get(spec.value_type, "")
        if spec.choices:
            words = f"{words} One of: {'; '.join(spec.choices)}.".strip()
        notes.append([spec.title, "Yes" if spec.required else "", words])
        if spec.choices:
            # Labels may hold commas ("Education, training and employment"), which an
            # inline list would split: the choices live on a sheet of their own.
            if lists is None:
                lists = book.create_sheet("Lists")
                lists.sheet_state = "hidden"
            listed += 1
            column = get_column_letter(listed)
            for row, choice in enumerate(spec.choices, start=1):
                lists[f"{column}{row}"] = choice
            source = f"{quote_sheetname('Lists')}!${column}$1:${column}${len(spec.choices)}"
            validation = DataValidation(
                type="list", formula1=f"={source}", allow_blank=not spec.required
            )
            validation.error = f"Choose one of the {spec.title} words in the list."
            validation.errorTitle = spec.title
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 100
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    notes.append([])
    notes.append(
        [
            f"{_article(kind.value)} {kind.value} list: one row each below the header; "
            "columns may be in any order and a column left out changes nothing. Nothing "
            "is imported unless the whole file is good; importing the same file twice "
            "changes nothing."
        ]
    )
    with atomic_path(Path(path)) as temporary:
        book.save(temporary)
    return Path(path)


def _article(word: str) -> str:
    """'An envelope list', 'A providers list'."""
    return "An" if word[:1].lower() in "aeiou" else "A"
