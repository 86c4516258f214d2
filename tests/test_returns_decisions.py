"""Finishing a return the preview refused: a refused cell corrected (checked again by the
same rules), or its row left out; each decision stored with the submission, in words; a
file with anything still refused, or changed since its preview, stores nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_support import fill, populate, row_of, stored_figures, table_digest
from sqlalchemy import select

from dom_desk.domain.returns import Decisions, FileState, commit, import_files, preview_files
from dom_desk.domain.returns_decisions import adjustments_of, parse_correction, parse_leave_out
from dom_desk.domain.returns_rows import RowStatus
from dom_desk.errors import ValidationError
from dom_desk.exports.template_files import make_template
from dom_desk.models import AuditEntry
from dom_desk.readers import returns_format as fmt

ACTUAL, NUMERATOR, DENOMINATOR = 5, 6, 7
SHEET = fmt.RETURN_SHEET


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def bad_return(region_wb, tmp_path) -> Path:
    """HMP Manchester's return with PT 2's Actual typed as a word, PT 3 fine, and PT 6
    (a count of days) negative."""
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def edit(book):
        sheet = book[SHEET]
        sheet.cell(row_of(sheet, "PT 2"), ACTUAL).value = "seven"
        sheet.cell(row_of(sheet, "PT 3"), ACTUAL).value = "81%"
        sheet.cell(row_of(sheet, "PT 6"), ACTUAL).value = -3

    return fill(template, tmp_path / "mcr.xlsx", edit)


def _row(path: Path, code: str) -> int:
    return row_of(load_workbook(path)[SHEET], code)


def _by_code(preview) -> dict:
    return {r.measure_code: r for r in preview.rows if r.measure_code}


def test_the_refused_file_stores_nothing_without_decisions(region_wb, bad_return) -> None:
    (preview,) = preview_files(region_wb, [bad_return])
    assert preview.state is FileState.REFUSED
    before = table_digest(region_wb)
    assert not import_files(region_wb, [bad_return]).ok
    assert table_digest(region_wb) == before


def test_corrected_and_left_out_rows_make_the_file_importable(region_wb, bad_return) -> None:
    pt2, pt6 = _row(bad_return, "PT 2"), _row(bad_return, "PT 6")
    decisions = {
        bad_return: Decisions(
            corrections={(SHEET, f"E{pt2}"): "7.5"}, left_out=frozenset({(SHEET, pt6)})
        )
    }
    before = table_digest(region_wb)
    (preview,) = preview_files(region_wb, [bad_return], decisions=decisions)
    assert table_digest(region_wb) == before  # a preview writes nothing
    assert preview.state is FileState.READY, preview.problems
    rows = _by_code(preview)
    assert rows["PT 2"].actual == Decimal("7.5") and rows["PT 2"].status is RowStatus.READY
    assert rows["PT 6"].status is RowStatus.LEFT_OUT
    assert preview.ready_figures == 2  # PT 2 and PT 3; PT 6 is not stored
    assert preview.decided() == "1 correction, 1 row left out"
    assert "(1 correction, 1 row left out)" in preview.summary(dry_run=True)

    summary = commit(region_wb, [preview])
    assert summary.ok, summary.problems()
    assert "1 correction, 1 row left out" in summary.headline()
    assert {k[1]: v[0] for k, v in stored_figures(region_wb).items()} == {
        "PT 2": Decimal("7.5"),
        "PT 3": Decimal("81"),
    }
    (done,) = summary.files
    correction, left_out = adjustments_of(region_wb, done.submission_id)
    assert (correction.cell, correction.column) == (f"E{pt2}", fmt.ACTUAL)
    assert (correction.old_text, correction.new_text, correction.stored) == ("seven", "7.5", "7.5")
    assert "'seven' is not a number" in correction.reason
    assert (left_out.left_out, left_out.row, left_out.cell) == (True, pt6, f"A{pt6}")
    assert "left out in the preview" in left_out.reason
    assert "cannot be negative" in left_out.reason
    assert "corrected to '7.5'" in correction.describe()
    with region_wb.session() as session:
        notes = session.scalars(
            select(AuditEntry.note).where(
                AuditEntry.action == "import", AuditEntry.field == "sha256"
            )
        ).all()
    assert any("1 correction, 1 row left out in the preview" in n for n in notes), notes


def test_a_correction_still_bad_stays_refused_with_its_sentence(region_wb, bad_return) -> None:
    pt2, pt6 = _row(bad_return, "PT 2"), _row(bad_return, "PT 6")
    decisions = {
        bad_return: Decisions(
            corrections={(SHEET, f"E{pt2}"): "sevn", (SHEET, f"E{pt6}"): "4"},
        )
    }
    (preview,) = preview_files(region_wb, [bad_return], decisions=decisions)
    assert preview.state is FileState.REFUSED
    rows = _by_code(preview)
    assert rows["PT 2"].status is RowStatus.ERROR
    assert rows["PT 6"].actual == 4 and rows["PT 6"].status is RowStatus.READY
    (problem,) = preview.problems
    assert problem.startswith(f"'mcr.xlsx', {SHEET}!E{pt2}: ")
    assert "'sevn' is not a number" in problem
    still = next(a for a in preview.adjustments if a.cell == f"E{pt2}")
    assert "'sevn' is not a number" in still.still

    before = table_digest(region_wb)
    summary = import_files(region_wb, [bad_return], decisions=decisions)
    assert not summary.ok and summary.files[0].state is FileState.REFUSED
    assert table_digest(region_wb) == before


def test_a_correction_goes_through_the_same_figure_rules(region_wb, bad_return) -> None:
    """0.075 for a percentage whose target is 9.3% is read as 7.5% (with the note), and
    an emptied Actual with its parts given is worked out from them."""
    pt2, pt3, pt6 = (_row(bad_return, c) for c in ("PT 2", "PT 3", "PT 6"))
    decisions = {
        bad_return: Decisions(
            corrections={
                (SHEET, f"E{pt2}"): "0.075",
                (SHEET, f"E{pt3}"): "",
                (SHEET, f"F{pt3}"): "40",
                (SHEET, f"G{pt3}"): "50",
            },
            left_out=frozenset({(SHEET, pt6)}),
        )
    }
    (preview,) = preview_files(region_wb, [bad_return], decisions=decisions)
    assert preview.state is FileState.READY, preview.problems
    rows = _by_code(preview)
    assert rows["PT 2"].actual == Decimal("7.5")
    assert "read as 7.5%" in rows["PT 2"].issue_in(fmt.ACTUAL).message
    assert rows["PT 3"].actual == Decimal("80")  # 40 / 50, worked out
    assert preview.decided() == "4 corrections, 1 row left out"
    emptied = next(a for a in preview.adjustments if a.cell == f"E{pt3}")
    assert (emptied.old_text, emptied.new_text, emptied.stored) == ("81%", "", "80")


def test_leaving_out_one_of_a_measure_given_twice_takes_the_other(region_wb, tmp_path) -> None:
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def edit(book):
        sheet = book[SHEET]
        first = row_of(sheet, "PT 2")
        sheet.cell(first, ACTUAL).value = 6
        sheet.cell(row_of(sheet, "PT 3"), 1).value = "PT 2"  # PT 2 again, below
        sheet.cell(row_of(sheet, "PT 2") + 1, ACTUAL).value = 8

    twice = fill(template, tmp_path / "twice.xlsx", edit)
    (refused,) = preview_files(region_wb, [twice])
    assert refused.state is FileState.REFUSED
    assert any("given twice" in p for p in refused.problems)
    first = _row(twice, "PT 2")
    (preview,) = preview_files(
        region_wb, [twice], decisions={twice: Decisions(left_out=frozenset({(SHEET, first)}))}
    )
    assert preview.state is FileState.READY, preview.problems
    summary = commit(region_wb, [preview])
    assert summary.ok
    assert {k[1]: v[0] for k, v in stored_figures(region_wb).items()} == {"PT 2": Decimal("8")}
    (left,) = adjustments_of(region_wb, summary.files[0].submission_id)
    assert "its figure was ready to store" in left.reason


def test_leaving_out_every_row_leaves_nothing_to_import(region_wb, bad_return) -> None:
    rows = {(SHEET, _row(bad_return, c)) for c in ("PT 2", "PT 3", "PT 6")}
    (preview,) = preview_files(
        region_wb, [bad_return], decisions={bad_return: Decisions(left_out=frozenset(rows))}
    )
    assert preview.state is FileState.REFUSED
    assert any("has no figures" in p for p in preview.problems)


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("A{pt2}", "only a row's Actual, Numerator, Denominator can be corrected (A is the Code"),
        ("E999", "row 999 of the return is empty"),
        ("E1", "not a row of the return"),
    ],
)
def test_a_correction_the_return_cannot_take_is_refused(
    region_wb, bad_return, place, expected
) -> None:
    pt2, pt6 = _row(bad_return, "PT 2"), _row(bad_return, "PT 6")
    decisions = Decisions(
        corrections={(SHEET, f"E{pt2}"): "7", (SHEET, place.format(pt2=pt2)): "5"},
        left_out=frozenset({(SHEET, pt6)}),
    )
    before = table_digest(region_wb)
    summary = import_files(region_wb, [bad_return], decisions={bad_return: decisions})
    assert not summary.ok
    assert any(expected in p and "'mcr.xlsx'" in p for p in summary.problems()), summary.problems()
    assert table_digest(region_wb) == before


def test_a_decision_about_another_sheet_is_refused(region_wb, bad_return) -> None:
    decisions = Decisions(left_out=frozenset({("Cover", 4)}))
    (preview,) = preview_files(region_wb, [bad_return], decisions={bad_return: decisions})
    assert any("'mcr.xlsx', Cover!A4: a return's figures are on its" in p for p in preview.problems)


def test_a_file_changed_since_its_preview_is_refused_whatever_was_decided(
    region_wb, bad_return, tmp_path
) -> None:
    pt2, pt6 = _row(bad_return, "PT 2"), _row(bad_return, "PT 6")
    decisions = Decisions(corrections={(SHEET, f"E{pt2}"): "7"}, left_out=frozenset({(SHEET, pt6)}))
    (preview,) = preview_files(region_wb, [bad_return], decisions={bad_return: decisions})
    assert preview.state is FileState.READY
    fill(bad_return, bad_return, lambda book: book[SHEET].cell(pt2, ACTUAL, 9))
    before = table_digest(region_wb)
    summary = commit(region_wb, [preview])
    assert not summary.ok and "changed" in summary.files[0].problems[0]
    assert table_digest(region_wb) == before


def test_the_command_line_forms_are_read_and_wrong_ones_refused() -> None:
    assert parse_correction("Return!e7=12%") == ((SHEET, "E7"), "12%")
    assert parse_correction("'Return'!$E$7 = 12") == ((SHEET, "E7"), "12")
    assert parse_leave_out("Return!7") == (SHEET, 7)
    assert parse_leave_out("Return!B12") == (SHEET, 12)
    for bad in ("E7=12", "Return!E7", "Return!7E=1"):
        with pytest.raises(ValidationError, match="--correct"):
            parse_correction(bad)
    for bad in ("7", "Return!row seven"):
        with pytest.raises(ValidationError, match="--leave-out"):
            parse_leave_out(bad)


def test_a_row_with_an_unknown_code_can_only_be_left_out(region_wb, tmp_path) -> None:
    template = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def edit(book):
        sheet = book[SHEET]
        row = row_of(sheet, "PT 2")
        sheet.cell(row, ACTUAL).value = 6
        sheet.cell(row + 20, 1).value = "PT 99"
        sheet.cell(row + 20, ACTUAL).value = 4

    path = fill(template, tmp_path / "unknown.xlsx", edit)
    unknown = _row(path, "PT 99")
    (refused,) = preview_files(region_wb, [path])
    assert any("'PT 99' is not a measure in this workbook" in p for p in refused.problems)
    (corrected,) = preview_files(
        region_wb, [path], decisions={path: Decisions({(SHEET, f"A{unknown}"): "PT 2"})}
    )
    assert corrected.state is FileState.REFUSED
    assert any("(A is the Code column); leave the row out" in p for p in corrected.problems)
    (preview,) = preview_files(
        region_wb, [path], decisions={path: Decisions(left_out=frozenset({(SHEET, unknown)}))}
    )
    assert preview.state is FileState.READY and preview.ready_figures == 1
    (left,) = preview.adjustments
    assert left.describe() == (
        f"{SHEET}!A{unknown}: row {unknown} (PT 99) left out in the preview; it was "
        "refused: 'PT 99' is not a measure in this workbook"
    )
