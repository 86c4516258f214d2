"""Milestones and risks from xlsx laid out like the plans' annexes: preview, then one
transaction; any error refuses the lot and names the cell."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook as Xlsx
from returns_support import FOREIGN, zip_of
from sqlalchemy import func, select

from dom_desk.domain.lists_import import ListKind, RowStatus, import_list
from dom_desk.errors import ValidationError
from dom_desk.models import Level, Milestone, Priority, Risk

#: Seed 004, Annex B (an excerpt): a section heading, the header, rows, more sections.
ANNEX_B = [
    ["Managing Offenders in Custody"],
    ["Milestone", "Delivery date"],
    [
        "Implement the revised prison group structure",
        "Executive Directors to be in place "
        "from late 2017-18, with most PGDs in place from April 2018. The remainder of PGDs "
        "should be in place by autumn 2018.",
    ],
    [
        "Maintain security standards to ensure there are no escapes from custody",
        "Ongoing, as above",
    ],
    [],
    ["Managing Offenders in the Community"],
    ["Milestone", "Delivery date"],
    ["Design and create a probation based intelligent customer function", "June 2018"],
    ["Commence new Bail Accommodation Support Services contract", "Summer 2018"],
    ["Approved Premises investment expansion", "March 2020"],
    ["Support implementation of the Truth Project in prisons", "Through 2018"],
]

#: Seed 001, Annex C (an excerpt): a two-row header, priority headings, a repeated header.
ANNEX_C = [
    ["Summary Risk Register 2005-06"],
    ["1", "Contributing to the building of an excellent National Offender Management Service"],
    ["Priority", "Risk Ref No", "Risk Descriptions", "Residual Risk Assessment"],
    [None, None, None, "Likelihood", "Impact Rating", "Risk"],
    [1, 7, "Lack of programme management for NOMS implementation", "M", "H", 19],
    [1, 8, "Establishing division between offender management and interventions", "L", "L", 5],
    [],
    [2, "Working purposefully with other criminal justice agencies to protect the public"],
    ["Priority", "Risk Ref No", "Risk Descriptions", "Residual Risk Assessment"],
    [None, None, None, "Likelihood", "Impact Rating", "Risk"],
    [2, 2, "Loss of key skills resulting in inadequate supervision", "H", "VH", 24],
    [2, 3, "Failure to obtain GSI accreditation", "VH", "VH", 25],
    ["OTH", 19, "Lack of intelligent client capacity in Probation Directorate", "M", "H", 19],
]


def _xlsx(path: Path, rows: list[list], title: str = "Sheet1") -> Path:
    book = Xlsx()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _count(wb, model) -> int:
    with wb.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_milestones_import_with_headings_and_fuzzy_dates(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "annex_b.xlsx", ANNEX_B)
    preview, summary = import_list(workbook, path, ListKind.MILESTONES)
    assert summary is not None and (summary.added, summary.updated) == (6, 0)
    assert preview.counts()[RowStatus.HEADING] == 1  # the second section's heading
    assert preview.counts()[RowStatus.HEADER] == 1  # the repeated header
    with workbook.session() as session:
        found = {m.title[:20]: m for m in session.scalars(select(Milestone))}
    pgd = found["Implement the revise"]
    assert (pgd.due, pgd.owner) == (date(2018, 11, 30), "Managing Offenders in Custody")
    assert "autumn 2018" in pgd.due_text
    assert found["Maintain security st"].due is None
    assert found["Maintain security st"].due_text == "Ongoing, as above"
    summer = found["Commence new Bail Ac"]
    assert (summer.due, summer.due_text, summer.owner) == (
        date(2018, 8, 31),
        "Summer 2018",
        "Managing Offenders in the Community",
    )
    assert found["Approved Premises in"].due == date(2020, 3, 31)
    assert found["Support implementati"].due == date(2018, 12, 31)


def test_importing_the_same_list_again_updates_rather_than_duplicates(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "annex_b.xlsx", ANNEX_B)
    import_list(workbook, path, ListKind.MILESTONES)
    preview, summary = import_list(workbook, path, ListKind.MILESTONES)
    assert summary is not None and (summary.added, summary.updated) == (0, 6)
    assert _count(workbook, Milestone) == 6


def test_risks_import_with_a_two_row_header_and_section_rows(workbook, tmp_path) -> None:
    with workbook.session() as session:
        from dom_desk.domain.region import current_year

        session.add(Priority(year_id=current_year(session).id, number=1, title="NOMS"))
    path = _xlsx(tmp_path / "annex_c.xlsx", ANNEX_C, "Risk register")
    preview, summary = import_list(workbook, path, ListKind.RISKS)
    assert summary is not None and summary.added == 5
    assert preview.columns == {
        "priority": "A",
        "reference": "B",
        "description": "C",
        "likelihood": "D",
        "impact": "E",
        "score": "F",
    }
    assert preview.counts()[RowStatus.HEADER] == 2
    # Priority 2 and "OTH" are not priorities in this workbook: warned, not refused.
    assert len(preview.warnings) == 3
    assert "cell A11" in preview.warnings[0]
    with workbook.session() as session:
        risks = {r.reference: r for r in session.scalars(select(Risk))}
        assert (risks["3"].likelihood, risks["3"].impact) == (Level.VH, Level.VH)
        assert risks["7"].priority.number == 1 and risks["19"].priority is None


def test_a_dry_run_previews_and_writes_nothing(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "annex_c.xlsx", ANNEX_C)
    preview, summary = import_list(workbook, path, ListKind.RISKS, dry_run=True)
    assert summary is None and len(preview.records) == 5
    assert _count(workbook, Risk) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((4, 3, "Probable"), "cell D5: 'Probable' is not a rating"),
        ((4, 2, None), "cell C5: Risk Descriptions is empty"),
        ((5, 1, 7), "cell B6: reference 7 is also used on row 5"),
    ],
)
def test_any_bad_row_refuses_the_whole_list_naming_the_cell(
    workbook, tmp_path, change, message
) -> None:
    rows = [list(r) for r in ANNEX_C]
    row, column, value = change
    rows[row] = rows[row] + [None] * (6 - len(rows[row]))
    rows[row][column] = value
    path = _xlsx(tmp_path / "bad.xlsx", rows, "Risks")
    with pytest.raises(ValidationError) as refused:
        import_list(workbook, path, ListKind.RISKS)
    assert f"bad.xlsx, sheet 'Risks', {message}" in str(refused.value)
    assert "nothing was imported" in str(refused.value)
    assert _count(workbook, Risk) == 0


def test_a_refused_reimport_leaves_earlier_imports_as_they_were(workbook, tmp_path) -> None:
    import_list(workbook, _xlsx(tmp_path / "good.xlsx", ANNEX_C), ListKind.RISKS)
    rows = [list(r) for r in ANNEX_C]
    rows[4][3] = "H"  # would update risk 7 ...
    rows[10][4] = "?"  # ... but risk 2 is wrong, so nothing changes
    with pytest.raises(ValidationError):
        import_list(workbook, _xlsx(tmp_path / "bad.xlsx", rows), ListKind.RISKS)
    with workbook.session() as session:
        seven = session.scalars(select(Risk).where(Risk.reference == "7")).one()
        assert seven.likelihood is Level.M


def test_files_without_a_header_or_not_xlsx_are_refused_clearly(workbook, tmp_path) -> None:
    with pytest.raises(ValidationError, match="no header row naming Milestone, Delivery date"):
        import_list(workbook, _xlsx(tmp_path / "empty.xlsx", [["Hello"]]), ListKind.MILESTONES)
    text = tmp_path / "notes.xlsx"
    text.write_text("not a spreadsheet")
    # The sentence every spreadsheet reader shares (readers/containers.py).
    with pytest.raises(Exception, match="'notes.xlsx' is not an Excel workbook"):
        import_list(workbook, text, ListKind.MILESTONES)
    with pytest.raises(Exception, match="has no sheet 'Nope'"):
        import_list(
            workbook, _xlsx(tmp_path / "b.xlsx", ANNEX_B), ListKind.MILESTONES, sheet="Nope"
        )


def test_a_reimport_keeps_what_the_sheet_does_not_mention(workbook, tmp_path) -> None:
    import_list(workbook, _xlsx(tmp_path / "a.xlsx", ANNEX_C), ListKind.RISKS)
    with workbook.session() as session:
        seven = session.scalars(select(Risk).where(Risk.reference == "7")).one()
        seven.owner, seven.mitigations = "Regional lead", "Programme board"
    slim = [
        ["Risk Ref No", "Risk Descriptions", "Likelihood", "Impact"],
        [7, "Lack of programme management", "L", "M"],
    ]
    preview, summary = import_list(workbook, _xlsx(tmp_path / "b.xlsx", slim), ListKind.RISKS)
    assert summary is not None and summary.updated == 1
    with workbook.session() as session:
        seven = session.scalars(select(Risk).where(Risk.reference == "7")).one()
        assert (seven.owner, seven.mitigations, seven.likelihood) == (
            "Regional lead",
            "Programme board",
            Level.L,
        )


def test_a_milestone_listed_twice_without_references_is_refused_not_merged(
    workbook, tmp_path
) -> None:
    # Known only by their titles, the second row would overwrite the first on import
    # (the empty row of ANNEX_B adds no sheet row: the repeat lands on row 12)
    # while the preview counted two new milestones.
    rows = [*ANNEX_B, ["Approved Premises investment expansion", "March 2021"]]
    path = _xlsx(tmp_path / "twice.xlsx", rows, "Milestones")
    with pytest.raises(
        ValidationError,
        match=r"twice.xlsx, sheet 'Milestones', cell A12: "
        r"the same milestone is also on row 10",
    ):
        import_list(workbook, path, ListKind.MILESTONES)
    assert _count(workbook, Milestone) == 0


# -- hostile files: the checks every spreadsheet reader shares ------------------------------


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    import shutil

    copy = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    return copy


def _declared_bomb(path: Path, declared: int) -> Path:
    """A small xlsx whose sheet says it inflates to ``declared`` bytes (what a zip bomb
    declares: the checks read the sizes, never the data)."""
    zip_of(
        path,
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet/>",
        },
    )
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02", data.index(b"xl/worksheets/sheet1.xml") - 46)
    while data[central + 46 : central + 46 + 24] != b"xl/worksheets/sheet1.xml":
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def _refused_by_import_list(db: Path, path: Path, capsys, *expected: str) -> None:
    from dom_desk.cli import main

    before = _milestones_in(db)
    assert main(["import-list", "milestones", "--db", str(db), str(path)]) == 1
    err = capsys.readouterr().err
    assert path.name in err and "Traceback" not in err, err
    for part in expected:
        assert part in err, err
    assert _milestones_in(db) == before


def _milestones_in(db: Path) -> int:
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(db)
    try:
        return _count(wb, Milestone)
    finally:
        wb.close()


def test_a_zip_bomb_list_is_refused_before_it_is_inflated(db, tmp_path, capsys) -> None:
    import tracemalloc

    bomb = zip_of(
        tmp_path / "bomb.xlsx",
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * (8 * 1024 * 1024),
        },
    )
    assert bomb.stat().st_size < 100_000
    tracemalloc.start()
    try:
        _refused_by_import_list(db, bomb, capsys, "zip bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # the sheet's 8 MB were never inflated


def test_a_list_declaring_a_huge_size_is_refused_from_its_sizes(db, tmp_path, capsys) -> None:
    bomb = _declared_bomb(tmp_path / "huge.xlsx", 1_300_000_000)
    _refused_by_import_list(db, bomb, capsys, "would expand to", "zip bomb")


def test_xml_entities_in_a_list_are_refused(db, tmp_path, capsys) -> None:
    good = _xlsx(tmp_path / "good.xlsx", ANNEX_B)
    hostile = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                    + data.split(b"?>", 1)[-1]
                )
            target.writestr(item, data)
    _refused_by_import_list(db, hostile, capsys, "XML entity definitions")


@pytest.mark.parametrize("kind", list(FOREIGN))
def test_files_that_are_not_workbooks_are_refused_by_import_list(
    db, tmp_path, capsys, kind
) -> None:
    make, expected = FOREIGN[kind]
    _refused_by_import_list(db, make(tmp_path), capsys, expected)
