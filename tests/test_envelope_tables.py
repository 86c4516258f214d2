"""The envelope as budget tables print it (issue 13 item 7): groups and subtotals, printed
totals checked within a rounding tolerance, negative lines, and budget tables read from
spreadsheets built from the seeds' own Annex A tables (seed 001 and seed 004)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook as Book

from dom_desk.domain import allocations as al
from dom_desk.domain import records
from dom_desk.domain.lists_import import import_list, preview_list
from dom_desk.domain.region import ensure_year
from dom_desk.errors import ValidationError
from dom_desk.readers.budget_tables import read_budget_table
from dom_desk.readers.list_sheets import ListKind

MILLION = 1_000_000_00

#: Seed 001, Annex A: National Probation Service Budget for 2005-06 (£m).
SEED_001 = [
    ("Probation Boards", None, None),
    ("Main Resource Allocation", 559.9, 620.0),
    ("Approved Premises Allocation", 43.8, 47.0),
    ("Probation Officer Training Allocation", 57.1, 51.4),
    ("Met/Shire/Street Crime & PAGs Allocations", 14.7, 14.7),
    ("Performance Bonus Allocations", 14.3, 18.5),
    ("PSO Allocation", 5.5, 0.0),
    ("Provision for Carry Forwards", 7.7, 5.6),
    ("Total Probation Boards", 703.0, 757.2),
    ("National Probation Directorate", None, None),
    ("NPD Staffing", 17.0, 15.3),
    ("Electronic Monitoring", 79.0, 79.0),
    ("Information Technology", 14.1, 18.7),
    ("Loan Charges", 3.0, 2.5),
    ("Estates Under Recovery", 4.0, 17.0),
    ("ICCP", 7.4, 0.0),
    ("Voluntary Approved Premises", 6.4, 6.9),
    ("Grants to Voluntary Organisations", 3.7, 3.8),
    ("Interventions/OASys", 8.1, 9.6),
    ("Probation Training University Contracts", 7.9, 6.2),
    ("Human Resources", 2.7, 2.7),
    ("PSO Plus Training", 1.0, 1.0),
    ("CJIT Repayment", 1.5, 1.5),
    ("IT Case Management", 2.8, 2.1),
    ("CJA", 2.6, 0.0),
    ("Prospects", 0.5, 2.5),
    ("Public Protection", 3.3, 3.4),
    ("RDS", 1.2, 1.2),
    ("Miscellaneous", 2.7, 2.1),
    ("Total National Probation Directorate", 168.9, 175.5),
    ("Total National Probation Service", 871.9, 932.7),
]
#: Seed 004, Annex A: HMPPS resources by directorate, 2018-19 (£m), as printed.
SEED_004 = [
    ("Public Sector Prisons", "1,635"),
    ("Custodial Contracts", 819),
    ("Youth Custody Services", 138),
    ("Security, Order and Counter-Terrorism", 27),
    ("Prison Estate Transformation", 17),
    ("National Probation Service", 454),
    ("Community Interventions", 373),
    ("HMPPS Wales*", 199),
    ("Electronic Monitoring", 87),
    ("Rehabilitation and Assurance", 32),
    ("Human Resources", 82),
    ("Chief Executive Office", 2),
    ("Centrally Managed", "(45)"),
    ("Total Fiscal Resource Departmental Expenditure Limit", "3,819"),
]
WALES_NOTE = "In addition to HMPPS Wales budget, funding is also received from Welsh Government."


def seed_001(path: Path) -> Path:
    book = Book()
    sheet = book.active
    sheet.title = "Annex A"
    sheet.append(["National Probation Service Budget for 2005-06"])
    sheet.append([])
    sheet.append([None, "Revised Budget 2004-05 £m", "Proposed Budget 2005-06 £m"])
    for row in SEED_001:
        sheet.append(list(row))
    book.save(path)
    return path


def seed_004(path: Path) -> Path:
    book = Book()
    sheet = book.active
    sheet.title = "Resource"
    sheet.append(["Directorate", "2018-19 £m"])
    for row in SEED_004:
        sheet.append(list(row))
    sheet.append([])
    sheet.append([f"*{WALES_NOTE}"])
    book.save(path)
    return path


def with_years(workbook, *labels: str):
    with workbook.session() as session:
        for label in labels:
            ensure_year(session, label)
    return workbook


def state(workbook, year: str) -> tuple:
    """Everything an import could change: the table's rows and the audit trail's length."""
    from sqlalchemy import func, select

    from dom_desk.models import AuditEntry

    table = al.envelope_table(workbook, year)
    with workbook.session() as session:
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    return table.rows, table.groups, audited


# -- the domain ---------------------------------------------------------------------------


def test_groups_nest_with_subtotals_and_a_negative_line(workbook) -> None:
    top = al.create_group(workbook, "HMPPS", printed_total=199 * MILLION)
    wales = al.create_group(workbook, "Wales", parent_id=top)
    al.create_line(workbook, "NOMS allocation", 244 * MILLION, name="HMPPS Wales", group_id=wales)
    al.create_line(
        workbook, "NOMS allocation", -45 * MILLION, name="Centrally Managed", group_id=top
    )
    table = al.envelope_table(workbook)
    assert table.group(wales).subtotal == 244 * MILLION
    assert table.group(top).subtotal == 199 * MILLION
    assert table.group(top).printed.status is al.TotalStatus.MATCHES
    assert [(r.kind, r.depth, r.label) for r in table.rows] == [
        (al.RowKind.GROUP, 0, "HMPPS"),
        (al.RowKind.GROUP, 1, "Wales"),
        (al.RowKind.LINE, 2, "HMPPS Wales"),
        (al.RowKind.TOTAL, 1, "Total Wales"),
        (al.RowKind.LINE, 1, "Centrally Managed"),
        (al.RowKind.TOTAL, 0, "Total HMPPS"),
    ]
    # The envelope counts each line once, negative included, printed totals never.
    assert al.position(workbook).envelope == 199 * MILLION


def test_a_group_cannot_go_under_itself_or_a_group_below_it(workbook) -> None:
    top = al.create_group(workbook, "Probation Boards")
    below = al.create_group(workbook, "Approved premises", parent_id=top)
    before = al.envelope_table(workbook)
    for parent in (top, below):
        with pytest.raises(ValidationError, match="groups cannot loop") as refused:
            al.move_group(workbook, top, parent)
        assert refused.value.where == "Envelope, group Probation Boards, Under"
    assert al.envelope_table(workbook) == before


def test_a_printed_total_within_tolerance_is_a_note_and_beyond_it_a_warning(workbook) -> None:
    group = al.create_group(
        workbook,
        "Fiscal",
        printed_total=3_819 * MILLION,
        tolerance=MILLION,
        total_label="Total Fiscal Resource DEL",
    )
    al.create_line(workbook, "HMPPS", 3_820 * MILLION, name="Directorates", group_id=group)
    table = al.envelope_table(workbook)
    assert table.notes == (
        "Total Fiscal Resource DEL: printed £3,819m; rows add to £3,820m, a difference of "
        "£1m within the rounding tolerance.",
    )
    assert table.warnings == ()
    al.edit_group(workbook, group, tolerance=0)
    warning = al.envelope_table(workbook).warnings[0]
    assert "printed £3,819m" in warning and "£3,820m" in warning
    assert warning in al.position(workbook).warnings


def test_new_envelope_line_accepts_negatives_and_a_source_used_twice(workbook) -> None:
    records.create(workbook, "envelope", {"funding_source": "NOMS", "amount": 100 * MILLION})
    records.create(workbook, "envelope", {"funding_source": "noms", "amount": -45 * MILLION})
    assert al.position(workbook).envelope == 55 * MILLION


def test_edits_return_the_old_values_so_undo_can_write_them_back(workbook) -> None:
    line = al.create_line(workbook, "NOMS", MILLION, name="Main")
    old = al.edit_line(workbook, line, amount=-MILLION, funding_source="Welsh Government")
    assert al.envelope_table(workbook).line(line).funding_source == "Welsh Government"
    al.edit_line(workbook, line, **old)
    assert al.envelope_table(workbook).line(line).amount == MILLION
    group = al.create_group(workbook, "Boards")
    al.move_line(workbook, line, group)
    kept = al.delete_group(workbook, group)
    assert al.envelope_table(workbook).line(line).group_id is None  # the money stays
    al.restore_group(workbook, kept)
    assert al.envelope_table(workbook).line(line).group_id == group


def test_roll_forward_copies_the_groups_and_lines(workbook) -> None:
    from decimal import Decimal

    group = al.create_group(workbook, "Boards", printed_total=MILLION)
    al.create_line(workbook, "NOMS", MILLION, name="Main", group_id=group)
    done = al.roll_forward(workbook, "2009-10", Decimal(0))
    table = al.envelope_table(workbook, "2010-11")
    assert [(r.kind, r.label, r.amount) for r in table.rows] == [
        (al.RowKind.GROUP, "Boards", None),
        (al.RowKind.LINE, "Main", MILLION),
        (al.RowKind.TOTAL, "Total Boards", MILLION),
    ]
    assert table.groups[0].printed_total is None  # printed for 2009-10, not for 2010-11
    al.undo_roll_forward(workbook, done)
    assert al.envelope_table(workbook, "2009-10").total == MILLION


# -- the reader ---------------------------------------------------------------------------


def test_seed_001_reads_as_printed_with_exact_subtotals(tmp_path) -> None:
    table = read_budget_table(seed_001(tmp_path / "001.xlsx"), year_label="2005-06")
    assert table.amount_header == "Proposed Budget 2005-06 £m"
    assert len(table.lines) == 26
    assert [(g.name, g.printed_total) for g in table.groups] == [
        ("National Probation Service", 932_7 * MILLION // 10),
        ("Probation Boards", 757_2 * MILLION // 10),
        ("National Probation Directorate", 175_5 * MILLION // 10),
    ]
    assert table.tolerance == MILLION // 10  # printed to one decimal place of £m
    assert table.total == 932_7 * MILLION // 10
    earlier = read_budget_table(tmp_path / "001.xlsx", year_label="2004-05")
    assert earlier.total == 871_9 * MILLION // 10


def test_several_amount_columns_without_a_year_are_refused_naming_them(tmp_path) -> None:
    with pytest.raises(ValidationError) as refused:
        read_budget_table(seed_001(tmp_path / "001.xlsx"), year_label="2009-10")
    assert "B 'Revised Budget 2004-05 £m'; C 'Proposed Budget 2005-06 £m'" in str(refused.value)
    assert "none is for 2009-10" in str(refused.value)


def test_seed_004_brackets_footnote_and_grand_total(tmp_path) -> None:
    table = read_budget_table(seed_004(tmp_path / "004.xlsx"))
    assert table.year == "2018-19" and table.tolerance == MILLION
    lines = {line.name: line for line in table.lines}
    assert len(lines) == 13
    assert lines["Centrally Managed"].amount == -45 * MILLION
    assert lines["Public Sector Prisons"].amount == 1_635 * MILLION
    assert lines["HMPPS Wales"].notes == WALES_NOTE
    (grand,) = table.groups
    assert grand.name == "Fiscal Resource Departmental Expenditure Limit"
    assert grand.printed_total == 3_819 * MILLION
    assert table.total == 3_820 * MILLION


def test_text_in_the_money_column_is_refused_naming_the_cell(workbook, tmp_path) -> None:
    path = seed_004(tmp_path / "004.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Resource"]["B4"] = "about 138"
    book.save(path)
    before = state(workbook, "2009-10")
    preview = preview_list(workbook, path, ListKind.ENVELOPE, year_label="2009-10")
    assert preview.errors == [
        "004.xlsx, sheet 'Resource', cell B4: 'about 138' is not an amount of money"
    ]
    with pytest.raises(ValidationError, match="cell B4"):
        import_list(workbook, path, ListKind.ENVELOPE, year_label="2009-10")
    assert state(workbook, "2009-10") == before


@pytest.mark.parametrize("problem", ["not a spreadsheet", "wrong headers", "loop"])
def test_bad_files_are_refused_and_the_workbook_is_unchanged(workbook, tmp_path, problem) -> None:
    path = tmp_path / "bad.xlsx"
    if problem == "not a spreadsheet":
        path.write_text("Directorate,2018-19 £m\nPrisons,1635\n")
    else:
        book = Book()
        sheet = book.active
        if problem == "wrong headers":
            sheet.append(["Directorate", "Owner"])
            sheet.append(["Prisons", "Governor"])
        else:
            sheet.append(["Group", "Parent group", "Line", "Amount (£m)"])
            sheet.append(["Boards", "Directorate", "Main", 1])
            sheet.append(["Directorate", "Boards", "Staff", 2])
        book.save(path)
    before = state(workbook, "2009-10")
    with pytest.raises(ValidationError) as refused:
        import_list(workbook, path, ListKind.ENVELOPE, year_label="2009-10")
    assert "bad.xlsx" in str(refused.value)
    if problem == "loop":
        assert "the groups loop" in str(refused.value)
    assert state(workbook, "2009-10") == before


def test_the_template_layout_with_a_negative_line_and_a_parent_group(workbook, tmp_path) -> None:
    path = tmp_path / "template.xlsx"
    book = Book()
    sheet = book.active
    sheet.append(["Group", "Line", "Funding source", "Amount (£)", "Notes", "Parent group"])
    sheet.append(["Wales", "HMPPS Wales", "NOMS", "199,000,000", "", "HMPPS"])
    sheet.append(
        ["Wales", "Welsh Government grant", "Welsh Government", 1_500_000, "grant", "HMPPS"]
    )
    sheet.append(["HMPPS", "Centrally Managed", "NOMS", "(45,000,000)", "", ""])
    book.save(path)
    import_list(workbook, path, ListKind.ENVELOPE, year_label="2009-10")
    table = al.envelope_table(workbook, "2009-10")
    assert [(r.kind.value, r.depth, r.label, r.amount) for r in table.rows] == [
        ("group", 0, "HMPPS", None),
        ("group", 1, "Wales", None),
        ("line", 2, "HMPPS Wales", 199_000_000_00),
        ("line", 2, "Welsh Government grant", 1_500_000_00),
        ("total", 1, "Total Wales", 200_500_000_00),
        ("line", 1, "Centrally Managed", -45_000_000_00),
        ("total", 0, "Total HMPPS", 155_500_000_00),
    ]
    assert table.line(table.rows[3].id).funding_source == "Welsh Government"


# -- importing ----------------------------------------------------------------------------


def test_seed_001_imports_with_its_groups_and_twice_changes_nothing(workbook, tmp_path) -> None:
    with_years(workbook, "2005-06")
    path = seed_001(tmp_path / "001.xlsx")
    _preview, summary = import_list(workbook, path, ListKind.ENVELOPE, year_label="2005-06")
    assert summary.added == 3 + 26
    table = al.envelope_table(workbook, "2005-06")
    subtotals = {g.name: g.subtotal for g in table.groups}
    assert subtotals == {
        "National Probation Service": 932_7 * MILLION // 10,
        "Probation Boards": 757_2 * MILLION // 10,
        "National Probation Directorate": 175_5 * MILLION // 10,
    }
    assert all(p.status is al.TotalStatus.MATCHES for p in table.printed_totals)
    assert al.position(workbook, "2005-06").envelope == 932_7 * MILLION // 10
    before = state(workbook, "2005-06")
    again = preview_list(workbook, path, ListKind.ENVELOPE, year_label="2005-06")
    assert again.records == []
    _preview, summary = import_list(workbook, path, ListKind.ENVELOPE, year_label="2005-06")
    assert (summary.added, summary.updated) == (0, 0)
    assert state(workbook, "2005-06") == before


def test_seed_004_imports_into_its_year_with_the_rounding_note(workbook, tmp_path) -> None:
    with_years(workbook, "2018-19")
    path = seed_004(tmp_path / "004.xlsx")
    preview, _summary = import_list(workbook, path, ListKind.ENVELOPE)
    assert preview.year == "2018-19"  # the year the amount column names
    table = al.envelope_table(workbook, "2018-19")
    assert table.notes == (
        "Total Fiscal Resource Departmental Expenditure Limit: printed £3,819m; rows add to "
        "£3,820m, a difference of £1m within the rounding tolerance.",
    )
    assert al.position(workbook, "2018-19").envelope == 3_820 * MILLION
    wales = next(line for line in table.lines if line.name == "HMPPS Wales")
    assert "Welsh Government" in wales.notes
    # A revised table replaces the year's: a changed figure updated, nothing doubled.
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Resource"]["B14"] = "(46)"
    book.save(path)
    preview, summary = import_list(workbook, path, ListKind.ENVELOPE)
    assert (summary.added, summary.updated) == (0, 1)
    assert al.position(workbook, "2018-19").envelope == 3_819 * MILLION
    assert al.envelope_table(workbook, "2018-19").notes == ()


def test_dom_desk_envelope_prints_the_table_with_subtotals_and_the_note(
    workbook, tmp_path, capsys
) -> None:
    from dom_desk.cli import main

    with_years(workbook, "2018-19")
    import_list(workbook, seed_004(tmp_path / "004.xlsx"), ListKind.ENVELOPE)
    path = workbook.location
    workbook.close()
    assert main(["envelope", "--db", str(path), "--year", "2018-19"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "The 2018-19 envelope"
    assert out[1] == "Fiscal Resource Departmental Expenditure Limit"
    assert any(line.split()[:3] == ["Centrally", "Managed", "-£45,000,000"] for line in out)
    assert "printed £3,819,000,000" in out[-3]
    assert out[-2].split() == ["Envelope", "£3,820,000,000"]
    assert out[-1].endswith("a difference of £1m within the rounding tolerance.")


# -- pasting --------------------------------------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def annex_a(seed: str, first: str, last: str) -> str:
    """A seed's Annex A table as its text holds it (tab-separated, as a copy gives it)."""
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(last))
    return "\n".join(lines[start : end + 1])


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are not beside the clone")


@needs_seeds
def test_seed_001_pasted_from_its_own_text(workbook) -> None:
    from dom_desk.domain.lists.envelope import paste_table

    with_years(workbook, "2005-06")
    text = annex_a("001", "\tRevised Budget 2004-05", "Total National Probation Service")
    _preview, summary = paste_table(workbook, text, "2005-06")
    assert summary.added == 3 + 26
    table = al.envelope_table(workbook, "2005-06")
    assert sorted(g.subtotal for g in table.groups) == [
        175_5 * MILLION // 10,
        757_2 * MILLION // 10,
        932_7 * MILLION // 10,
    ]
    assert table.warnings == () and table.notes == ()
    before = state(workbook, "2005-06")
    _preview, summary = paste_table(workbook, text, "2005-06")
    assert (summary.added, summary.updated) == (0, 0)
    assert state(workbook, "2005-06") == before


@needs_seeds
def test_seed_004_pasted_from_its_own_text(workbook) -> None:
    from dom_desk.domain.lists.envelope import paste_table

    with_years(workbook, "2018-19")
    text = annex_a("004", "Directorate\t2018-19", "\\*In addition")
    paste_table(workbook, text, "2018-19")
    table = al.envelope_table(workbook, "2018-19")
    assert table.total == 3_820 * MILLION
    assert table.groups[0].printed_total == 3_819 * MILLION  # the <b> markup read through
    assert len(table.notes) == 1 and "a difference of £1m" in table.notes[0]
    wales = next(line for line in table.lines if line.name == "HMPPS Wales")
    assert wales.notes == WALES_NOTE


def test_a_pasted_table_with_a_wrong_cell_is_refused_and_undo_restores(workbook) -> None:
    from dom_desk.domain.lists.envelope import paste_table

    al.create_line(workbook, "NOMS", MILLION, name="Kept")
    snapshot = al.table_snapshot(workbook)
    before = state(workbook, "2009-10")
    with pytest.raises(ValidationError, match="The pasted table, cell B3: 'lots'"):
        paste_table(workbook, "Directorate\t2009-10 £m\nPrisons\t12\nProbation\tlots\n")
    assert state(workbook, "2009-10") == before
    paste_table(workbook, "Directorate\t2009-10 £m\nPrisons\t12\nCentral\t(2)\nTotal\t10\n")
    assert al.position(workbook).envelope == 10 * MILLION
    al.restore_snapshot(workbook, snapshot)
    assert [line.name for line in al.envelope_table(workbook).lines] == ["Kept"]
