"""Issue 13 as it is judged: a Wales workbook set up from nothing on the command line,
from a shipped framework and spreadsheets built from the seeds' own tables, then SLAs
with service lines and targets, a return filled in and imported, and the plan exported
showing Wales' own priorities, targets and envelope groups with the printed-total note."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pdf_reading import page_count, raw_text
from test_list_import_kinds import _dump, _xlsx

from dom_desk.cli import main

#: Seed 004's Annex A as printed: 13 lines with a central adjustment in brackets, a
#: bold total of 3,819 whose rows add to 3,820, and a footnote on HMPPS Wales.
ANNEX_A = [
    ["Directorate", "2009-10 £m"],
    ["Public Sector Prisons", "1,635"],
    ["Custodial Contracts", "819"],
    ["Youth Custody Services", "138"],
    ["Security, Order and Counter-Terrorism", "27"],
    ["Prison Estate Transformation", "17"],
    ["National Probation Service", "454"],
    ["Community Interventions", "373"],
    ["HMPPS Wales*", "199"],
    ["Electronic Monitoring", "87"],
    ["Rehabilitation and Assurance", "32"],
    ["Human Resources", "82"],
    ["Chief Executive Office", "2"],
    ["Centrally Managed", "(45)"],
    ["Total Fiscal Resource Departmental Expenditure Limit", "3,819"],
    ["*In addition to HMPPS Wales budget, funding is also received from Welsh Government."],
]


def _run(*args: object) -> None:
    assert main([str(a) for a in args]) == 0, args


def test_wales_is_set_up_from_nothing_and_publishes_its_own_plan(tmp_path, capsys) -> None:
    db = tmp_path / "wales.domdesk"
    _run("new", "--region", "Wales", "--year", "2009-10", db)
    _run("import-framework", "--db", db, "--year", "2009-10", "NOMS 2009-10")
    lists = {
        "providers": [
            ["Name", "Kind", "Sector", "Operator", "Capacity (places)"],
            ["HMP Cardiff", "Public prison", "Public", "", 770],
            ["HMP Parc", "Contracted prison", "Private", "G4S", 1170],
            ["Wales Probation Trust", "Probation Trust", "Public", "", None],
        ],
        "services": [
            ["Service", "Pathway", "Unit", "Target unit cost (£k)"],
            ["Custody places", "", "place", 30],
            ["Accredited programmes", "Attitudes, thinking and behaviour", "completion", 2.5],
        ],
        # Seed 001's priorities, as its Annex B numbers them.
        "priorities": [
            ["No.", "Priority", "Rationale"],
            [1, "Contribute to Building an Excellent NOMS", "Staff and data"],
            [2, "Protecting the Public from Harm", "Risk of harm assessments"],
        ],
        "agreements": [
            ["Agreement", "Provider", "Service", "Volume", "Unit price (£)", "Baseline (£m)"],
            ["HMP Cardiff SLA 2009-10", "HMP Cardiff", "Custody places", 770, 31000, 23.87],
            [
                "Wales Probation SLA 2009-10",
                "Wales Probation Trust",
                "Accredited programmes",
                900,
                2600,
                2.34,
            ],
        ],
    }
    for kind, rows in lists.items():
        _run(
            "import-list",
            kind,
            "--db",
            db,
            "--year",
            "2009-10",
            _xlsx(tmp_path / f"{kind}.xlsx", rows),
        )
    _run(
        "import-list",
        "envelope",
        "--db",
        db,
        "--year",
        "2009-10",
        _xlsx(tmp_path / "annex.xlsx", ANNEX_A),
    )
    _run("fill-targets", "--db", db, "--year", "2009-10")
    targets = [["Provider", "Measure code", "Target 2009-10"], ["HMP Cardiff", "kpi 6", "9.3%"]]
    _run("import-list", "targets", "--db", db, _xlsx(tmp_path / "targets.xlsx", targets))

    # A bad spreadsheet is refused by sentence, and the workbook is as it was.
    before = _dump_of(db)
    bad = [
        ["Name", "Kind", "Sector", "Capacity (places)"],
        ["HMP Usk", "Public prison", "Public", "many"],
    ]
    assert (
        main(["import-list", "providers", "--db", str(db), str(_xlsx(tmp_path / "bad.xlsx", bad))])
        == 1
    )
    assert "bad.xlsx, sheet 'List', cell D2" in capsys.readouterr().err
    assert _dump_of(db) == before

    # A return template made, filled in by the provider and imported.
    out = tmp_path / "returns"
    _run(
        "template",
        "--db",
        db,
        "--period",
        "2009-10-Q1",
        "--provider",
        "HMP Cardiff",
        "--out-dir",
        out,
    )
    (template,) = out.glob("*.xlsx")
    book = load_workbook(template)
    sheet = book["Return"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == "KPI 6":
            sheet.cell(row, 5).value = 8.1
    book.save(template)
    _run("import", "--db", db, template)

    plan = tmp_path / "plan.pdf"
    _run("plan", "--db", db, "--year", "2009-10", "-o", plan, "--quiet")
    text = " ".join(raw_text(plan, page) for page in range(page_count(plan)))
    for printed in (
        "Wales Regional Commissioning Plan 2009-10",
        "Protecting the Public from Harm",  # Wales' own priorities
        "Fiscal Resource Departmental Expenditure Limit",  # the envelope's group
        "-£45,000,000",  # the central adjustment
        "printed £3,819m; rows add to £3,820m",  # the printed-total note
        "HMP Cardiff",
        "9.3%",  # the target imported for KPI 6
    ):
        assert printed in text, printed
    assert "North West" not in text


def _dump_of(db: Path) -> list:
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(db, read_only=True)
    try:
        return _dump(wb)
    finally:
        wb.close()
