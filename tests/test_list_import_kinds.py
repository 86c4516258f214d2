"""Providers, services, measures and priorities from spreadsheets (issue 13, item 8):
forgiving headers, refusals that name the cell, nothing stored unless the whole file is
good, and a second import that changes nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook as Xlsx
from sqlalchemy import select

from dom_desk.domain.lists_import import ListKind, RowStatus, import_list, preview_list
from dom_desk.domain.measures import all_measures
from dom_desk.errors import ValidationError
from dom_desk.models import Pathway, Priority, Provider, ProviderKind, Sector, Service

#: Seed 001, Annex B: the NPS priorities for 2005-06, as the plan numbers them.
ANNEX_B_PRIORITIES = [
    ["Priority no", "Priority"],
    [1, "Contribute to Building an Excellent NOMS"],
    [2, "Protecting the Public from Harm"],
    [3, "Protecting the Public from Prolific Offenders"],
    [4, "Implementing the 2003 Criminal Justice Act"],
    [5, "Implementing the National Action Plan on Reducing Re-offending"],
]

#: Seed 001, Annex B: some of its targets, PT 9 in its two parts, with the weightings.
ANNEX_B_MEASURES = [
    ["code", "PART", "Target wording", "Unit", "Direction", "Weighting", "National value"],
    [
        "PT 14",
        None,
        "95% of race and ethnic monitoring data on staff and offenders is returned on time",
        "%",
        "Higher is better",
        10,
        95,
    ],
    [
        "PT 5",
        None,
        "90% of reports provided within the timescale required by the court",
        "%",
        "Higher is better",
        10,
        90,
    ],
    ["PT 9", None, "Basic Skills starts and awards", "count", "Higher is better", None, None],
    [None, "(a)", "40,000 Basic Skills starts", None, None, None, 40000],
    [None, "(b)", "8,033 Basic Skills awards", None, None, None, 8033],
]

PROVIDERS = [
    ["Provider", "Type", "Sector", "Operator", "Places", "Aliases"],
    ["HMP Leeds", "Public prison", "Public", "", 1000, "Leeds; Armley"],
    ["HMP Doncaster", "Contracted prison", "Private", "Serco", 1100, ""],
    ["West Yorkshire Probation Trust", "Probation Trust", "Public", "", None, ""],
]

SERVICES = [
    ["Service name", "Pathway", "Unit", "Target unit cost (£k)"],
    ["Approved premises bed", "Accommodation", "place", 12.5],
    ["Basic skills course", "Education, training and employment", "completion", "1.25"],
]


def _xlsx(path: Path, rows: list[list], title: str = "List") -> Path:
    book = Xlsx()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _dump(wb) -> list:
    """Every row of every table (the audit trail included), to compare before and after."""
    from sqlalchemy import inspect, text

    with wb.engine.connect() as db:  # the file's tables, or the server region's
        tables = sorted(inspect(db).get_table_names())
        return [(t, sorted(map(repr, db.execute(text(f'SELECT * FROM "{t}"'))))) for t in tables]


def test_providers_import_and_a_second_import_changes_nothing(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "providers.xlsx", PROVIDERS)
    preview, summary = import_list(workbook, path, ListKind.PROVIDERS)
    assert summary is not None and (summary.added, summary.updated) == (3, 0)
    with workbook.session() as session:
        leeds = session.scalars(select(Provider).where(Provider.name == "HMP Leeds")).one()
        assert (leeds.kind, leeds.sector, leeds.capacity) == (
            ProviderKind.PUBLIC_PRISON,
            Sector.PUBLIC,
            1000,
        )
        assert leeds.aliases == "Leeds\nArmley"
    before = _dump(workbook)
    preview, summary = import_list(workbook, path, ListKind.PROVIDERS)
    assert summary is not None and (summary.added, summary.updated) == (0, 0)
    assert {r.status for r in preview.rows} == {RowStatus.UNCHANGED}
    assert _dump(workbook) == before


def test_a_changed_provider_is_updated_in_the_fields_that_differ(workbook, tmp_path) -> None:
    import_list(workbook, _xlsx(tmp_path / "a.xlsx", PROVIDERS), ListKind.PROVIDERS)
    changed = [row[:] for row in PROVIDERS]
    changed[2][4] = 1200
    changed[2][0] = "hmp doncaster"  # a name matches whatever its case
    preview = preview_list(workbook, _xlsx(tmp_path / "b.xlsx", changed), ListKind.PROVIDERS)
    doncaster = preview.rows[1]
    assert doncaster.status is RowStatus.UPDATE and doncaster.changed == ("capacity (places)",)
    _, summary = import_list(workbook, tmp_path / "b.xlsx", ListKind.PROVIDERS)
    assert summary is not None and (summary.added, summary.updated) == (0, 1)
    with workbook.session() as session:
        assert (
            session.scalars(
                select(Provider.capacity).where(Provider.kind == ProviderKind.CONTRACTED_PRISON)
            ).one()
            == 1200
        )
        assert len(session.scalars(select(Provider)).all()) == 3


def test_services_money_takes_the_unit_the_header_states(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "services.xlsx", SERVICES)
    import_list(workbook, path, ListKind.SERVICES)
    with workbook.session() as session:
        held = {s.name: s for s in session.scalars(select(Service))}
    assert held["Approved premises bed"].target_unit_cost == 1_250_000  # £12.5k, in pence
    assert held["Basic skills course"].target_unit_cost == 125_000
    assert held["Basic skills course"].pathway is Pathway.ETE


@pytest.mark.parametrize(
    ("header", "value", "pence"),
    [
        ("Amount (£m)", 1.5, 150_000_000),
        ("Target Unit Cost (£m)", "1.5", 150_000_000),
        ("target unit cost £", "£1,234.56", 123_456),
        ("  TARGET   unit cost ", "2.5k", 250_000),
        ("Unit cost (£000s)", 7, 700_000),
    ],
)
def test_money_headers_are_read_forgivingly(workbook, tmp_path, header, value, pence) -> None:
    if header.startswith("Amount"):
        header = header.replace("Amount", "Unit cost")
    rows = [["SERVICE", header], ["Hostel place", value]]
    preview = preview_list(workbook, _xlsx(tmp_path / "s.xlsx", rows), ListKind.SERVICES)
    assert not preview.errors
    assert preview.rows[0].values["target_unit_cost"] == pence


def test_a_text_in_a_money_column_is_refused_naming_file_sheet_and_cell(workbook, tmp_path) -> None:
    rows = [row[:] for row in SERVICES]
    rows[2][3] = "about a grand"
    path = _xlsx(tmp_path / "services.xlsx", rows, "Directory")
    before = _dump(workbook)
    with pytest.raises(ValidationError) as refused:
        import_list(workbook, path, ListKind.SERVICES)
    assert (
        "services.xlsx, sheet 'Directory', cell D3: 'about a grand' is not an amount of money"
        in str(refused.value)
    )
    assert "nothing was imported" in str(refused.value)
    assert _dump(workbook) == before  # the good first row was not stored either


def test_a_duplicate_name_is_refused_naming_both_rows(workbook, tmp_path) -> None:
    rows = [*PROVIDERS, ["hmp  leeds", "Public prison", "Public", "", 900, ""]]
    preview = preview_list(workbook, _xlsx(tmp_path / "p.xlsx", rows), ListKind.PROVIDERS)
    assert preview.errors == [
        "p.xlsx, sheet 'List', cell A5: provider 'hmp leeds' is also on row 2"
    ]
    assert preview.rows[-1].status is RowStatus.ERROR


def test_a_choice_not_in_the_list_is_refused_with_the_words_it_takes(workbook, tmp_path) -> None:
    rows = [PROVIDERS[0], ["HMP Leeds", "Prison", "Public", "", 1000, ""]]
    preview = preview_list(workbook, _xlsx(tmp_path / "p.xlsx", rows), ListKind.PROVIDERS)
    (error,) = preview.errors
    assert error.startswith("p.xlsx, sheet 'List', cell B2: 'Prison' is not one of: Public prison")


def test_wrong_headers_are_refused_naming_the_columns_wanted(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "p.xlsx", [["Who", "What"], ["HMP Leeds", "prison"]])
    before = _dump(workbook)
    with pytest.raises(ValidationError, match=r"p\.xlsx: no header row naming Name, Kind, Sector"):
        import_list(workbook, path, ListKind.PROVIDERS)
    assert _dump(workbook) == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(workbook, tmp_path) -> None:
    path = tmp_path / "providers.xlsx"
    path.write_text("Name,Kind,Sector\nHMP Leeds,Public prison,Public\n")
    before = _dump(workbook)
    with pytest.raises(ValidationError, match="providers.xlsx"):
        import_list(workbook, path, ListKind.SERVICES)
    assert _dump(workbook) == before


def test_a_dry_run_writes_nothing(workbook, tmp_path) -> None:
    before = _dump(workbook)
    preview, summary = import_list(
        workbook, _xlsx(tmp_path / "p.xlsx", PROVIDERS), ListKind.PROVIDERS, dry_run=True
    )
    assert summary is None and len(preview.records) == 3
    assert _dump(workbook) == before


def test_annex_b_priorities_import_into_the_year_and_update_by_number(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "priorities.xlsx", ANNEX_B_PRIORITIES)
    _, summary = import_list(workbook, path, ListKind.PRIORITIES, year_label="2009-10")
    assert summary is not None and summary.added == 5
    rows = [row[:] for row in ANNEX_B_PRIORITIES]
    rows[2][1] = "Protecting the public from harm"
    _, summary = import_list(
        workbook, _xlsx(tmp_path / "p2.xlsx", rows), ListKind.PRIORITIES, year_label="2009-10"
    )
    assert summary is not None and (summary.added, summary.updated) == (0, 1)
    with workbook.session() as session:
        titles = session.scalars(select(Priority.title).order_by(Priority.number)).all()
    assert titles[1] == "Protecting the public from harm" and len(titles) == 5


def test_a_duplicate_priority_number_is_refused_naming_both_rows(workbook, tmp_path) -> None:
    rows = [*ANNEX_B_PRIORITIES, [3, "Reducing re-offending"]]
    preview = preview_list(workbook, _xlsx(tmp_path / "p.xlsx", rows), ListKind.PRIORITIES)
    assert preview.errors == ["p.xlsx, sheet 'List', cell A7: priority '3' is also on row 4"]


def test_annex_b_measures_import_with_parts_and_again_change_nothing(workbook, tmp_path) -> None:
    path = _xlsx(tmp_path / "annex-b.xlsx", ANNEX_B_MEASURES)
    preview, summary = import_list(workbook, path, ListKind.MEASURES, year_label="2009-10")
    assert summary is not None and summary.added == 3
    assert [r.status for r in preview.rows].count(RowStatus.PART) == 2
    measures = {m.code: m for m in all_measures(workbook)}
    assert measures["PT 14"].weighting == 10
    assert measures["PT 14"].national_value == Decimal(95)
    assert [p.label for p in measures["PT 9"].parts] == ["(a)", "(b)"]
    assert measures["PT 9"].parts[1].national_value == Decimal(8033)
    assert measures["PT 14"].years == ("2009-10",)
    before = _dump(workbook)
    preview, summary = import_list(workbook, path, ListKind.MEASURES, year_label="2009-10")
    assert summary is not None and (summary.added, summary.updated) == (0, 0)
    assert _dump(workbook) == before


def test_a_held_measure_is_updated_only_where_the_sheet_differs_and_says_so(
    workbook, tmp_path
) -> None:
    path = _xlsx(tmp_path / "annex-b.xlsx", ANNEX_B_MEASURES)
    import_list(workbook, path, ListKind.MEASURES, year_label="2009-10")
    rows = [row[:] for row in ANNEX_B_MEASURES]
    rows[1][5] = 12
    preview = preview_list(
        workbook, _xlsx(tmp_path / "b.xlsx", rows), ListKind.MEASURES, year_label="2009-10"
    )
    assert [(r.what, r.status, r.changed) for r in preview.rows[:2]] == [
        ("PT 14", RowStatus.UPDATE, ("weighting",)),
        ("PT 5", RowStatus.UNCHANGED, ()),
    ]


def test_measure_refusals_name_their_cells(workbook, tmp_path) -> None:
    rows = [row[:] for row in ANNEX_B_MEASURES]
    rows[2][0] = "pt14"  # the same code as PT 14, spaces and case aside
    rows[1][5] = "ten"
    rows.append([None, "(c)", "an orphan part", None, None, None, None])
    rows.insert(1, [None, "(z)", "a part before any measure", None, None, None, None])
    preview = preview_list(
        workbook, _xlsx(tmp_path / "m.xlsx", rows), ListKind.MEASURES, year_label="2009-10"
    )
    errors = preview.errors
    assert "m.xlsx, sheet 'List', cell B2: part (z) follows no row for its measure" in errors
    assert "m.xlsx, sheet 'List', cell F3: 'ten' is not a whole number" in errors
    assert "m.xlsx, sheet 'List', cell A4: measure code 'pt14' is also on row 3" in errors


def test_a_floor_on_a_measure_that_is_not_regional_minimum_is_refused(workbook, tmp_path) -> None:
    rows = [
        ["Code", "Wording", "Unit", "Guidance", "Floor"],
        ["PT 1", "Escapes", "count", "National", 3],
    ]
    preview = preview_list(workbook, _xlsx(tmp_path / "m.xlsx", rows), ListKind.MEASURES)
    assert preview.errors == [
        "m.xlsx, sheet 'List', cell E2: a floor is only for a Regional Minimum measure"
    ]


def test_a_kind_without_its_module_yet_is_refused_by_sentence(
    workbook, tmp_path, monkeypatch
) -> None:
    from dom_desk.domain import lists

    monkeypatch.setitem(lists.KIND_MODULES, ListKind.TARGETS, "dom_desk.domain.lists.not_here")
    with pytest.raises(ValidationError, match="importing targets .* not available"):
        preview_list(workbook, _xlsx(tmp_path / "t.xlsx", [["a", "b"]]), ListKind.TARGETS)


def test_a_years_column_links_held_years_and_refuses_others(workbook, tmp_path) -> None:
    from dom_desk.domain.region import ensure_year

    rows = [
        ["Code", "Wording", "Unit", "Years"],
        ["PT 1", "Escapes", "count", "2010-11"],
    ]
    path = _xlsx(tmp_path / "m.xlsx", rows)
    preview = preview_list(workbook, path, ListKind.MEASURES, year_label="2009-10")
    assert preview.errors == [
        "m.xlsx, sheet 'List', cell D2: the workbook holds no financial year 2010-11"
    ]
    with workbook.session() as session:
        ensure_year(session, "2010-11")
    import_list(workbook, path, ListKind.MEASURES, year_label="2009-10")
    (measure,) = all_measures(workbook)
    assert measure.years == ("2009-10", "2010-11")


@pytest.mark.parametrize(
    ("value", "unit", "pence"),
    [
        (1.5, "£m", 150_000_000),
        ("1.5", "£m", 150_000_000),
        ("(2.5)", "£k", -250_000),
        ("£1,234.56", "£", 123_456),
        ("3m", "", 300_000_000),
        (0.1 + 0.2, "£", 30),  # a figure Excel worked out: binary noise, not a fraction
        (12, "", 1200),
    ],
)
def test_money_is_exact_pence_with_the_headers_unit(value, unit, pence) -> None:
    from dom_desk.domain.lists.common import parse_money

    assert parse_money(value, unit, "here", negative=True) == pence


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1.001", "has a fraction of a penny"),
        ("-5", "is below £0"),
        ("1e999", "which no region could hold"),
        (float("nan"), "is not an amount of money"),
    ],
)
def test_money_refusals_say_why(value, reason) -> None:
    from dom_desk.domain.lists.common import parse_money

    with pytest.raises(ValidationError, match=reason):
        parse_money(value, "", "here")
