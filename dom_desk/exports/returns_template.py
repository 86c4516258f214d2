"""Writes a provider return template (xlsx) from a plain description of it.

The cover sheet says who returns what for which period and carries the declaration; the
``Return`` sheet lists the measures with their targets, with only the input columns
unlocked and a hint on each; a very hidden sheet records the template version, the region
and the workbook's identity for the importer to check. No database access here: the
domain layer (``dom_desk.domain.returns_templates``) builds the :class:`TemplateSpec`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from dom_desk.domain.periods import period_label
from dom_desk.files import atomic_path
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_format import TemplateSpec

if TYPE_CHECKING:
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

_HEADER_FILL = "1F3864"
_INPUT_FILL = "FFF2CC"
_WIDTHS = {
    fmt.CODE: 10,
    fmt.MEASURE: 60,
    fmt.UNIT: 16,
    fmt.TARGET: 11,
    fmt.ACTUAL: 12,
    fmt.NUMERATOR: 13,
    fmt.DENOMINATOR: 13,
    fmt.COMMENTARY: 50,
}


_HINTS = {
    "percent": ("Percentage", "Type the percentage: 90, 90% or 0.9 all mean ninety per cent."),
    "count": ("Whole number", "A whole number, e.g. 2397. Leave blank if not available."),
    "number": ("Number", "A number; give the numerator and denominator too if you have them."),
}


def write_template(path: Path, spec: TemplateSpec) -> Path:
    """Writes the template to ``path`` (atomically) and returns the path."""
    from openpyxl import Workbook as XlsxWorkbook  # heavy: only when writing templates

    book = XlsxWorkbook()
    cover = book.active
    cover.title = fmt.COVER_SHEET
    _write_cover(cover, spec)
    _write_return(book.create_sheet(fmt.RETURN_SHEET), spec)
    _write_identity(book.create_sheet(fmt.IDENTITY_SHEET), spec)
    book.active = 0
    with atomic_path(path) as temporary:
        book.save(temporary)
    return Path(path)


def _validation(**options: Any) -> DataValidation:
    """A check with its hint shown when the cell is selected (Excel hides it otherwise)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(showInputMessage=True, showErrorMessage=True, **options)


def _protect(sheet: Worksheet) -> None:
    """Locks the structure but lets people resize columns and rows to read long text."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False


def _write_cover(ws: Worksheet, spec: TemplateSpec) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    ws.append(["Performance return"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{spec.region} region: return to the {spec.dom_title}"])
    ws.append([])
    fixed = [
        (fmt.COVER_PROVIDER, spec.provider),
        (fmt.COVER_PERIOD, period_label(spec.period_code)),
        (fmt.COVER_PERIOD_TEXT, spec.period_text),
        (fmt.COVER_REGION, spec.region),
        (fmt.COVER_DUE, spec.due),
        (fmt.COVER_RETURN_TO, spec.dom_title),
    ]
    inputs = [
        (fmt.COVER_CONTACT, spec.contact or None),
        (fmt.COVER_COMPLETED_BY, None),
        (fmt.COVER_PHONE, None),
        (fmt.COVER_DATE, None),
    ]
    for label, value in fixed:
        ws.append([label, value])
    rows: dict[str, int] = {}
    for label, value in inputs:
        ws.append([label, value])
        rows[label] = ws.max_row
    ws.append([fmt.COVER_DECLARATION, fmt.DECLARATION_TEXT])
    ws.append([fmt.COVER_CONFIRMED, None])
    rows[fmt.COVER_CONFIRMED] = ws.max_row
    for row in ws.iter_rows(min_row=4, max_col=1):
        row[0].font = Font(bold=True)
    due_row = 4 + [label for label, _ in fixed].index(fmt.COVER_DUE)
    ws.cell(due_row, 2).number_format = "dd/mm/yyyy"
    for row in rows.values():
        cell = ws.cell(row, 2)
        cell.protection = Protection(locked=False)
        cell.fill = input_fill
    ws.cell(rows[fmt.COVER_DATE], 2).number_format = "dd/mm/yyyy"
    declaration = ws.cell(rows[fmt.COVER_CONFIRMED] - 1, 2)
    declaration.alignment = Alignment(wrap_text=True, vertical="top")

    confirmed = _validation(
        type="list",
        formula1='"Yes,No"',
        allow_blank=True,
        promptTitle="Declaration",
        prompt="Choose Yes to confirm the declaration above.",
    )
    confirmed.add(ws.cell(rows[fmt.COVER_CONFIRMED], 2))
    when = _validation(
        type="date",
        operator="greaterThan",
        formula1="36526",
        allow_blank=True,
        errorStyle="warning",
        promptTitle="Date",
        prompt="The date you completed the return, e.g. 08/07/2009.",
    )
    when.add(ws.cell(rows[fmt.COVER_DATE], 2))
    ws.add_data_validation(confirmed)
    ws.add_data_validation(when)

    ws.append([])
    ws.append(["How to fill in this return"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for line in (
        "Fill in the yellow cells on the Return sheet: Actual, and Numerator and "
        "Denominator where the measure is a rate or a percentage.",
        "Percentages may be typed as 90, 90% or 0.9. Leave a cell blank if you have no figure.",
        "Do not change the codes or the measures; add notes in the Commentary column.",
        "Fill in and confirm the yellow cells above, save the file as .xlsx and send it back "
        "by the date shown.",
    ):
        ws.append([None, line])
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 80
    _protect(ws)


def _row_ranges(column: str, rows: list[int]) -> str:
    """``E2:E9 E11:E11``: contiguous runs of rows, so a long sheet has few validation ranges."""
    ranges: list[str] = []
    start = previous = rows[0]
    for row in rows[1:] + [-1]:
        if row != previous + 1:
            ranges.append(f"{column}{start}:{column}{previous}")
            start = row
        previous = row
    return " ".join(ranges)


def _write_return(ws: Worksheet, spec: TemplateSpec) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import MultiCellRange

    ws.append(list(fmt.COLUMNS))
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    letters = {name: get_column_letter(i) for i, name in enumerate(fmt.COLUMNS, start=1)}
    input_columns = [fmt.COLUMNS.index(name) + 1 for name in fmt.INPUT_COLUMNS]
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    rows_by_kind: dict[str, list[int]] = {}
    for row, line in enumerate(spec.lines, start=2):
        ws.append([line.code, line.title, line.unit, line.target])
        ws.cell(row, 2).alignment = wrap
        for column in input_columns:
            cell = ws.cell(row, column)
            cell.protection = unlocked
            cell.fill = input_fill
        rows_by_kind.setdefault(line.value_kind, []).append(row)

    for kind, rows in rows_by_kind.items():
        title, prompt = _HINTS[kind]
        check = _validation(
            type="whole" if kind == "count" else "decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorStyle="warning",
            promptTitle=title,
            prompt=prompt,
            errorTitle="Check this figure",
            error="This does not look like a figure for this measure. Keep it anyway?",
        )
        check.sqref = MultiCellRange(_row_ranges(letters[fmt.ACTUAL], rows))
        ws.add_data_validation(check)
    if spec.lines:
        last = 1 + len(spec.lines)
        parts = _validation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorStyle="warning",
            promptTitle="Numerator and denominator",
            prompt="For a rate or a percentage: the count (numerator) and what it is out of "
            "(denominator), e.g. 171 and 190 for 90%.",
        )
        parts.add(f"{letters[fmt.NUMERATOR]}2:{letters[fmt.DENOMINATOR]}{last}")
        ws.add_data_validation(parts)
        notes = _validation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1="2000",
            allow_blank=True,
            errorStyle="warning",
            promptTitle="Commentary",
            prompt="Explain any figure below target, and any estimate.",
        )
        notes.add(f"{letters[fmt.COMMENTARY]}2:{letters[fmt.COMMENTARY]}{last}")
        ws.add_data_validation(notes)

    for name, width in _WIDTHS.items():
        ws.column_dimensions[letters[name]].width = width
    ws.freeze_panes = "C2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    _protect(ws)


def _write_identity(ws: Worksheet, spec: TemplateSpec) -> None:
    for key, value in (
        (fmt.ID_VERSION, fmt.TEMPLATE_VERSION),
        (fmt.ID_REGION, spec.region),
        (fmt.ID_WORKBOOK, spec.workbook_uuid),
        (fmt.ID_PROVIDER, spec.provider),
        (fmt.ID_PROVIDER_ID, str(spec.provider_id)),
        (fmt.ID_PERIOD, spec.period_code),
        (fmt.ID_GENERATED_AT, spec.generated_at.isoformat(timespec="seconds")),
        (fmt.ID_GENERATED_BY, spec.generated_by),
    ):
        ws.append([key, value])
    ws.sheet_state = "veryHidden"
    _protect(ws)
