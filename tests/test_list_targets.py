"""Targets from a spreadsheet (issue 13, item 8): a row per provider and measure, read as
the measure's unit, under the workspace's rules (floors, national values, locks, the
measure's years); every refusal names file, sheet and cell and writes nothing, and a
second import changes nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from openpyxl import Workbook as Xlsx
from openpyxl import load_workbook
from sqlalchemy import select
from test_list_import_kinds import _dump, _xlsx

from dom_desk.cli import main
from dom_desk.domain import sla
from dom_desk.domain.lists_import import ListKind, RowStatus, import_list, preview_list
from dom_desk.domain.measures import create_measure, edit_measure
from dom_desk.domain.records.creating import create_agreement, create_provider
from dom_desk.domain.region import ensure_year
from dom_desk.errors import ValidationError
from dom_desk.models import AgreementStatus, Provider, Target


@pytest.fixture
def region(workbook):
    """North West with two providers and seed 001's targets: PT 1 (90%, National), PT 2
    (85%, here a Regional Minimum), PT 9 (Basic Skills starts, a count, Locally Set), a
    measure of 2008-09 only and one reported nationally."""
    create_provider(workbook, "Cumbria Probation Board", "Probation Board", "Public")
    create_provider(workbook, "HMP Haverigg", "Public prison", "Public")
    with workbook.session() as session:
        ensure_year(session, "2008-09")
        haverigg = session.scalars(select(Provider).where(Provider.name == "HMP Haverigg")).one()
        haverigg.aliases = "Haverigg"
    create_measure(
        workbook,
        "PT 1",
        "90% of risk of harm assessments completed within five working days",
        "%",
        guidance="National",
        national_value=Decimal(90),
    )
    create_measure(
        workbook,
        "PT 2",
        "85% of victims contacted within eight weeks",
        "%",
        guidance="Regional Minimum",
        floor=Decimal(85),
    )
    create_measure(workbook, "PT 9", "Basic Skills starts", "count")
    create_measure(workbook, "PT 5", "Reports to court on time (2008-09)", "%", years=["2008-09"])
    create_measure(
        workbook, "PSA 23", "Re-offending", "%", reported_by_providers=False, scope="Integrated"
    )
    return workbook


TARGETS = [
    ["Provider", "Measure code", "Target", "Minimum", "Notes"],
    ["Cumbria Probation Board", "PT 1", "90%", None, "as the NPS plan sets it"],
    ["Cumbria Probation Board", "pt 2", 87.5, 85, ""],
    ["Cumbria Probation Board", "PT9", "1,250", None, None],
    ["Haverigg", "PT 2", "[x]", None, "to negotiate"],
]


def _targets(wb) -> dict[tuple[str, str, str], tuple]:
    with wb.session() as session:
        return {
            (t.provider.name, t.measure.code, t.year.label): (t.value, t.minimum, t.notes)
            for t in session.scalars(select(Target))
        }


def test_targets_are_imported_in_the_measures_units_and_again_change_nothing(
    region, tmp_path
) -> None:
    path = _xlsx(tmp_path / "targets.xlsx", TARGETS)
    preview, summary = import_list(region, path, ListKind.TARGETS)
    assert summary is not None and (summary.added, summary.updated) == (4, 0)
    assert preview.year == "2009-10"
    # New rows show their values, as the file has them, not what "changes".
    assert preview.rows[1].changed == () and preview.rows[1].values == {
        "value": Decimal("87.5"),
        "minimum": Decimal(85),
        "notes": "",
    }
    held = _targets(region)
    # PT 1 is National: its value is the national one, so nothing but the note is stored.
    assert held[("Cumbria Probation Board", "PT 1", "2009-10")] == (
        None,
        None,
        "as the NPS plan sets it",
    )
    assert held[("Cumbria Probation Board", "PT 2", "2009-10")] == (
        Decimal("87.5"),
        Decimal(85),
        "",
    )
    assert held[("Cumbria Probation Board", "PT 9", "2009-10")][0] == Decimal(1250)
    # "[x]" is not yet set; the alias found HMP Haverigg.
    assert held[("HMP Haverigg", "PT 2", "2009-10")] == (None, None, "to negotiate")
    ws = sla.workspace(region, "Cumbria Probation Board")
    shown = {t.code: t.value for t in ws.targets}
    assert shown["PT 1"] == Decimal(90) and shown["PT 2"] == Decimal("87.5")

    before = _dump(region)
    preview, summary = import_list(region, path, ListKind.TARGETS)
    assert summary is not None and (summary.added, summary.updated) == (0, 0)
    assert {r.status for r in preview.rows} == {RowStatus.UNCHANGED}
    assert _dump(region) == before


def test_a_changed_target_is_updated_only_where_it_differs(region, tmp_path) -> None:
    import_list(region, _xlsx(tmp_path / "a.xlsx", TARGETS), ListKind.TARGETS)
    with region.session() as session:
        versions = {
            (t.provider.name, t.measure.code): t.row_version
            for t in session.scalars(select(Target))
        }
    changed = [row[:] for row in TARGETS]
    changed[2][2] = 88
    preview = preview_list(region, _xlsx(tmp_path / "b.xlsx", changed), ListKind.TARGETS)
    statuses = [(r.what, r.status, r.changed) for r in preview.rows]
    assert ("Cumbria Probation Board, PT 2, 2009-10", RowStatus.UPDATE, ("target",)) in statuses
    assert sum(r.status is RowStatus.UNCHANGED for r in preview.rows) == 3
    _, summary = import_list(region, tmp_path / "b.xlsx", ListKind.TARGETS)
    assert summary is not None and (summary.added, summary.updated) == (0, 1)
    with region.session() as session:
        after = {
            (t.provider.name, t.measure.code): t.row_version
            for t in session.scalars(select(Target))
        }
    cumbria = "Cumbria Probation Board"
    assert after[(cumbria, "PT 9")] == versions[(cumbria, "PT 9")]
    assert after[(cumbria, "PT 2")] == versions[(cumbria, "PT 2")] + 1
    assert _targets(region)[("Cumbria Probation Board", "PT 2", "2009-10")][0] == 88


def test_emptying_a_target_sets_it_back_to_not_yet_set(region, tmp_path) -> None:
    import_list(region, _xlsx(tmp_path / "a.xlsx", TARGETS), ListKind.TARGETS)
    cleared = [["Provider", "Code", "Target"], ["Cumbria Probation Board", "PT 9", "[x]"]]
    import_list(region, _xlsx(tmp_path / "b.xlsx", cleared), ListKind.TARGETS)
    # A target with nothing left in it is not kept (as the workspace does).
    assert ("Cumbria Probation Board", "PT 9", "2009-10") not in _targets(region)
    assert ("Cumbria Probation Board", "PT 2", "2009-10") in _targets(region)


def test_headers_are_matched_forgivingly_and_name_the_year(region, tmp_path) -> None:
    rows = [
        ["NOTES", "target  2008/09", "KPI", "provider NAME"],
        ["", 95, "PT 5", "Cumbria Probation Board"],
    ]
    preview, summary = import_list(region, _xlsx(tmp_path / "t.xlsx", rows), ListKind.TARGETS)
    assert summary is not None and summary.added == 1 and preview.year == "2008-09"
    assert _targets(region)[("Cumbria Probation Board", "PT 5", "2008-09")][0] == 95
    with pytest.raises(ValidationError, match=r"t\.xlsx, sheet 'List', cell B1: .*2009-10"):
        import_list(region, tmp_path / "t.xlsx", ListKind.TARGETS, year_label="2009-10")


def test_a_percentage_cell_is_read_as_it_shows_and_a_plain_number_as_it_is(
    region, tmp_path
) -> None:
    create_measure(region, "KPI 3", "Escapes as a percentage of the population", "%")
    book = Xlsx()
    book.active.append(["Provider", "Code", "Year", "Target", "Minimum"])
    book.active.append(["HMP Haverigg", "PT 2", "2008-09", 0.9, 1])
    book.active["D2"].number_format = "0%"  # Excel keeps "90%" as 0.9
    book.active["E2"].number_format = "0.0%"  # and "100%" as 1
    book.active.append(["HMP Haverigg", "PT 2", "2009-10", 86, None])
    book.active.append(["HMP Haverigg", "KPI 3", "2009-10", 0.05, None])  # 0.05%, plain
    book.save(tmp_path / "p.xlsx")
    import_list(region, tmp_path / "p.xlsx", ListKind.TARGETS)
    held = _targets(region)
    assert held[("HMP Haverigg", "PT 2", "2008-09")][:2] == (90, 100)
    assert held[("HMP Haverigg", "PT 2", "2009-10")][0] == 86
    assert held[("HMP Haverigg", "KPI 3", "2009-10")][0] == Decimal("0.05")


@pytest.mark.parametrize(
    ("row", "cell", "reason"),
    [
        (["HMP Haverigs", "PT 2", 90], "A3", "close to the registered provider 'HMP Haverigg'"),
        (["HMP Walton", "PT 2", 90], "A3", "not a registered provider"),
        (["HMP Haverigg", "PT 22", 90], "B3", "no measure coded 'PT 22'.*nearest is 'PT 2'"),
        (["HMP Haverigg", "PT 2", 84], "C3", "below the Regional Minimum floor of 85"),
        (["HMP Haverigg", "PT 1", 95], "C3", "set nationally.*national value is 90"),
        (["HMP Haverigg", "PT 5", 90], "B3", "PT 5 does not apply in 2009-10.*2008-09"),
        (["HMP Haverigg", "PSA 23", 50], "B3", "reported nationally"),
        (["Cumbria Probation Board", "PT 9", "12.5"], "C3", "not a whole number"),
        (["Cumbria Probation Board", "PT 9", "lots"], "C3", "'lots' is not a number"),
        (["Cumbria Probation Board", "PT 9", -3], "C3", "below 0"),
        (["Haverigg", "pt 9", 10], "B3", "the target for 'HMP Haverigg, PT 9, 2009-10'.*row 2"),
    ],
)
def test_each_refusal_names_the_cell_and_nothing_is_written(
    region, tmp_path, row, cell, reason
) -> None:
    rows = [["Provider", "Code", "Target"], ["HMP Haverigg", "PT 9", 100], row]
    path = _xlsx(tmp_path / "bad.xlsx", rows)
    before = _dump(region)
    preview = preview_list(region, path, ListKind.TARGETS)
    assert preview.rows[0].status is RowStatus.NEW
    assert len(preview.errors) == 1
    assert preview.errors[0].startswith(f"bad.xlsx, sheet 'List', cell {cell}: ")
    assert re.search(reason, preview.errors[0])
    with pytest.raises(ValidationError, match="nothing was imported"):
        import_list(region, path, ListKind.TARGETS)
    assert _dump(region) == before


def test_a_target_outside_the_providers_scope_is_kept_with_a_warning(region, tmp_path) -> None:
    create_measure(region, "KPI 2", "Escapes from prison", "count", scope="Prison only")
    rows = [["Provider", "Code", "Target"], ["Cumbria Probation Board", "KPI 2", 0]]
    preview, summary = import_list(region, _xlsx(tmp_path / "s.xlsx", rows), ListKind.TARGETS)
    assert preview.warnings == [
        "s.xlsx, sheet 'List', cell B2: KPI 2 is prison only and Cumbria Probation Board is "
        "a probation board: the target is kept, and Cumbria Probation Board will report on "
        "KPI 2"
    ]
    assert summary is not None and summary.added == 1


def test_an_empty_provider_is_one_problem(region, tmp_path) -> None:
    rows = [["Provider", "Code", "Target"], [None, "PT 2", 90], ["HMP Haverigg", "PT 2", 90]]
    preview = preview_list(region, _xlsx(tmp_path / "e.xlsx", rows), ListKind.TARGETS)
    assert preview.errors == ["e.xlsx, sheet 'List', cell A2: Provider is empty"]


def test_a_value_already_held_is_not_refused_by_a_rule_it_predates(region, tmp_path) -> None:
    """As in the workspace, the rules meet a value that changes what is held: a target
    set before its floor was raised imports unchanged, and cannot be changed to another
    value below the floor."""
    path = _xlsx(
        tmp_path / "a.xlsx", [["Provider", "Code", "Target"], ["HMP Haverigg", "PT 2", 86]]
    )
    import_list(region, path, ListKind.TARGETS)
    edit_measure(region, "PT 2", {"floor": Decimal(88)})
    preview = preview_list(region, path, ListKind.TARGETS)
    assert not preview.errors and preview.rows[0].status is RowStatus.UNCHANGED
    lower = _xlsx(
        tmp_path / "b.xlsx", [["Provider", "Code", "Target"], ["HMP Haverigg", "PT 2", 87]]
    )
    assert (
        "below the Regional Minimum floor of 88"
        in preview_list(region, lower, ListKind.TARGETS).errors[0]
    )


def test_a_locked_agreement_refuses_a_changed_target_but_not_an_unchanged_one(
    region, tmp_path
) -> None:
    path = _xlsx(tmp_path / "a.xlsx", TARGETS)
    import_list(region, path, ListKind.TARGETS)
    with region.session() as session:
        cumbria = session.scalars(select(Provider).where(Provider.name.like("Cumbria%"))).one()
        cumbria_id = cumbria.id
    sla_id = create_agreement(region, cumbria_id, "Cumbria SLA 2009-10")
    sla.set_status(region, sla_id, AgreementStatus.SIGNED)
    before = _dump(region)
    _, summary = import_list(region, path, ListKind.TARGETS)  # the same figures: allowed
    assert summary is not None and summary.updated == 0
    changed = [row[:] for row in TARGETS]
    changed[3][2] = 1300
    with pytest.raises(ValidationError, match=r"row 4: 'Cumbria SLA 2009-10' is signed and locked"):
        import_list(region, _xlsx(tmp_path / "b.xlsx", changed), ListKind.TARGETS)
    assert _dump(region) == before


def test_a_sheet_without_a_target_column_is_refused(region, tmp_path) -> None:
    path = _xlsx(tmp_path / "n.xlsx", [["Provider", "Code", "Notes"], ["HMP Haverigg", "PT 2", ""]])
    with pytest.raises(ValidationError, match=r"n\.xlsx, sheet 'List', row 1: .*no Target"):
        preview_list(region, path, ListKind.TARGETS)


def test_the_command_line_imports_targets_from_its_template(region, tmp_path, capsys) -> None:
    template = tmp_path / "targets.xlsx"
    assert main(["import-list", "targets", "--template", str(template)]) == 0
    book = load_workbook(template)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["Provider *", "Measure code *", "Year", "Target"]
    sheet.append(["Cumbria Probation Board", "PT 2", "2009-10", 90])
    book.save(template)
    db = str(region.location)
    region.close()
    assert main(["import-list", "targets", "--db", db, str(template)]) == 0
    out = capsys.readouterr().out
    assert "1 new" in out
    assert main(["import-list", "targets", "--db", db, str(template)]) == 0
    assert "0 new and 0 updated targets, 1 unchanged" in capsys.readouterr().out
