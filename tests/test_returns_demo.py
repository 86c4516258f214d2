"""The issue's own check, on the demo region from the command line: templates made for every
provider, one filled in the untidy ways providers fill them, imported, and the exported
figures compared cell by cell with what was typed; then the same file again and a
correction."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from returns_support import fill, row_of, table_digest

from dom_desk.cli import main
from dom_desk.readers import returns_format as fmt
from dom_desk.storage.workbook import open_workbook

PERIOD = "2009-10-Q2"
# code as retyped -> (what was typed in Actual, the figure meant) for HMP Manchester
TYPED = {
    "KPI 2": (0, "0"),
    "KPI 3": (0.04, "0.04"),  # a small percentage stays as typed
    "kpi 6": ("8.5%", "8.5"),  # code in lower case, a % sign
    "KPI7": (0.9, "90"),  # no space in the code, a fraction of one
    " Kpi  8 ": (90, "90"),  # stray spaces in the code
    "KPI 9": ("90 %", "90"),
    "KPI 11": (" 1,234 ", "1234"),  # thousands separator and spaces, as text
    "KPI 12": (" 9.5 ", "9.5"),
}


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    return copy


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _digest(db: Path) -> str:
    wb = open_workbook(db, read_only=True)
    try:
        return table_digest(wb)
    finally:
        wb.close()


def _exported(capsys, db: Path, target: Path) -> dict[str, dict[str, str]]:
    """HMP Manchester's current figures for the period, by measure code, as exported."""
    assert (
        _run(capsys, "export", "results", "--db", str(db), "--year", "2009-10", "-o", str(target))[
            0
        ]
        == 0
    )
    with target.open(newline="") as handle:
        return {
            r["measure_code"]: r
            for r in csv.DictReader(handle)
            if r["provider"] == "HMP Manchester" and r["period"] == PERIOD
        }


def _untidy(book) -> None:
    sheet = book[fmt.RETURN_SHEET]
    sheet.protection.sheet = False
    for code, (typed, _) in TYPED.items():
        row = row_of(sheet, code.replace(" ", "").upper().replace("KPI", "KPI "))
        sheet.cell(row, 1).value = code
        sheet.cell(row, 5).value = typed
    kpi10 = row_of(sheet, "KPI 10")
    sheet.cell(kpi10, 6).value, sheet.cell(kpi10, 7).value = "1,234", " 100,000 "
    # Actual and Commentary swapped, the table moved two columns right, blank rows
    # inserted, a total and a note added below the table.
    for row in range(1, sheet.max_row + 1):
        actual, commentary = sheet.cell(row, 5).value, sheet.cell(row, 8).value
        sheet.cell(row, 5).value, sheet.cell(row, 8).value = commentary, actual
    sheet.move_range(f"A1:H{sheet.max_row}", cols=2)
    sheet.insert_rows(4, 2)
    last = sheet.max_row
    sheet.cell(last + 2, 3).value, sheet.cell(last + 2, 10).value = "Total", 999
    sheet.cell(last + 3, 4).value = "Checked by the deputy governor"
    book[fmt.COVER_SHEET]["B4"] = "HMP Manchster"  # the provider's name misspelt


def test_templates_filled_untidily_come_back_as_typed(db, tmp_path, capsys) -> None:
    out_dir = tmp_path / "templates" / PERIOD  # not there yet: the batch makes it
    code, out, _ = _run(
        capsys,
        "template",
        "--db",
        str(db),
        "--all-providers",
        "--period",
        PERIOD,
        "--out-dir",
        str(out_dir),
    )
    assert code == 0
    made = sorted(out_dir.glob("*.xlsx"))
    assert f"{len(made)} templates" in out and len(made) > 20
    template = out_dir / "Q2 2009-10 HMP Manchester.xlsx"  # named as people read it
    filled = fill(template, tmp_path / "manchester q2.xlsx", _untidy)

    before = _digest(db)
    code, out, err = _run(capsys, "import", "--db", str(db), str(filled))
    assert code == 1 and "close to the registered provider 'HMP Manchester'" in err
    assert _digest(db) == before

    code, out, err = _run(capsys, "import", "--db", str(db), "--accept-close-names", str(filled))
    assert code == 0 and err == "", err
    # The demo's prisons return monthly: a quarter's figures over them are stored but
    # the matrix keeps to the months, and the user is told so.
    assert "HMP Manchester already has monthly figures for Q2 2009-10" in out
    stored = _exported(capsys, db, tmp_path / "results.csv")
    expected = {
        code.replace(" ", "").upper().replace("KPI", "KPI "): Decimal(meant)
        for code, (_, meant) in TYPED.items()
    }
    expected["KPI 10"] = Decimal("1.234")  # worked out from 1,234 / 100,000
    assert {c: Decimal(r["actual"]) for c, r in stored.items()} == expected
    assert (stored["KPI 10"]["numerator"], stored["KPI 10"]["denominator"]) == ("1234", "100000")
    assert {r["source_file"] for r in stored.values()} == {"manchester q2.xlsx"}

    after_first = _digest(db)
    code, out, _ = _run(capsys, "import", "--db", str(db), str(filled))
    assert code == 0 and "nothing changed" in out
    assert _digest(db) == after_first

    def correct(book):
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "KPI 3"), 5).value = 0.03

    corrected = fill(template, tmp_path / "manchester q2 corrected.xlsx", correct)
    code, out, _ = _run(capsys, "import", "--db", str(db), str(corrected))
    assert code == 0 and "replacing 'manchester q2.xlsx'" in out
    stored = _exported(capsys, db, tmp_path / "results2.csv")
    assert {c: r["actual"] for c, r in stored.items()} == {"KPI 3": "0.03"}
