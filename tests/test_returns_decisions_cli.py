"""``dom-desk import --correct SHEET!CELL=VALUE --leave-out SHEET!ROW``: the preview's
decisions from the command line, checked the same way and stored with the import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_support import current_results, fill, populate, row_of, table_digest

from dom_desk.cli import main
from dom_desk.domain.returns_decisions import adjustments_of
from dom_desk.exports.template_files import make_template
from dom_desk.readers import returns_format as fmt
from dom_desk.storage.workbook import open_workbook


@pytest.fixture
def bad(workbook, tmp_path) -> Path:
    populate(workbook)
    template = make_template(workbook, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = "seven"
        sheet.cell(row_of(sheet, "PT 3"), 5).value = "81%"
        sheet.cell(row_of(sheet, "PT 6"), 5).value = -3

    path = fill(template, tmp_path / "bad.xlsx", edit)
    workbook.close()
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _digest(db: str) -> str:
    wb = open_workbook(db, read_only=True)
    try:
        return table_digest(wb)
    finally:
        wb.close()


def test_corrections_and_rows_left_out_import_a_refused_return(workbook, bad, capsys) -> None:
    db = workbook.location
    sheet = load_workbook(bad)[fmt.RETURN_SHEET]
    pt2, pt6 = row_of(sheet, "PT 2"), row_of(sheet, "PT 6")
    before = _digest(workbook.location)

    code, out, err = _run(
        capsys,
        "import",
        "--db",
        db,
        "--correct",
        f"Return!E{pt2}=sevn",
        "--leave-out",
        f"Return!{pt6}",
        str(bad),
    )
    assert code == 1 and "'bad.xlsx', Return!E" in err and "'sevn' is not a number" in err
    assert _digest(workbook.location) == before

    code, out, err = _run(
        capsys,
        "import",
        "--db",
        db,
        "--dry-run",
        "--correct",
        f"Return!E{pt2}=7.5",
        "--leave-out",
        f"Return!{pt6}",
        str(bad),
    )
    assert code == 0 and err == "", err
    assert "would import 2 figures" in out and "(1 correction, 1 row left out)" in out
    assert _digest(workbook.location) == before

    code, out, err = _run(
        capsys,
        "import",
        "--db",
        db,
        "--correct",
        f"Return!E{pt2}=7.5",
        "--leave-out",
        f"Return!{pt6}",
        str(bad),
    )
    assert code == 0 and err == "", err
    assert f"decided: Return!E{pt2}: Actual 'seven' corrected to '7.5'" in out
    assert f"decided: Return!A{pt6}: row {pt6} (PT 6) left out in the preview" in out
    assert out.rstrip().endswith("1 imported (2 figures); 1 correction, 1 row left out.")
    wb = open_workbook(workbook.location, read_only=True)
    try:
        assert {k: v[0] for k, v in current_results(wb, "HMP Manchester").items()} == {
            "PT 2": Decimal("7.5"),
            "PT 3": Decimal("81"),
        }
        with wb.session() as session:
            from sqlalchemy import select

            from dom_desk.models import Submission

            (submission,) = session.scalars(select(Submission.id)).all()
        assert len(adjustments_of(wb, submission)) == 2
    finally:
        wb.close()


def test_decisions_need_one_file_and_a_readable_form(workbook, bad, tmp_path, capsys) -> None:
    db = workbook.location
    other = tmp_path / "other.xlsx"
    other.write_bytes(bad.read_bytes())
    before = _digest(workbook.location)
    code, _, err = _run(
        capsys, "import", "--db", db, "--leave-out", "Return!3", str(bad), str(other)
    )
    assert code != 0 and "name one file, not 2" in err
    code, _, err = _run(capsys, "import", "--db", db, "--correct", "E7=12", str(bad))
    assert code != 0 and "--correct" in err and "SHEET!CELL=VALUE" in err
    assert len(err.strip().splitlines()) == 1
    assert _digest(workbook.location) == before
