"""``dom-desk returns schedule | chase | due-rule`` on the demo region (working date
02/11/2009): the schedule printed, the chase list printed and written to Excel, the due
rule shown, set and refused."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_support import table_digest

from dom_desk.cli import main
from dom_desk.domain import returns_schedule as rs
from dom_desk.storage.workbook import open_workbook

#: England and Wales bank holidays of autumn 2009 to spring 2010 (none in October).
BANK_HOLIDAYS = {date(2009, 12, 25), date(2009, 12, 28), date(2010, 1, 1), date(2010, 4, 2)}


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, path)
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _read(db: Path, fn, *args):
    wb = open_workbook(db, read_only=True)
    try:
        return fn(wb, *args)
    finally:
        wb.close()


def _working_days_after(day: date, count: int) -> date:
    """Counted by hand, not with the domain's helper: weekdays that are not holidays."""
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            count -= 1
    return day


def _row_lines(out: str) -> list[str]:
    """The table's body: the lines after the dashes, before the totals."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("---")) + 1
    return [line for line in lines[start:] if line.startswith("  ")]


def test_schedule_prints_every_provider_and_month_with_due_date_and_state(db, capsys) -> None:
    code, out, err = _run(capsys, "returns", "schedule", "--db", str(db), "--year", "2009-10")
    assert code == 0 and err == ""
    rows = _read(db, rs.returns_schedule, "2009-10")
    providers = {r.provider_name for r in rows}
    assert len(rows) == len(providers) * 12  # every owing provider, every month
    assert out.splitlines()[0] == (
        f"Returns schedule 2009-10 as at 02/11/2009: {len(providers)} providers owe returns, "
        "due 10 working days after the month ends (weekends and England and Wales bank "
        "holidays not counted)."
    )
    body = _row_lines(out)
    assert len(body) == len(rows)
    # September's return from Cumbria is missing: due on the 10th working day after
    # 30/09/2009 and 13 working days late on 02/11/2009.
    assert _working_days_after(date(2009, 9, 30), 10) == date(2009, 10, 14)
    cumbria = next(line for line in body if "Sep 2009" in line and "Cumbria" in line)
    assert cumbria.split()[-3:] == ["14/10/2009", "Overdue", "13"]
    # December's returns: Christmas, Boxing Day (on the 28th) and New Year not counted.
    due = _working_days_after(date(2009, 12, 31), 10)
    assert due == date(2010, 1, 15)
    december = [line for line in body if line.lstrip().startswith("Dec 2009")]
    assert len(december) == len(providers)
    assert all("15/01/2010" in line and "Not yet due" in line for line in december)
    states = [str(r.state) for r in rows]
    assert out.splitlines()[-1].startswith(f"Totals: Received {states.count('Received')};")


def test_schedule_of_a_year_not_in_the_workbook_is_one_sentence(db, capsys) -> None:
    code, out, err = _run(capsys, "returns", "schedule", "--db", str(db), "--year", "2031-32")
    assert code == 1 and out == ""
    assert err.startswith("dom-desk: ") and "2031-32" in err and "Traceback" not in err


def test_chase_prints_overdue_first_then_due_soon(db, capsys) -> None:
    code, out, _ = _run(capsys, "returns", "chase", "--db", str(db))
    assert code == 0
    chase = _read(db, rs.chase_list)
    overdue = [r for r in chase if r.state is rs.ReturnState.OVERDUE]
    assert out.splitlines()[0] == (
        f"Returns to chase as at 02/11/2009 (2009-10): {len(overdue)} overdue, "
        f"{len(chase) - len(overdue)} due within 14 days."
    )
    body = _row_lines(out)
    assert [line.split()[0] for line in body] == [str(r.state).split()[0] for r in chase]
    assert body[0].split()[0] == "Overdue" and "Cumbria Probation Area" in body[0]
    assert all("Oct 2009" in line and "13/11/2009" in line for line in body[1:])


def test_chase_list_written_to_excel_as_the_domain_lists_it(db, tmp_path, capsys) -> None:
    target = tmp_path / "chase.xlsx"
    code, out, _ = _run(capsys, "returns", "chase", "--db", str(db), "-o", str(target))
    chase = _read(db, rs.chase_list)
    assert code == 0 and f"Wrote {len(chase)} returns to chase to {target}" in out
    book = load_workbook(target)
    sheet = book.worksheets[0]
    assert sheet.title == "Chase list 02-11-2009"
    header = [c.value for c in sheet[1]]
    assert header == ["Provider", "Month", "Month ends", "Due", "State", "Working days late"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    got = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    expected = [
        [
            r.provider_name,
            r.period_label,
            datetime.combine(r.period_end, datetime.min.time()),
            datetime.combine(r.due, datetime.min.time()),
            str(r.state),
            r.days_late,
        ]
        for r in chase
    ]
    assert got == expected
    assert got[0][0] == "Cumbria Probation Area" and got[0][5] == 13
    for column in ("C", "D"):  # real dates, shown the UK way
        assert all(cell.number_format == "dd/mm/yyyy" for cell in sheet[column][1:])
    provider_width = sheet.column_dimensions["A"].width
    assert provider_width >= len("Greater Manchester Probation Trust")


def test_chase_refuses_a_file_that_is_not_xlsx_and_writes_nothing(db, tmp_path, capsys) -> None:
    target = tmp_path / "chase.csv"
    code, _, err = _run(capsys, "returns", "chase", "--db", str(db), "-o", str(target))
    assert code == 1 and ".xlsx" in err and not target.exists()


def test_due_rule_shown_set_and_moves_the_due_dates(db, capsys) -> None:
    code, out, _ = _run(capsys, "returns", "due-rule", "--db", str(db))
    assert code == 0 and out.startswith("Returns are due 10 working days after the month ends")
    code, out, _ = _run(capsys, "returns", "due-rule", "--db", str(db), "12")
    assert code == 0 and out.startswith("Returns are now due 12 working days after")
    assert _read(db, rs.due_rule) == 12
    rows = _read(db, rs.returns_schedule)
    october = {r.due for r in rows if r.period_label == "Oct 2009"}
    assert october == {_working_days_after(date(2009, 10, 31), 12)} == {date(2009, 11, 17)}
    code, out, _ = _run(capsys, "returns", "schedule", "--db", str(db))
    assert "due 12 working days after the month ends" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("0", "must be from 1 to 60 working days (this is 0)"),
        ("61", "must be from 1 to 60 working days (this is 61)"),
        ("-3", "must be from 1 to 60 working days (this is -3)"),
        ("ten", "'ten' is not a whole number of working days"),
        ("2.5", "'2.5' is not a whole number of working days"),
    ],
)
def test_due_rule_outside_1_to_60_is_refused_with_a_sentence(db, capsys, given, words) -> None:
    before = _read(db, table_digest)
    code, out, err = _run(capsys, "returns", "due-rule", "--db", str(db), given)
    assert code == 1 and out == ""
    assert err.strip() == (
        f"dom-desk: Returns schedule, Due (working days after the period ends): {words}"
    )
    assert _read(db, table_digest) == before
    assert _read(db, rs.due_rule) == 10


def test_a_region_with_no_agreements_owes_no_returns(workbook, tmp_path, capsys) -> None:
    path = workbook.location
    workbook.close()
    code, out, _ = _run(capsys, "returns", "schedule", "--db", str(path))
    assert code == 0 and "0 providers owe returns" in out
    assert "No provider owes returns this year" in out
    target = tmp_path / "empty.xlsx"
    code, out, _ = _run(capsys, "returns", "chase", "--db", str(path), "-o", str(target))
    assert code == 0 and "Nothing to chase." in out and "Wrote 0 returns" in out
    sheet = load_workbook(target).worksheets[0]
    assert sheet.max_row == 1 and sheet["A1"].value == "Provider"
