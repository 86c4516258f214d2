"""Broken, foreign and hostile files: each refused with one clear sentence naming the file
(and the sheet and cell where there is one), and the workbook unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from returns_support import FOREIGN, fill, populate, row_of, table_digest
from returns_support import text_file as _text
from returns_support import zip_of as _zip

from dom_desk.domain.region import create_region
from dom_desk.domain.returns import FileState, import_files, preview_files
from dom_desk.exports.template_files import make_template
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import DEFAULT_LIMITS, Limits
from dom_desk.storage.workbook import create_workbook

ACTUAL, NUMERATOR, DENOMINATOR = 5, 6, 7


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def template(region_wb, tmp_path) -> Path:
    return make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "mcr.xlsx")


def _figure(book, code: str = "PT 2", column: int = ACTUAL, value: object = 5) -> None:
    sheet = book[fmt.RETURN_SHEET]
    sheet.cell(row_of(sheet, code), column).value = value


def _refused(wb, path: Path, *expected: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Imports ``path``; asserts it is refused with every ``expected`` text, naming the
    file, and that no table changed. Returns the problems."""
    before = table_digest(wb)
    summary = import_files(wb, [path], limits=limits)
    assert not summary.ok
    (result,) = summary.files
    assert result.state is FileState.REFUSED
    problems = summary.problems()
    assert all(path.name in p for p in problems), problems
    text = "\n".join(problems)
    for part in expected:
        assert part in text, text
    assert table_digest(wb) == before
    return problems


# -- not a workbook at all ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_files_that_are_not_workbooks_are_refused(region_wb, tmp_path, kind) -> None:
    make, expected = FOREIGN[kind]
    (problem,) = _refused(region_wb, make(tmp_path), expected, "nothing was imported")
    assert "\n" not in problem


def test_a_damaged_workbook_is_refused(region_wb, template, tmp_path) -> None:
    filled = fill(template, tmp_path / "f.xlsx", _figure)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(filled.read_bytes()[: filled.stat().st_size // 2])
    _refused(region_wb, damaged, "damaged")


def test_a_missing_file_is_reported(region_wb, tmp_path) -> None:
    summary = import_files(region_wb, [tmp_path / "nowhere.xlsx"])
    assert not summary.ok and "does not exist" in summary.problems()[0]


# -- hostile files ---------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused(region_wb, template, tmp_path) -> None:
    filled = fill(template, tmp_path / "big.xlsx", _figure)
    _refused(
        region_wb,
        filled,
        "over the",
        "limit for a return",
        limits=Limits(max_file_bytes=filled.stat().st_size - 1),
    )


def test_a_zip_bomb_is_refused_before_it_is_inflated(region_wb, tmp_path) -> None:
    bomb = _zip(
        tmp_path / "bomb.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * (8 * 1024 * 1024),
        },
    )
    assert bomb.stat().st_size < 100_000
    _refused(region_wb, bomb, "zip bomb")
    _refused(region_wb, bomb, "would expand to", limits=Limits(max_uncompressed_bytes=10**6))


def test_xml_entities_are_refused(region_wb, template, tmp_path) -> None:
    filled = fill(template, tmp_path / "f.xlsx", _figure)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    hostile = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":  # the Return sheet
                data = laughs + data.replace(b"<t>PT 2</t>", b"<t>&lol2;</t>")
            target.writestr(item, data)
    _refused(region_wb, hostile, "XML entity definitions")


def test_an_oversized_part_is_refused_before_it_is_read(region_wb, tmp_path) -> None:
    # Shared strings are read whole, not streamed: a part too big for memory is refused.
    import random

    noise = "".join(random.Random(5).choices("abcdef0123456789", k=3 * 1024 * 1024))
    big = _zip(
        tmp_path / "strings.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/sharedStrings.xml": f"<sst><si><t>{noise}</t></si></sst>".encode(),
        },
    )
    _refused(
        region_wb,
        big,
        "has a part (xl/sharedStrings.xml)",
        "limit for one part",
        limits=Limits(max_part_bytes=2 * 1024 * 1024),
    )


def test_a_row_past_excels_last_row_is_not_read(region_wb, template, tmp_path) -> None:
    # openpyxl pads the gap before a listed row with empty rows: a row numbered in the
    # billions would keep the import going for hours. Excel has no such row.
    filled = fill(template, tmp_path / "f.xlsx", _figure)
    far = 10**9
    hostile = tmp_path / "far.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":  # the Return sheet
                data = data.replace(
                    b"</sheetData>",
                    (
                        f'<row r="{far}"><c r="A{far}" t="inlineStr"><is><t>PT 3</t></is></c>'
                        f'<c r="E{far}" t="inlineStr"><is><t>lots</t></is></c></row>'
                        "</sheetData>"
                    ).encode(),
                )
            target.writestr(item, data)
    summary = import_files(region_wb, [hostile])
    assert summary.ok, summary.problems()
    assert summary.files[0].figures == 1


# -- foreign templates -----------------------------------------------------------------------


def _other_workbook(tmp_path: Path, region_name: str):
    folder = tmp_path / region_name
    folder.mkdir()
    wb = create_workbook(folder / "other.domdesk")
    with wb.session() as session:
        create_region(session, region_name, "2009-10")
    populate(wb)
    return wb


def test_a_template_from_another_region_is_refused(region_wb, tmp_path) -> None:
    london = _other_workbook(tmp_path, "London")
    try:
        theirs = make_template(london, "HMP Manchester", "2009-10-Q1", tmp_path / "ldn.xlsx")
    finally:
        london.close()
    filled = fill(theirs, tmp_path / "london return.xlsx", _figure)
    _refused(region_wb, filled, "from the London region, not North West")


def test_a_template_from_another_copy_of_the_region_is_refused(region_wb, tmp_path) -> None:
    twin = _other_workbook(tmp_path, "North West")
    try:
        theirs = make_template(twin, "HMP Manchester", "2009-10-Q1", tmp_path / "twin.xlsx")
    finally:
        twin.close()
    filled = fill(theirs, tmp_path / "twin return.xlsx", _figure)
    _refused(region_wb, filled, "different North West workbook")


def test_a_spreadsheet_without_the_identity_sheet_is_refused(region_wb, template, tmp_path) -> None:
    def strip(book):
        _figure(book)
        del book[fmt.IDENTITY_SHEET]

    _refused(
        region_wb,
        fill(template, tmp_path / "f.xlsx", strip),
        "not a return template made by DOM Desk",
    )


def test_a_newer_template_version_is_refused(region_wb, template, tmp_path) -> None:
    def newer(book):
        _figure(book)
        book[fmt.IDENTITY_SHEET]["B1"] = "99"

    _refused(region_wb, fill(template, tmp_path / "f.xlsx", newer), "template version '99'")


# -- what is in it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2011-12-Q1", "no period Q1 2011-12"),
        ("Q1 2009", "is not a period"),
    ],
)
def test_a_period_the_workbook_does_not_have_is_refused(
    region_wb, template, tmp_path, period, expected
) -> None:
    def edit(book):
        _figure(book)
        book[fmt.COVER_SHEET]["B5"] = period

    (problem,) = _refused(region_wb, fill(template, tmp_path / "f.xlsx", edit), expected)
    assert problem.startswith("'f.xlsx', Cover!B5: ")


def test_an_unknown_provider_is_refused(region_wb, template, tmp_path) -> None:
    def edit(book):
        _figure(book)
        book[fmt.COVER_SHEET]["B4"] = "HMP Wandsworth"

    _refused(
        region_wb,
        fill(template, tmp_path / "f.xlsx", edit),
        "Cover!B4",
        "'HMP Wandsworth' is not a registered provider",
    )


def test_every_wrong_value_is_named_by_cell_and_nothing_is_stored(region_wb, tmp_path) -> None:
    trust = make_template(
        region_wb, "Lancashire Probation Trust", "2009-10-Q1", tmp_path / "trust.xlsx"
    )
    cells = {}

    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        for code, column, value in (
            ("PM 1", ACTUAL, "about ninety"),  # text, not a number
            ("PT 3", ACTUAL, -4),  # negative
            ("PT 4", ACTUAL, 12.5),  # a count with a fraction
            ("PT 10", ACTUAL, "90%"),  # a percentage for a count
            ("PT 7", NUMERATOR, 3),  # a rate with a zero denominator
            ("PT 7", DENOMINATOR, 0),
        ):
            sheet.cell(row_of(sheet, code), column).value = value
            if (code, column) != ("PT 7", NUMERATOR):  # the zero denominator is the fault
                cells[(code, column)] = sheet.cell(row_of(sheet, code), column).coordinate
        from datetime import datetime

        sheet.cell(row_of(sheet, "PT 6"), ACTUAL).value = datetime(2009, 4, 1)
        cells[("PT 6", ACTUAL)] = f"E{row_of(sheet, 'PT 6')}"
        last = sheet.max_row + 1
        sheet.cell(last, 1).value, sheet.cell(last, ACTUAL).value = "PT 99", 4
        sheet.cell(last + 1, 1).value, sheet.cell(last + 1, ACTUAL).value = "pt 4", 7
        sheet.cell(last + 2, 1).value, sheet.cell(last + 2, ACTUAL).value = "PT 1", 0.1
        cells["unknown"], cells["twice"], cells["not theirs"] = (
            f"A{last}",
            f"A{last + 1}",
            f"A{last + 2}",
        )

    problems = _refused(
        region_wb,
        fill(trust, tmp_path / "bad.xlsx", edit),
        "'about ninety' is not a number",
        "cannot be negative",
        "must be a whole number",
        "is a percentage, but PT 10",
        "Denominator is 0",
        "is a date, not a number",
        "'PT 99' is not a measure",
        "PT 4 is given twice",
        "PT 1 is not one of Lancashire Probation Trust's measures",
    )
    assert len(problems) == 9
    for cell in cells.values():
        assert any(f"'bad.xlsx', Return!{cell}: " in p for p in problems), cell


@pytest.mark.parametrize("typed", ["1e999999999", "9" * 400, 1e300])
def test_a_figure_no_return_could_mean_is_refused(region_wb, template, tmp_path, typed) -> None:
    # Written out in full, 1e999999999 would take a gigabyte of memory.
    filled = fill(template, tmp_path / "f.xlsx", lambda b: _figure(b, value=typed))
    (problem,) = _refused(region_wb, filled, "is too large to be a figure")
    assert problem.startswith("'f.xlsx', Return!E") and len(problem) < 200


def test_a_return_without_figures_is_refused(region_wb, template, tmp_path) -> None:
    _refused(region_wb, template, "has no figures")


def test_a_return_sheet_without_its_header_is_refused(region_wb, template, tmp_path) -> None:
    def edit(book):
        _figure(book)
        book[fmt.RETURN_SHEET]["E1"] = "Figure for the quarter"

    _refused(region_wb, fill(template, tmp_path / "f.xlsx", edit), "no header row")


def test_two_columns_with_one_title_are_refused(region_wb, template, tmp_path) -> None:
    def edit(book):
        _figure(book)
        book[fmt.RETURN_SHEET]["J1"] = "Actual"

    _refused(
        region_wb, fill(template, tmp_path / "f.xlsx", edit), "two columns are titled 'Actual'"
    )


def test_refused_files_leave_the_others_in_the_same_import(region_wb, template, tmp_path) -> None:
    good = fill(template, tmp_path / "good.xlsx", _figure)
    bad = _text(tmp_path / "bad.xlsx", "not a spreadsheet")
    summary = import_files(region_wb, [bad, good])
    assert [f.state for f in summary.files] == [FileState.REFUSED, FileState.IMPORTED]
    assert not summary.ok


def test_preview_marks_the_bad_cell(region_wb, template, tmp_path) -> None:
    filled = fill(template, tmp_path / "f.xlsx", lambda b: _figure(b, value="lots"))
    (preview,) = preview_files(region_wb, [filled])
    assert preview.state is FileState.REFUSED
    (row,) = [r for r in preview.rows if r.measure_code == "PT 2"]
    issue = row.issue_in(fmt.ACTUAL)
    assert issue.error and issue.cell == f"E{row.row}" and "'lots'" in issue.message
