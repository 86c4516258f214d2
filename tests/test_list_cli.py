"""`dom-desk import-list KIND`: templates written, lists imported, refusals by cell with
nothing written; `dom-desk import-framework` takes a region's framework spreadsheet."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook as Xlsx
from openpyxl import load_workbook

from dom_desk.cli import main
from dom_desk.domain.measures import all_measures
from dom_desk.storage.workbook import open_workbook

MEASURES = [
    ["Code", "Part", "Wording", "Unit", "Direction", "Weighting"],
    [
        "PT 14",
        None,
        "Race and ethnic monitoring data returned on time",
        "%",
        "Higher is better",
        10,
    ],
    ["PT 9", None, "Basic Skills starts and awards", "count", "Higher is better", None],
    [None, "(a)", "40,000 Basic Skills starts", None, None, None],
    [None, "(b)", "8,033 Basic Skills awards", None, None, None],
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "Wales", "--year", "2009-10", str(path)]) == 0
    return path


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Xlsx()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _dump(db: Path) -> list:
    with sqlite3.connect(db) as con:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(t, sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))) for t in tables]


def _codes(db: Path) -> dict:
    wb = open_workbook(db, read_only=True)
    try:
        return {m.code: m for m in all_measures(wb)}
    finally:
        wb.close()


def test_template_then_import_then_again(db, tmp_path, capsys) -> None:
    template = tmp_path / "providers.xlsx"
    assert main(["import-list", "providers", "--template", str(template)]) == 0
    assert "Wrote the providers template" in capsys.readouterr().out
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Name *", "Kind *", "Sector *"]
    sheet.append(["HMP Cardiff", "Public prison", "Public"])
    book.save(template)
    assert main(["import-list", "providers", "--db", str(db), str(template), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "row 2: New: HMP Cardiff" in out and "1 new" in out
    assert main(["import-list", "providers", "--db", str(db), str(template)]) == 0
    assert "Imported: 1 added, 0 updated." in capsys.readouterr().out
    before = _dump(db)
    assert main(["import-list", "providers", "--db", str(db), str(template)]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert _dump(db) == before


def test_every_problem_is_printed_by_cell_and_nothing_is_written(db, tmp_path, capsys) -> None:
    rows = [
        ["Service", "Target unit cost (£k)"],
        ["Hostel place", 12],
        ["Hostel place", "twelve"],
    ]
    path = _xlsx(tmp_path / "services.xlsx", rows)
    before = _dump(db)
    assert main(["import-list", "services", "--db", str(db), str(path)]) == 1
    err = capsys.readouterr().err
    assert "services.xlsx, sheet 'Sheet', cell A3: service 'Hostel place' is also on row 2" in err
    assert "services.xlsx, sheet 'Sheet', cell B3: 'twelve' is not an amount of money" in err
    assert err.strip().endswith("2 problems in 'services.xlsx'; nothing was imported.")
    assert _dump(db) == before


def test_a_file_that_is_not_a_spreadsheet_is_one_sentence(db, tmp_path, capsys) -> None:
    path = tmp_path / "measures.xlsx"
    path.write_bytes(b"not a spreadsheet at all")
    before = _dump(db)
    assert main(["import-list", "measures", "--db", str(db), str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dom-desk: ") and "measures.xlsx" in err and "Traceback" not in err
    assert _dump(db) == before


def test_a_kind_not_built_yet_says_so(tmp_path, capsys, monkeypatch) -> None:
    from dom_desk.domain import lists
    from dom_desk.readers.list_sheets import ListKind

    monkeypatch.setitem(lists.KIND_MODULES, ListKind.ENVELOPE, "dom_desk.domain.lists.not_here")
    assert main(["import-list", "envelope", "--template", str(tmp_path / "e.xlsx")]) == 1
    assert "importing envelope from a spreadsheet is not available" in capsys.readouterr().err


def test_import_without_a_workbook_is_refused(tmp_path, capsys) -> None:
    assert main(["import-list", "providers", str(tmp_path / "p.xlsx")]) == 1
    assert "--db: name the workbook" in capsys.readouterr().err


def test_priorities_go_into_the_year_asked(db, tmp_path, capsys) -> None:
    path = _xlsx(tmp_path / "p.xlsx", [["No.", "Priority"], [1, "Protecting the public"]])
    assert main(["import-list", "priorities", "--db", str(db), "--year", "2009-10", str(path)]) == 0
    assert main(["priorities", "--db", str(db), "--year", "2009-10"]) == 0
    assert "Protecting the public" in capsys.readouterr().out
    assert main(["import-list", "priorities", "--db", str(db), "--year", "2009", str(path)]) == 1
    assert "--year" in capsys.readouterr().err


def test_import_framework_and_import_list_measures_agree(db, tmp_path, capsys) -> None:
    path = _xlsx(tmp_path / "wales-framework.xlsx", MEASURES)
    assert main(["import-framework", "--db", str(db), "--year", "2009-10", str(path)]) == 0
    out = capsys.readouterr().out
    assert "PT 14: added" in out and "PT 9: added" in out
    measures = _codes(db)
    assert [p.label for p in measures["PT 9"].parts] == ["(a)", "(b)"]
    before = _dump(db)
    assert main(["import-list", "measures", "--db", str(db), "--year", "2009-10", str(path)]) == 0
    assert "2 unchanged" in capsys.readouterr().out
    assert _dump(db) == before
    MEASURES[1][5] = 12
    changed = _xlsx(tmp_path / "changed.xlsx", MEASURES)
    MEASURES[1][5] = 10
    assert main(["import-framework", "--db", str(db), "--year", "2009-10", str(changed)]) == 0
    assert "PT 14: updated weighting" in capsys.readouterr().out
    assert main(["import-framework", "--db", str(db), "--year", "2009-10", str(changed)]) == 0
    assert "Nothing changed" in capsys.readouterr().out


def test_import_framework_refuses_a_bad_spreadsheet_by_cell(db, tmp_path, capsys) -> None:
    rows = [row[:] for row in MEASURES]
    rows[1][3] = "percent-ish"
    path = _xlsx(tmp_path / "bad.xlsx", rows)
    before = _dump(db)
    assert main(["import-framework", "--db", str(db), "--year", "2009-10", str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx, sheet 'Sheet', cell D2: 'percent-ish' is not one of" in err
    assert "nothing was imported" in err
    assert _dump(db) == before
