"""The command line: key dates listed and exported, lists imported, contracts varied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import Workbook as Xlsx
from sqlalchemy import func, select

from dom_desk.cli import main
from dom_desk.domain import contracts, keydates
from dom_desk.models import Agreement, AgreementKind, Milestone
from dom_desk.storage.workbook import open_workbook


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    return copy


def _milestones(db: Path) -> int:
    wb = open_workbook(db)
    try:
        with wb.session() as session:
            return session.scalar(select(func.count()).select_from(Milestone))
    finally:
        wb.close()


def test_keydates_lists_buckets(db, capsys) -> None:
    assert main(["keydates", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for heading in ("Overdue", "Within 30 days", "In 31 to 90 days", "In 91 to 180 days"):
        assert heading in out


def test_export_keydates_to_ics_and_xlsx(db, tmp_path, capsys) -> None:
    assert main(["export", "keydates", "--db", str(db), "-o", str(tmp_path / "k.ics")]) == 0
    events = Calendar.from_ical((tmp_path / "k.ics").read_bytes()).walk("VEVENT")
    wb = open_workbook(db)
    with wb.session() as session:
        open_dates = sorted(k.when for k in keydates.key_dates(session) if not k.done)
    wb.close()
    assert sorted(e.decoded("dtstart") for e in events) == open_dates
    assert main(["export", "keydates", "--db", str(db), "-o", str(tmp_path / "k.xlsx")]) == 0
    assert (tmp_path / "k.xlsx").stat().st_size > 0


def test_import_list_dry_run_then_import_and_refusal(db, tmp_path, capsys) -> None:
    book = Xlsx()
    for row in (
        ["Milestone", "Delivery date"],
        ["Open the new approved premises", "Spring 2010"],
        ["Agree 2010-11 SLAs", "March 2010"],
    ):
        book.active.append(row)
    good = tmp_path / "milestones.xlsx"
    book.save(good)
    before = _milestones(db)
    assert main(["import-list", "milestones", "--db", str(db), str(good), "--dry-run"]) == 0
    assert "2 new" in capsys.readouterr().out and _milestones(db) == before
    assert main(["import-list", "milestones", "--db", str(db), str(good)]) == 0
    assert _milestones(db) == before + 2
    book.active.append(["A milestone with no date", None])
    book.active.append(["Another", "Autumn 2010"])
    book.active["A4"] = None  # a row with a date but no title
    book.active["B4"] = "June 2010"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    assert main(["import-list", "milestones", "--db", str(db), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx, sheet 'Sheet', cell A4: Milestone is empty" in err
    assert err.strip().endswith("nothing was imported.")
    assert _milestones(db) == before + 2


def test_vary_records_a_variation(db, capsys) -> None:
    wb = open_workbook(db)
    with wb.session() as session:
        agreement = session.scalars(
            select(Agreement).where(Agreement.kind == AgreementKind.CONTRACT).order_by(Agreement.id)
        ).first()
        reference, before = agreement.reference, contracts.current_value(agreement)
    wb.close()
    assert (
        main(
            [
                "vary",
                "--db",
                str(db),
                reference,
                "--effective",
                "02/11/2009",
                "--value-change",
                "-50000",
                "--description",
                "Fewer places",
            ]
        )
        == 0
    )
    assert "now:" in capsys.readouterr().out
    wb = open_workbook(db)
    with wb.session() as session:
        agreement = session.scalars(select(Agreement).where(Agreement.reference == reference)).one()
        assert contracts.current_value(agreement) == before - 50_000_00
    wb.close()
    assert (
        main(
            [
                "vary",
                "--db",
                str(db),
                "No such contract",
                "--effective",
                "02/11/2009",
                "--terms",
                "--description",
                "x",
            ]
        )
        == 1
    )
    assert "No contract has the reference or title" in capsys.readouterr().err
