"""``dom-desk template``, ``dom-desk import`` and ``dom-desk export results``."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_support import fill, populate, row_of, table_digest

from dom_desk.cli import main
from dom_desk.readers import returns_format as fmt


@pytest.fixture
def db(workbook) -> str:
    populate(workbook)
    path = workbook.location
    workbook.close()
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _filled(template: Path, target: Path, **figures: object) -> Path:
    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        for code, value in figures.items():
            sheet.cell(row_of(sheet, code.replace("_", " ")), 5).value = value

    return fill(template, target, edit)


def _digest(db: Path) -> str:
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(db, read_only=True)
    try:
        return table_digest(wb)
    finally:
        wb.close()


def test_template_for_one_provider_and_for_all(db, tmp_path, capsys) -> None:
    target = tmp_path / "mcr.xlsx"
    code, out, _ = _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--provider",
        "HMP Manchester",
        "--period",
        "2009-10-Q1",
        "-o",
        str(target),
    )
    assert code == 0 and str(target) in out
    assert load_workbook(target).sheetnames[:2] == [fmt.COVER_SHEET, fmt.RETURN_SHEET]

    folder = tmp_path / "batch"
    folder.mkdir()
    code, out, err = _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--all-providers",
        "--period",
        "2009-10-Q1",
        "--out-dir",
        str(folder),
    )
    assert code == 0 and "4 templates" in out
    assert len(list(folder.glob("*.xlsx"))) == 4
    assert "Acme Resettlement Ltd" in err  # no measures apply: said, not silently skipped


def test_template_refuses_an_unknown_provider_in_one_line(db, tmp_path, capsys) -> None:
    code, out, err = _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--provider",
        "Manchester",
        "--period",
        "2009-10-Q1",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "Did you mean 'HMP Manchester'" in err
    assert "Traceback" not in err


def test_import_exit_codes_and_problems_on_stderr(db, tmp_path, capsys) -> None:
    _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--provider",
        "HMP Manchester",
        "--period",
        "2009-10-Q1",
        "-o",
        str(tmp_path / "t.xlsx"),
    )
    good = _filled(tmp_path / "t.xlsx", tmp_path / "good.xlsx", PT_2=7, PT_3="81%")
    bad = _filled(tmp_path / "t.xlsx", tmp_path / "bad.xlsx", PT_2="seven", PT_3=-1)

    before = _digest(db)
    code, out, err = _run(capsys, "import", "--db", str(db), "--dry-run", str(good))
    assert code == 0 and "would import 2 figures" in out and err == ""
    assert _digest(db) == before

    code, out, err = _run(capsys, "import", "--db", str(db), str(bad))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("'bad.xlsx', Return!E") for line in lines)
    assert _digest(db) == before

    code, out, err = _run(capsys, "import", "--db", str(db), str(good))
    assert code == 0 and "imported 2 figures for HMP Manchester, Q1 2009-10" in out
    assert err == ""
    code, out, err = _run(capsys, "import", "--db", str(db), str(good))
    assert code == 0 and "already imported" in out and "nothing changed" in out


def test_import_of_several_files_fails_if_any_fails(db, tmp_path, capsys) -> None:
    _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--provider",
        "HMP Kirkham",
        "--period",
        "2009-10-Q1",
        "-o",
        str(tmp_path / "t.xlsx"),
    )
    good = _filled(tmp_path / "t.xlsx", tmp_path / "good.xlsx", PT_2=3)
    junk = tmp_path / "notes.xlsx"
    junk.write_text("not a workbook")
    code, out, err = _run(capsys, "import", "--db", str(db), str(good), str(junk))
    assert code == 1
    assert "imported 1 figure" in out
    assert err.strip() == (
        "'notes.xlsx' is not an Excel workbook (.xlsx); nothing was imported from it."
    )


def test_close_names_need_the_flag(db, tmp_path, capsys) -> None:
    _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--provider",
        "HMP Kirkham",
        "--period",
        "2009-10-Q1",
        "-o",
        str(tmp_path / "t.xlsx"),
    )

    def edit(book):
        book[fmt.COVER_SHEET]["B4"] = "Kirkam"
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = 4

    typo = fill(tmp_path / "t.xlsx", tmp_path / "typo.xlsx", edit)
    code, _, err = _run(capsys, "import", "--db", str(db), str(typo))
    assert code == 1 and "--accept-close-names" in err and "HMP Kirkham" in err
    code, out, err = _run(capsys, "import", "--db", str(db), "--accept-close-names", str(typo))
    assert code == 0 and "imported 1 figure for HMP Kirkham" in out


def test_export_results_as_csv_and_xlsx(db, tmp_path, capsys) -> None:
    _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--provider",
        "HMP Manchester",
        "--period",
        "2009-10-Q1",
        "-o",
        str(tmp_path / "t.xlsx"),
    )
    filled = _filled(tmp_path / "t.xlsx", tmp_path / "q1.xlsx", PT_2=12, PT_3="81%")
    assert _run(capsys, "import", "--db", str(db), str(filled))[0] == 0

    target = tmp_path / "results.csv"
    code, out, _ = _run(
        capsys, "export", "results", "--db", str(db), "--year", "2009-10", "-o", str(target)
    )
    assert code == 0 and "2 results" in out
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "provider",
        "measure_code",
        "period",
        "actual",
        "numerator",
        "denominator",
        "target",
        "status",
        "source_file",
    ]
    assert rows == [
        {
            "provider": "HMP Manchester",
            "measure_code": "PT 2",
            "period": "2009-10-Q1",
            "actual": "12",
            "numerator": "",
            "denominator": "",
            "target": "9.3",
            "status": "Missed",
            "source_file": "q1.xlsx",
        },
        {
            "provider": "HMP Manchester",
            "measure_code": "PT 3",
            "period": "2009-10-Q1",
            "actual": "81",
            "numerator": "",
            "denominator": "",
            "target": "80",
            "status": "Met",
            "source_file": "q1.xlsx",
        },
    ]

    book_path = tmp_path / "results.xlsx"
    assert (
        _run(
            capsys, "export", "results", "--db", str(db), "--format", "xlsx", "-o", str(book_path)
        )[0]
        == 0
    )
    values = list(load_workbook(book_path).active.iter_rows(values_only=True))
    assert values[0][:3] == ("provider", "measure_code", "period")
    assert Decimal(str(values[1][3])) == 12 and values[1][7] == "Missed"
