"""The spreadsheet reader under the returns import: values read by python-calamine come out
as the provider typed them (exact decimals, dates, percentage formats, error cells), and
sheets calamine must not lay out in memory are still read, never past Excel's last row."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook as Xlsx
from returns_support import current_results, fill, populate, row_of, table_digest

from dom_desk.domain.returns import FileState, import_files
from dom_desk.exports.template_files import make_template
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_values import to_decimal
from dom_desk.readers.spreadsheets import open_spreadsheet

ACTUAL, NUMERATOR, DENOMINATOR = 5, 6, 7


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def template(region_wb, tmp_path) -> Path:
    return make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "mcr.xlsx")


def _rewrite(source: Path, target: Path, part: str, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == part else data)
    return target


RETURN_PART = "xl/worksheets/sheet2.xml"


@pytest.mark.parametrize("typed", [0.1, 0.29, 1234.56, 99999.99, 0.07, 19.99, 1e-05, 123456789.12])
def test_a_number_read_as_a_float_keeps_every_digit_excel_shows(typed: float) -> None:
    # calamine gives every number as a float: the figure is its shortest repr, exactly.
    number, percent = to_decimal(typed)
    assert number == Decimal(repr(typed)) and not percent
    assert str(number.quantize(Decimal("0.01"))) == f"{typed:.2f}"


def test_pounds_and_pence_typed_in_cells_are_stored_to_the_penny(
    region_wb, template, tmp_path
) -> None:
    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 6"), ACTUAL).value = 19.99
        sheet.cell(row_of(sheet, "PT 2"), ACTUAL).value = 0.29  # its target is 9.3: 29%

    summary = import_files(region_wb, [fill(template, tmp_path / "f.xlsx", edit)])
    assert summary.ok, summary.problems()
    stored = current_results(region_wb, "HMP Manchester")
    assert stored["PT 6"][0] == Decimal("19.99")
    assert stored["PT 2"][0] == Decimal("29")  # 0.29 x 100 exactly, not 28.999999...


def test_a_percent_formatted_cell_is_read_as_a_percentage(region_wb, template, tmp_path) -> None:
    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        # PT 1's target is 0.05%: a bare 0.075 would stay 0.075%; formatted, it is 7.5%.
        cell = sheet.cell(row_of(sheet, "PT 1"), ACTUAL)
        cell.value, cell.number_format = 0.075, "0.0%"

    summary = import_files(region_wb, [fill(template, tmp_path / "f.xlsx", edit)])
    assert summary.ok, summary.problems()
    assert current_results(region_wb, "HMP Manchester")["PT 1"][0] == Decimal("7.5")


def test_loosely_spelt_xml_is_read_the_same(region_wb, template, tmp_path) -> None:
    # XML allows spaces around "=" and single quotes; no writer of xlsx uses them, but the
    # scan for formats must not miss a percentage (or a far reference) spelt that way.
    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        # PT 1's target is 0.05%: a bare 0.075 would stay 0.075%; formatted, it is 7.5%.
        cell = sheet.cell(row_of(sheet, "PT 1"), ACTUAL)
        cell.value, cell.number_format = 0.075, "0.0%"

    filled = fill(template, tmp_path / "f.xlsx", edit)
    loose = _rewrite(
        filled,
        tmp_path / "loose.xlsx",
        RETURN_PART,
        lambda data: re.sub(rb' (r|s|t)="([^"]*)"', rb" \1 = '\2'", data),
    )
    summary = import_files(region_wb, [loose])
    assert summary.ok, summary.problems()
    assert current_results(region_wb, "HMP Manchester")["PT 1"][0] == Decimal("7.5")


def test_an_error_cell_is_refused_naming_the_error(region_wb, template, tmp_path) -> None:
    # calamine shows an error cell as empty: the figure would vanish without a word.
    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 6"), ACTUAL).value = 9
        sheet.cell(row_of(sheet, "PT 2"), ACTUAL).value = "#DIV/0!"  # openpyxl: t="e"

    filled = fill(template, tmp_path / "f.xlsx", edit)
    assert b't="e"' in zipfile.ZipFile(filled).read(RETURN_PART)
    before = table_digest(region_wb)
    summary = import_files(region_wb, [filled])
    assert summary.files[0].state is FileState.REFUSED
    assert any("shows the error #DIV/0!" in p for p in summary.problems()), summary.problems()
    assert table_digest(region_wb) == before


def test_a_wide_far_reference_is_read_by_streaming_not_laid_out(
    region_wb, template, tmp_path
) -> None:
    # A cell at XFD900000 would make calamine's grid 900,000 x 16,384 cells.
    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 6"), ACTUAL).value = 9

    filled = fill(template, tmp_path / "f.xlsx", edit)
    far = _rewrite(
        filled,
        tmp_path / "far.xlsx",
        RETURN_PART,
        lambda data: data.replace(
            b"</sheetData>",
            b'<row r="900000"><c r="XFD900000" t="inlineStr"><is><t>x</t></is></c></row>'
            b"</sheetData>",
        ),
    )
    with open_spreadsheet(far) as book:
        assert not book.sheet(fmt.RETURN_SHEET).scan.safe
    summary = import_files(region_wb, [far])
    assert summary.ok, summary.problems()
    assert current_results(region_wb, "HMP Manchester")["PT 6"][0] == Decimal("9")


def test_rows_and_columns_are_numbered_as_excel_shows_them(tmp_path) -> None:
    book = Xlsx()
    sheet = book.active
    sheet["C3"] = "Code"
    sheet["D3"] = 12
    sheet["D4"] = date(2010, 3, 31)
    sheet["E5"] = 0.5
    book.save(tmp_path / "offset.xlsx")
    with open_spreadsheet(tmp_path / "offset.xlsx", what="a list") as opened:
        rows = list(opened.sheet(opened.sheet_names[0]).values(width=6))
    assert rows[2][2:4] == ("Code", 12)
    assert rows[3][3] == datetime(2010, 3, 31)
    assert rows[4][4] == 0.5
    assert not any(rows[0]) and not any(rows[1])


def test_a_figure_naming_a_style_the_file_lacks_is_refused(region_wb, template, tmp_path) -> None:
    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 6"), ACTUAL).value = 9.5

    filled = fill(template, tmp_path / "f.xlsx", edit)
    damaged = _rewrite(
        filled,
        tmp_path / "styles.xlsx",
        RETURN_PART,
        lambda data: re.sub(rb'(<c r="E\d+") s="\d+"( t="n"><v>9.5<)', rb'\1 s="999"\2', data),
    )
    assert b's="999"' in zipfile.ZipFile(damaged).read(RETURN_PART)
    before = table_digest(region_wb)
    summary = import_files(region_wb, [damaged])
    assert summary.files[0].state is FileState.REFUSED
    assert any("refers to a format the file does not have" in p for p in summary.problems())
    assert table_digest(region_wb) == before
