"""Periods as people read them ("Oct 2009", "Q1 2009-10", "2009-10") wherever they are
shown, while codes stay what the command line accepts and files store."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_support import fill, populate, row_of

from dom_desk.cli import main
from dom_desk.domain.performance import resolve_window, window_choices
from dom_desk.domain.periods import canonical_code, parse_period, period_label, periods_of_year
from dom_desk.domain.returns import import_files
from dom_desk.exports.template_files import make_template, template_file_name
from dom_desk.readers import returns_format as fmt

#: An internal month or quarter code, "2009-10-M" or "2009-10-Q1", that no label contains.
CODE = re.compile(r"\b\d{4}-\d{2}-(M|Q\d)\b", re.IGNORECASE)


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2009-04", "Apr 2009"),
        ("2010-03", "Mar 2010"),
        ("2009-10-M", "Oct 2009"),  # October's code, written so because 2009-10 is the year
        ("2009-10-Q1", "Q1 2009-10"),
        ("2009-10-q4", "Q4 2009-10"),
        ("2009-10", "2009-10"),
        ("Oct 2009", "Oct 2009"),
        ("not a period", "not a period"),  # never lost, shown as it is
    ],
)
def test_period_label_reads_as_people_write_periods(code: str, label: str) -> None:
    assert period_label(code) == label


def test_labels_are_read_back_as_their_codes() -> None:
    assert parse_period("Q1 2009-10").code == "2009-10-Q1"
    assert canonical_code("Oct 2009") == "2009-10-M"
    assert canonical_code("q3 2009-10") == "2009-10-Q3"
    assert canonical_code("2009-04") == "2009-04"
    assert canonical_code("") == "" and canonical_code("soon") == "soon"


def test_every_period_of_a_year_has_its_own_label_and_no_month_reads_as_a_code() -> None:
    specs = periods_of_year(2009)
    labels = [period_label(s.code) for s in specs]
    assert len(set(labels)) == len(specs) == 17
    assert labels[:5] == ["2009-10", "Q1 2009-10", "Q2 2009-10", "Q3 2009-10", "Q4 2009-10"]
    assert labels[5:] == [
        "Apr 2009", "May 2009", "Jun 2009", "Jul 2009", "Aug 2009", "Sep 2009",
        "Oct 2009", "Nov 2009", "Dec 2009", "Jan 2010", "Feb 2010", "Mar 2010",
    ]  # fmt: skip
    assert all(parse_period(label).code == s.code for label, s in zip(labels, specs, strict=True))


def test_template_files_are_named_by_the_label() -> None:
    assert template_file_name("HMP Liverpool", "2009-10-M") == "Oct 2009 HMP Liverpool.xlsx"
    assert template_file_name("HMP Liverpool", "2009-10-Q1") == "Q1 2009-10 HMP Liverpool.xlsx"
    assert template_file_name("HMP Liverpool", "2009-04") == "Apr 2009 HMP Liverpool.xlsx"


def _cover_period_cell(book) -> str:
    sheet = book[fmt.COVER_SHEET]
    row = next(r for r in sheet.iter_rows(max_col=2) if r[0].value == fmt.COVER_PERIOD)
    return row[1].coordinate


def test_the_cover_shows_the_label_and_the_return_imports_for_its_code(region_wb, tmp_path) -> None:
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")
    book = load_workbook(template)
    cell = _cover_period_cell(book)
    assert book[fmt.COVER_SHEET][cell].value == "Q1 2009-10"

    def edit(workbook):
        sheet = workbook[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 1"), 5).value = 0.04
        workbook[fmt.COVER_SHEET]["B15"] = "Yes"

    summary = import_files(region_wb, [fill(template, tmp_path / "filled.xlsx", edit)])
    assert summary.ok, summary.problems()
    preview = summary.files[0]
    assert preview.period_code == "2009-10-Q1"
    assert not [n for n in preview.notes if "period was changed" in n]
    assert "HMP Manchester, Q1 2009-10" in preview.summary()


def test_a_cover_period_changed_to_another_is_still_noted(region_wb, tmp_path) -> None:
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")
    cell = _cover_period_cell(load_workbook(template))

    def edit(workbook):
        workbook[fmt.COVER_SHEET][cell] = "Q2 2009-10"
        sheet = workbook[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 1"), 5).value = 0.04
        workbook[fmt.COVER_SHEET]["B15"] = "Yes"

    summary = import_files(region_wb, [fill(template, tmp_path / "q2.xlsx", edit)])
    preview = summary.files[0]
    assert preview.period_code == "2009-10-Q2"
    assert [n for n in preview.notes if "period was changed" in n]


def test_matrix_windows_and_choices_are_labelled(region_wb) -> None:
    with region_wb.session() as session:
        assert resolve_window(session, "2009-10-M").label == "Oct 2009"
        assert resolve_window(session, "2009-10-Q1").label == "Q1 2009-10"
        window = resolve_window(session, "2009-10-Q1")
        assert window.period_code == "2009-10-Q1"  # the code is kept for what is read
        choices = dict(window_choices(session, "2009-10"))
    assert choices["2009-10-Q1"] == "Q1 2009-10 (Apr to Jun 2009)"
    assert choices["2009-10-M"] == "Oct 2009"
    assert not [label for label in choices.values() if CODE.search(label)]


def test_the_command_line_names_files_and_says_the_period_as_people_read_it(
    region_wb, tmp_path: Path, capsys
) -> None:
    path = region_wb.location
    region_wb.close()
    folder = tmp_path / "batch"
    code = main(
        ["template", "--db", str(path), "--all-providers", "--period", "2009-10-Q2",
         "--out-dir", str(folder)]
    )  # fmt: skip
    out, _err = capsys.readouterr()
    assert code == 0 and "4 templates for Q2 2009-10." in out
    assert "Q2 2009-10 HMP Manchester.xlsx" in {p.name for p in folder.iterdir()}
