"""Agreements with their service lines from a spreadsheet (issue 13, item 8): one row per
line, rows of the same title one agreement, created as the New Agreement form creates
one (with its allocation row); held ones updated by title and their lines by service;
locked ones refused; every refusal names file, sheet and cell and writes nothing; a
second import changes nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from negotiation_data import build, pounds
from openpyxl import load_workbook
from sqlalchemy import select
from test_list_import_kinds import _dump, _xlsx

from dom_desk.cli import main
from dom_desk.domain import sla
from dom_desk.domain.lists_import import ListKind, RowStatus, import_list, preview_list
from dom_desk.domain.records.creating import create_contract
from dom_desk.domain.region import ensure_year
from dom_desk.errors import ValidationError
from dom_desk.models import Agreement, AgreementKind, AgreementStatus, Allocation, ServiceLine

HEADER = [
    "Agreement",
    "Provider",
    "Type",
    "Reference",
    "Start",
    "End",
    "Annual value (£)",
    "Service",
    "Volume",
    "Unit price (£)",
]

#: The negotiation region's Kennet SLA as held, a new SLA for Risley's neighbour Kennet
#: has none of, and a new contract with two lines, the agreement columns on one row.
ROWS = [
    HEADER,
    ["HMP Kennet SLA 2009-10", "HMP Kennet", "SLA", "", "", "", "", "Custody places", 30, 22000],
    ["HMP Kennet SLA 2009-10", "", "", "", "", "", "", "Drug treatment in custody", 100, 1100],
    [
        "Nacro advice contract",
        "Nacro",
        "Contract",
        "NW/2009/14",
        "01/04/2009",
        date(2012, 3, 31),
        "£87,500",
        "Resettlement advice",
        200,
        "437.50",
    ],
    ["Nacro advice contract", None, None, None, None, None, None, "Custody places", 0, 0],
    ["HMP Kennet drugs SLA 2009-10", "Kennet", None, None, None, None, None, None, None, None],
]


def _agreements(wb) -> dict[str, tuple]:
    with wb.session() as session:
        return {
            a.title: (
                a.provider.name,
                a.kind,
                a.year.label if a.year else None,
                a.reference,
                a.start,
                a.end,
                a.annual_value,
                sorted((ln.service.name, ln.volume, ln.unit_price) for ln in a.lines),
            )
            for a in session.scalars(select(Agreement))
        }


@pytest.fixture
def region(workbook):
    build(workbook)
    with workbook.session() as session:
        kennet = session.scalars(select(Agreement).where(Agreement.title.like("HMP Kennet%")))
        kennet.one().provider.aliases = "Kennet"
    return workbook


def test_rows_group_into_agreements_created_with_allocations_and_again_change_nothing(
    region, tmp_path
) -> None:
    path = _xlsx(tmp_path / "agreements.xlsx", ROWS)
    preview, summary = import_list(region, path, ListKind.AGREEMENTS)
    statuses = [r.status for r in preview.rows]
    assert statuses == [
        RowStatus.UNCHANGED,  # Kennet's SLA and lines as held
        RowStatus.UNCHANGED,
        RowStatus.NEW,
        RowStatus.NEW,
        RowStatus.NEW,
    ]
    assert summary is not None and (summary.added, summary.updated) == (3, 0)
    held = _agreements(region)
    assert held["Nacro advice contract"] == (
        "Nacro",
        AgreementKind.CONTRACT,
        None,
        "NW/2009/14",
        date(2009, 4, 1),
        date(2012, 3, 31),
        pounds(87_500),
        [("Custody places", 0, 0), ("Resettlement advice", 200, 43_750)],
    )
    # A row without a service is an agreement with no lines; Kennet's type by its sector.
    assert held["HMP Kennet drugs SLA 2009-10"][:3] == ("HMP Kennet", AgreementKind.SLA, "2009-10")
    assert held["HMP Kennet drugs SLA 2009-10"][-1] == []
    with region.session() as session:
        new = session.scalars(select(Agreement).where(Agreement.title.like("%advice%"))).one()
        allocations = session.scalars(
            select(Allocation).where(Allocation.agreement_id == new.id)
        ).all()
        assert [(a.year.label, a.baseline, a.service_line_id) for a in allocations] == [
            ("2009-10", 0, None)
        ]
        assert new.status is AgreementStatus.DRAFT
    ws = sla.workspace(region, "Nacro", agreement_id=new.id)
    assert ws.value == 200 * 43_750

    before = _dump(region)
    preview, summary = import_list(region, path, ListKind.AGREEMENTS)
    assert summary is not None and (summary.added, summary.updated) == (0, 0)
    assert {r.status for r in preview.rows} == {RowStatus.UNCHANGED}
    assert _dump(region) == before


def test_a_held_agreement_and_its_lines_are_updated_where_they_differ(region, tmp_path) -> None:
    rows = [
        HEADER,
        [
            "hmp kennet sla 2009-10",
            "HMP Kennet",
            "",
            "SLA/14",
            "",
            "",
            "",
            "Custody places",
            32,
            "",
        ],
        ["HMP Kennet SLA 2009-10", "", "", "", "", "", "", "Resettlement advice", 10, 350],
    ]
    with region.session() as session:
        drugs = session.scalars(
            select(ServiceLine).where(ServiceLine.volume == 100)
        ).one()  # Kennet's drug treatment line, not in the file
        drugs_version = drugs.row_version
    path = _xlsx(tmp_path / "kennet.xlsx", rows)
    preview = preview_list(region, path, ListKind.AGREEMENTS)
    assert [(r.status, r.changed) for r in preview.rows] == [
        (RowStatus.UPDATE, ("reference", "volume")),
        (RowStatus.NEW, ()),
    ]
    _, summary = import_list(region, path, ListKind.AGREEMENTS)
    assert summary is not None and (summary.added, summary.updated) == (1, 1)
    kennet = _agreements(region)["HMP Kennet SLA 2009-10"]
    assert kennet[3] == "SLA/14"
    # The unit price cell was empty: kept as held; the line not in the file is left alone.
    assert kennet[-1] == [
        ("Custody places", 32, pounds(22_000)),
        ("Drug treatment in custody", 100, pounds(1_100)),
        ("Resettlement advice", 10, pounds(350)),
    ]
    with region.session() as session:
        assert session.get(ServiceLine, drugs.id).row_version == drugs_version
        assert len(session.scalars(select(Agreement)).all()) == 3


def test_headers_are_forgiving_and_money_takes_the_headers_unit(region, tmp_path) -> None:
    rows = [
        ["UNIT  PRICE (£k)", "service", "VOLUME", "Annual Value (£m)", "provider", "TITLE"],
        [1.25, "Resettlement advice", 40, 0.25, "Nacro", "Nacro mentoring contract"],
    ]
    import_list(region, _xlsx(tmp_path / "h.xlsx", rows), ListKind.AGREEMENTS)
    held = _agreements(region)["Nacro mentoring contract"]
    assert held[1] is AgreementKind.CONTRACT  # a third-sector provider's default
    assert held[6] == pounds(250_000)
    assert held[-1] == [("Resettlement advice", 40, pounds(1_250))]


def test_a_contract_is_the_same_contract_in_another_year(region, tmp_path) -> None:
    with region.session() as session:
        ensure_year(session, "2010-11")
    rows = [
        HEADER,
        ["Nacro resettlement contract", "Nacro", "Contract"]
        + [None] * 4
        + [
            "Resettlement advice",
            260,
            360,
        ],
    ]
    _, summary = import_list(
        region, _xlsx(tmp_path / "c.xlsx", rows), ListKind.AGREEMENTS, year_label="2010-11"
    )
    assert summary is not None and (summary.added, summary.updated) == (1, 0)
    with region.session() as session:
        contract = session.scalars(
            select(Agreement).where(Agreement.title == "Nacro resettlement contract")
        ).one()
        assert sorted((ln.year.label, ln.volume) for ln in contract.lines) == [
            ("2009-10", 250),
            ("2010-11", 260),
        ]


def _row(**cells) -> list:
    values = dict.fromkeys(HEADER)
    values.update({"Agreement": "Nacro advice contract", "Provider": "Nacro"})
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return [values[h] for h in HEADER]


@pytest.mark.parametrize(
    ("second", "cell", "reason"),
    [
        (_row(Service="Tagging"), "H3", "'Tagging' is not a service in the Directory"),
        (_row(Service="Custody place"), "H3", "nearest is 'Custody places'"),
        (_row(Service="Custody places", Volume=-1), "I3", "below 0"),
        (_row(Service="Custody places", Volume=2.5), "I3", "not a whole number"),
        (_row(Service="Custody places", Volume=1, **{"Unit price (£)": "1.001"}), "J3", "penny"),
        (_row(Service="Custody places", **{"Unit price (£)": "-5"}), "J3", "below £0"),
        (_row(Volume=3), "I3", "needs a Service"),
        (_row(Service="Resettlement advice"), "H3", "service line 'Nacro advice contract, Res"),
        (_row(Provider="HMP Kennet"), "B3", "is with Nacro on row 2, not HMP Kennet"),
        (_row(Provider="Nacr0 UK"), "B3", "not a registered provider"),
        (_row(Type="SLA"), "C3", "is a Contract on row 2"),
        (_row(Type="Grant"), "C3", "'Grant' is not one of: SLA, Contract"),
        (_row(Reference="NW/15"), "D3", "has reference NW/14 on row 2"),
        (_row(End="31/03/2008"), "F3", "cannot end before it starts"),
        (_row(Start="31/02/2009"), "E3", "'31/02/2009' is not a date"),
        (_row(Agreement="Leeds SLA", Provider=None), "B3", "Provider is empty"),
        (_row(Agreement="x" * 201), "A3", "longer than 200 characters"),
        (
            _row(Agreement="HMP Risley SLA 2009-10", Type="SLA"),
            "B3",
            "the SLA 'HMP Risley SLA 2009-10' for 2009-10 is with HMP Risley, not Nacro",
        ),
        (
            _row(
                Agreement="HMP Risley SLA 2009-10",
                Provider="HMP Risley",
                Service="Custody places",
                Volume=21,
            ),
            "row 3",
            "'HMP Risley SLA 2009-10' is signed and locked against edits; unlock it first",
        ),
    ],
)
def test_each_refusal_names_the_cell_and_nothing_is_written(
    region, tmp_path, second, cell, reason
) -> None:
    first = _row(Reference="NW/14", Start="01/04/2009", Service="Resettlement advice", Volume=1)
    path = _xlsx(tmp_path / "bad.xlsx", [HEADER, first, second])
    before = _dump(region)
    preview = preview_list(region, path, ListKind.AGREEMENTS)
    assert preview.rows[0].status is RowStatus.NEW and not preview.rows[0].errors
    assert len(preview.errors) == 1, preview.errors
    where = cell if cell.startswith("row") else f"cell {cell}"
    assert preview.errors[0].startswith(f"bad.xlsx, sheet 'List', {where}: ")
    assert re.search(re.escape(reason), preview.errors[0])
    with pytest.raises(ValidationError, match="nothing was imported"):
        import_list(region, path, ListKind.AGREEMENTS)
    assert _dump(region) == before


def test_a_signed_sla_as_held_imports_unchanged(region, tmp_path) -> None:
    rows = [
        HEADER,
        ["HMP Risley SLA 2009-10", "HMP Risley", "SLA"]
        + [None] * 4
        + ["Custody places", 20, 22000],
    ]
    preview, summary = import_list(region, _xlsx(tmp_path / "r.xlsx", rows), ListKind.AGREEMENTS)
    assert summary is not None and (summary.added, summary.updated) == (0, 0)
    assert [r.status for r in preview.rows] == [RowStatus.UNCHANGED]


def test_the_command_line_imports_agreements_from_its_template(region, tmp_path, capsys) -> None:
    template = tmp_path / "agreements.xlsx"
    assert main(["import-list", "agreements", "--template", str(template)]) == 0
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["Agreement *", "Provider *", "Type"]
    sheet.append(["HMP Risley SLA 2010-11", "HMP Risley", "SLA", "", None, None, 440000])
    book.save(template)
    db = str(region.location)
    region.close()
    assert main(["import-list", "agreements", "--db", db, str(template), "--dry-run"]) == 0
    assert main(["import-list", "agreements", "--db", db, str(template)]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main(["import-list", "agreements", "--db", db, str(template)]) == 0
    assert "0 new and 0 updated agreements, 1 unchanged" in capsys.readouterr().out


def test_a_held_title_keeps_its_type_and_provider_when_the_row_leaves_them_out(
    region, tmp_path
) -> None:
    with region.session() as session:
        kennet_id = session.scalars(select(Agreement.provider_id).where(Agreement.id == 1)).one()
    create_contract(region, kennet_id, "Kennet education contract")
    rows = [
        ["Agreement", "Provider", "Service", "Volume", "Unit price (£)"],
        ["Kennet education contract", None, "Resettlement advice", 12, 300],
        ["HMP Kennet SLA 2009-10", "", "Custody places", 31, 22000],
    ]
    preview, _ = import_list(region, _xlsx(tmp_path / "k.xlsx", rows), ListKind.AGREEMENTS)
    assert [(r.status, r.changed) for r in preview.rows] == [
        (RowStatus.NEW, ()),
        (RowStatus.UPDATE, ("volume",)),
    ]
    held = _agreements(region)
    # A public-sector provider's contract stays a contract: no SLA of the same title.
    assert held["Kennet education contract"][1] is AgreementKind.CONTRACT
    assert held["Kennet education contract"][-1] == [("Resettlement advice", 12, pounds(300))]
    assert held["HMP Kennet SLA 2009-10"][-1][0] == ("Custody places", 31, pounds(22_000))
    assert len(held) == 4


def test_an_agreements_allocation_for_the_year_comes_from_its_columns(region, tmp_path) -> None:
    """A region starting from its spreadsheets has its baselines beside its agreements:
    stated on any one of an agreement's rows, they are its allocation for the year."""
    rows = [
        [*HEADER[:2], "Service", "Volume", "Unit price (£)", "Baseline (£m)", "Provisional (£)"],
        ["Nacro advice contract", "Nacro", "Resettlement advice", 200, 437.5, 0.09, None],
        ["Nacro advice contract", None, "Custody places", 0, 0, None, "£91,250"],
    ]
    path = _xlsx(tmp_path / "agreements.xlsx", rows)
    import_list(region, path, ListKind.AGREEMENTS)

    def allocation() -> tuple:
        with region.session() as session:
            contract = session.scalars(
                select(Agreement).where(Agreement.title == "Nacro advice contract")
            )
            found = session.scalars(
                select(Allocation).where(Allocation.agreement_id == contract.one().id)
            ).one()
            return found.baseline, found.provisional, found.agreed

    assert allocation() == (pounds(90_000), pounds(91_250), None)
    before = _dump(region)
    preview, summary = import_list(region, path, ListKind.AGREEMENTS)
    assert {r.status for r in preview.rows} == {RowStatus.UNCHANGED}
    assert _dump(region) == before
    # A changed baseline is an update of the agreement's row, said by its column's title.
    rows[1][5] = 0.095
    preview, _ = import_list(region, _xlsx(tmp_path / "again.xlsx", rows), ListKind.AGREEMENTS)
    assert preview.rows[0].status is RowStatus.UPDATE
    assert preview.rows[0].changed == ("baseline",)
    assert allocation()[0] == pounds(95_000)
